#include "store/desk_rows.hpp"

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "store/row_values.hpp"

namespace eseal::store {

core::Result<void> upsert_desk(Database& db, const ra::DeskRecord& d) {
    auto stmt = db.prepare(
        "INSERT INTO application_desk(application_id, reviewer, review_started_at, decided_by, approved_at, "
        "return_reason, counter_checked, fulfilled_by, fulfilled_at, token_serial, token_driver, "
        "certificate_serial, replaced_serial, replaced_reason, carrier, tracking_no, shipped_at, delivered_at) "
        "VALUES (:id, :reviewer, :review_started_at, :decided_by, :approved_at, :return_reason, :counter_checked, "
        ":fulfilled_by, :fulfilled_at, :token_serial, :token_driver, :certificate_serial, :replaced_serial, "
        ":replaced_reason, :carrier, :tracking_no, :shipped_at, :delivered_at) "
        "ON CONFLICT (application_id) DO UPDATE SET reviewer = excluded.reviewer, "
        "review_started_at = excluded.review_started_at, decided_by = excluded.decided_by, "
        "approved_at = excluded.approved_at, return_reason = excluded.return_reason, "
        "counter_checked = excluded.counter_checked, fulfilled_by = excluded.fulfilled_by, "
        "fulfilled_at = excluded.fulfilled_at, token_serial = excluded.token_serial, "
        "token_driver = excluded.token_driver, certificate_serial = excluded.certificate_serial, "
        "replaced_serial = excluded.replaced_serial, replaced_reason = excluded.replaced_reason, "
        "carrier = excluded.carrier, tracking_no = excluded.tracking_no, shipped_at = excluded.shipped_at, "
        "delivered_at = excluded.delivered_at");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":id", d.application_id)
        .bind(":reviewer", d.reviewer)
        .bind(":decided_by", d.decided_by)
        .bind(":return_reason", d.return_reason)
        .bind(":counter_checked", nlohmann::json(d.counter_checked).dump())
        .bind(":fulfilled_by", d.fulfilled_by)
        .bind(":token_serial", d.token_serial)
        .bind(":token_driver", d.token_driver)
        .bind(":certificate_serial", d.certificate_serial)
        .bind(":replaced_serial", d.replaced_serial)
        .bind(":replaced_reason", d.replaced_reason)
        .bind(":carrier", d.carrier)
        .bind(":tracking_no", d.tracking_no);
    bind_time(*stmt, ":review_started_at", d.review_started_at);
    bind_time(*stmt, ":approved_at", d.approved_at);
    bind_time(*stmt, ":fulfilled_at", d.fulfilled_at);
    bind_time(*stmt, ":shipped_at", d.shipped_at);
    bind_time(*stmt, ":delivered_at", d.delivered_at);
    auto r = stmt->run();
    if (!r && r.error().code == "storage.foreign_key")
        return core::fail(core::Errc::not_found, "application.unknown", "no application " + d.application_id);
    return r;
}

core::Result<std::optional<ra::DeskRecord>> select_desk(Database& db, std::string_view application_id) {
    auto stmt = db.prepare(
        "SELECT application_id, reviewer, review_started_at, decided_by, approved_at, return_reason, "
        "counter_checked, fulfilled_by, fulfilled_at, token_serial, token_driver, certificate_serial, "
        "replaced_serial, replaced_reason, carrier, tracking_no, shipped_at, delivered_at "
        "FROM application_desk WHERE application_id = :id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":id", application_id);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row)
        return std::optional<ra::DeskRecord>{};
    ra::DeskRecord d;
    d.application_id = stmt->text(0);
    const std::string where = "desk row of application " + d.application_id;
    d.reviewer = stmt->text(1);
    d.decided_by = stmt->text(3);
    d.return_reason = stmt->text(5);
    auto checked = nlohmann::json::parse(stmt->text(6), nullptr, false);
    if (!checked.is_array())
        return std::unexpected(corrupt(where, "counter_checked is not a JSON array"));
    for (const auto& item : checked) {
        if (!item.is_string())
            return std::unexpected(corrupt(where, "counter_checked holds a non-string"));
        d.counter_checked.push_back(item.get<std::string>());
    }
    d.fulfilled_by = stmt->text(7);
    d.token_serial = stmt->text(9);
    d.token_driver = stmt->text(10);
    d.certificate_serial = stmt->text(11);
    d.replaced_serial = stmt->text(12);
    d.replaced_reason = stmt->text(13);
    d.carrier = stmt->text(14);
    d.tracking_no = stmt->text(15);
    const std::pair<int, std::optional<core::TimePoint>*> times[] = {
        {2, &d.review_started_at}, {4, &d.approved_at}, {8, &d.fulfilled_at}, {16, &d.shipped_at}, {17, &d.delivered_at}};
    for (const auto& [column, target] : times) {
        auto t = read_optional_time(*stmt, column, where);
        if (!t)
            return std::unexpected(std::move(t.error()));
        *target = *t;
    }
    return std::optional<ra::DeskRecord>{std::move(d)};
}

}  // namespace eseal::store
