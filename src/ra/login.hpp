#pragma once
// Applicant login by phone + SMS code (guide §3 online step 1; DESIGN §7): 6-digit codes valid
// 5 minutes, stored only as a salted SHA-256, at most 5 tries per code; rate limits per phone
// and per client address; sessions identified by a random cookie value stored only as a hash,
// each with its own CSRF token.
#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/actor.hpp"
#include "ra/ports.hpp"

namespace eseal::ra {

struct LoginLimits {
    std::chrono::seconds code_lifetime{300};
    int tries_per_code = 5;
    std::chrono::seconds resend_after{60};   // one code per phone per minute
    int codes_per_phone_per_hour = 10;
    int codes_per_client_per_hour = 30;
    std::chrono::seconds session_lifetime{8 * 3600};
};

struct NewSession {
    std::string cookie;  // the secret the browser keeps (HttpOnly); only its hash is stored
    Session session;
};

class LoginService {
  public:
    LoginService(AccountRepository& accounts, MessageProvider& sms, const core::Clock& clock,
                 LoginLimits limits = {})
        : m_accounts(accounts), m_sms(sms), m_clock(clock), m_limits(limits) {}

    // Sends a code by SMS straight through the provider (not the outbox: a code must not be
    // kept in clear, nor retried after it expired). invalid_input for a bad phone;
    // conflict "login.rate_limited" with the wait when asked too often.
    [[nodiscard]] core::Result<void> request_code(const std::string& phone, const std::string& client);
    // Checks the code; on success the account (created on first login) and a new session.
    // permission_denied "login.code_wrong" (with tries left), "login.code_expired",
    // "login.too_many_tries", "login.no_code".
    [[nodiscard]] core::Result<NewSession> verify_code(const std::string& phone, const std::string& code,
                                                       const std::string& client);
    // The applicant behind a cookie, if the session is live.
    [[nodiscard]] core::Result<std::optional<std::pair<Actor, Session>>> authenticate(const std::string& cookie,
                                                                                     const std::string& client);
    [[nodiscard]] core::Result<void> logout(const std::string& cookie);

    [[nodiscard]] static std::string hash_token(const std::string& cookie);

  private:
    AccountRepository& m_accounts;
    MessageProvider& m_sms;
    const core::Clock& m_clock;
    LoginLimits m_limits;
};

}  // namespace eseal::ra
