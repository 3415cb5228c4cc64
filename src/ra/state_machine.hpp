#pragma once
// The application's life (DESIGN §5) as a table of allowed transitions and who may make each.
// Anything else is refused with the reason, so the API answers 409 with it.
#include <string>

#include "core/error.hpp"
#include "ra/actor.hpp"
#include "ra/application.hpp"

namespace eseal::ra {

// ok, or conflict "application.illegal_transition" naming both states and who may move it.
[[nodiscard]] core::Result<void> check_transition(State from, State to, Actor::Kind who);

// States in which the applicant may still change the form and the materials.
[[nodiscard]] bool editable(State s) noexcept;
// States from which the application may be cancelled (before issue: DESIGN §5).
[[nodiscard]] bool cancellable(State s) noexcept;

}  // namespace eseal::ra
