#include "ra/duties.hpp"

#include <algorithm>

namespace eseal::ra {

std::string_view to_string(Duty d) noexcept {
    switch (d) {
        case Duty::read: return "read";
        case Duty::review: return "review";
        case Duty::issue: return "issue";
        case Duty::revoke: return "revoke";
        case Duty::ship: return "ship";
        case Duty::hand_over: return "hand_over";
        case Duty::counter: return "counter";
        case Duty::audit: return "audit";
        case Duty::confirm_payment: return "confirm_payment";
    }
    return "?";
}

std::vector<Role> roles_for(Duty d, Channel channel) {
    const bool counter = channel == Channel::counter;
    switch (d) {
        case Duty::read: return all_roles();
        case Duty::review:
            return counter ? std::vector{Role::reviewer, Role::counter_clerk} : std::vector{Role::reviewer};
        case Duty::issue: return counter ? std::vector{Role::issuer, Role::counter_clerk} : std::vector{Role::issuer};
        case Duty::revoke: return {Role::ca_operator};
        case Duty::ship: return {Role::shipper};
        case Duty::hand_over: return {Role::shipper, Role::counter_clerk};
        case Duty::counter: return {Role::counter_clerk};
        case Duty::audit: return {Role::auditor, Role::admin};
        case Duty::confirm_payment: return {Role::reviewer, Role::counter_clerk, Role::admin};
    }
    return {};
}

core::Result<void> require(const Actor& actor, Duty d, Channel channel) {
    if (actor.kind != Actor::Kind::staff)
        return core::fail(core::Errc::permission_denied, "auth.staff_only", "this is for CA staff");
    const auto allowed = roles_for(d, channel);
    for (const auto& held : actor.roles)
        if (std::any_of(allowed.begin(), allowed.end(), [&](Role r) { return to_string(r) == held; })) return {};
    std::string names;
    for (auto r : allowed) names += (names.empty() ? "" : " or ") + std::string(to_string(r));
    return core::fail(core::Errc::permission_denied, "staff.role_required",
                      std::string(to_string(d)) + " needs the role " + names + " (" + actor.name + " has " +
                          (actor.roles.empty() ? std::string("none") : [&] {
                              std::string h;
                              for (const auto& r : actor.roles) h += (h.empty() ? "" : ", ") + r;
                              return h;
                          }()) +
                          ")");
}

}  // namespace eseal::ra
