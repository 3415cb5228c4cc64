#pragma once
// The seal signature (签章数据) of GB/T 38540-2020 §7.1, V4:
//   SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING, signatureAlgID OBJECT
//   IDENTIFIER,
//                                signature BIT STRING, timeStamp [0] BIT STRING OPTIONAL }
//   TBS_Sign ::= SEQUENCE { version INTEGER, eseal SESeal, timeInfo GeneralizedTime,
//                           dataHash BIT STRING, propertyInfo IA5String, extDatas [0]
//                           ExtensionDatas OPTIONAL }
// signed by the signer over DER(TBS_Sign). The OFD and PDF sealing code builds on this: it hashes
// what it protects and hands the hash in.
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/digest.hpp"
#include "crypto/signer.hpp"
#include "seal/seseal.hpp"
#include "seal/trust.hpp"
#include "seal/verification.hpp"

namespace eseal::seal {

struct SealSignature {
    int version = kVersion4;
    Seal seal;
    core::TimePoint time_info{};
    core::Bytes data_hash;
    std::string property_info;
    std::optional<core::Bytes> ext_datas;  // TBS_Sign.extDatas as received, not interpreted
    core::Bytes signer_certificate;        // DER
    std::string signature_algorithm;       // dotted OID
    core::Bytes signature;
    std::optional<core::Bytes> time_stamp;  // the [0] element as received
    core::Bytes tbs_der;                    // TBS_Sign as signed
    core::Bytes der;                        // the whole SES_Signature
};

// The hash dataHash carries: SM3 for SM2 signers (GB/T 38540 §7.1 via GM/T 0006), SHA-256 for
// the international suite.
[[nodiscard]] crypto::DigestAlgorithm data_hash_algorithm(crypto::SignatureAlgorithm alg) noexcept;

// Signs `data_hash` with the seal. `signer_certificate_der` may be empty: the certificate is
// then the one in the seal's certList that holds the signer's key. The certificate must be
// listed in the seal, valid now, and the seal valid now; every problem is listed
// (Errc::invalid_input, "signature.rejected").
[[nodiscard]] core::Result<SealSignature> make_signature(const Seal& seal, core::ByteView data_hash,
                                                         std::string property_info,
                                                         const crypto::Signer& signer,
                                                         core::ByteView signer_certificate_der,
                                                         const core::Clock& clock);

// Reads a DER V4 SES_Signature ("signature.malformed"; V1 signatures: "signature.unsupported").
[[nodiscard]] core::Result<SealSignature> parse_signature(core::ByteView der);

// Checks, listing every problem: the signature over TBS_Sign (signature.signature_invalid), the
// signer's certificate (signature.certificate_invalid, signature.algorithm_unsupported,
// signature.algorithm_mismatch, signature.signer_not_in_seal, signature.signer_untrusted at the
// signing time, signature.signer_key_usage), the version (signature.version_mismatch), the time
// (signature.time_in_future), the seal itself at the signing time (its seal.* codes), and, when
// `data_hash` is given, that it is the one signed (signature.data_hash_mismatch).
[[nodiscard]] Verification verify_signature(const SealSignature& signature, const TrustStore& trust,
                                            core::TimePoint now,
                                            std::optional<core::ByteView> data_hash = std::nullopt);

// True when the certificate is in the seal's certList (as a certificate, or by its digest).
[[nodiscard]] bool seal_lists_certificate(const Seal& seal, core::ByteView certificate_der);

}  // namespace eseal::seal
