#include "ra/providers/alipay_signature.hpp"

#include "crypto/public_key.hpp"

namespace eseal::ra::providers {

std::string alipay_sign_content(const FormFields& fields, AlipaySigned which) {
    std::string out;
    for (const auto& [name, value] : fields) {  // std::map: sorted by name, byte order
        if (name == "sign" || value.empty())
            continue;
        if (which == AlipaySigned::notification && name == "sign_type")
            continue;
        if (!out.empty())
            out += '&';
        out += name + "=" + value;
    }
    return out;
}

core::Result<std::string> alipay_sign(const crypto::Signer& signer, std::string_view content) {
    if (signer.algorithm() != crypto::SignatureAlgorithm::rsa_sha256)
        return core::fail(core::Errc::invalid_input, "alipay.key_type",
                          "Alipay RSA2 signs with an RSA key");
    auto signature = signer.sign(core::as_bytes(content));
    if (!signature)
        return std::unexpected(signature.error());
    return core::base64_encode(*signature);
}

core::Result<void> alipay_verify(core::ByteView public_key, std::string_view content,
                                 std::string_view sign) {
    const auto raw = core::base64_decode(sign);
    if (!raw || raw->empty())
        return core::fail(core::Errc::invalid_input, "alipay.sign_malformed", "sign is not base64");
    if (auto ok = crypto::verify_signature(public_key, crypto::SignatureAlgorithm::rsa_sha256,
                                           core::as_bytes(content), *raw);
        !ok) {
        if (ok.error().code != "signature.invalid")
            return std::unexpected(ok.error());
        return core::fail(core::Errc::crypto, "alipay.sign_invalid",
                          "sign does not verify with Alipay's public key (forged, or a parameter "
                          "was changed)");
    }
    return {};
}

std::string_view alipay_response_node(std::string_view body, std::string_view member) {
    const std::string key = "\"" + std::string(member) + "\"";
    auto at = body.find(key);
    if (at == std::string_view::npos)
        return {};
    at = body.find_first_not_of(" \t\r\n", at + key.size());
    if (at == std::string_view::npos || body[at] != ':')
        return {};
    at = body.find_first_not_of(" \t\r\n", at + 1);
    if (at == std::string_view::npos || body[at] != '{')
        return {};
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = at; i < body.size(); ++i) {
        const char c = body[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{') {
            ++depth;
        } else if (c == '}' && --depth == 0) {
            return body.substr(at, i - at + 1);
        }
    }
    return {};
}

}  // namespace eseal::ra::providers
