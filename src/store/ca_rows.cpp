#include "store/ca_rows.hpp"

#include "crypto/algorithm.hpp"
#include "store/row_time.hpp"

namespace eseal::store {
namespace {

constexpr std::string_view kSelectCa =
    "SELECT name, parent, algorithm, key_ref, serial, subject, not_before, not_after, certificate, "
    "crl_url, ocsp_url, created_at FROM cas";

// Reads a row of kSelectCa, column by column in its order.
core::Result<pki::CaRecord> read_ca(const Statement& row) {
    pki::CaRecord ca;
    ca.name = row.text(0);
    const std::string where = "ca " + ca.name;
    ca.parent = row.is_null(1) ? std::string() : row.text(1);
    const std::string algorithm = row.text(2);
    const auto parsed = crypto::parse_key_algorithm(algorithm);
    if (!parsed) {
        return core::fail(core::Errc::storage, "storage.corrupt",
                          where + ": unknown algorithm '" + algorithm + "'");
    }
    ca.algorithm = *parsed;
    ca.key_ref = row.text(3);
    ca.serial = row.text(4);
    ca.subject = row.text(5);
    auto not_before = parse_row_time(row.text(6), where);
    if (!not_before)
        return std::unexpected(std::move(not_before.error()));
    ca.not_before = *not_before;
    auto not_after = parse_row_time(row.text(7), where);
    if (!not_after)
        return std::unexpected(std::move(not_after.error()));
    ca.not_after = *not_after;
    ca.certificate = row.blob(8);
    ca.crl_url = row.text(9);
    ca.ocsp_url = row.text(10);
    auto created_at = parse_row_time(row.text(11), where);
    if (!created_at)
        return std::unexpected(std::move(created_at.error()));
    ca.created_at = *created_at;
    return ca;
}

core::Result<std::vector<pki::CaRecord>> read_all(Statement& stmt) {
    std::vector<pki::CaRecord> cas;
    for (;;) {
        auto row = stmt.step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return cas;
        auto ca = read_ca(stmt);
        if (!ca)
            return std::unexpected(std::move(ca.error()));
        cas.push_back(std::move(*ca));
    }
}

}  // namespace

core::Result<void> insert_ca(Database& db, const pki::CaRecord& ca) {
    auto stmt = db.prepare(
        "INSERT INTO cas(name, parent, algorithm, key_ref, serial, subject, not_before, not_after, "
        "certificate, crl_url, ocsp_url, created_at) VALUES (:name, :parent, :algorithm, :key_ref, "
        ":serial, :subject, :not_before, :not_after, :certificate, :crl_url, :ocsp_url, "
        ":created_at)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":name", ca.name)
        .bind(":algorithm", crypto::to_string(ca.algorithm))
        .bind(":key_ref", ca.key_ref)
        .bind(":serial", ca.serial)
        .bind(":subject", ca.subject)
        .bind(":not_before", core::format_utc(ca.not_before))
        .bind(":not_after", core::format_utc(ca.not_after))
        .bind(":certificate", core::ByteView(ca.certificate))
        .bind(":crl_url", ca.crl_url)
        .bind(":ocsp_url", ca.ocsp_url)
        .bind(":created_at", core::format_utc(ca.created_at));
    if (ca.parent.empty()) {
        stmt->bind_null(":parent");  // a root; NULL keeps the foreign key satisfied
    } else {
        stmt->bind(":parent", ca.parent);
    }
    auto r = stmt->run();
    if (!r && r.error().kind == core::Errc::already_exists) {
        return core::fail(core::Errc::already_exists, "ca.duplicate",
                          "a CA named '" + ca.name + "' already exists");
    }
    if (!r && r.error().code == "storage.foreign_key") {
        return core::fail(
            core::Errc::not_found, "ca.unknown_parent",
            "CA '" + ca.name + "' names parent '" + ca.parent + "', which is not stored");
    }
    return r;
}

core::Result<std::optional<pki::CaRecord>> select_ca(Database& db, std::string_view name) {
    auto stmt = db.prepare(std::string(kSelectCa) + " WHERE name = :name");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    auto row = stmt->bind(":name", name).step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row)
        return std::nullopt;
    auto ca = read_ca(*stmt);
    if (!ca)
        return std::unexpected(std::move(ca.error()));
    return std::optional(std::move(*ca));
}

core::Result<std::vector<pki::CaRecord>> select_cas(Database& db) {
    auto stmt = db.prepare(std::string(kSelectCa) + " ORDER BY created_at, name");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    return read_all(*stmt);
}

}  // namespace eseal::store
