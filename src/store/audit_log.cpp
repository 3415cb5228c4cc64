#include "store/audit_log.hpp"

#include <algorithm>

#include "core/bytes.hpp"
#include "crypto/digest.hpp"

namespace eseal::store {
namespace {

constexpr std::string_view kDomain = "eseal.audit.v1";

void append_field(core::Bytes& out, std::string_view field) {
    const auto size = static_cast<std::uint64_t>(field.size());
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(size >> shift));
    out.insert(out.end(), field.begin(), field.end());
}

// The AUTOINCREMENT high-water mark: the largest id ever handed out, even if since deleted.
core::Result<std::int64_t> sequence_high_water(Database& db) {
    auto stmt = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    return *row ? stmt->int64(0) : 0;
}

struct Tail {
    std::int64_t id = 0;
    std::string hash{kAuditGenesisHash};
};

core::Result<Tail> chain_tail(Database& db) {
    auto stmt = db.prepare("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row)
        return Tail{};
    return Tail{stmt->int64(0), stmt->text(1)};
}

std::string missing_rows(std::int64_t first, std::int64_t last) {
    return first == last ? "row " + std::to_string(first) + " is missing (deleted)"
                         : "rows " + std::to_string(first) + ".." + std::to_string(last) +
                               " are missing (deleted)";
}

core::Result<std::vector<AuditRow>> read_rows(Statement& stmt) {
    std::vector<AuditRow> rows;
    for (;;) {
        auto row = stmt.step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            break;
        AuditRow r;
        r.id = stmt.int64(0);
        if (!core::parse_utc(stmt.text(1), r.event.at)) {
            return core::fail(core::Errc::storage, "audit.bad_time",
                              "audit event " + std::to_string(r.id) + " has a malformed time");
        }
        r.event.actor = stmt.text(2);
        r.event.action = stmt.text(3);
        r.event.object = stmt.text(4);
        r.event.detail = stmt.text(5);
        r.prev_hash = stmt.text(6);
        r.hash = stmt.text(7);
        rows.push_back(std::move(r));
    }
    return rows;
}

}  // namespace

std::string audit_hash(const AuditFields& f) {
    core::Bytes encoded;
    encoded.reserve(kDomain.size() + f.at.size() + f.actor.size() + f.action.size() +
                    f.object.size() + f.detail.size() + f.prev_hash.size() + 128);
    append_field(encoded, kDomain);
    append_field(encoded, std::to_string(f.id));
    for (std::string_view field : {f.at, f.actor, f.action, f.object, f.detail, f.prev_hash}) {
        append_field(encoded, field);
    }
    return core::hex_encode(crypto::sha256(encoded));
}

core::Result<void> append_audit_event(Database& db, const core::AuditEvent& event) {
    if (!db.in_transaction()) {
        return core::fail(core::Errc::internal, "audit.no_transaction",
                          "audit events are appended inside the transaction of their change");
    }
    auto tail = chain_tail(db);
    if (!tail)
        return std::unexpected(std::move(tail.error()));
    auto high_water = sequence_high_water(db);
    if (!high_water)
        return std::unexpected(std::move(high_water.error()));

    // The id AUTOINCREMENT would pick, chosen here because the hash covers it. If the newest rows
    // were deleted, this leaves the gap that verify reports, rather than reusing their ids.
    const std::int64_t id = std::max(tail->id, *high_water) + 1;
    const std::string at = core::format_utc(event.at);
    const std::string hash =
        audit_hash({id, at, event.actor, event.action, event.object, event.detail, tail->hash});

    auto insert = db.prepare(
        "INSERT INTO audit_events(id, at, actor, action, object, detail, prev_hash, hash) "
        "VALUES (:id, :at, :actor, :action, :object, :detail, :prev_hash, :hash)");
    if (!insert)
        return std::unexpected(std::move(insert.error()));
    return insert->bind(":id", id)
        .bind(":at", at)
        .bind(":actor", event.actor)
        .bind(":action", event.action)
        .bind(":object", event.object)
        .bind(":detail", event.detail)
        .bind(":prev_hash", tail->hash)
        .bind(":hash", hash)
        .run();
}

core::Result<AuditReport> verify_audit_chain(Database& db) {
    auto tx = Transaction::begin(db, TransactionKind::deferred);
    if (!tx)
        return std::unexpected(std::move(tx.error()));
    auto stmt = db.prepare(
        "SELECT id, at, actor, action, object, detail, prev_hash, hash FROM audit_events ORDER BY "
        "id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));

    AuditReport report;
    std::int64_t expected_id = 1;
    std::string prev_hash{kAuditGenesisHash};
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            break;
        ++report.events;
        const std::int64_t id = stmt->int64(0);
        const std::string at = stmt->text(1), actor = stmt->text(2), action = stmt->text(3),
                          object = stmt->text(4), detail = stmt->text(5),
                          stored_prev = stmt->text(6), stored_hash = stmt->text(7);
        if (id > expected_id) {
            report.breaks.push_back({expected_id, missing_rows(expected_id, id - 1)});
        } else if (id < expected_id) {  // ids ascend, so only a first id below 1 gets here
            report.breaks.push_back(
                {id, "id " + std::to_string(id) + " is out of sequence (inserted)"});
        }
        if (stored_prev != prev_hash) {
            report.breaks.push_back({id,
                                     "prev_hash does not match the hash of the row before it (a "
                                     "row was inserted or deleted)"});
        }
        if (stored_hash != audit_hash({id, at, actor, action, object, detail, stored_prev})) {
            report.breaks.push_back(
                {id, "hash does not match the row's content (the row was edited)"});
        }
        // Chain on the stored hash: an edited row then breaks only itself, and a row whose hash was
        // recomputed after an edit shows at the next row's prev_hash.
        prev_hash = stored_hash;
        expected_id = id + 1;
    }

    const std::int64_t last_id = expected_id - 1;
    auto high_water = sequence_high_water(db);
    if (!high_water)
        return std::unexpected(std::move(high_water.error()));
    if (*high_water > last_id) {
        report.breaks.push_back({last_id + 1, missing_rows(last_id + 1, *high_water) +
                                                  " after the last row: "
                                                  "sqlite_sequence says " +
                                                  std::to_string(*high_water) + " were written"});
    } else if (*high_water < last_id) {
        report.breaks.push_back(
            {last_id, "sqlite_sequence (" + std::to_string(*high_water) +
                          ") is below the highest id: rows were renumbered or the "
                          "sequence was edited"});
    }
    return report;
}

core::Result<std::vector<AuditRow>> find_audit_rows(Database& db, const AuditFilter& filter) {
    std::string sql = "SELECT id, at, actor, action, object, detail, prev_hash, hash FROM audit_events";
    std::string_view joiner = " WHERE ";
    const auto where = [&](std::string_view condition) {
        sql.append(joiner).append(condition);
        joiner = " AND ";
    };
    if (filter.before)
        where("id < :before");
    if (filter.actor)
        where("actor = :actor");
    // A prefix compared as text: LIKE would need escaping and folds ASCII case.
    if (filter.action_prefix)
        where("substr(action, 1, length(:action)) = :action");
    if (filter.object)
        where("object = :object");
    sql += " ORDER BY id DESC LIMIT :limit";
    auto stmt = db.prepare(sql);
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    if (filter.before)
        stmt->bind(":before", *filter.before);
    if (filter.actor)
        stmt->bind(":actor", *filter.actor);
    if (filter.action_prefix)
        stmt->bind(":action", *filter.action_prefix);
    if (filter.object)
        stmt->bind(":object", *filter.object);
    stmt->bind(":limit", static_cast<std::int64_t>(filter.limit));
    return read_rows(*stmt);
}

core::Result<std::vector<AuditRow>> read_audit_events(Database& db, std::size_t limit) {
    auto stmt = db.prepare(
        "SELECT id, at, actor, action, object, detail, prev_hash, hash FROM ("
        "SELECT * FROM audit_events ORDER BY id DESC LIMIT :limit) ORDER BY id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":limit",
               limit == 0 ? std::int64_t{-1} : static_cast<std::int64_t>(limit));  // -1: no limit

    return read_rows(*stmt);
}

}  // namespace eseal::store
