#include "ra/audit_trail.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "ra/duties.hpp"

namespace eseal::ra {

core::Result<AuditPage> AuditTrail::list(const Actor& actor, AuditQuery q) {
    if (auto r = require(actor, Duty::audit); !r) return std::unexpected(r.error());
    if (q.limit < 1 || q.limit > kAuditPageMax)
        return core::fail(core::Errc::invalid_input, "request.invalid", "the request has errors",
                          {{"field.range", "is 1 to " + std::to_string(kAuditPageMax), "limit"}});
    const std::size_t limit = q.limit;
    q.limit = limit + 1;  // one more tells whether there is an older page
    auto found = m_events.find_audit_events(q);
    if (!found) return std::unexpected(found.error());
    AuditPage page;
    if (found->size() > limit) {
        found->resize(limit);
        page.next_before = found->back().id;
    }
    page.events = std::move(*found);
    return page;
}

core::Result<AuditCheck> AuditTrail::verify(const Actor& actor) {
    if (auto r = require(actor, Duty::audit); !r) return std::unexpected(r.error());
    auto check = m_events.check_audit_chain();
    if (!check) return std::unexpected(check.error());
    nlohmann::json breaks = nlohmann::json::array();
    for (const auto& b : check->breaks) breaks.push_back({{"id", b.id}, {"problem", b.problem}});
    const nlohmann::json detail = {{"events", check->events}, {"ok", check->ok()}, {"breaks", breaks}};
    if (auto r = m_events.append_audit({m_clock.now(), actor.audit_name(), "audit.verify", "audit:chain", detail.dump()}); !r)
        return std::unexpected(r.error());
    if (!check->ok())
        spdlog::warn("audit chain check by {}: {} break(s) in {} events, first at row {}: {}", actor.audit_name(),
                     check->breaks.size(), check->events, check->breaks.front().id, check->breaks.front().problem);
    return check;
}

}  // namespace eseal::ra
