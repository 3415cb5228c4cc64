#include "ra/identity.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/bytes.hpp"
#include "crypto/digest.hpp"
#include "ra/applications.hpp"
#include "ra/state_machine.hpp"

namespace eseal::ra {
namespace {

ApplicationChange check_change(const Actor& actor, const IdentityCheck& c, core::TimePoint now, std::string event,
                               std::string message) {
    ApplicationChange change;
    change.timeline.push_back({c.application_id, now, actor.audit_name(), "", "", event, message});
    change.event = core::AuditEvent{now, actor.audit_name(), "identity." + event, "identity:" + c.id,
                                    nlohmann::json{{"application", c.application_id},
                                                   {"provider", c.provider},
                                                   {"provider_ref", c.provider_ref},
                                                   {"status", to_string(c.status)},
                                                   {"detail", c.detail}}
                                        .dump()};
    return change;
}

}  // namespace

core::Result<IdentityCheck> IdentityService::start(const Actor& actor, const std::string& application_id) {
    auto a = m_applications.visible(actor, application_id);
    if (!a) return std::unexpected(a.error());
    if (!editable(a->state))
        return core::fail(core::Errc::conflict, "identity.not_needed",
                          "the identity check belongs before submission (the application is " + std::string(to_string(a->state)) + ")");
    const auto now = m_clock.now();
    IdentityCheck c;
    c.id = "F" + core::hex_encode(crypto::random_bytes(10));
    c.application_id = application_id;
    c.purpose = "application";
    c.name = a->form.handler.name;
    c.id_number = a->form.handler.id_number;
    c.provider = m_provider.name();
    c.created_at = now;
    auto session = m_provider.start(c);
    if (!session) return std::unexpected(session.error());
    c.provider_ref = session->provider_ref;
    c.url = session->url;
    if (auto r = m_checks.add_check(c, check_change(actor, c, now, "started", "经办人开始人脸核验")); !r)
        return std::unexpected(r.error());
    spdlog::info("identity check {} started for {} ({} {})", c.id, application_id, c.provider, c.provider_ref);
    return c;
}

core::Result<IdentityCheck> IdentityService::callback(const HeaderMap& headers, const std::string& body) {
    auto result = m_provider.parse_callback(headers, body);
    if (!result) {
        spdlog::warn("identity callback refused: {}", result.error().describe());
        return std::unexpected(result.error());
    }
    auto found = m_checks.find_check_by_ref(m_provider.name(), result->provider_ref);
    if (!found) return std::unexpected(found.error());
    if (!*found) {
        spdlog::warn("identity callback refused: unknown session {}", result->provider_ref);
        return core::fail(core::Errc::not_found, "identity.unknown_session", "no check " + result->provider_ref);
    }
    IdentityCheck c = **found;
    if (c.status != CheckStatus::pending) return c;  // a repeated callback
    const auto now = m_clock.now();
    c.status = result->status;
    c.detail = result->detail;
    c.finished_at = now;
    const bool passed = c.status == CheckStatus::passed;
    auto changed = m_checks.finish_check(
        c, check_change(Actor::system(), c, now, passed ? "passed" : "failed",
                        passed ? "经办人人脸核验通过" : "经办人人脸核验未通过：" + c.detail));
    if (!changed) return std::unexpected(changed.error());
    if (*changed) spdlog::info("identity check {}: {} ({})", c.id, to_string(c.status), c.detail);
    return c;
}

core::Result<IdentityCheck> IdentityService::find(const Actor& actor, const std::string& check_id) {
    auto found = m_checks.find_check(check_id);
    if (!found) return std::unexpected(found.error());
    if (!*found || !m_applications.visible(actor, (*found)->application_id))
        return core::fail(core::Errc::not_found, "identity.not_found", "no identity check " + check_id);
    return **found;
}

core::Result<std::vector<IdentityCheck>> IdentityService::checks(const Actor& actor, const std::string& application_id) {
    if (auto a = m_applications.visible(actor, application_id); !a) return std::unexpected(a.error());
    return m_checks.checks_of(application_id);
}

}  // namespace eseal::ra
