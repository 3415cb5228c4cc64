#include "store/material_rows.hpp"

#include <string>
#include <utility>

#include "store/row_values.hpp"

namespace eseal::store {

core::Result<void> upsert_material(Database& db, const ra::Material& m) {
    auto stmt = db.prepare(
        "INSERT INTO materials(application_id, kind, blob, content_type, size, file_name, "
        "uploaded_at, verdict, verdict_reason) VALUES (:application_id, :kind, :blob, "
        ":content_type, :size, :file_name, :uploaded_at, :verdict, :verdict_reason) "
        "ON CONFLICT (application_id, kind) DO UPDATE SET blob = excluded.blob, "
        "content_type = excluded.content_type, size = excluded.size, "
        "file_name = excluded.file_name, uploaded_at = excluded.uploaded_at, "
        "verdict = excluded.verdict, verdict_reason = excluded.verdict_reason");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":application_id", m.application_id)
        .bind(":kind", ra::to_string(m.kind))
        .bind(":blob", m.blob)
        .bind(":content_type", m.content_type)
        .bind(":size", m.size)
        .bind(":file_name", m.file_name)
        .bind(":uploaded_at", core::format_utc(m.uploaded_at))
        .bind(":verdict", m.verdict)
        .bind(":verdict_reason", m.verdict_reason);
    auto r = stmt->run();
    if (!r && r.error().code == "storage.foreign_key") {
        return core::fail(core::Errc::not_found, "application.unknown",
                          "material for unknown application '" + m.application_id + "'");
    }
    return r;
}

core::Result<void> delete_material_row(Database& db, std::string_view application_id,
                                       ra::MaterialKind kind) {
    auto stmt = db.prepare(
        "DELETE FROM materials WHERE application_id = :application_id AND kind = :kind "
        "RETURNING kind");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":application_id", application_id).bind(":kind", ra::to_string(kind));
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row) {
        return core::fail(core::Errc::not_found, "material.unknown",
                          "application " + std::string(application_id) + " has no " +
                              std::string(ra::to_string(kind)));
    }
    return stmt->run();
}

core::Result<std::vector<ra::Material>> select_materials(Database& db,
                                                         std::string_view application_id) {
    auto stmt = db.prepare(
        "SELECT application_id, kind, blob, content_type, size, file_name, uploaded_at, verdict, "
        "verdict_reason FROM materials WHERE application_id = :application_id "
        "ORDER BY uploaded_at, kind");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":application_id", application_id);
    std::vector<ra::Material> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return out;
        ra::Material m;
        m.application_id = stmt->text(0);
        const std::string where = "material of application " + m.application_id;
        const auto kind = ra::parse_material_kind(stmt->text(1));
        if (!kind)
            return std::unexpected(corrupt(where, "unknown kind '" + stmt->text(1) + "'"));
        m.kind = *kind;
        m.blob = stmt->text(2);
        m.content_type = stmt->text(3);
        m.size = stmt->int64(4);
        m.file_name = stmt->text(5);
        auto at = read_time(*stmt, 6, where);
        if (!at)
            return std::unexpected(std::move(at.error()));
        m.uploaded_at = *at;
        m.verdict = stmt->text(7);
        m.verdict_reason = stmt->text(8);
        out.push_back(std::move(m));
    }
}

}  // namespace eseal::store
