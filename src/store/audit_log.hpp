#pragma once
// The audit log as a hash chain (DESIGN §5: "events are hash-chained so tampering shows"). Row n
// stores prev_hash = hash of row n-1 (64 zeros for row 1) and
//
//   hash = lowercase hex SHA-256( field("eseal.audit.v1") || field(decimal id) || field(at) ||
//          field(actor) || field(action) || field(object) || field(detail) || field(prev_hash) )
//   field(s) = 8-byte big-endian length of s || s
//
// The length prefixes make the encoding unambiguous ("ab"+"c" differs from "a"+"bc"), and the id
// is hashed so renumbering rows shows too. The chain shows edits, insertions and deletions made
// by anyone who does not recompute every later hash; it is not a signature, so it does not stop
// someone who rewrites the whole tail. Anchoring the head hash outside the database would.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace eseal::store {

inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The stored text of one row, which is what the hash covers.
struct AuditFields {
    std::int64_t id = 0;
    std::string_view at;  // core::format_utc
    std::string_view actor;
    std::string_view action;
    std::string_view object;
    std::string_view detail;
    std::string_view prev_hash;
};

[[nodiscard]] std::string audit_hash(const AuditFields& fields);

struct AuditRow {
    std::int64_t id = 0;
    core::AuditEvent event;
    std::string prev_hash;
    std::string hash;
};

// One problem found by verification, at the row where it shows.
struct AuditBreak {
    std::int64_t id = 0;
    std::string problem;
};

struct AuditReport {
    std::size_t events = 0;
    std::vector<AuditBreak> breaks;  // every problem, in id order, not only the first
    [[nodiscard]] bool ok() const noexcept { return breaks.empty(); }
};

// Appends one event to the chain. The caller must hold a write transaction (BEGIN IMMEDIATE),
// so the tail read here is still the tail when the row goes in, and the row commits or rolls
// back with the change it describes.
[[nodiscard]] core::Result<void> append_audit_event(Database& db, const core::AuditEvent& event);

// Walks every row in id order and reports: a hash that does not match the row (edited), a
// prev_hash that does not match the row before (inserted or deleted), a gap in ids (deleted),
// and sqlite_sequence above the highest id (the newest rows deleted) or below it (edited).
// Reads in one transaction, so the report describes a single snapshot.
[[nodiscard]] core::Result<AuditReport> verify_audit_chain(Database& db);

// A page of the log, newest first (the staff console, issue 9): at most `limit` rows with id below
// `before`, each set filter narrowing it (actor and object exact, action by prefix).
struct AuditFilter {
    std::size_t limit = 50;
    std::optional<std::int64_t> before;
    std::optional<std::string> actor;
    std::optional<std::string> action_prefix;
    std::optional<std::string> object;
};
[[nodiscard]] core::Result<std::vector<AuditRow>> find_audit_rows(Database& db, const AuditFilter& filter);

// The newest `limit` events (0: all), oldest first.
[[nodiscard]] core::Result<std::vector<AuditRow>> read_audit_events(Database& db,
                                                                    std::size_t limit);

}  // namespace eseal::store
