#pragma once
// Who is asking. The domain checks ownership with it; the server builds it from the session.
#include <cstdint>
#include <string>
#include <vector>

namespace eseal::ra {

struct Actor {
    enum class Kind { applicant, staff, system };
    Kind kind = Kind::system;
    std::int64_t account_id = 0;  // applicant
    std::string name;             // phone (applicant), login (staff), "system"
    std::string client;           // client address, for consent and audit
    std::vector<std::string> roles;  // staff: ra::Role names (ra/staff.hpp)

    // "applicant:13800138000", "staff:alice", "system": the audit log's actor.
    [[nodiscard]] std::string audit_name() const {
        switch (kind) {
            case Kind::applicant: return "applicant:" + name;
            case Kind::staff: return "staff:" + name;
            case Kind::system: return "system";
        }
        return "system";
    }
    [[nodiscard]] static Actor system() { return Actor{Kind::system, 0, "system", "", {}}; }
};

}  // namespace eseal::ra
