#include "ra/login.hpp"

#include <spdlog/spdlog.h>

#include "core/bytes.hpp"
#include "crypto/digest.hpp"
#include "ra/validation.hpp"

namespace eseal::ra {
namespace {

std::string code_hash(const std::string& salt_hex, const std::string& code) {
    return core::hex_encode(crypto::sha256(core::as_bytes(salt_hex + ":" + code)));
}

bool equal_constant_time(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

std::string six_digits() {
    // Rejection sampling over 32 random bits keeps the digits uniform.
    for (;;) {
        const auto r = crypto::random_bytes(4);
        const std::uint32_t v = (std::uint32_t{r[0]} << 24) | (std::uint32_t{r[1]} << 16) | (std::uint32_t{r[2]} << 8) | r[3];
        if (v >= 4'294'000'000u) continue;
        auto s = std::to_string(v % 1'000'000);
        return std::string(6 - s.size(), '0') + s;
    }
}

std::string masked(const std::string& phone) {
    return phone.size() == 11 ? phone.substr(0, 3) + "****" + phone.substr(7) : phone;
}

}  // namespace

std::string LoginService::hash_token(const std::string& cookie) {
    return core::hex_encode(crypto::sha256(core::as_bytes(cookie)));
}

core::Result<void> LoginService::request_code(const std::string& phone, const std::string& client) {
    if (!is_mainland_mobile(phone))
        return core::fail(core::Errc::invalid_input, "login.phone_invalid", "not a mainland mobile number",
                          {{"phone.invalid", "is not a mainland mobile number (11 digits, 1[3-9]…)", "phone"}});
    const auto now = m_clock.now();
    int by_client = 0;
    auto by_phone = m_accounts.login_codes_since(phone, client, now - std::chrono::hours(1), by_client);
    if (!by_phone) return std::unexpected(by_phone.error());
    if (*by_phone >= m_limits.codes_per_phone_per_hour || by_client >= m_limits.codes_per_client_per_hour) {
        spdlog::warn("login: code refused for {} from {}: hourly limit", masked(phone), client);
        return core::fail(core::Errc::conflict, "login.rate_limited", "too many codes asked for in the last hour; try later");
    }
    auto last = m_accounts.latest_login_code(phone);
    if (!last) return std::unexpected(last.error());
    if (*last && (*last)->created_at + m_limits.resend_after > now) {
        const auto wait = ((*last)->created_at + m_limits.resend_after - now).count();
        return core::fail(core::Errc::conflict, "login.rate_limited",
                          "a code was sent less than a minute ago; ask again in " + std::to_string(wait) + " s");
    }
    LoginCode code;
    code.phone = phone;
    code.salt = core::hex_encode(crypto::random_bytes(16));
    const std::string digits = six_digits();
    code.code_hash = code_hash(code.salt, digits);
    code.client = client;
    code.created_at = now;
    code.expires_at = now + m_limits.code_lifetime;
    if (auto r = m_accounts.add_login_code(code); !r) return r;
    OutboxMessage sms;
    sms.channel = MessageChannel::sms;
    sms.recipient = phone;
    sms.body = "您的登录验证码为" + digits + "，5分钟内有效。请勿告诉他人。";
    sms.created_at = now;
    auto sent = m_sms.send(sms);
    if (!sent) return std::unexpected(sent.error());
    spdlog::info("login: code sent to {} ({})", masked(phone), sent->provider_ref);
    return {};
}

core::Result<NewSession> LoginService::verify_code(const std::string& phone, const std::string& code,
                                                   const std::string& client) {
    auto found = m_accounts.latest_login_code(phone);
    if (!found) return std::unexpected(found.error());
    if (!*found) return core::fail(core::Errc::permission_denied, "login.no_code", "no code was sent to this number; ask for one");
    LoginCode& c = **found;
    const auto now = m_clock.now();
    if (c.attempts >= m_limits.tries_per_code)
        return core::fail(core::Errc::permission_denied, "login.too_many_tries", "too many wrong codes; ask for a new one");
    if (now >= c.expires_at)
        return core::fail(core::Errc::permission_denied, "login.code_expired", "the code has expired; ask for a new one");
    const bool right = equal_constant_time(code_hash(c.salt, code), c.code_hash);
    if (auto r = m_accounts.update_login_code(c.id, c.attempts + 1, right); !r) return std::unexpected(r.error());
    if (!right) {
        const int left = m_limits.tries_per_code - c.attempts - 1;
        spdlog::info("login: wrong code for {} from {} ({} tries left)", masked(phone), client, left);
        return core::fail(core::Errc::permission_denied, "login.code_wrong",
                          "the code is wrong; " + std::to_string(left) + (left == 1 ? " try" : " tries") + " left");
    }
    auto account = m_accounts.account_for_phone(phone, now, {now, "applicant:" + phone, "account.create", "account:" + phone, "{}"});
    if (!account) return std::unexpected(account.error());
    NewSession out;
    out.cookie = core::base64url_encode(crypto::random_bytes(32));
    out.session.token_hash = hash_token(out.cookie);
    out.session.account_id = account->id;
    out.session.csrf_token = core::hex_encode(crypto::random_bytes(16));
    out.session.client = client;
    out.session.created_at = now;
    out.session.expires_at = now + m_limits.session_lifetime;
    if (auto r = m_accounts.add_session(out.session); !r) return std::unexpected(r.error());
    spdlog::info("login: {} logged in from {}", masked(phone), client);
    return out;
}

core::Result<std::optional<std::pair<Actor, Session>>> LoginService::authenticate(const std::string& cookie,
                                                                                 const std::string& client) {
    if (cookie.empty()) return std::nullopt;
    auto session = m_accounts.find_session(hash_token(cookie));
    if (!session) return std::unexpected(session.error());
    if (!*session || (*session)->expires_at <= m_clock.now()) return std::nullopt;
    auto account = m_accounts.find_account((*session)->account_id);
    if (!account) return std::unexpected(account.error());
    if (!*account) return std::nullopt;
    Actor actor{Actor::Kind::applicant, (*account)->id, (*account)->phone, client, {}};
    return std::make_pair(std::move(actor), std::move(**session));
}

core::Result<void> LoginService::logout(const std::string& cookie) {
    return m_accounts.delete_session(hash_token(cookie));
}

}  // namespace eseal::ra
