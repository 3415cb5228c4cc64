#pragma once
// What the CA needs from storage, declared by the CA (STYLE: the consumer defines the interface;
// `store/` implements it). Certificates are rows that can be queried by serial, subject,
// organization code, status and expiry, not opaque blobs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/algorithm.hpp"

namespace eseal::pki {

enum class CertificateStatus { valid, revoked };
[[nodiscard]] std::string_view to_string(CertificateStatus s) noexcept;
[[nodiscard]] std::optional<CertificateStatus> parse_certificate_status(std::string_view s) noexcept;

struct CaRecord {
    std::string name;              // "demo-sm2" (issuing CA), "demo-sm2-root"
    std::string parent;            // the issuing CA's root; empty for a root
    crypto::KeyAlgorithm algorithm = crypto::KeyAlgorithm::sm2;
    std::string key_ref;           // "file:keys/demo-sm2.key.pem" (relative to the home); "pkcs11:..." later
    std::string serial;            // of its certificate, lowercase hex
    std::string subject;           // RFC 2253 one-line form
    core::TimePoint not_before{};
    core::TimePoint not_after{};
    core::Bytes certificate;       // DER
    std::string crl_url;           // put into the CRL distribution points of what it issues
    std::string ocsp_url;          // put into the AIA of what it issues
    core::TimePoint created_at{};
};

struct CertificateRecord {
    std::string serial;            // lowercase hex of the positive serial number, unique
    std::string ca;                // name of the issuing CA (a root names itself)
    std::string profile;           // "org", "org-individual", "root-ca", "issuing-ca"
    std::string subject;           // RFC 2253 one-line form
    std::string organization;      // O
    std::string credit_code;       // unified social credit code (GB 32100), if any
    std::string person_name;       // organization-individual: the holder
    std::string person_id;         // organization-individual: resident ID number (GB 11643)
    std::string key_sha256;        // hex SHA-256 of the DER SubjectPublicKeyInfo, unique
    core::TimePoint not_before{};
    core::TimePoint not_after{};
    core::TimePoint issued_at{};
    CertificateStatus status = CertificateStatus::valid;
    std::optional<core::TimePoint> revoked_at;
    std::string revocation_reason; // RFC 5280 §5.3.1 name, e.g. "keyCompromise"
    core::Bytes der;
};

struct CertificateQuery {
    std::optional<std::string> ca;
    std::optional<CertificateStatus> status;
    std::optional<std::string> credit_code;
    std::optional<std::string> subject_contains;
    std::optional<core::TimePoint> expiring_before;  // not_after < this
    std::size_t limit = 0;                           // 0: no limit
};

class CertificateRepository {
public:
    virtual ~CertificateRepository() = default;

    // Stores a CA, its certificate's row and the audit event in one transaction.
    [[nodiscard]] virtual core::Result<void> add_ca(const CaRecord& ca, const CertificateRecord& certificate,
                                                    const core::AuditEvent& event) = 0;
    [[nodiscard]] virtual core::Result<std::optional<CaRecord>> find_ca(std::string_view name) = 0;
    [[nodiscard]] virtual core::Result<std::vector<CaRecord>> list_cas() = 0;

    // Stores the certificate with its audit event; durable (committed and synced) when it
    // returns. A serial or key already present gives Errc::already_exists and stores nothing.
    // Safe to call from many threads: concurrent calls may share one commit (group commit).
    [[nodiscard]] virtual core::Result<void> add_certificate(const CertificateRecord& certificate,
                                                             const core::AuditEvent& event) = 0;
    [[nodiscard]] virtual core::Result<bool> serial_exists(std::string_view serial) = 0;
    [[nodiscard]] virtual core::Result<std::optional<CertificateRecord>> find_by_key(std::string_view key_sha256) = 0;
    [[nodiscard]] virtual core::Result<std::optional<CertificateRecord>> find_certificate(std::string_view serial) = 0;
    [[nodiscard]] virtual core::Result<std::vector<CertificateRecord>> find_certificates(const CertificateQuery& q) = 0;
};

}  // namespace eseal::pki
