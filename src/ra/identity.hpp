#pragma once
// The handler's identity check (guide §3 online step 4; binding a Ukey, §7.6): a face
// verification session at an outside provider, whose result comes back by a signed callback.
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/actor.hpp"
#include "ra/ports.hpp"

namespace eseal::ra {

class ApplicationService;

class IdentityService {
  public:
    IdentityService(IdentityRepository& checks, IdentityProvider& provider, ApplicationService& applications,
                    const core::Clock& clock)
        : m_checks(checks), m_provider(provider), m_applications(applications), m_clock(clock) {}

    // Starts a check of the application's handler; the check carries the URL to show as a QR code.
    [[nodiscard]] core::Result<IdentityCheck> start(const Actor& actor, const std::string& application_id);
    // The provider's callback: authenticated, applied once. Forged callbacks are refused and
    // logged, and change nothing.
    [[nodiscard]] core::Result<IdentityCheck> callback(const HeaderMap& headers, const std::string& body);
    // One check, if the actor may see its application.
    [[nodiscard]] core::Result<IdentityCheck> find(const Actor& actor, const std::string& check_id);
    [[nodiscard]] core::Result<std::vector<IdentityCheck>> checks(const Actor& actor, const std::string& application_id);

  private:
    IdentityRepository& m_checks;
    IdentityProvider& m_provider;
    ApplicationService& m_applications;
    const core::Clock& m_clock;
};

}  // namespace eseal::ra
