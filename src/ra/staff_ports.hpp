#pragma once
// What staff accounts need from storage (STYLE: the consumer declares the interface); kept apart
// from ra/ports.hpp. store/ implements it (sqlite_store_staff.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace eseal::ra {

// The CA's staff roles (DESIGN §7). One account may hold several.
enum class Role { reviewer, counter_clerk, issuer, shipper, ca_operator, auditor, admin };
[[nodiscard]] std::string_view to_string(Role r) noexcept;
[[nodiscard]] std::optional<Role> parse_role(std::string_view s) noexcept;
[[nodiscard]] const std::vector<Role>& all_roles();

struct StaffAccount {
    std::int64_t id = 0;
    std::string login;          // [a-z0-9._-]{3,32}
    std::string display_name;
    std::vector<Role> roles;
    std::string password_hash;  // argon2id encoded ("$argon2id$v=19$m=65536,t=3,p=1$…")
    int failed_attempts = 0;    // consecutive wrong passwords
    std::optional<core::TimePoint> locked_until;
    core::TimePoint created_at{};
};

// A staff member's session: like an applicant's (ra::Session), keyed by SHA-256 of the cookie.
struct StaffSession {
    std::string token_hash;
    std::int64_t staff_id = 0;
    std::string csrf_token;
    std::string client;
    core::TimePoint created_at{};
    core::TimePoint expires_at{};
};

class StaffRepository {
  public:
    virtual ~StaffRepository() = default;
    // already_exists ("staff.login_taken") for a login already stored. The id is ignored;
    // the stored account (with its id) is returned.
    [[nodiscard]] virtual core::Result<StaffAccount> add_staff(const StaffAccount& a,
                                                               const core::AuditEvent& event) = 0;
    [[nodiscard]] virtual core::Result<std::optional<StaffAccount>> find_staff(std::int64_t id) = 0;
    [[nodiscard]] virtual core::Result<std::optional<StaffAccount>> find_staff_by_login(
        const std::string& login) = 0;
    [[nodiscard]] virtual core::Result<std::vector<StaffAccount>> list_staff() = 0;
    // Writes failed_attempts and locked_until, with an audit event (a lockout, say) if given.
    [[nodiscard]] virtual core::Result<void> update_staff_login_state(
        std::int64_t id, int failed_attempts, std::optional<core::TimePoint> locked_until,
        const std::optional<core::AuditEvent>& event) = 0;

    [[nodiscard]] virtual core::Result<void> add_staff_session(const StaffSession& s,
                                                               const core::AuditEvent& event) = 0;
    [[nodiscard]] virtual core::Result<std::optional<StaffSession>> find_staff_session(
        const std::string& token_hash) = 0;
    [[nodiscard]] virtual core::Result<void> delete_staff_session(const std::string& token_hash) = 0;
};

}  // namespace eseal::ra
