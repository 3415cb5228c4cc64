// Verifying a V4 SES_Signature in the order of GM/T 0031-2014 §6.2.3: the
// signature value, the signer's certificate at the signing time, the time, the data hash, and the
// seal (its maker's signature, the maker, its validity at the signing time).
#include "crypto/public_key.hpp"
#include "seal/algorithm_oid.hpp"
#include "seal/certificate_info.hpp"
#include "seal/seal_verify.hpp"
#include "seal/ses_signature.hpp"

namespace eseal::seal {
namespace {

// Clocks of signers and verifiers differ a little.
constexpr std::chrono::minutes kClockSkew{5};

void check_value(const SealSignature& s, const CertificateInfo& cert, Verification& v) {
    const auto alg = signature_algorithm_of_oid(s.signature_algorithm);
    if (!alg) {
        v.add("signature.algorithm_unsupported",
              "signature algorithm " + s.signature_algorithm + " is not supported");
        return;
    }
    if (!cert.key_algorithm || crypto::signature_algorithm_for(*cert.key_algorithm) != *alg) {
        // GB/T 38540 §7.1: signatureAlgID must agree with the signer's certificate.
        v.add(
            "signature.algorithm_mismatch",
            "the signer's key cannot make " + std::string(crypto::to_string(*alg)) + " signatures");
        return;
    }
    if (!crypto::verify_signature(cert.public_key, *alg, s.tbs_der, s.signature))
        v.add("signature.signature_invalid", "the signature over TBS_Sign does not verify");
}

}  // namespace

Verification verify_signature(const SealSignature& s, const TrustStore& trust, core::TimePoint now,
                              std::optional<core::ByteView> data_hash) {
    Verification v;
    if (s.version != s.seal.version)
        v.add("signature.version_mismatch", "TBS_Sign.version " + std::to_string(s.version) +
                                                " differs from the seal's version " +
                                                std::to_string(s.seal.version));
    auto cert = read_certificate(s.signer_certificate, "signature.certificate_invalid");
    if (!cert) {
        v.add(cert.error().code, "the signer certificate: " + cert.error().message);
    } else {
        check_value(s, *cert, v);
        if (!seal_lists_certificate(s.seal, s.signer_certificate))
            v.add("signature.signer_not_in_seal",
                  "the seal does not list the signer's certificate (" + cert->subject + ")");
        for (auto& p :
             check_chain(s.signer_certificate, trust, s.time_info, "signature.signer_untrusted")) {
            p.message =
                "signer certificate " + cert->subject + " at the signing time: " + p.message;
            v.problems.push_back(std::move(p));
        }
        if (!cert->may_sign)
            v.add("signature.signer_key_usage",
                  "the signer certificate's keyUsage lacks digitalSignature");
    }
    if (s.time_info > now + kClockSkew)
        v.add("signature.time_in_future",
              "the signing time " + core::format_utc(s.time_info) + " is in the future");
    if (data_hash && !std::ranges::equal(*data_hash, s.data_hash))
        v.add("signature.data_hash_mismatch",
              "the signed data hash is not the hash of the data given");
    for (auto& p : verify_seal(s.seal, trust, s.time_info).problems) {
        p.message = "the seal, at the signing time: " + p.message;
        v.problems.push_back(std::move(p));
    }
    return v;
}

}  // namespace eseal::seal
