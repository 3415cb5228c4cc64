#pragma once
// OCSP messages (RFC 6960): reading requests, and making responses whose ResponseData is signed
// through a crypto::Signer (so the responder key may live on an HSM; SM2 with the GM ID) and then
// assembled into a BasicOCSPResponse (§4.2.1) here. OpenSSL's OCSP_* API parses the request and
// encodes the CertIDs, ResponderID and SingleResponses; it cannot sign through a Signer.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/ossl.hpp"
#include "crypto/signer.hpp"
#include "pki/revocation.hpp"

namespace eseal::pki {

// §4.2.1 OCSPResponseStatus.
enum class OcspResponseStatus : std::uint8_t {
    successful = 0,
    malformed_request = 1,
    internal_error = 2,
    try_later = 3,
    sig_required = 5,
    unauthorized = 6,
};
[[nodiscard]] std::string_view to_string(OcspResponseStatus s) noexcept;

// At most this many CertIDs in one request: more is answered malformedRequest (RFC 6960 sets no
// limit; a responder must bound the signing work one request can ask for).
inline constexpr std::size_t kMaxOcspRequests = 16;
// RFC 8954 §2.1: a nonce is 1 to 32 octets.
inline constexpr std::size_t kMaxOcspNonce = 32;

struct OcspCertId {
    int hash_nid = 0;  // hashAlgorithm of the CertID (NID_sha1, NID_sha256, NID_sm3, ...)
    core::Bytes issuer_name_hash;
    core::Bytes issuer_key_hash;
    std::string
        serial;       // lowercase hex as stored; empty for a serial no certificate can have (<= 0)
    core::Bytes der;  // the CertID as the client sent it: the response repeats it
};

struct OcspRequest {
    std::vector<OcspCertId> ids;
    std::optional<core::Bytes>
        nonce_extension;  // the id-pkix-ocsp-nonce Extension, DER, echoed as is
};

// Errc::invalid_input for anything the responder must answer malformedRequest: not DER, bytes
// after the request, no CertID, more than kMaxOcspRequests, a nonce outside 1..32 octets.
[[nodiscard]] core::Result<OcspRequest> parse_ocsp_request(core::ByteView der);

enum class CertStatus { good, revoked, unknown };
[[nodiscard]] std::string_view to_string(CertStatus s) noexcept;

struct SingleStatus {
    core::ByteView cert_id;  // DER CertID, as in OcspCertId::der
    CertStatus status = CertStatus::unknown;
    core::TimePoint revoked_at{};
    std::optional<RevocationReason> reason;  // revoked only; absent for unspecified
    core::TimePoint this_update{};
    core::TimePoint next_update{};
};

struct OcspResponseContent {
    const X509* responder =
        nullptr;  // its certificate: ResponderID byKey (§4.2.2.3), and sent in certs
    core::TimePoint produced_at{};
    std::span<const SingleStatus> statuses;
    std::optional<core::ByteView> nonce_extension;
};

// A successful OCSPResponse carrying a BasicOCSPResponse signed by `signer`.
[[nodiscard]] core::Result<core::Bytes> build_ocsp_response(const OcspResponseContent& content,
                                                            const crypto::Signer& signer);
// An OCSPResponse with an error status and no responseBytes (§4.2.1).
[[nodiscard]] core::Bytes ocsp_error_response(OcspResponseStatus status);

struct OcspSingleInfo {
    std::string serial;
    CertStatus status = CertStatus::unknown;
    core::TimePoint revoked_at{};
    std::optional<RevocationReason> reason;
    core::TimePoint this_update{};
    std::optional<core::TimePoint> next_update;
};

struct OcspResponseInfo {
    OcspResponseStatus status = OcspResponseStatus::internal_error;
    core::TimePoint produced_at{};
    std::vector<OcspSingleInfo> responses;
    std::optional<core::Bytes> nonce_extension;  // DER Extension
    std::string responder_serial;                // of the certificate that signed it
};

// Reads a response and, when it is successful, checks it as a relying party would (§3.2): the
// signature (SM2 with the ID) by the responder certificate it carries, which `issuer` must have
// certified with extKeyUsage id-kp-OCSPSigning, or which must be `issuer` itself.
[[nodiscard]] core::Result<OcspResponseInfo> verify_ocsp_response(core::ByteView der,
                                                                  const X509* issuer);

}  // namespace eseal::pki
