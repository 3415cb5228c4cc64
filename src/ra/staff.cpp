#include "ra/staff.hpp"

#include <argon2.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>
#include <regex>

#include "core/bytes.hpp"
#include "crypto/digest.hpp"
#include "ra/login.hpp"

namespace eseal::ra {
namespace {

constexpr std::array kRoleNames{std::string_view("reviewer"),  std::string_view("counter_clerk"),
                                std::string_view("issuer"),    std::string_view("shipper"),
                                std::string_view("ca_operator"), std::string_view("auditor"),
                                std::string_view("admin")};

std::string nlohmann_escape(const std::string& s) { return nlohmann::json(s).dump(); }

bool valid_login(const std::string& login) {
    static const std::regex pattern("[a-z0-9._-]{3,32}");
    return std::regex_match(login, pattern);
}

std::string roles_json(const std::vector<Role>& roles) {
    std::string out = "[";
    for (std::size_t i = 0; i < roles.size(); ++i) out += (i ? ",\"" : "\"") + std::string(to_string(roles[i])) + "\"";
    return out + "]";
}

std::vector<std::string> role_names(const std::vector<Role>& roles) {
    std::vector<std::string> out;
    for (auto r : roles) out.emplace_back(to_string(r));
    return out;
}

}  // namespace

std::string_view to_string(Role r) noexcept { return kRoleNames[static_cast<std::size_t>(r)]; }

std::optional<Role> parse_role(std::string_view s) noexcept {
    for (std::size_t i = 0; i < kRoleNames.size(); ++i)
        if (kRoleNames[i] == s) return static_cast<Role>(i);
    return std::nullopt;
}

const std::vector<Role>& all_roles() {
    static const std::vector<Role> roles{Role::reviewer, Role::counter_clerk, Role::issuer, Role::shipper,
                                         Role::ca_operator, Role::auditor, Role::admin};
    return roles;
}

std::string StaffService::hash_password(const core::SecureString& password) const {
    const auto salt = crypto::random_bytes(16);
    const auto pw = password.view();
    const std::size_t len = argon2_encodedlen(m_limits.argon2_t, m_limits.argon2_m_kib, m_limits.argon2_p,
                                              static_cast<std::uint32_t>(salt.size()), 32, Argon2_id);
    std::string encoded(len, '\0');
    const int rc = argon2id_hash_encoded(m_limits.argon2_t, m_limits.argon2_m_kib, m_limits.argon2_p, pw.data(), pw.size(),
                                         salt.data(), salt.size(), 32, encoded.data(), encoded.size());
    if (rc != ARGON2_OK) return {};
    encoded.resize(std::char_traits<char>::length(encoded.c_str()));
    return encoded;
}

bool StaffService::verify_password(const std::string& encoded, const core::SecureString& password) {
    if (encoded.rfind("$argon2id$", 0) != 0) return false;
    const auto pw = password.view();
    return argon2id_verify(encoded.c_str(), pw.data(), pw.size()) == ARGON2_OK;
}

core::Result<StaffAccount> StaffService::add(const std::string& login, const std::string& display_name,
                                             const std::vector<Role>& roles, const core::SecureString& password,
                                             const std::string& actor) {
    std::vector<core::Problem> problems;
    if (!valid_login(login))
        problems.push_back({"staff.login.invalid", "3 to 32 characters: lowercase letters, digits, '.', '_', '-'", "login"});
    if (display_name.empty()) problems.push_back({"staff.name.missing", "a display name is required", "name"});
    if (roles.empty()) problems.push_back({"staff.roles.missing", "at least one role is required", "roles"});
    if (password.view().size() < m_limits.min_password)
        problems.push_back({"staff.password.short", "at least " + std::to_string(m_limits.min_password) + " characters", "password"});
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "staff.invalid", "the staff account has errors", std::move(problems));
    StaffAccount a;
    a.login = login;
    a.display_name = display_name;
    for (auto r : roles)
        if (std::find(a.roles.begin(), a.roles.end(), r) == a.roles.end()) a.roles.push_back(r);
    a.password_hash = hash_password(password);
    if (a.password_hash.empty()) return core::fail(core::Errc::internal, "staff.hash_failed", "argon2id hashing failed");
    a.created_at = m_clock.now();
    const std::string detail = "{\"display_name\":" + nlohmann_escape(display_name) + ",\"roles\":" + roles_json(a.roles) + "}";
    return m_staff.add_staff(a, {a.created_at, actor, "staff.add", "staff:" + login, detail});
}

core::Result<NewStaffSession> StaffService::login(const std::string& login, const core::SecureString& password,
                                                  const std::string& client) {
    const auto now = m_clock.now();
    auto found = valid_login(login) ? m_staff.find_staff_by_login(login) : core::Result<std::optional<StaffAccount>>(std::nullopt);
    if (!found) return std::unexpected(found.error());
    if (!*found) {
        // Spend the same time as a real check, so the answer's timing does not tell logins apart.
        static const std::string dummy = hash_password(core::SecureString("not-a-real-password"));
        (void)verify_password(dummy, password);
        spdlog::info("staff login: unknown login from {}", client);
        return core::fail(core::Errc::permission_denied, "staff.login_failed", "wrong login or password");
    }
    StaffAccount& a = **found;
    if (a.locked_until && *a.locked_until > now)
        return core::fail(core::Errc::permission_denied, "staff.locked",
                          "too many wrong passwords; locked until " + core::format_utc(*a.locked_until));
    if (!verify_password(a.password_hash, password)) {
        // A lock that ran out starts the count afresh.
        const int failures = (a.locked_until ? 0 : a.failed_attempts) + 1;
        std::optional<core::TimePoint> until;
        std::optional<core::AuditEvent> event;
        int stored = failures;
        if (failures >= m_limits.failures_before_lock) {
            until = now + m_limits.lock_for;
            stored = 0;
            event = core::AuditEvent{now, "staff:" + a.login, "staff.locked", "staff:" + a.login,
                                     "{\"until\":\"" + core::format_utc(*until) + "\",\"client\":" + nlohmann_escape(client) + "}"};
        }
        if (auto r = m_staff.update_staff_login_state(a.id, stored, until, event); !r) return std::unexpected(r.error());
        spdlog::info("staff login: wrong password for {} from {} ({} in a row)", a.login, client, failures);
        if (until)
            return core::fail(core::Errc::permission_denied, "staff.locked",
                              "too many wrong passwords; locked until " + core::format_utc(*until));
        return core::fail(core::Errc::permission_denied, "staff.login_failed", "wrong login or password");
    }
    if (a.failed_attempts != 0 || a.locked_until) {
        if (auto r = m_staff.update_staff_login_state(a.id, 0, std::nullopt, std::nullopt); !r) return std::unexpected(r.error());
        a.failed_attempts = 0;
        a.locked_until.reset();
    }
    NewStaffSession out;
    out.cookie = core::base64url_encode(crypto::random_bytes(32));
    out.session.token_hash = LoginService::hash_token(out.cookie);
    out.session.staff_id = a.id;
    out.session.csrf_token = core::hex_encode(crypto::random_bytes(16));
    out.session.client = client;
    out.session.created_at = now;
    out.session.expires_at = now + m_limits.session_lifetime;
    if (auto r = m_staff.add_staff_session(out.session, {now, "staff:" + a.login, "staff.login", "staff:" + a.login,
                                                         "{\"client\":" + nlohmann_escape(client) + "}"});
        !r)
        return std::unexpected(r.error());
    spdlog::info("staff login: {} logged in from {}", a.login, client);
    out.account = std::move(a);
    return out;
}

core::Result<std::optional<std::pair<Actor, StaffSession>>> StaffService::authenticate(const std::string& cookie,
                                                                                      const std::string& client) {
    if (cookie.empty()) return std::nullopt;
    auto session = m_staff.find_staff_session(LoginService::hash_token(cookie));
    if (!session) return std::unexpected(session.error());
    if (!*session || (*session)->expires_at <= m_clock.now()) return std::nullopt;
    auto account = m_staff.find_staff((*session)->staff_id);
    if (!account) return std::unexpected(account.error());
    if (!*account) return std::nullopt;
    Actor actor{Actor::Kind::staff, 0, (*account)->login, client, role_names((*account)->roles)};
    return std::make_pair(std::move(actor), std::move(**session));
}

core::Result<void> StaffService::logout(const std::string& cookie) {
    return m_staff.delete_staff_session(LoginService::hash_token(cookie));
}

core::Result<std::vector<StaffAccount>> StaffService::list() { return m_staff.list_staff(); }

}  // namespace eseal::ra
