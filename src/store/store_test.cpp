#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "store/test_support.hpp"

namespace eseal::store {
namespace {

using namespace test_support;

class SqliteStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened = SqliteStore::open(m_file);
        ASSERT_TRUE(opened) << opened.error().describe();
        m_store = std::move(*opened);
        ASSERT_TRUE(
            m_store->add_ca(m_root, ca_certificate(m_root), sample_event("ca.init", "ca:root")));
    }

    std::vector<std::string> serials(const pki::CertificateQuery& q) {
        auto found = m_store->find_certificates(q);
        EXPECT_TRUE(found) << found.error().describe();
        std::vector<std::string> out;
        if (found) {
            for (const auto& c : *found) out.push_back(c.serial);
        }
        return out;
    }

    TempDir m_dir;
    std::filesystem::path m_file = m_dir.path() / "ca.db";
    pki::CaRecord m_root = sample_ca("root");
    std::unique_ptr<SqliteStore> m_store;
};

void expect_same(const pki::CertificateRecord& a, const pki::CertificateRecord& b) {
    EXPECT_EQ(a.serial, b.serial);
    EXPECT_EQ(a.ca, b.ca);
    EXPECT_EQ(a.profile, b.profile);
    EXPECT_EQ(a.subject, b.subject);
    EXPECT_EQ(a.organization, b.organization);
    EXPECT_EQ(a.credit_code, b.credit_code);
    EXPECT_EQ(a.person_name, b.person_name);
    EXPECT_EQ(a.person_id, b.person_id);
    EXPECT_EQ(a.key_sha256, b.key_sha256);
    EXPECT_EQ(a.not_before, b.not_before);
    EXPECT_EQ(a.not_after, b.not_after);
    EXPECT_EQ(a.issued_at, b.issued_at);
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.revoked_at, b.revoked_at);
    EXPECT_EQ(a.revocation_reason, b.revocation_reason);
    EXPECT_EQ(a.der, b.der);
}

TEST(SqliteStoreOpen, CreatesParentDirectoryAndMigratesOnce) {
    TempDir dir;
    const auto file = dir.path() / "nested" / "deeper" / "ca.db";
    std::string applied_at;
    {
        auto store = SqliteStore::open(file);
        ASSERT_TRUE(store) << store.error().describe();
    }
    const long migrations = static_cast<long>(embedded_migrations().size());
    EXPECT_EQ(raw_count(file, "schema_migrations"), migrations);
    applied_at = raw_query(file, "SELECT applied_at FROM schema_migrations WHERE version = 1");
    core::TimePoint parsed{};
    EXPECT_TRUE(core::parse_utc(applied_at, parsed)) << applied_at;
    EXPECT_EQ(raw_query(file, "PRAGMA journal_mode"), "wal");

    auto again =
        SqliteStore::open(file);  // nothing left to apply; must not fail on existing tables
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(raw_count(file, "schema_migrations"), migrations);
    EXPECT_EQ(raw_query(file, "SELECT applied_at FROM schema_migrations WHERE version = 1"),
              applied_at);
}

TEST(SqliteStoreOpen, RefusesADatabaseFromANewerBuild) {
    TempDir dir;
    const auto file = dir.path() / "ca.db";
    ASSERT_TRUE(SqliteStore::open(file));
    raw_exec(file, "INSERT INTO schema_migrations VALUES (9999, '2030-01-01T00:00:00Z')");
    auto store = SqliteStore::open(file);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().kind, core::Errc::unsupported);
    EXPECT_EQ(store.error().code, "storage.schema_too_new");
}

TEST_F(SqliteStoreTest, CaRoundTrip) {
    auto issuing = sample_ca("issuing", "root");
    issuing.created_at += std::chrono::days{1};  // list_cas is oldest first; the name breaks ties
    ASSERT_TRUE(
        m_store->add_ca(issuing, ca_certificate(issuing), sample_event("ca.create", "ca:issuing")));

    auto found = m_store->find_ca("issuing");
    ASSERT_TRUE(found) << found.error().describe();
    ASSERT_TRUE(found->has_value());
    const pki::CaRecord& ca = **found;
    EXPECT_EQ(ca.name, issuing.name);
    EXPECT_EQ(ca.parent, "root");
    EXPECT_EQ(ca.algorithm, issuing.algorithm);
    EXPECT_EQ(ca.key_ref, issuing.key_ref);
    EXPECT_EQ(ca.serial, issuing.serial);
    EXPECT_EQ(ca.subject, issuing.subject);
    EXPECT_EQ(ca.not_before, issuing.not_before);
    EXPECT_EQ(ca.not_after, issuing.not_after);
    EXPECT_EQ(ca.certificate, issuing.certificate);
    EXPECT_EQ(ca.crl_url, issuing.crl_url);
    EXPECT_EQ(ca.ocsp_url, issuing.ocsp_url);
    EXPECT_EQ(ca.created_at, issuing.created_at);

    auto root = m_store->find_ca("root");
    ASSERT_TRUE(root && root->has_value());
    EXPECT_EQ((*root)->parent, "");

    auto missing = m_store->find_ca("nope");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(missing->has_value());

    auto all = m_store->list_cas();
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].name, "root");
    EXPECT_EQ((*all)[1].name, "issuing");

    // The CA's certificate row and its audit event went in with it.
    auto cert = m_store->find_certificate(issuing.serial);
    ASSERT_TRUE(cert && cert->has_value());
    expect_same(**cert, ca_certificate(issuing));
    auto events = m_store->audit_events(0);
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), 2u);
    EXPECT_EQ(events->back().event.action, "ca.create");
    EXPECT_EQ(events->back().event.object, "ca:issuing");
}

TEST_F(SqliteStoreTest, AddCaIsAllOrNothing) {
    // The CA row is new, but its certificate's serial clashes: neither may be stored.
    auto clash = sample_ca("second-root");
    auto certificate = ca_certificate(clash);
    certificate.serial = m_root.serial;
    auto r = m_store->add_ca(clash, certificate, sample_event("ca.init", "ca:second-root"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, core::Errc::already_exists);
    EXPECT_EQ(r.error().code, "certificate.duplicate");
    EXPECT_EQ(raw_count(m_file, "cas"), 1);
    EXPECT_EQ(raw_count(m_file, "audit_events"), 1);

    auto again =
        m_store->add_ca(m_root, ca_certificate(m_root), sample_event("ca.init", "ca:root"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, core::Errc::already_exists);
    EXPECT_EQ(again.error().code, "ca.duplicate");

    auto orphan = sample_ca("orphan", "no-such-root");
    auto unknown =
        m_store->add_ca(orphan, ca_certificate(orphan), sample_event("ca.create", "ca:orphan"));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "ca.unknown_parent");
    EXPECT_EQ(raw_count(m_file, "cas"), 1);
    EXPECT_EQ(raw_count(m_file, "certificates"), 1);
}

TEST_F(SqliteStoreTest, CertificateRoundTripAndLookups) {
    auto c = sample_certificate("0a1b", "root");
    c.profile = "org-individual";
    c.person_name = "张三";
    c.person_id = "11010519491231002X";
    c.status = pki::CertificateStatus::revoked;
    c.revoked_at = day(2026, 6, 1);
    c.revocation_reason = "keyCompromise";
    ASSERT_TRUE(m_store->add_certificate(c, sample_event("certificate.issue", "certificate:0a1b")));

    auto by_serial = m_store->find_certificate("0a1b");
    ASSERT_TRUE(by_serial && by_serial->has_value());
    expect_same(**by_serial, c);
    auto by_key = m_store->find_by_key(c.key_sha256);
    ASSERT_TRUE(by_key && by_key->has_value());
    EXPECT_EQ((*by_key)->serial, "0a1b");

    EXPECT_EQ(m_store->serial_exists("0a1b"), true);
    EXPECT_EQ(m_store->serial_exists("0a1c"), false);
    auto none = m_store->find_certificate("0a1c");
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
    auto no_key = m_store->find_by_key(std::string(64, 'f'));
    ASSERT_TRUE(no_key);
    EXPECT_FALSE(no_key->has_value());

    auto events = m_store->audit_events(1);
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ(events->front().event.action, "certificate.issue");
    EXPECT_EQ(events->front().event.object, "certificate:0a1b");
    EXPECT_EQ(events->front().event.detail, R"({"note":"test"})");
}

TEST_F(SqliteStoreTest, DuplicateSerialStoresNothing) {
    ASSERT_TRUE(m_store->add_certificate(sample_certificate("01", "root"),
                                         sample_event("certificate.issue", "a")));
    const long certificates = raw_count(m_file, "certificates");
    const long events = raw_count(m_file, "audit_events");

    auto other_key_same_serial = sample_certificate("01", "root");
    other_key_same_serial.key_sha256 = std::string(64, 'e');
    auto r =
        m_store->add_certificate(other_key_same_serial, sample_event("certificate.issue", "b"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, core::Errc::already_exists);
    EXPECT_EQ(r.error().code, "certificate.duplicate");
    ASSERT_EQ(r.error().problems.size(), 1u);
    EXPECT_EQ(r.error().problems[0].field, "serial");

    EXPECT_EQ(raw_count(m_file, "certificates"), certificates);
    EXPECT_EQ(raw_count(m_file, "audit_events"), events);
    auto key = m_store->find_by_key(std::string(64, 'e'));
    ASSERT_TRUE(key);
    EXPECT_FALSE(key->has_value());
    auto report = m_store->verify_audit();
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok());
}

TEST_F(SqliteStoreTest, DuplicateKeyStoresNothing) {
    ASSERT_TRUE(m_store->add_certificate(sample_certificate("01", "root"),
                                         sample_event("certificate.issue", "a")));
    const long certificates = raw_count(m_file, "certificates");
    const long events = raw_count(m_file, "audit_events");

    auto same_key = sample_certificate("02", "root");
    same_key.key_sha256 = sample_certificate("01", "root").key_sha256;
    auto r = m_store->add_certificate(same_key, sample_event("certificate.issue", "b"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, core::Errc::already_exists);
    EXPECT_EQ(r.error().code, "certificate.duplicate");
    ASSERT_EQ(r.error().problems.size(), 1u);
    EXPECT_EQ(r.error().problems[0].field, "key_sha256");
    EXPECT_NE(r.error().message.find("01"), std::string::npos)
        << "names the certificate holding the key";

    EXPECT_EQ(raw_count(m_file, "certificates"), certificates);
    EXPECT_EQ(raw_count(m_file, "audit_events"), events);
    EXPECT_EQ(m_store->serial_exists("02"), false);
}

TEST_F(SqliteStoreTest, SerialAndKeyBothClashingReportsBoth) {
    ASSERT_TRUE(m_store->add_certificate(sample_certificate("01", "root"),
                                         sample_event("certificate.issue", "a")));
    auto r = m_store->add_certificate(sample_certificate("01", "root"),
                                      sample_event("certificate.issue", "a"));
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().problems.size(), 2u);
    EXPECT_EQ(r.error().problems[0].field, "serial");
    EXPECT_EQ(r.error().problems[1].field, "key_sha256");
}

TEST_F(SqliteStoreTest, CertificateFromAnUnknownCaIsRefused) {
    auto r = m_store->add_certificate(sample_certificate("01", "no-such-ca"),
                                      sample_event("certificate.issue", "a"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, core::Errc::not_found);
    EXPECT_EQ(r.error().code, "certificate.unknown_ca");
    EXPECT_EQ(raw_count(m_file, "audit_events"), 1);
}

TEST_F(SqliteStoreTest, QueriesHonourEveryField) {
    const auto issuing = sample_ca("issuing", "root");
    ASSERT_TRUE(
        m_store->add_ca(issuing, ca_certificate(issuing), sample_event("ca.create", "ca:issuing")));
    // Root's certificate was issued 2026-01-01T01:00Z, issuing's the same moment (sample_ca).
    struct Row {
        std::string serial, ca, credit_code, subject;
        pki::CertificateStatus status;
        core::TimePoint not_after, issued_at;
    };
    const std::vector<Row> rows = {
        {"c1", "issuing", "CODE-A", "CN=Alpha Seal", pki::CertificateStatus::valid, day(2026, 6, 1),
         day(2026, 3, 2)},
        {"b2", "issuing", "CODE-B", "CN=Beta Seal", pki::CertificateStatus::revoked,
         day(2027, 6, 1), day(2026, 3, 1)},
        {"a3", "root", "CODE-A", "CN=alpha contract", pki::CertificateStatus::valid,
         day(2028, 6, 1), day(2026, 3, 1)},
        {"d4", "issuing", "CODE-A", "CN=Gamma", pki::CertificateStatus::valid, day(2026, 9, 1),
         day(2026, 3, 3)},
    };
    for (const Row& row : rows) {
        auto c = sample_certificate(row.serial, row.ca);
        c.credit_code = row.credit_code;
        c.subject = row.subject;
        c.status = row.status;
        c.not_after = row.not_after;
        c.issued_at = row.issued_at;
        ASSERT_TRUE(m_store->add_certificate(c, sample_event("certificate.issue", row.serial)));
    }
    using V = std::vector<std::string>;
    const std::string root_ca = m_root.serial, issuing_ca = issuing.serial;
    // Issued-at order, ties by serial: both CA certificates, then a3 before b2 (same day), c1, d4.
    V everything = {root_ca, issuing_ca, "a3", "b2", "c1", "d4"};
    std::sort(everything.begin(), everything.begin() + 2);
    EXPECT_EQ(serials({}), everything);

    pki::CertificateQuery by_ca;
    by_ca.ca = "issuing";
    EXPECT_EQ(serials(by_ca), (V{"b2", "c1", "d4"}));

    pki::CertificateQuery by_status;
    by_status.status = pki::CertificateStatus::revoked;
    EXPECT_EQ(serials(by_status), (V{"b2"}));

    pki::CertificateQuery by_code;
    by_code.credit_code = "CODE-A";
    EXPECT_EQ(serials(by_code), (V{"a3", "c1", "d4"}));

    pki::CertificateQuery by_subject;
    by_subject.subject_contains = "alpha";  // SQLite LIKE folds ASCII case
    EXPECT_EQ(serials(by_subject), (V{"a3", "c1"}));

    pki::CertificateQuery expiring;
    expiring.expiring_before = day(2027, 6, 1);  // strictly before: b2 (expires that day) is out
    EXPECT_EQ(serials(expiring), (V{"c1", "d4"}));

    pki::CertificateQuery limited;
    limited.credit_code = "CODE-A";
    limited.limit = 2;
    EXPECT_EQ(serials(limited), (V{"a3", "c1"}));

    pki::CertificateQuery combined;
    combined.ca = "issuing";
    combined.status = pki::CertificateStatus::valid;
    combined.credit_code = "CODE-A";
    combined.subject_contains = "Seal";
    combined.expiring_before = day(2030, 1, 1);
    EXPECT_EQ(serials(combined), (V{"c1"}));
}

TEST_F(SqliteStoreTest, SubjectContainsMatchesWildcardsLiterally) {
    const std::vector<std::pair<std::string, std::string>> subjects = {{"01", "CN=100% Seal"},
                                                                       {"02", "CN=1000 Seal"},
                                                                       {"03", "CN=a_b"},
                                                                       {"04", "CN=axb"},
                                                                       {"05", R"(CN=back\slash)"}};
    for (const auto& [serial, subject] : subjects) {
        auto c = sample_certificate(serial, "root");
        c.subject = subject;
        ASSERT_TRUE(m_store->add_certificate(c, sample_event("certificate.issue", serial)));
    }
    using V = std::vector<std::string>;
    auto contains = [&](std::string text) {
        pki::CertificateQuery q;
        q.subject_contains = std::move(text);
        return serials(q);
    };
    EXPECT_EQ(contains("100%"), (V{"01"}));
    EXPECT_EQ(contains("%"), (V{"01"}));
    EXPECT_EQ(contains("a_b"), (V{"03"}));
    EXPECT_EQ(contains(R"(\)"), (V{"05"}));
    EXPECT_EQ(contains(" Seal"), (V{"01", "02"}));
}

// Many threads issuing at once: every add that reports success is stored and survives reopening,
// every duplicate fails alone, and the audit chain still verifies.
TEST_F(SqliteStoreTest, ConcurrentAddsAreDurableAndChained) {
    constexpr int kThreads = 8;
    constexpr int kPerThread = 50;
    constexpr int kDuplicateEvery = 10;  // each 10th call repeats that thread's previous serial
    std::vector<int> added(kThreads, 0), duplicates(kThreads, 0), other_failures(kThreads, 0);
    {
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    const bool repeat = i % kDuplicateEvery == kDuplicateEvery - 1;
                    const std::string serial =
                        std::to_string(t) + "-" + std::to_string(repeat ? i - 1 : i);
                    auto c = sample_certificate(serial, "root");
                    auto r = m_store->add_certificate(
                        c, sample_event("certificate.issue", "certificate:" + serial));
                    if (r) {
                        ++added[t];
                    } else if (r.error().code == "certificate.duplicate") {
                        ++duplicates[t];
                    } else {
                        ++other_failures[t];
                    }
                }
            });
        }
        for (auto& thread : threads) thread.join();
    }
    const int expected_added = kThreads * (kPerThread - kPerThread / kDuplicateEvery);
    int total_added = 0;
    for (int t = 0; t < kThreads; ++t) {
        EXPECT_EQ(duplicates[t], kPerThread / kDuplicateEvery) << "thread " << t;
        EXPECT_EQ(other_failures[t], 0) << "thread " << t;
        total_added += added[t];
    }
    EXPECT_EQ(total_added, expected_added);

    // At most one commit per write; with 8 writers many share one. Timing is not asserted.
    const WriterStats stats = m_store->writer_stats();
    EXPECT_EQ(stats.jobs, static_cast<std::uint64_t>(expected_added + 1));  // + the root CA
    EXPECT_GE(stats.transactions, 1u);
    EXPECT_LE(stats.transactions, stats.jobs);
    std::cout << "[ info ] " << stats.jobs << " writes in " << stats.transactions << " commits\n";

    m_store.reset();  // durable means present after the store is gone
    auto reopened = SqliteStore::open(m_file);
    ASSERT_TRUE(reopened) << reopened.error().describe();
    auto all = (*reopened)->find_certificates({});
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), static_cast<std::size_t>(expected_added + 1));
    std::set<std::string> present;
    for (const auto& c : *all) present.insert(c.serial);
    for (int t = 0; t < kThreads; ++t) {
        for (int i = 0; i < kPerThread; ++i) {
            if (i % kDuplicateEvery != kDuplicateEvery - 1) {
                EXPECT_TRUE(present.count(std::to_string(t) + "-" + std::to_string(i)))
                    << t << "-" << i;
            }
        }
    }
    auto report = (*reopened)->verify_audit();
    ASSERT_TRUE(report) << report.error().describe();
    EXPECT_TRUE(report->ok());
    EXPECT_EQ(report->events, static_cast<std::size_t>(expected_added + 1));
}

}  // namespace
}  // namespace eseal::store
