#pragma once
// Revoking certificates (RFC 5280 §5.3.1) and what the CA needs stored for it: the revoked
// entries of each CA, a journal of revocations in commit order (so a running responder, in this
// process or another, learns what changed), and each CA's latest CRL.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "pki/ports.hpp"

namespace eseal::pki {

// RFC 5280 §5.3.1 CRLReason, with its codes. Two of the RFC's values are not accepted for a new
// revocation: removeFromCRL (8) belongs to delta CRLs, which eseal does not issue, and
// certificateHold (6), because eseal's revocation is final: the service guide has no suspension,
// and a hold that can never be released (there is no removeFromCRL) would only be a revocation
// with a misleading reason. Their codes are still known so that they can be named when parsing.
enum class RevocationReason : std::uint8_t {
    unspecified = 0,
    key_compromise = 1,
    ca_compromise = 2,
    affiliation_changed = 3,
    superseded = 4,
    cessation_of_operation = 5,
    certificate_hold = 6,
    remove_from_crl = 8,
    privilege_withdrawn = 9,
    aa_compromise = 10,
};

// The RFC's ASN.1 names: "keyCompromise", "cACompromise", ...
[[nodiscard]] std::string_view to_string(RevocationReason r) noexcept;
// Any of the RFC names (ASCII case ignored); nullopt for anything else.
[[nodiscard]] std::optional<RevocationReason> parse_revocation_reason(
    std::string_view name) noexcept;
[[nodiscard]] std::optional<RevocationReason> revocation_reason_from_code(int code) noexcept;
// Whether a new revocation may give this reason (see above); the error names the accepted ones.
[[nodiscard]] core::Result<void> check_revocation_reason(RevocationReason r);

struct RevocationRequest {
    std::string serial;  // lowercase hex, as stored
    RevocationReason reason = RevocationReason::unspecified;
    core::TimePoint at{};                            // revocationDate
    std::optional<core::TimePoint> invalidity_date;  // RFC 5280 §5.3.2, if known
};

// One entry of a CRL.
struct RevokedCertificate {
    std::string serial;  // lowercase hex
    core::TimePoint revoked_at{};
    RevocationReason reason = RevocationReason::unspecified;
    std::optional<core::TimePoint> invalidity_date;
};

struct RevokedList {
    std::vector<RevokedCertificate> entries;  // every revoked certificate the CA issued
    std::int64_t revocation_seq = 0;          // the highest journal seq among them; 0 if none
};

struct RevocationChange {
    std::int64_t seq = 0;
    std::string serial;
    std::string ca;
};

struct CrlRecord {
    std::string ca;
    std::int64_t number = 0;  // cRLNumber (RFC 5280 §5.2.3)
    core::TimePoint this_update{};
    core::TimePoint next_update{};
    std::size_t entries = 0;
    std::int64_t revocation_seq = 0;  // the RevokedList::revocation_seq it was built from
    core::Bytes der;                  // empty when only the header was asked for
};

class RevocationRepository {
  public:
    virtual ~RevocationRepository() = default;

    // Marks a valid certificate revoked, writes the journal row and the audit event, in one
    // transaction; returns the revoked record. An unknown serial gives Errc::not_found
    // ("certificate.unknown"), one already revoked Errc::conflict ("certificate.already_revoked");
    // then nothing changes.
    [[nodiscard]] virtual core::Result<CertificateRecord> revoke(const RevocationRequest& request,
                                                                 const core::AuditEvent& event) = 0;
    // Read in one snapshot, so revocation_seq describes exactly the entries.
    [[nodiscard]] virtual core::Result<RevokedList> revoked_by(std::string_view ca) = 0;
    // The highest journal seq of the CA's revocations (0 if none).
    [[nodiscard]] virtual core::Result<std::int64_t> last_revocation_seq(std::string_view ca) = 0;
    // Journal rows after `seq`, oldest first, at most `limit`.
    [[nodiscard]] virtual core::Result<std::vector<RevocationChange>> revocations_after(
        std::int64_t seq, std::size_t limit) = 0;

    // The CA's latest CRL; with_der false leaves CrlRecord::der empty (a cheap freshness check).
    [[nodiscard]] virtual core::Result<std::optional<CrlRecord>> latest_crl(std::string_view ca,
                                                                            bool with_der) = 0;
    // Stores the CRL with its audit event when its number is above the stored one's, so the
    // cRLNumber only grows; else Errc::conflict ("crl.number_used") and nothing changes.
    [[nodiscard]] virtual core::Result<void> store_crl(const CrlRecord& crl,
                                                       const core::AuditEvent& event) = 0;
};

// Revokes one certificate now: checks the reason and the request, then stores it (see
// RevocationRepository::revoke). A root CA's own certificate is refused: nothing above it can
// publish that it is revoked.
[[nodiscard]] core::Result<CertificateRecord> revoke_certificate(
    CertificateRepository& certificates, RevocationRepository& revocations,
    RevocationRequest request, const std::string& actor, const core::Clock& clock);

}  // namespace eseal::pki
