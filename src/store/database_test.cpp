#include <gtest/gtest.h>

#include "store/certificate_rows.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/test_support.hpp"

namespace eseal::store {
namespace {

using test_support::TempDir;

class DatabaseTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto db = Database::open(m_dir.path() / "t.db", Access::read_write);
        ASSERT_TRUE(db) << db.error().describe();
        m_db = std::move(*db);
        ASSERT_TRUE(m_db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT UNIQUE, b BLOB) STRICT"));
    }

    core::Result<void> insert(std::string_view k, std::string_view v) {
        auto stmt = m_db.prepare("INSERT INTO t(k, v, b) VALUES (:k, :v, :b)");
        if (!stmt)
            return std::unexpected(stmt.error());
        return stmt->bind(":k", k).bind(":v", v).bind(":b", core::ByteView{}).run();
    }

    TempDir m_dir;
    Database m_db;
};

TEST_F(DatabaseTest, UniqueViolationIsAlreadyExistsWithSqlitesMessage) {
    ASSERT_TRUE(insert("a", "1"));
    auto r = insert("b", "1");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, core::Errc::already_exists);
    EXPECT_NE(r.error().message.find("UNIQUE constraint failed: t.v"), std::string::npos)
        << r.error().message;
    auto pk = insert("a", "2");
    ASSERT_FALSE(pk);
    EXPECT_EQ(pk.error().kind, core::Errc::already_exists);
}

TEST_F(DatabaseTest, OtherFailuresAreStorageErrors) {
    auto r = m_db.exec("INSERT INTO no_such_table VALUES (1)");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, core::Errc::storage);
    EXPECT_NE(r.error().message.find("no such table"), std::string::npos) << r.error().message;
}

TEST_F(DatabaseTest, PrepareTakesExactlyOneStatement) {
    auto two = m_db.prepare("SELECT 1; SELECT 2");
    ASSERT_FALSE(two);
    EXPECT_EQ(two.error().code, "storage.prepare");
}

TEST_F(DatabaseTest, UnknownParameterFailsAtStep) {
    auto stmt = m_db.prepare("SELECT :a");
    ASSERT_TRUE(stmt);
    auto r = stmt->bind(":b", "x").step();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "storage.bind");
}

TEST_F(DatabaseTest, EmptyValuesAreNotNull) {
    auto stmt = m_db.prepare("SELECT :t, :b");
    ASSERT_TRUE(stmt);
    auto row = stmt->bind(":t", std::string_view{}).bind(":b", core::ByteView{}).step();
    ASSERT_TRUE(row && *row);
    EXPECT_FALSE(stmt->is_null(0));
    EXPECT_FALSE(stmt->is_null(1));
    EXPECT_EQ(stmt->text(0), "");
    EXPECT_TRUE(stmt->blob(1).empty());
}

TEST_F(DatabaseTest, TransactionRollsBackUnlessCommitted) {
    {
        auto tx = Transaction::begin(m_db, TransactionKind::immediate);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(insert("gone", "1"));
    }
    EXPECT_FALSE(m_db.in_transaction());
    {
        auto tx = Transaction::begin(m_db, TransactionKind::immediate);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(insert("kept", "2"));
        ASSERT_TRUE(tx->commit());
    }
    auto stmt = m_db.prepare("SELECT group_concat(k) FROM t");
    ASSERT_TRUE(stmt && stmt->step());
    EXPECT_EQ(stmt->text(0), "kept");
}

TEST_F(DatabaseTest, QueryOnlyConnectionCannotWrite) {
    auto reader = Database::open(m_dir.path() / "t.db", Access::query_only);
    ASSERT_TRUE(reader) << reader.error().describe();
    EXPECT_FALSE(reader->exec("INSERT INTO t(k, v, b) VALUES ('x', 'y', x'00')"));
    ASSERT_TRUE(insert("visible", "1"));
    auto stmt = reader->prepare("SELECT COUNT(*) FROM t");
    ASSERT_TRUE(stmt && stmt->step());
    EXPECT_EQ(stmt->int64(0), 1);
}

TEST(Migrations, AreNumberedFromOneWithoutGaps) {
    const auto migrations = embedded_migrations();
    ASSERT_FALSE(migrations.empty());
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        EXPECT_EQ(migrations[i].version, static_cast<int>(i + 1));
        EXPECT_FALSE(migrations[i].sql.empty());
    }
    EXPECT_EQ(migrations[0].name, "0001_init");
    EXPECT_NE(migrations[0].sql.find("CREATE TABLE certificates"), std::string_view::npos);
}

TEST(LikePattern, EscapesWildcardsAndTheEscape) {
    EXPECT_EQ(like_contains_pattern("a%b_c\\d"), "%a\\%b\\_c\\\\d%");
    EXPECT_EQ(like_contains_pattern(""), "%%");
}

}  // namespace
}  // namespace eseal::store
