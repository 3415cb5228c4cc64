#pragma once
// CA staff accounts (DESIGN §7): argon2id passwords, roles, lockout after repeated failures, and
// sessions like the applicants' (a random cookie stored only as a hash, a CSRF token).
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/secure_string.hpp"
#include "ra/actor.hpp"
#include "ra/staff_ports.hpp"

namespace eseal::ra {

struct StaffLimits {
    int failures_before_lock = 5;
    std::chrono::seconds lock_for{15 * 60};
    std::chrono::seconds session_lifetime{8 * 3600};
    std::size_t min_password = 12;
    // argon2id cost (RFC 9106 second recommended option, lower memory): t=3, m=64 MiB, p=1.
    std::uint32_t argon2_t = 3;
    std::uint32_t argon2_m_kib = 64 * 1024;
    std::uint32_t argon2_p = 1;
};

struct NewStaffSession {
    std::string cookie;
    StaffSession session;
    StaffAccount account;
};

class StaffService {
  public:
    StaffService(StaffRepository& staff, const core::Clock& clock, StaffLimits limits = {})
        : m_staff(staff), m_clock(clock), m_limits(limits) {}

    // invalid_input "staff.invalid" listing every problem (login, name, roles, password) at once;
    // already_exists "staff.login_taken".
    [[nodiscard]] core::Result<StaffAccount> add(const std::string& login, const std::string& display_name,
                                                 const std::vector<Role>& roles, const core::SecureString& password,
                                                 const std::string& actor);
    // permission_denied "staff.login_failed" for an unknown login or a wrong password alike;
    // "staff.locked" (with the time it ends) after failures_before_lock wrong passwords in a row.
    [[nodiscard]] core::Result<NewStaffSession> login(const std::string& login, const core::SecureString& password,
                                                      const std::string& client);
    // The staff member behind a cookie, if the session is live: Actor{staff, 0, login, client, roles}.
    [[nodiscard]] core::Result<std::optional<std::pair<Actor, StaffSession>>> authenticate(const std::string& cookie,
                                                                                          const std::string& client);
    [[nodiscard]] core::Result<void> logout(const std::string& cookie);
    [[nodiscard]] core::Result<std::vector<StaffAccount>> list();

    [[nodiscard]] std::string hash_password(const core::SecureString& password) const;
    [[nodiscard]] static bool verify_password(const std::string& encoded, const core::SecureString& password);

  private:
    StaffRepository& m_staff;
    const core::Clock& m_clock;
    StaffLimits m_limits;
};

}  // namespace eseal::ra
