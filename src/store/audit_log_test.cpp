#include <gtest/gtest.h>

#include <algorithm>

#include "store/audit_log.hpp"
#include "store/sqlite_store.hpp"
#include "store/test_support.hpp"

namespace eseal::store {
namespace {

using namespace test_support;

// The encoding is a contract with anyone who verifies the log without this code: pin it by
// building one row's input by hand (audit_log.hpp).
TEST(AuditHash, MatchesTheDocumentedEncoding) {
    auto field = [](core::Bytes& out, std::string_view s) {
        for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(s.size() >> (8 * i)));
        out.insert(out.end(), s.begin(), s.end());
    };
    core::Bytes input;
    for (std::string_view s :
         {std::string_view("eseal.audit.v1"), std::string_view("7"),
          std::string_view("2026-03-01T00:00:00Z"), std::string_view("cli:root"),
          std::string_view("ca.init"), std::string_view("ca:root"), std::string_view("{}"),
          kAuditGenesisHash}) {
        field(input, s);
    }
    EXPECT_EQ(audit_hash({7, "2026-03-01T00:00:00Z", "cli:root", "ca.init", "ca:root", "{}",
                          kAuditGenesisHash}),
              core::hex_encode(crypto::sha256(input)));
}

TEST(AuditHash, FieldBoundariesMatter) {
    const auto a = audit_hash({1, "t", "ab", "c", "o", "d", kAuditGenesisHash});
    const auto b = audit_hash({1, "t", "a", "bc", "o", "d", kAuditGenesisHash});
    EXPECT_NE(a, b);
    EXPECT_NE(a, audit_hash({2, "t", "ab", "c", "o", "d", kAuditGenesisHash}));
}

class AuditChainTest : public ::testing::Test {
  protected:
    static constexpr int kEvents = 5;

    void SetUp() override {
        auto opened = SqliteStore::open(m_file);
        ASSERT_TRUE(opened) << opened.error().describe();
        m_store = std::move(*opened);
        for (int i = 1; i <= kEvents; ++i) {
            auto event = sample_event("login", "staff:" + std::to_string(i));
            event.at += std::chrono::minutes{i};
            ASSERT_TRUE(m_store->append_audit(event));
        }
    }

    AuditReport verify() {
        auto report = m_store->verify_audit();
        EXPECT_TRUE(report) << report.error().describe();
        return report ? *report : AuditReport{};
    }

    static std::vector<std::int64_t> ids(const AuditReport& report) {
        std::vector<std::int64_t> out;
        for (const auto& b : report.breaks) out.push_back(b.id);
        return out;
    }

    // The hash a forger who knows the format would write for a row.
    std::string forged_hash(std::int64_t id, std::string_view detail, std::string_view prev_hash) {
        return audit_hash(
            {id, "2026-03-01T00:00:00Z", "cli:root", "login", "staff:x", detail, prev_hash});
    }

    std::string stored_hash(std::int64_t id) {
        return raw_query(m_file, "SELECT hash FROM audit_events WHERE id = " + std::to_string(id));
    }

    TempDir m_dir;
    std::filesystem::path m_file = m_dir.path() / "ca.db";
    std::unique_ptr<SqliteStore> m_store;
};

TEST_F(AuditChainTest, CleanChainVerifiesAndLinks) {
    const auto report = verify();
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(report.events, static_cast<std::size_t>(kEvents));

    auto rows = m_store->audit_events(0);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), static_cast<std::size_t>(kEvents));
    EXPECT_EQ(rows->front().prev_hash, kAuditGenesisHash);
    for (std::size_t i = 0; i < rows->size(); ++i) {
        EXPECT_EQ((*rows)[i].id, static_cast<std::int64_t>(i + 1));
        if (i > 0) {
            EXPECT_EQ((*rows)[i].prev_hash, (*rows)[i - 1].hash);
        }
    }
    EXPECT_EQ(rows->back().event.object, "staff:5");
    EXPECT_EQ(rows->back().event.at, day(2026, 3, 1) + std::chrono::minutes{5});

    auto newest = m_store->audit_events(2);  // most recent last
    ASSERT_TRUE(newest);
    ASSERT_EQ(newest->size(), 2u);
    EXPECT_EQ((*newest)[0].id, 4);
    EXPECT_EQ((*newest)[1].id, 5);
}

TEST_F(AuditChainTest, EditedRowIsReported) {
    raw_exec(m_file,
             R"(UPDATE audit_events SET detail = '{"note":"nothing to see"}' WHERE id = 3)");
    const auto report = verify();
    ASSERT_EQ(ids(report), (std::vector<std::int64_t>{3}));
    EXPECT_NE(report.breaks[0].problem.find("edited"), std::string::npos)
        << report.breaks[0].problem;
    EXPECT_EQ(report.events, static_cast<std::size_t>(kEvents));
}

TEST_F(AuditChainTest, EditedRowWithRecomputedHashShowsAtTheNextRow) {
    const std::string prev = stored_hash(2);
    raw_exec(m_file,
             "UPDATE audit_events SET at = '2026-03-01T00:00:00Z', actor = 'cli:root', action = "
             "'login', "
             "object = 'staff:x', detail = 'forged', hash = '" +
                 forged_hash(3, "forged", prev) + "' WHERE id = 3");
    const auto report = verify();
    ASSERT_EQ(ids(report), (std::vector<std::int64_t>{4}));
    EXPECT_NE(report.breaks[0].problem.find("prev_hash"), std::string::npos)
        << report.breaks[0].problem;
}

TEST_F(AuditChainTest, DeletedMiddleRowIsReported) {
    raw_exec(m_file, "DELETE FROM audit_events WHERE id = 3");
    const auto report = verify();
    ASSERT_EQ(ids(report), (std::vector<std::int64_t>{3, 4}));
    EXPECT_NE(report.breaks[0].problem.find("missing"), std::string::npos)
        << report.breaks[0].problem;
    EXPECT_NE(report.breaks[1].problem.find("prev_hash"), std::string::npos)
        << report.breaks[1].problem;
    EXPECT_EQ(report.events, static_cast<std::size_t>(kEvents - 1));
}

TEST_F(AuditChainTest, ForgedRowIsReported) {
    raw_exec(m_file,
             "INSERT INTO audit_events(at, actor, action, object, detail, prev_hash, hash) VALUES "
             "('2026-03-01T00:00:00Z', 'cli:root', 'login', 'staff:x', 'forged', '" +
                 stored_hash(5) + "', '" + std::string(64, 'a') + "')");
    const auto report = verify();
    ASSERT_EQ(ids(report), (std::vector<std::int64_t>{6}));
    EXPECT_NE(report.breaks[0].problem.find("edited"), std::string::npos)
        << report.breaks[0].problem;
}

// A forger who knows the format splices a row in with a correct hash of its own, shifting the
// later rows up: the id is hashed, so the shifted rows no longer match.
TEST_F(AuditChainTest, SplicedRowShowsAtTheRowsItShifted) {
    const std::string forged = forged_hash(4, "forged", stored_hash(3));
    raw_exec(
        m_file,
        "UPDATE audit_events SET id = 6 WHERE id = 5; UPDATE audit_events SET id = 5 WHERE id = 4; "
        "INSERT INTO audit_events VALUES (4, '2026-03-01T00:00:00Z', 'cli:root', 'login', "
        "'staff:x', "
        "'forged', '" +
            stored_hash(3) + "', '" + forged + "')");
    const auto report = verify();
    ASSERT_FALSE(report.ok());
    const auto broken = ids(report);
    EXPECT_EQ(broken.front(), 5) << "the first row after the forged one";
    EXPECT_TRUE(std::all_of(broken.begin(), broken.end(), [](std::int64_t id) { return id >= 5; }));
    EXPECT_NE(std::find(broken.begin(), broken.end(), 6), broken.end());
}

TEST_F(AuditChainTest, DeletedLastRowIsReported) {
    raw_exec(m_file, "DELETE FROM audit_events WHERE id = 5");
    const auto report = verify();
    ASSERT_EQ(ids(report), (std::vector<std::int64_t>{5}));
    EXPECT_NE(report.breaks[0].problem.find("sqlite_sequence"), std::string::npos)
        << report.breaks[0].problem;

    // Appending afterwards does not paper over it: the new row takes id 6 and the gap stays.
    ASSERT_TRUE(m_store->append_audit(sample_event("login", "staff:6")));
    const auto after = verify();
    ASSERT_EQ(ids(after), (std::vector<std::int64_t>{5}));
    EXPECT_NE(after.breaks[0].problem.find("missing"), std::string::npos)
        << after.breaks[0].problem;
}

TEST_F(AuditChainTest, EveryProblemIsReportedAtOnce) {
    raw_exec(m_file,
             "UPDATE audit_events SET actor = 'staff:mallory' WHERE id = 1; "
             "DELETE FROM audit_events WHERE id = 3; DELETE FROM audit_events WHERE id = 5");
    const auto report = verify();
    EXPECT_EQ(ids(report), (std::vector<std::int64_t>{1, 3, 4, 5}));
}

}  // namespace
}  // namespace eseal::store
