#pragma once
// The audit log as the staff console reads it (DESIGN §5: every state change writes an audit event,
// hash-chained so tampering shows; §1: the operator audits): filtered pages, newest first, and the
// chain's check. Duty audit (auditor, admin; ra/duties.hpp). Reading is not itself logged (the
// chain would grow with every page turned); a verification is, with its result.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/actor.hpp"
#include "ra/console_ports.hpp"

namespace eseal::ra {

inline constexpr std::size_t kAuditPageMax = 200;

struct AuditPage {
    std::vector<AuditEntry> events;          // newest first
    std::optional<std::int64_t> next_before;  // set when older events match too
};

class AuditTrail {
  public:
    AuditTrail(AuditRepository& events, const core::Clock& clock) : m_events(events), m_clock(clock) {}

    // invalid_input "request.invalid" (problem at "limit") for a limit outside 1..kAuditPageMax.
    [[nodiscard]] core::Result<AuditPage> list(const Actor& actor, AuditQuery q);
    // Checks the whole chain and records "audit.verify" with the outcome.
    [[nodiscard]] core::Result<AuditCheck> verify(const Actor& actor);

  private:
    AuditRepository& m_events;
    const core::Clock& m_clock;
};

}  // namespace eseal::ra
