#include "ra/state_machine.hpp"

#include <array>

namespace eseal::ra {
namespace {

using K = Actor::Kind;

struct Transition {
    State from;
    State to;
    bool applicant;
    bool staff;
    bool system;
};

// DESIGN §5. The applicant submits, resubmits and cancels; the system records payment (the
// provider's notification) and moves a free application on; staff review, issue, ship, and at
// the counter do everything in one sitting.
constexpr std::array kTransitions{
    Transition{State::draft, State::submitted, true, true, false},
    Transition{State::returned, State::submitted, true, true, false},
    Transition{State::submitted, State::awaiting_payment, false, false, true},
    Transition{State::submitted, State::paid, false, false, true},  // free, or already paid
    Transition{State::awaiting_payment, State::paid, false, true, true},  // staff: bank transfer, counter
    Transition{State::paid, State::in_review, false, true, false},
    Transition{State::in_review, State::returned, false, true, false},
    Transition{State::in_review, State::approved, false, true, false},
    Transition{State::approved, State::issued, false, true, false},
    Transition{State::issued, State::shipped, false, true, false},
    Transition{State::issued, State::delivered, false, true, false},  // handed over at the counter
    Transition{State::shipped, State::delivered, false, true, true},  // courier's notice
    Transition{State::draft, State::cancelled, true, true, false},
    Transition{State::submitted, State::cancelled, true, true, false},
    Transition{State::awaiting_payment, State::cancelled, true, true, true},  // system: unpaid too long
    Transition{State::paid, State::cancelled, true, true, false},
    Transition{State::in_review, State::cancelled, false, true, false},
    Transition{State::returned, State::cancelled, true, true, false},
    Transition{State::approved, State::cancelled, false, true, false},
};

std::string_view who_name(K k) {
    switch (k) {
        case K::applicant: return "the applicant";
        case K::staff: return "staff";
        case K::system: return "the system";
    }
    return "?";
}

}  // namespace

core::Result<void> check_transition(State from, State to, Actor::Kind who) {
    for (const auto& t : kTransitions) {
        if (t.from != from || t.to != to) continue;
        const bool allowed = (who == K::applicant && t.applicant) || (who == K::staff && t.staff) ||
                             (who == K::system && t.system);
        if (allowed) return {};
        return core::fail(core::Errc::permission_denied, "application.transition_not_yours",
                          std::string(who_name(who)) + " cannot move an application from " +
                              std::string(to_string(from)) + " to " + std::string(to_string(to)));
    }
    std::string next;
    for (const auto& t : kTransitions)
        if (t.from == from) next += (next.empty() ? "" : ", ") + std::string(to_string(t.to));
    return core::fail(core::Errc::conflict, "application.illegal_transition",
                      "an application cannot go from " + std::string(to_string(from)) + " to " +
                          std::string(to_string(to)) +
                          (next.empty() ? std::string(" (it is final)") : " (from " + std::string(to_string(from)) + " it can go to: " + next + ")"));
}

bool editable(State s) noexcept { return s == State::draft || s == State::returned; }

bool cancellable(State s) noexcept {
    return s == State::draft || s == State::submitted || s == State::awaiting_payment || s == State::paid ||
           s == State::in_review || s == State::returned || s == State::approved;
}

}  // namespace eseal::ra
