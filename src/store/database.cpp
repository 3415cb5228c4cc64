#include "store/database.hpp"

#include <sqlite3.h>

#include <utility>

namespace eseal::store {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// Every SQLite failure as a core::Error carrying sqlite3_errmsg. Uniqueness is the one
// constraint callers act on (a duplicate serial or key), so it gets its own kind.
core::Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
    const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    std::string message =
        std::string(what) + ": " + detail + " (SQLite " + std::to_string(rc) + ")";
    switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return {core::Errc::already_exists, "storage.unique", std::move(message), {}};
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            return {core::Errc::conflict, "storage.foreign_key", std::move(message), {}};
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return {core::Errc::storage, "storage.busy", std::move(message), {}};
        default:
            return {core::Errc::storage, "storage.sqlite", std::move(message), {}};
    }
}

// The start of a statement's SQL, enough to say which one failed.
std::string sql_excerpt(sqlite3_stmt* stmt) {
    constexpr std::size_t kMax = 60;
    std::string sql = sqlite3_sql(stmt);
    if (sql.size() > kMax)
        sql = sql.substr(0, kMax) + "...";
    return "'" + sql + "'";
}

}  // namespace

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr)), m_bind_error(std::move(other.m_bind_error)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_bind_error = std::move(other.m_bind_error);
    }
    return *this;
}

int Statement::index_of(const char* name) {
    const int index = sqlite3_bind_parameter_index(m_stmt, name);
    if (index == 0 && !m_bind_error) {
        m_bind_error =
            core::Error{core::Errc::internal,
                        "storage.bind",
                        std::string("no parameter ") + name + " in " + sql_excerpt(m_stmt),
                        {}};
    }
    return index;
}

void Statement::check_bind(int rc, const char* name) {
    if (rc != SQLITE_OK && !m_bind_error) {
        m_bind_error = sqlite_error(sqlite3_db_handle(m_stmt), rc,
                                    std::string("binding ") + name + " in " + sql_excerpt(m_stmt));
    }
}

// A null data pointer would bind SQL NULL, not an empty value, hence the "" and zeroblob.
Statement& Statement::bind(const char* name, std::string_view value) {
    if (const int i = index_of(name); i > 0) {
        const char* data = value.data() != nullptr ? value.data() : "";
        check_bind(
            sqlite3_bind_text64(m_stmt, i, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
            name);
    }
    return *this;
}

Statement& Statement::bind(const char* name, std::int64_t value) {
    if (const int i = index_of(name); i > 0)
        check_bind(sqlite3_bind_int64(m_stmt, i, value), name);
    return *this;
}

Statement& Statement::bind(const char* name, core::ByteView value) {
    if (const int i = index_of(name); i > 0) {
        check_bind(value.empty() ? sqlite3_bind_zeroblob(m_stmt, i, 0)
                                 : sqlite3_bind_blob64(m_stmt, i, value.data(), value.size(),
                                                       SQLITE_TRANSIENT),
                   name);
    }
    return *this;
}

Statement& Statement::bind_null(const char* name) {
    if (const int i = index_of(name); i > 0)
        check_bind(sqlite3_bind_null(m_stmt, i), name);
    return *this;
}

core::Result<bool> Statement::step() {
    if (m_bind_error)
        return std::unexpected(*m_bind_error);
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return std::unexpected(
        sqlite_error(sqlite3_db_handle(m_stmt), rc, "running " + sql_excerpt(m_stmt)));
}

core::Result<void> Statement::run() {
    for (;;) {
        auto row = step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return {};
    }
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

std::string Statement::text(int column) const {
    const auto* data = sqlite3_column_text(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);  // after _text: the UTF-8 length
    return data != nullptr
               ? std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size))
               : std::string();
}

core::Bytes Statement::blob(int column) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data != nullptr ? core::Bytes(data, data + size) : core::Bytes();
}

core::Result<Database> Database::open(const std::filesystem::path& file, Access access) {
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    Database db(raw);  // owns the handle even when opening failed (sqlite3_open_v2 contract)
    if (rc != SQLITE_OK)
        return std::unexpected(sqlite_error(raw, rc, "opening " + file.string()));
    sqlite3_extended_result_codes(raw,
                                  1);  // SQLITE_CONSTRAINT_UNIQUE rather than SQLITE_CONSTRAINT
    sqlite3_busy_timeout(raw, kBusyTimeoutMs);

    auto mode = db.prepare("PRAGMA journal_mode=WAL");
    if (!mode)
        return std::unexpected(std::move(mode.error()));
    auto row = mode->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row || mode->text(0) != "wal") {
        return core::fail(core::Errc::storage, "storage.wal",
                          "could not switch " + file.string() + " to WAL journal mode");
    }
    std::string pragmas = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
    if (access == Access::query_only)
        pragmas += " PRAGMA query_only=ON;";
    if (auto r = db.exec(pragmas); !r)
        return std::unexpected(std::move(r.error()));
    return db;
}

Database::~Database() {
    sqlite3_close_v2(m_db);
}

Database::Database(Database&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
    }
    return *this;
}

core::Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &raw, &tail);
    Statement stmt(raw);
    if (rc != SQLITE_OK) {
        return std::unexpected(sqlite_error(m_db, rc, "preparing '" + std::string(sql) + "'"));
    }
    if (raw == nullptr || tail != sql.data() + sql.size()) {
        return core::fail(core::Errc::internal, "storage.prepare",
                          "not exactly one SQL statement: '" + std::string(sql) + "'");
    }
    return stmt;
}

core::Result<void> Database::exec(std::string_view sql) {
    const std::string text(sql);  // sqlite3_exec wants a NUL-terminated string
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        constexpr std::size_t kMax = 60;
        return std::unexpected(sqlite_error(
            m_db, rc,
            "executing '" + (text.size() > kMax ? text.substr(0, kMax) + "..." : text) + "'"));
    }
    return {};
}

bool Database::in_transaction() const noexcept {
    return m_db != nullptr && sqlite3_get_autocommit(m_db) == 0;
}

core::Result<Transaction> Transaction::begin(Database& db, TransactionKind kind) {
    if (auto r = db.exec(kind == TransactionKind::immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
        !r) {
        return std::unexpected(std::move(r.error()));
    }
    return Transaction(db);
}

// A failed ROLLBACK here has nothing left to undo: SQLite already rolled back, or the
// connection is closing, which rolls back too.
Transaction::~Transaction() {
    if (m_db != nullptr && m_db->in_transaction())
        (void)m_db->exec("ROLLBACK");
}

Transaction::Transaction(Transaction&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

core::Result<void> Transaction::commit() {
    auto r = m_db->exec("COMMIT");
    if (r)
        m_db = nullptr;
    return r;
}

}  // namespace eseal::store
