#pragma once
// RAII over SQLite's C handles (STYLE: "RAII over C handles, with the reason written down"): a
// connection must be closed exactly once, after its statements are finalized, and a transaction
// left open by an early return would hold the write lock; so each is a move-only owner.
// sqlite3.h stays out of this header: callers see core::Result, never SQLite result codes.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace eseal::store {

// A prepared statement. Binding does not fail on the spot: the first bind error is kept and
// returned by step(), so a caller binds a row's worth of values and checks once.
class Statement {
  public:
    Statement() = default;
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters by name (":serial"); an unknown name is a bind error. Values are copied.
    Statement& bind(const char* name, std::string_view value);
    Statement& bind(const char* name, std::int64_t value);
    Statement& bind(const char* name, core::ByteView value);
    Statement& bind_null(const char* name);

    // true: a row is ready for the column getters; false: the statement is done.
    [[nodiscard]] core::Result<bool> step();
    // Steps a statement that returns no rows to completion.
    [[nodiscard]] core::Result<void> run();

    // Columns are numbered from 0, in the order of the SELECT list.
    [[nodiscard]] bool is_null(int column) const;
    [[nodiscard]] std::int64_t int64(int column) const;
    [[nodiscard]] std::string text(int column) const;
    [[nodiscard]] core::Bytes blob(int column) const;

  private:
    friend class Database;
    explicit Statement(sqlite3_stmt* stmt) noexcept : m_stmt(stmt) {}
    [[nodiscard]] int index_of(const char* name);
    void check_bind(int rc, const char* name);

    sqlite3_stmt* m_stmt = nullptr;
    std::optional<core::Error> m_bind_error;
};

enum class Access {
    read_write,  // the one writer connection; creates the file
    query_only,  // reads only (PRAGMA query_only), so a bug cannot write through it
};

class Database {
  public:
    // Opens with journal_mode=WAL (readers do not block the writer), synchronous=FULL (a commit
    // is on disk when it returns: DESIGN §6), foreign_keys=ON and a busy timeout.
    [[nodiscard]] static core::Result<Database> open(const std::filesystem::path& file,
                                                     Access access);

    Database() = default;
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // One statement; trailing text after it is an error, so nothing is silently ignored.
    [[nodiscard]] core::Result<Statement> prepare(std::string_view sql);
    // Any number of statements that return no rows: migrations, BEGIN, SAVEPOINT, COMMIT.
    [[nodiscard]] core::Result<void> exec(std::string_view sql);
    // False when SQLite is in autocommit mode, including after it rolled a transaction back
    // itself (SQLITE_FULL, SQLITE_IOERR, ...).
    [[nodiscard]] bool in_transaction() const noexcept;

  private:
    explicit Database(sqlite3* db) noexcept : m_db(db) {}
    sqlite3* m_db = nullptr;
};

enum class TransactionKind {
    deferred,   // a read snapshot (WAL), upgraded on first write
    immediate,  // takes the write lock now, so read-then-write sees no interleaved writer
};

// Rolls back on destruction unless committed.
class Transaction {
  public:
    [[nodiscard]] static core::Result<Transaction> begin(Database& db, TransactionKind kind);
    ~Transaction();
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    [[nodiscard]] core::Result<void> commit();

  private:
    explicit Transaction(Database& db) noexcept : m_db(&db) {}
    Database* m_db;
};

}  // namespace eseal::store
