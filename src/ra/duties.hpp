#pragma once
// Who on the CA's staff may do what (DESIGN §7; guide §3 review, §8 on-site service): one table,
// used by the API's routes (server/staff_routes.cpp maps each route to a duty) and by the domain
// services, which check again before acting.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "ra/actor.hpp"
#include "ra/application.hpp"
#include "ra/staff_ports.hpp"

namespace eseal::ra {

enum class Duty {
    read,       // see the queues and any application (every staff role)
    review,     // claim a review, give verdicts, approve or return
    issue,      // put a key and certificate on a Ukey, unlock a Ukey
    revoke,     // revoke a certificate (revoke business, and the old certificate of change / lost-key)
    ship,       // record the parcel and its delivery
    hand_over,  // hand a Ukey over at a service point
    counter,    // create and take payment for a walk-in's application
    // Read and verify the hash-chained audit log (DESIGN §5 "events are hash-chained so tampering
    // shows", §1 the operator's audit): auditors and admins, not the staff whose steps it records.
    audit,
    confirm_payment,  // confirm a bank transfer from its uploaded receipt (guide §3 step 5)
};
[[nodiscard]] std::string_view to_string(Duty d) noexcept;

// The roles that may perform the duty on an application of this channel. At the counter the clerk
// runs the application's review and issuance in one sitting (guide §8), but never a revocation:
// that always needs a CA operator.
[[nodiscard]] std::vector<Role> roles_for(Duty d, Channel channel);

// ok if the actor is staff holding one of roles_for(d, channel); permission_denied
// "staff.role_required" naming the roles otherwise ("auth.staff_only" for a non-staff actor).
[[nodiscard]] core::Result<void> require(const Actor& actor, Duty d, Channel channel = Channel::online);

}  // namespace eseal::ra
