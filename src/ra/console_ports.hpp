#pragma once
// What the staff console's reading side needs from storage (STYLE: the consumer declares the
// interface; store/ implements it in sqlite_store_console.cpp): the audit log with filters and its
// chain check, and certificates found by serial, credit code or subject with the application that
// issued them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/error.hpp"
#include "pki/ports.hpp"

namespace eseal::ra {

// Newest first. Every set field narrows the result.
struct AuditQuery {
    std::size_t limit = 50;
    std::optional<std::int64_t> before;         // id < before (the next page)
    std::optional<std::string> actor;           // exact ("staff:op.sun")
    std::optional<std::string> action_prefix;   // "certificate." or "application.approved"
    std::optional<std::string> object;          // exact ("certificate:5f3a…")
};

struct AuditEntry {
    std::int64_t id = 0;
    core::AuditEvent event;
    std::string hash;
};

// One break of the hash chain, at the row where it shows (store/audit_log.hpp says which).
struct AuditBreak {
    std::int64_t id = 0;
    std::string problem;
};

struct AuditCheck {
    std::size_t events = 0;
    std::vector<AuditBreak> breaks;
    [[nodiscard]] bool ok() const noexcept { return breaks.empty(); }
};

class AuditRepository {
  public:
    virtual ~AuditRepository() = default;
    [[nodiscard]] virtual core::Result<std::vector<AuditEntry>> find_audit_events(const AuditQuery& q) = 0;
    // Walks the whole chain (every row, in one snapshot) and reports every break.
    [[nodiscard]] virtual core::Result<AuditCheck> check_audit_chain() = 0;
    // An event with no stored change of its own; durable on return.
    [[nodiscard]] virtual core::Result<void> append_audit(const core::AuditEvent& event) = 0;
};

// A certificate as the console lists it: the stored row and the application it was issued for
// (empty when issued outside an application, e.g. by `eseal ca issue`).
struct CertificateHit {
    pki::CertificateRecord record;
    std::string application_id;
};

class CertificateSearch {
  public:
    virtual ~CertificateSearch() = default;
    // Newest issued first, at most `limit`: the certificate whose serial is `serial` (lowercase hex
    // without colons, if the text reads as one), those of credit code `text`, and those whose subject
    // contains `text` (ASCII case folded). An empty text lists the newest.
    [[nodiscard]] virtual core::Result<std::vector<CertificateHit>> search_certificates(
        const std::string& text, const std::optional<std::string>& serial, std::size_t limit) = 0;
    [[nodiscard]] virtual core::Result<std::string> application_of_certificate(const std::string& serial) = 0;
};

}  // namespace eseal::ra
