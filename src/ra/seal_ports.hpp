#pragma once
// What seal management needs from storage (STYLE: the consumer declares the interface); kept apart
// from ra/ports.hpp. store/ implements it (sqlite_store_seals.cpp, migrations/0007_seals.sql).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace eseal::ra {

// Stored statuses. "expired" is never stored: a seal past its valid_end reads as expired
// (effective_status in seals.hpp), so time alone expires it.
enum class SealStatus { active, suspended, revoked, expired };
[[nodiscard]] std::string_view to_string(SealStatus s) noexcept;
[[nodiscard]] std::optional<SealStatus> parse_seal_status(std::string_view s) noexcept;

struct SealRecord {
    std::string id;  // the esID
    std::string credit_code;
    std::string organization;
    std::int64_t admin_account = 0;  // the account that requested it
    std::string kind;                // seal::SealKindInfo::cli_name
    std::string name;
    SealStatus status = SealStatus::active;
    std::string status_reason;
    std::string picture_source;      // "generated" | "scan"
    std::string org_certificate;     // serial of the organization certificate
    std::vector<std::string> bound;  // serials of the certificates in the certList
    core::Bytes der;                 // the current SESeal
    core::TimePoint valid_start{};
    core::TimePoint valid_end{};
    core::TimePoint created_at{};
    core::TimePoint updated_at{};
    std::int64_t version = 0;
};

struct SealAuthorization {
    std::int64_t id = 0;
    std::string seal_id;
    std::string person_name;
    std::string phone;
    std::string granted_by;  // the audit name of the admin
    core::TimePoint granted_at{};
    std::optional<core::TimePoint> revoked_at;
};

struct SealUse {
    std::int64_t id = 0;
    std::string seal_id;
    std::string document_sha256;  // hex
    std::string document_name;
    std::string signer;  // who used it: "applicant:<phone> (<name>)"
    std::string certificate_serial;
    core::TimePoint at{};
    // true: the server checked the signed document itself (a valid signature in it made with the
    // bound certificate, and document_sha256 is the server's hash of it); false: as the caller
    // said.
    bool verified = false;
};

struct BindingChallenge {
    std::string id;
    std::string seal_id;
    std::int64_t account_id = 0;
    std::string challenge;  // 32 random bytes, hex
    std::string origin;     // the server's public URL, signed with the challenge
    std::string check_id;   // the face check (identity_checks, purpose ukey-binding)
    core::TimePoint created_at{};
    core::TimePoint expires_at{};
    std::optional<core::TimePoint> used_at;
};

class SealRepository {
  public:
    virtual ~SealRepository() = default;
    [[nodiscard]] virtual core::Result<void> add_seal(const SealRecord& s,
                                                      const core::AuditEvent& event) = 0;
    // conflict ("seal.changed") if the stored version is not s.version; stores s.version + 1.
    [[nodiscard]] virtual core::Result<void> update_seal(const SealRecord& s,
                                                         const core::AuditEvent& event) = 0;
    [[nodiscard]] virtual core::Result<std::optional<SealRecord>> find_seal(
        const std::string& id) = 0;
    // Oldest first.
    [[nodiscard]] virtual core::Result<std::vector<SealRecord>> seals_of(
        const std::string& credit_code) = 0;

    // already_exists ("seal.already_authorized") for a live authorization of the same phone.
    [[nodiscard]] virtual core::Result<SealAuthorization> add_authorization(
        const SealAuthorization& a, const core::AuditEvent& event) = 0;
    // not_found ("seal.authorization_unknown") unless a live one with this id belongs to the seal.
    [[nodiscard]] virtual core::Result<void> revoke_authorization(
        const std::string& seal_id, std::int64_t id, core::TimePoint at,
        const core::AuditEvent& event) = 0;
    [[nodiscard]] virtual core::Result<std::vector<SealAuthorization>> authorizations(
        const std::string& seal_id) = 0;

    [[nodiscard]] virtual core::Result<SealUse> add_use(const SealUse& u,
                                                        const core::AuditEvent& event) = 0;
    // Newest first.
    [[nodiscard]] virtual core::Result<std::vector<SealUse>> uses(const std::string& seal_id,
                                                                  std::size_t limit) = 0;

    [[nodiscard]] virtual core::Result<void> add_challenge(const BindingChallenge& c,
                                                           const core::AuditEvent& event) = 0;
    [[nodiscard]] virtual core::Result<std::optional<BindingChallenge>> find_challenge(
        const std::string& id) = 0;
    // Marks the challenge used: true if it was unused, false if it had been used already.
    [[nodiscard]] virtual core::Result<bool> use_challenge(const std::string& id,
                                                           core::TimePoint at,
                                                           const core::AuditEvent& event) = 0;
};

}  // namespace eseal::ra
