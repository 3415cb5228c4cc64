#pragma once
// What happened, by whom, to what: every state change writes one (DESIGN §5). Stores chain them.
#include <string>

#include "core/clock.hpp"

namespace eseal::core {

struct AuditEvent {
    TimePoint at{};
    std::string actor;   // "cli:root", "staff:alice", "system"
    std::string action;  // "ca.init", "certificate.issue"
    std::string object;  // "certificate:5f3a…", "ca:demo-sm2"
    std::string detail;  // JSON object text
};

}  // namespace eseal::core
