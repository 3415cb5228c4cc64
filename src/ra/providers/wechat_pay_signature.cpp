#include "ra/providers/wechat_pay_signature.hpp"

#include <charconv>

#include "core/bytes.hpp"
#include "crypto/public_key.hpp"
#include "ra/providers/random_text.hpp"
#include "ra/providers/service_time.hpp"

namespace eseal::ra::providers {
namespace {

std::string_view header_of(const HeaderMap& headers, std::string_view name) {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string_view{} : std::string_view(it->second);
}

core::Result<std::string> sign_base64(const crypto::Signer& signer, const std::string& message) {
    if (signer.algorithm() != crypto::SignatureAlgorithm::rsa_sha256)
        return core::fail(core::Errc::invalid_input, "wechatpay.key_type",
                          "WeChat Pay API v3 signs with RSA (WECHATPAY2-SHA256-RSA2048)");
    auto signature = signer.sign(core::as_bytes(message));
    if (!signature)
        return std::unexpected(signature.error());
    return core::base64_encode(*signature);
}

}  // namespace

std::string wechatpay_request_message(std::string_view method, std::string_view url,
                                      std::string_view timestamp, std::string_view nonce,
                                      std::string_view body) {
    std::string m;
    for (const auto part : {method, url, timestamp, nonce, body}) {
        m += part;
        m += '\n';
    }
    return m;
}

std::string wechatpay_response_message(std::string_view timestamp, std::string_view nonce,
                                       std::string_view body) {
    std::string m;
    for (const auto part : {timestamp, nonce, body}) {
        m += part;
        m += '\n';
    }
    return m;
}

bool wechatpay_timestamp_fresh(std::string_view timestamp, core::TimePoint now) {
    std::int64_t t = 0;
    const auto* end = timestamp.data() + timestamp.size();
    const auto [p, ec] = std::from_chars(timestamp.data(), end, t);
    if (ec != std::errc{} || p != end || timestamp.empty() || timestamp.front() == '-')
        return false;
    const std::int64_t skew = t - unix_seconds(now);
    return skew <= kWechatPayMaxSkew.count() && -skew <= kWechatPayMaxSkew.count();
}

core::Result<HeaderMap> wechatpay_sign_response(const crypto::Signer& signer,
                                                const std::string& serial, const std::string& body,
                                                core::TimePoint now) {
    const std::string timestamp = std::to_string(unix_seconds(now));
    const std::string nonce = random_alnum(32);
    auto signature = sign_base64(signer, wechatpay_response_message(timestamp, nonce, body));
    if (!signature)
        return std::unexpected(signature.error());
    return HeaderMap{
        {"wechatpay-nonce", nonce},
        {"wechatpay-serial", serial},
        {"wechatpay-signature", *signature},
        {"wechatpay-signature-type", std::string(kWechatPaySignatureType)},
        {"wechatpay-timestamp", timestamp},
    };
}

core::Result<void> wechatpay_verify_response(const HeaderMap& headers, const std::string& body,
                                             const std::vector<WechatPayCertificate>& certificates,
                                             core::TimePoint now) {
    const auto timestamp = header_of(headers, "wechatpay-timestamp");
    const auto nonce = header_of(headers, "wechatpay-nonce");
    const auto serial = header_of(headers, "wechatpay-serial");
    const auto signature = header_of(headers, "wechatpay-signature");
    if (timestamp.empty() || nonce.empty() || serial.empty() || signature.empty())
        return core::fail(core::Errc::invalid_input, "wechatpay.header_missing",
                          "a WeChat Pay message needs the headers Wechatpay-Timestamp, "
                          "Wechatpay-Nonce, Wechatpay-Serial and Wechatpay-Signature");
    const auto type = header_of(headers, "wechatpay-signature-type");
    if (!type.empty() && type != kWechatPaySignatureType)
        return core::fail(core::Errc::invalid_input, "wechatpay.signature_type",
                          "unsupported Wechatpay-Signature-Type \"" + std::string(type) + "\"");
    const WechatPayCertificate* certificate = nullptr;
    for (const auto& c : certificates)
        if (c.serial == serial)
            certificate = &c;
    if (certificate == nullptr)
        return core::fail(core::Errc::crypto, "wechatpay.serial_unknown",
                          "signed with platform certificate " + std::string(serial) +
                              ", which is not one of ours");
    if (!wechatpay_timestamp_fresh(timestamp, now))
        return core::fail(core::Errc::invalid_input, "wechatpay.timestamp_stale",
                          "Wechatpay-Timestamp " + std::string(timestamp.substr(0, 20)) +
                              " is more than 5 minutes from now (a replay, or a clock off)");
    const auto raw = core::base64_decode(signature);
    if (!raw || raw->empty())
        return core::fail(core::Errc::invalid_input, "wechatpay.signature_malformed",
                          "Wechatpay-Signature is not base64");
    const std::string message = wechatpay_response_message(timestamp, nonce, body);
    if (auto ok = crypto::verify_signature(certificate->public_key,
                                           crypto::SignatureAlgorithm::rsa_sha256,
                                           core::as_bytes(message), *raw);
        !ok) {
        if (ok.error().code != "signature.invalid")
            return std::unexpected(ok.error());
        return core::fail(core::Errc::crypto, "wechatpay.signature_invalid",
                          "Wechatpay-Signature does not verify with platform certificate " +
                              std::string(serial) + " (forged, or the body was altered)");
    }
    return {};
}

core::Result<std::string> wechatpay_authorization(const crypto::Signer& merchant_key,
                                                  const std::string& mch_id,
                                                  const std::string& serial,
                                                  std::string_view method, std::string_view url,
                                                  std::string_view body, core::TimePoint now) {
    const std::string timestamp = std::to_string(unix_seconds(now));
    const std::string nonce = random_alnum(32);
    auto signature =
        sign_base64(merchant_key, wechatpay_request_message(method, url, timestamp, nonce, body));
    if (!signature)
        return std::unexpected(signature.error());
    return std::string(kWechatPaySignatureType) + " mchid=\"" + mch_id + "\",nonce_str=\"" + nonce +
           "\",timestamp=\"" + timestamp + "\",serial_no=\"" + serial + "\",signature=\"" +
           *signature + "\"";
}

core::Result<WechatPayAuthorization> wechatpay_parse_authorization(std::string_view header) {
    const auto malformed = [] {
        return core::fail(core::Errc::invalid_input, "wechatpay.authorization_malformed",
                          "Authorization is not WECHATPAY2-SHA256-RSA2048 with mchid, nonce_str, "
                          "timestamp, serial_no and signature");
    };
    if (!header.starts_with(kWechatPaySignatureType) ||
        header.substr(kWechatPaySignatureType.size(), 1) != " ")
        return malformed();
    std::string_view rest = header.substr(kWechatPaySignatureType.size() + 1);
    WechatPayAuthorization a;
    while (!rest.empty()) {
        const auto eq = rest.find("=\"");
        if (eq == std::string_view::npos)
            return malformed();
        const auto close = rest.find('"', eq + 2);
        if (close == std::string_view::npos)
            return malformed();
        const auto name = rest.substr(0, eq);
        const std::string value(rest.substr(eq + 2, close - eq - 2));
        if (name == "mchid")
            a.mch_id = value;
        else if (name == "nonce_str")
            a.nonce = value;
        else if (name == "timestamp")
            a.timestamp = value;
        else if (name == "serial_no")
            a.serial = value;
        else if (name == "signature")
            a.signature = value;
        rest.remove_prefix(close + 1);
        if (rest.starts_with(","))
            rest.remove_prefix(1);
    }
    if (a.mch_id.empty() || a.nonce.empty() || a.timestamp.empty() || a.serial.empty() ||
        a.signature.empty())
        return malformed();
    return a;
}

}  // namespace eseal::ra::providers
