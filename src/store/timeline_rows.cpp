#include "store/timeline_rows.hpp"

#include <utility>

#include "store/row_values.hpp"

namespace eseal::store {

core::Result<void> insert_timeline_entry(Database& db, const ra::TimelineEntry& e) {
    auto stmt = db.prepare(
        "INSERT INTO application_timeline(application_id, at, actor, from_state, to_state, event, "
        "message) VALUES (:application_id, :at, :actor, :from_state, :to_state, :event, :message)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":application_id", e.application_id)
        .bind(":at", core::format_utc(e.at))
        .bind(":actor", e.actor)
        .bind(":from_state", e.from_state)
        .bind(":to_state", e.to_state)
        .bind(":event", e.event)
        .bind(":message", e.message);
    auto r = stmt->run();
    if (!r && r.error().code == "storage.foreign_key") {
        return core::fail(core::Errc::not_found, "application.unknown",
                          "timeline entry for unknown application '" + e.application_id + "'");
    }
    return r;
}

core::Result<std::vector<ra::TimelineEntry>> select_timeline(Database& db,
                                                             std::string_view application_id) {
    auto stmt = db.prepare(
        "SELECT application_id, at, actor, from_state, to_state, event, message "
        "FROM application_timeline WHERE application_id = :application_id ORDER BY id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":application_id", application_id);
    std::vector<ra::TimelineEntry> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return out;
        ra::TimelineEntry e;
        e.application_id = stmt->text(0);
        auto at = read_time(*stmt, 1, "timeline of application " + e.application_id);
        if (!at)
            return std::unexpected(std::move(at.error()));
        e.at = *at;
        e.actor = stmt->text(2);
        e.from_state = stmt->text(3);
        e.to_state = stmt->text(4);
        e.event = stmt->text(5);
        e.message = stmt->text(6);
        out.push_back(std::move(e));
    }
}

}  // namespace eseal::store
