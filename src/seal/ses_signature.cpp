#include "seal/ses_signature.hpp"

#include <algorithm>

#include "seal/algorithm_oid.hpp"
#include "seal/asn1.hpp"
#include "seal/certificate_info.hpp"

namespace eseal::seal {
namespace {

std::optional<crypto::DigestAlgorithm> digest_named(std::string_view type) {
    std::string t;
    for (char c : type)
        if (c != '-' && c != '_')
            t += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (t == "SM3")
        return crypto::DigestAlgorithm::sm3;
    if (t == "SHA256")
        return crypto::DigestAlgorithm::sha256;
    return std::nullopt;
}

// The signer's certificate: the one given, else the seal's certificate holding the signer's key.
core::Result<core::Bytes> choose_certificate(const Seal& seal, const crypto::Signer& signer,
                                             core::ByteView given) {
    if (!given.empty())
        return core::Bytes(given.begin(), given.end());
    const auto key = signer.public_key();
    for (const auto& c : seal.property.certificates)
        if (auto info = read_certificate(c, "x"); info && info->public_key == key)
            return c;
    return core::fail(core::Errc::invalid_input, "signature.no_certificate",
                      "no certificate was given and none in the seal holds the signer's key");
}

void check_request(const Seal& seal, core::ByteView data_hash, const std::string& property_info,
                   const crypto::Signer& signer, core::ByteView cert_der, core::TimePoint now,
                   std::vector<core::Problem>& problems) {
    if (seal.format != SealFormat::v4)
        problems.push_back(
            {"signature.seal_not_v4", "only GB/T 38540 (V4) seals make V4 signatures", "seal"});
    if (data_hash.empty() || data_hash.size() > 64)
        problems.push_back(
            {"signature.data_hash_invalid", "the data hash must be 1 to 64 bytes", "data_hash"});
    if (!std::all_of(property_info.begin(), property_info.end(),
                     [](char c) { return c > 0x1F && c < 0x7F; }))
        problems.push_back({"signature.property_info_invalid",
                            "propertyInfo must be printable ASCII (IA5String)", "property_info"});
    const auto& p = seal.property;
    if (now < p.valid_start || now > p.valid_end)
        problems.push_back({"signature.seal_not_valid",
                            "the seal is valid from " + core::format_utc(p.valid_start) + " to " +
                                core::format_utc(p.valid_end) + ", not now",
                            "seal"});
    auto cert = read_certificate(cert_der, "signature.certificate_invalid");
    if (!cert) {
        problems.push_back(
            {cert.error().code, "the signer certificate: " + cert.error().message, "certificate"});
        return;
    }
    if (cert->public_key != signer.public_key())
        problems.push_back({"signature.key_mismatch",
                            "the signer's key is not the certificate's key", "certificate"});
    if (!valid_at(*cert, now))
        problems.push_back({"signature.certificate_expired",
                            "the signer certificate is valid from " +
                                core::format_utc(cert->not_before) + " to " +
                                core::format_utc(cert->not_after) + ", not now",
                            "certificate"});
    if (!seal_lists_certificate(seal, cert_der))
        problems.push_back({"signature.signer_not_in_seal",
                            "the seal does not list the signer's certificate", "certificate"});
}

}  // namespace

crypto::DigestAlgorithm data_hash_algorithm(crypto::SignatureAlgorithm alg) noexcept {
    return alg == crypto::SignatureAlgorithm::sm2_sm3 ? crypto::DigestAlgorithm::sm3
                                                      : crypto::DigestAlgorithm::sha256;
}

bool seal_lists_certificate(const Seal& seal, core::ByteView certificate_der) {
    const auto& p = seal.property;
    const auto same = [&](const core::Bytes& c) { return std::ranges::equal(c, certificate_der); };
    if (std::ranges::any_of(p.certificates, same))
        return true;
    return std::ranges::any_of(p.cert_digests, [&](const CertDigest& d) {
        const auto alg = digest_named(d.type);
        return alg && crypto::digest(*alg, certificate_der) == d.value;
    });
}

core::Result<SealSignature> make_signature(const Seal& seal, core::ByteView data_hash,
                                           std::string property_info, const crypto::Signer& signer,
                                           core::ByteView signer_certificate_der,
                                           const core::Clock& clock) {
    const auto now = clock.now();
    auto cert = choose_certificate(seal, signer, signer_certificate_der);
    if (!cert)
        return std::unexpected(cert.error());
    std::vector<core::Problem> problems;
    check_request(seal, data_hash, property_info, signer, *cert, now, problems);
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "signature.rejected",
                          "the seal signature cannot be made", std::move(problems));
    SealSignature s;
    s.version = seal.version;  // GB/T 38540-2020 §7.1: the seal's version
    s.seal = seal;
    s.time_info = now;
    s.data_hash.assign(data_hash.begin(), data_hash.end());
    s.property_info = std::move(property_info);
    s.signer_certificate = std::move(*cert);
    s.signature_algorithm = signature_oid(signer.algorithm());
    s.tbs_der = pki::der::sequence(
        {asn1::integer(s.version), seal.der, asn1::generalized_time(s.time_info),
         pki::der::bit_string(s.data_hash), asn1::text(asn1::kIa5String, s.property_info)});
    auto sig = signer.sign(s.tbs_der);
    if (!sig)
        return std::unexpected(sig.error());
    s.signature = std::move(*sig);
    s.der =
        pki::der::sequence({s.tbs_der, asn1::octet_string(s.signer_certificate),
                            asn1::oid(s.signature_algorithm), pki::der::bit_string(s.signature)});
    return s;
}

}  // namespace eseal::seal
