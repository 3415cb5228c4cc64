#pragma once
// The CMS SignedData (RFC 5652 §5) inside a PAdES signature's /Contents, built and read here in
// DER rather than with OpenSSL's CMS_sign, which always adds a signingTime attribute
// (openssl#15777) that ETSI EN 319 142-1 §5.2.2 forbids in PAdES, and which can only sign with an
// EVP_PKEY in memory, not through a crypto::Signer (a token).
//
// Profile (ETSI EN 319 142-1 §6.3 baseline B-B, CAdES detached): eContentType id-data and no
// eContent; one SignerInfo identified by issuer and serial; signed attributes contentType,
// messageDigest and signing-certificate-v2 (RFC 5035); for B-T, the unsigned attribute
// id-aa-signatureTimeStampToken (RFC 3161 Appendix A) over the signature value.
// SM2 keys: digest SM3 (1.2.156.10197.1.401) and signature SM2-with-SM3 (1.2.156.10197.1.501),
// the identifiers of GM/T 0010 = GB/T 35275; the content types stay those of RFC 5652 so that the
// structure is the same CMS (no PDF tool checks SM2: our verifier does).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "crypto/digest.hpp"
#include "crypto/signer.hpp"

namespace eseal::document::pdf {

[[nodiscard]] crypto::DigestAlgorithm digest_algorithm_for(crypto::SignatureAlgorithm a) noexcept;

// Asks a time-stamping authority for a token over these bytes (the signature value); returns the
// TimeStampToken (a ContentInfo), not the whole TimeStampResp.
using TimeStamper = std::function<core::Result<core::Bytes>(core::ByteView signature_value)>;

struct CmsInput {
    core::ByteView signer_certificate;  // DER
    std::vector<core::Bytes> chain;     // further certificates to carry (issuing CA, ...)
    core::ByteView content_digest;      // of the ByteRange, with digest_algorithm_for(signer)
};

// Signs through `signer` (its public key must be the certificate's).
[[nodiscard]] core::Result<core::Bytes> build_signed_data(const CmsInput& in,
                                                          const crypto::Signer& signer,
                                                          const TimeStamper* time_stamper);

// The size build_signed_data will not exceed for this input, without signing: the signature is
// replaced by one of the largest size the key can give; `time_stamp_reserve` bytes are added for
// a time-stamp token.
[[nodiscard]] core::Result<std::size_t> signed_data_size_bound(const CmsInput& in,
                                                               crypto::SignatureAlgorithm alg,
                                                               std::size_t time_stamp_reserve);

struct ParsedSignedData {
    std::string digest_oid;     // SignerInfo.digestAlgorithm, dotted
    std::string signature_oid;  // SignerInfo.signatureAlgorithm, dotted
    std::optional<crypto::DigestAlgorithm> digest;
    std::optional<crypto::SignatureAlgorithm> signature_algorithm;
    std::string econtent_type;  // dotted
    bool has_econtent = false;
    std::vector<core::Bytes> certificates;    // DER, as carried
    std::optional<std::size_t> signer_index;  // into certificates: the one the sid names
    core::Bytes signed_attributes;            // DER as a SET (tag 0x31): what the signature covers
    core::Bytes signature;
    std::optional<core::Bytes> message_digest;
    std::optional<std::string> content_type;  // dotted
    bool has_signing_time = false;
    std::optional<std::string> signing_certificate_v2_hash_oid;  // dotted; sha256 when absent
    std::optional<core::Bytes> signing_certificate_v2_hash;
    std::optional<core::Bytes> time_stamp_token;  // id-aa-signatureTimeStampToken
};

// Reads the ContentInfo; errors (invalid_input "cms.malformed") name the part that is wrong.
// One SignerInfo is required (ETSI EN 319 142-1 §6.3 requirement (a)).
[[nodiscard]] core::Result<ParsedSignedData> parse_signed_data(core::ByteView der);

}  // namespace eseal::document::pdf
