// SqliteStore's ra repositories (sqlite_store_ra.cpp): every record round-trips, and every change
// to an application is all or nothing with its timeline lines, outbox messages and audit event.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "store/application_form_json.hpp"
#include "store/sqlite_store.hpp"
#include "store/test_support.hpp"

namespace eseal::store {
namespace {

using namespace test_support;
using std::chrono::hours;
using std::chrono::minutes;

ra::ApplicationForm full_form() {
    ra::ApplicationForm f;
    f.organization = {"深圳市示例科技有限公司", "91440300MA5EXAMPLE"};
    f.handler = {"张三", "440301199001011234", "13800138000", "zhang@example.cn"};
    f.holder = ra::Person{"李四", "44030119920202123X", "13900139000", "li@example.cn"};
    f.algorithm = "ecdsa-p256";
    f.years = 3;
    f.delivery = ra::Delivery::pickup;
    f.address = "深圳市福田区 1 号";
    f.recipient = "王五";
    f.recipient_phone = "13700137000";
    f.service_point = "sp-futian";
    f.certificate_serial = "5f3a";
    f.revoke_reason = "keyCompromise";
    f.remarks = "quote \" and backslash \\ and newline\n";
    return f;
}

ra::Application sample_application(const std::string& id, std::int64_t account_id,
                                   core::TimePoint created) {
    ra::Application a;
    a.id = id;
    a.account_id = account_id;
    a.business = ra::Business::new_cert;
    a.cert_type = ra::CertType::organization_individual;
    a.channel = ra::Channel::online;
    a.state = ra::State::draft;
    a.form = full_form();
    a.fee_fen = 60000;
    a.created_at = a.updated_at = created;
    return a;
}

ra::OutboxMessage sms(const std::string& phone, const std::string& body, core::TimePoint at) {
    ra::OutboxMessage m;
    m.channel = ra::MessageChannel::sms;
    m.recipient = phone;
    m.body = body;
    m.created_at = at;
    return m;
}

// A change with one timeline line, one SMS and its audit event, as the domain writes them.
ra::ApplicationChange change_of(const ra::Application& a, const std::string& event,
                                const std::string& from = {}, const std::string& to = {}) {
    ra::ApplicationChange c;
    c.timeline.push_back(
        {a.id, a.updated_at, "applicant:13800138000", from, to, event, "step " + event});
    c.messages.push_back(
        sms(a.form.handler.phone, "application " + a.id + ": " + event, a.updated_at));
    c.event = {a.updated_at, "applicant:13800138000", "application." + event, "application:" + a.id,
               R"({"test":true})"};
    return c;
}

void expect_same_person(const ra::Person& a, const ra::Person& b) {
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.id_number, b.id_number);
    EXPECT_EQ(a.phone, b.phone);
    EXPECT_EQ(a.email, b.email);
}

void expect_same(const ra::Application& a, const ra::Application& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.account_id, b.account_id);
    EXPECT_EQ(a.business, b.business);
    EXPECT_EQ(a.cert_type, b.cert_type);
    EXPECT_EQ(a.channel, b.channel);
    EXPECT_EQ(a.state, b.state);
    EXPECT_EQ(a.fee_fen, b.fee_fen);
    EXPECT_EQ(a.version, b.version);
    EXPECT_EQ(a.created_at, b.created_at);
    EXPECT_EQ(a.updated_at, b.updated_at);
    EXPECT_EQ(a.submitted_at, b.submitted_at);
    EXPECT_EQ(a.paid_at, b.paid_at);
    const auto& f = a.form;
    const auto& g = b.form;
    EXPECT_EQ(f.organization.name, g.organization.name);
    EXPECT_EQ(f.organization.credit_code, g.organization.credit_code);
    expect_same_person(f.handler, g.handler);
    ASSERT_EQ(f.holder.has_value(), g.holder.has_value());
    if (f.holder)
        expect_same_person(*f.holder, *g.holder);
    EXPECT_EQ(f.algorithm, g.algorithm);
    EXPECT_EQ(f.years, g.years);
    EXPECT_EQ(f.delivery, g.delivery);
    EXPECT_EQ(f.address, g.address);
    EXPECT_EQ(f.recipient, g.recipient);
    EXPECT_EQ(f.recipient_phone, g.recipient_phone);
    EXPECT_EQ(f.service_point, g.service_point);
    EXPECT_EQ(f.certificate_serial, g.certificate_serial);
    EXPECT_EQ(f.revoke_reason, g.revoke_reason);
    EXPECT_EQ(f.remarks, g.remarks);
}

void expect_same(const ra::Payment& a, const ra::Payment& b) {
    EXPECT_EQ(a.order_no, b.order_no);
    EXPECT_EQ(a.application_id, b.application_id);
    EXPECT_EQ(a.method, b.method);
    EXPECT_EQ(a.amount_fen, b.amount_fen);
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.qr_content, b.qr_content);
    EXPECT_EQ(a.transaction_id, b.transaction_id);
    EXPECT_EQ(a.receipt_blob, b.receipt_blob);
    EXPECT_EQ(a.refund_no, b.refund_no);
    EXPECT_EQ(a.created_at, b.created_at);
    EXPECT_EQ(a.paid_at, b.paid_at);
    EXPECT_EQ(a.refunded_at, b.refunded_at);
}

class RaStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened = SqliteStore::open(m_file);
        ASSERT_TRUE(opened) << opened.error().describe();
        m_store = std::move(*opened);
        auto account = m_store->account_for_phone(
            "13800138000", m_t0, sample_event("account.create", "account:13800138000"));
        ASSERT_TRUE(account) << account.error().describe();
        m_account = *account;
    }

    // Adds an application of m_account and returns it as stored.
    ra::Application add(const std::string& id, core::TimePoint created) {
        auto a = sample_application(id, m_account.id, created);
        auto r = m_store->add_application(a, change_of(a, "created", "", "draft"));
        EXPECT_TRUE(r) << r.error().describe();
        return a;
    }

    // Rows of each table a change writes to, to show that a refused one wrote nothing.
    struct Counts {
        long timeline, outbox, audit;
        bool operator==(const Counts&) const = default;
    };
    Counts counts() {
        return {raw_count(m_file, "application_timeline"), raw_count(m_file, "outbox"),
                raw_count(m_file, "audit_events")};
    }

    void expect_audit_clean() {
        auto report = m_store->verify_audit();
        ASSERT_TRUE(report) << report.error().describe();
        EXPECT_TRUE(report->ok());
        for (const auto& b : report->breaks) ADD_FAILURE() << b.id << ": " << b.problem;
    }

    TempDir m_dir;
    std::filesystem::path m_file = m_dir.path() / "ca.db";
    core::TimePoint m_t0 = day(2026, 3, 2) + hours{9};
    std::unique_ptr<SqliteStore> m_store;
    ra::Account m_account;
};

// ---- accounts, login codes, sessions, consent ----------------------------------------------

TEST_F(RaStoreTest, AccountIsCreatedOnFirstUseAndAuditedOnce) {
    EXPECT_GT(m_account.id, 0);
    EXPECT_EQ(m_account.phone, "13800138000");
    EXPECT_EQ(m_account.created_at, m_t0);
    EXPECT_EQ(raw_count(m_file, "audit_events"), 1);

    auto again = m_store->account_for_phone("13800138000", m_t0 + hours{5},
                                            sample_event("account.create", "account:13800138000"));
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->id, m_account.id);
    EXPECT_EQ(again->created_at, m_t0);  // the first login's time, not this one's
    EXPECT_EQ(raw_count(m_file, "audit_events"), 1);
    EXPECT_EQ(raw_count(m_file, "accounts"), 1);

    auto other = m_store->account_for_phone("13900139000", m_t0,
                                            sample_event("account.create", "account:13900139000"));
    ASSERT_TRUE(other);
    EXPECT_NE(other->id, m_account.id);
    EXPECT_EQ(raw_count(m_file, "audit_events"), 2);

    auto found = m_store->find_account(m_account.id);
    ASSERT_TRUE(found && found->has_value());
    EXPECT_EQ((*found)->phone, "13800138000");
    EXPECT_EQ((*found)->created_at, m_t0);
    auto missing = m_store->find_account(9999);
    ASSERT_TRUE(missing);
    EXPECT_FALSE(missing->has_value());
}

TEST_F(RaStoreTest, LatestUnusedLoginCodeAndItsAttempts) {
    ra::LoginCode first{0,           "13800138000", std::string(64, 'a'), "00ff",
                        "192.0.2.1", m_t0,          m_t0 + minutes{5},    0,
                        false};
    ra::LoginCode second = first;
    second.code_hash = std::string(64, 'b');
    second.created_at = m_t0 + minutes{1};
    second.expires_at = m_t0 + minutes{6};
    ASSERT_TRUE(m_store->add_login_code(first));
    ASSERT_TRUE(m_store->add_login_code(second));

    auto latest = m_store->latest_login_code("13800138000");
    ASSERT_TRUE(latest && latest->has_value()) << (latest ? "none" : latest.error().describe());
    const ra::LoginCode c = **latest;
    EXPECT_GT(c.id, 0);
    EXPECT_EQ(c.phone, second.phone);
    EXPECT_EQ(c.code_hash, second.code_hash);
    EXPECT_EQ(c.salt, second.salt);
    EXPECT_EQ(c.client, second.client);
    EXPECT_EQ(c.created_at, second.created_at);
    EXPECT_EQ(c.expires_at, second.expires_at);
    EXPECT_EQ(c.attempts, 0);
    EXPECT_FALSE(c.used);

    ASSERT_TRUE(m_store->update_login_code(c.id, 1, false));
    latest = m_store->latest_login_code("13800138000");
    ASSERT_TRUE(latest && latest->has_value());
    EXPECT_EQ((*latest)->id, c.id);
    EXPECT_EQ((*latest)->attempts, 1);

    // Used: the older code is the newest unused one now.
    ASSERT_TRUE(m_store->update_login_code(c.id, 2, true));
    latest = m_store->latest_login_code("13800138000");
    ASSERT_TRUE(latest && latest->has_value());
    EXPECT_EQ((*latest)->code_hash, first.code_hash);

    auto none = m_store->latest_login_code("13700137000");
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
    auto unknown = m_store->update_login_code(9999, 1, false);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().kind, core::Errc::not_found);
}

TEST_F(RaStoreTest, LoginCodesAreCountedByPhoneAndByClient) {
    const auto code = [&](const std::string& phone, const std::string& client, core::TimePoint at) {
        ASSERT_TRUE(m_store->add_login_code(
            {0, phone, std::string(64, 'c'), "00", client, at, at + minutes{5}, 0, false}));
    };
    code("13800138000", "192.0.2.1", m_t0 - hours{2});  // before the window
    code("13800138000", "192.0.2.1", m_t0);             // at its start: counted
    code("13800138000", "192.0.2.2", m_t0 + minutes{1});
    code("13900139000", "192.0.2.1", m_t0 + minutes{2});
    code("13700137000", "192.0.2.1", m_t0 + minutes{3});

    int by_client = -1;
    auto by_phone = m_store->login_codes_since("13800138000", "192.0.2.1", m_t0, by_client);
    ASSERT_TRUE(by_phone) << by_phone.error().describe();
    EXPECT_EQ(*by_phone, 2);
    EXPECT_EQ(by_client, 3);

    by_phone = m_store->login_codes_since("13600136000", "198.51.100.7", m_t0, by_client);
    ASSERT_TRUE(by_phone);
    EXPECT_EQ(*by_phone, 0);
    EXPECT_EQ(by_client, 0);
}

TEST_F(RaStoreTest, SessionIsFoundAndDeleted) {
    const ra::Session s{std::string(64, 'd'), m_account.id, "csrf123",
                        "192.0.2.1",          m_t0,         m_t0 + hours{12}};
    ASSERT_TRUE(m_store->add_session(s));
    auto found = m_store->find_session(s.token_hash);
    ASSERT_TRUE(found && found->has_value());
    EXPECT_EQ((*found)->token_hash, s.token_hash);
    EXPECT_EQ((*found)->account_id, s.account_id);
    EXPECT_EQ((*found)->csrf_token, s.csrf_token);
    EXPECT_EQ((*found)->client, s.client);
    EXPECT_EQ((*found)->created_at, s.created_at);
    EXPECT_EQ((*found)->expires_at, s.expires_at);

    auto twice = m_store->add_session(s);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().kind, core::Errc::already_exists);

    ASSERT_TRUE(m_store->delete_session(s.token_hash));
    found = m_store->find_session(s.token_hash);
    ASSERT_TRUE(found);
    EXPECT_FALSE(found->has_value());
    EXPECT_TRUE(m_store->delete_session(s.token_hash));  // logging out twice is logging out

    auto orphan = m_store->add_session({std::string(64, 'e'), 9999, "x", "y", m_t0, m_t0});
    ASSERT_FALSE(orphan);
    EXPECT_EQ(orphan.error().kind, core::Errc::not_found);
}

TEST_F(RaStoreTest, ConsentsAreKeptInOrderWithTheirAuditEvent) {
    const std::vector<ra::Consent> first{{m_account.id, "agreement", "2026-01", "192.0.2.1", m_t0},
                                         {m_account.id, "privacy", "2026-01", "192.0.2.1", m_t0}};
    ASSERT_TRUE(m_store->add_consents(first, sample_event("consent.give", "account:1")));
    ASSERT_TRUE(m_store->add_consents(
        {{m_account.id, "agreement", "2026-02", "192.0.2.9", m_t0 + hours{1}}},
        sample_event("consent.give", "account:1")));
    EXPECT_EQ(raw_count(m_file, "audit_events"), 3);

    auto consents = m_store->consents_of(m_account.id);
    ASSERT_TRUE(consents) << consents.error().describe();
    ASSERT_EQ(consents->size(), 3u);
    EXPECT_EQ((*consents)[0].document, "agreement");
    EXPECT_EQ((*consents)[0].version, "2026-01");
    EXPECT_EQ((*consents)[1].document, "privacy");
    EXPECT_EQ((*consents)[2].version, "2026-02");
    EXPECT_EQ((*consents)[2].client, "192.0.2.9");
    EXPECT_EQ((*consents)[2].at, m_t0 + hours{1});
    EXPECT_EQ((*consents)[2].account_id, m_account.id);

    auto none = m_store->consents_of(m_account.id + 1);
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());

    // One bad consent: none of the batch, and no audit event.
    auto bad = m_store->add_consents({{m_account.id, "agreement", "2026-03", "x", m_t0},
                                      {m_account.id, "cookies", "2026-03", "x", m_t0}},
                                     sample_event("consent.give", "account:1"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(raw_count(m_file, "consents"), 3);
    EXPECT_EQ(raw_count(m_file, "audit_events"), 3);
}

// ---- applications, timeline, materials, outbox -----------------------------------------------

TEST_F(RaStoreTest, ApplicationRoundTripWithItsTimelineOutboxAndAudit) {
    auto a = add("A2026030200000001", m_t0);
    auto found = m_store->find_application(a.id);
    ASSERT_TRUE(found) << found.error().describe();
    ASSERT_TRUE(found->has_value());
    expect_same(**found, a);

    auto timeline = m_store->timeline(a.id);
    ASSERT_TRUE(timeline);
    ASSERT_EQ(timeline->size(), 1u);
    const auto& line = timeline->front();
    EXPECT_EQ(line.application_id, a.id);
    EXPECT_EQ(line.at, m_t0);
    EXPECT_EQ(line.actor, "applicant:13800138000");
    EXPECT_EQ(line.from_state, "");
    EXPECT_EQ(line.to_state, "draft");
    EXPECT_EQ(line.event, "created");
    EXPECT_EQ(line.message, "step created");
    EXPECT_EQ(raw_count(m_file, "outbox"), 1);
    auto events = m_store->audit_events(1);
    ASSERT_TRUE(events && events->size() == 1);
    EXPECT_EQ(events->front().event.action, "application.created");
    EXPECT_EQ(events->front().event.object, "application:" + a.id);

    // The searchable columns are copied out of the form.
    EXPECT_EQ(raw_query(m_file, "SELECT credit_code FROM applications"), "91440300MA5EXAMPLE");
    EXPECT_EQ(raw_query(m_file, "SELECT handler_phone FROM applications"), "13800138000");
    EXPECT_EQ(raw_query(m_file, "SELECT organization FROM applications"), "深圳市示例科技有限公司");

    // Times that are set, and a form with no holder.
    auto b = sample_application("A2026030200000002", m_account.id, m_t0 + hours{1});
    b.form.holder.reset();
    b.form.delivery = ra::Delivery::post;
    b.submitted_at = m_t0 + hours{2};
    b.paid_at = m_t0 + hours{3};
    b.business = ra::Business::lost_key;
    b.cert_type = ra::CertType::organization;
    b.state = ra::State::paid;
    ASSERT_TRUE(m_store->add_application(b, change_of(b, "created")));
    found = m_store->find_application(b.id);
    ASSERT_TRUE(found && found->has_value());
    expect_same(**found, b);

    auto missing = m_store->find_application("A0");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(missing->has_value());

    auto duplicate = m_store->add_application(a, change_of(a, "created"));
    ASSERT_FALSE(duplicate);
    EXPECT_EQ(duplicate.error().code, "application.duplicate");
    auto orphan = sample_application("A2026030200000003", 9999, m_t0);
    auto refused = m_store->add_application(orphan, change_of(orphan, "created"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "account.unknown");
    EXPECT_EQ(raw_count(m_file, "application_timeline"), 2);
    EXPECT_EQ(raw_count(m_file, "outbox"), 2);
    expect_audit_clean();
}

TEST_F(RaStoreTest, ApplicationsAreFoundByAccountAndState) {
    add("A1", m_t0 + hours{2});
    auto second = add("A2", m_t0 + hours{1});
    auto counter = sample_application("A3", 0, m_t0 + hours{3});  // a walk-in: no account
    counter.channel = ra::Channel::counter;
    ASSERT_TRUE(m_store->add_application(counter, change_of(counter, "created")));
    second.state = ra::State::submitted;
    ASSERT_TRUE(m_store->update_application(second, change_of(second, "submitted")));

    const auto ids = [&](const ra::ApplicationQuery& q) {
        auto found = m_store->find_applications(q);
        EXPECT_TRUE(found) << found.error().describe();
        std::vector<std::string> out;
        if (found) {
            for (const auto& a : *found) out.push_back(a.id);
        }
        return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(ids({}), (V{"A2", "A1", "A3"}));  // oldest first
    EXPECT_EQ(ids({m_account.id, std::nullopt, 100}), (V{"A2", "A1"}));
    EXPECT_EQ(ids({std::int64_t{0}, std::nullopt, 100}), (V{"A3"}));
    EXPECT_EQ(ids({std::nullopt, ra::State::draft, 100}), (V{"A1", "A3"}));
    EXPECT_EQ(ids({m_account.id, ra::State::submitted, 100}), (V{"A2"}));
    EXPECT_EQ(ids({m_account.id + 1, std::nullopt, 100}), V{});
    EXPECT_EQ(ids({std::nullopt, std::nullopt, 1}), (V{"A2"}));

    auto found = m_store->find_application("A3");
    ASSERT_TRUE(found && found->has_value());
    EXPECT_EQ((*found)->account_id, 0);
    EXPECT_EQ((*found)->channel, ra::Channel::counter);
}

TEST_F(RaStoreTest, UpdateChecksAndBumpsTheVersion) {
    auto a = add("A1", m_t0);
    a.state = ra::State::submitted;
    a.submitted_at = m_t0 + hours{1};
    a.updated_at = m_t0 + hours{1};
    a.fee_fen = 20000;
    a.form.years = 1;
    ASSERT_TRUE(m_store->update_application(a, change_of(a, "submitted", "draft", "submitted")));
    auto stored = m_store->find_application("A1");
    ASSERT_TRUE(stored && stored->has_value());
    auto expected = a;
    expected.version = 1;
    expect_same(**stored, expected);

    // Someone else's update based on version 0 comes in late.
    const Counts before = counts();
    auto stale = a;
    stale.state = ra::State::cancelled;
    stale.updated_at = m_t0 + hours{2};
    auto refused =
        m_store->update_application(stale, change_of(stale, "cancelled", "submitted", "cancelled"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, core::Errc::conflict);
    EXPECT_EQ(refused.error().code, "application.changed");
    EXPECT_EQ(counts(), before);  // no timeline line, no message, no audit event
    stored = m_store->find_application("A1");
    ASSERT_TRUE(stored && stored->has_value());
    expect_same(**stored, expected);

    // Read again, then it goes in.
    stale.version = 1;
    ASSERT_TRUE(m_store->update_application(
        stale, change_of(stale, "cancelled", "submitted", "cancelled")));
    stored = m_store->find_application("A1");
    ASSERT_TRUE(stored && stored->has_value());
    EXPECT_EQ((*stored)->version, 2);
    EXPECT_EQ((*stored)->state, ra::State::cancelled);
    auto timeline = m_store->timeline("A1");
    ASSERT_TRUE(timeline);
    ASSERT_EQ(timeline->size(), 3u);
    EXPECT_EQ((*timeline)[1].to_state, "submitted");
    EXPECT_EQ((*timeline)[2].to_state, "cancelled");

    auto ghost = sample_application("A404", m_account.id, m_t0);
    auto unknown = m_store->update_application(ghost, change_of(ghost, "submitted"));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().kind, core::Errc::not_found);
    expect_audit_clean();
}

TEST_F(RaStoreTest, AChangeWhoseTimelineFailsWritesNothing) {
    auto a = add("A1", m_t0);
    const Counts before = counts();
    a.state = ra::State::submitted;
    auto c = change_of(a, "submitted");
    c.timeline.push_back({a.id, m_t0, "system", "draft", "no-such-state", "x", "x"});
    ASSERT_FALSE(m_store->update_application(a, c));
    EXPECT_EQ(counts(), before);
    auto stored = m_store->find_application("A1");
    ASSERT_TRUE(stored && stored->has_value());
    EXPECT_EQ((*stored)->version, 0);
    EXPECT_EQ((*stored)->state, ra::State::draft);
}

TEST_F(RaStoreTest, MaterialsArePerKindAndReplaced) {
    auto a = add("A1", m_t0);
    ra::Material licence{a.id,
                         ra::MaterialKind::business_licence,
                         std::string(64, '1'),
                         "image/jpeg",
                         1234,
                         "执照.jpg",
                         m_t0 + minutes{1},
                         "",
                         ""};
    ra::Material front{a.id,
                       ra::MaterialKind::handler_id_front,
                       std::string(64, '2'),
                       "image/png",
                       99,
                       "front.png",
                       m_t0 + minutes{2},
                       "accepted",
                       ""};
    ASSERT_TRUE(m_store->put_material(licence, change_of(a, "material.uploaded")));
    ASSERT_TRUE(m_store->put_material(front, change_of(a, "material.uploaded")));

    licence.blob = std::string(64, '3');
    licence.content_type = "application/pdf";
    licence.size = 4321;
    licence.file_name = "licence.pdf";
    licence.uploaded_at = m_t0 + minutes{3};
    licence.verdict = "rejected";
    licence.verdict_reason = "blurred";
    ASSERT_TRUE(m_store->put_material(licence, change_of(a, "material.uploaded")));

    auto list = m_store->materials(a.id);
    ASSERT_TRUE(list) << list.error().describe();
    ASSERT_EQ(list->size(), 2u);
    const auto& m0 = (*list)[0];
    EXPECT_EQ(m0.kind, ra::MaterialKind::handler_id_front);
    EXPECT_EQ(m0.verdict, "accepted");
    const auto& m1 = (*list)[1];
    EXPECT_EQ(m1.application_id, a.id);
    EXPECT_EQ(m1.kind, ra::MaterialKind::business_licence);
    EXPECT_EQ(m1.blob, licence.blob);
    EXPECT_EQ(m1.content_type, licence.content_type);
    EXPECT_EQ(m1.size, licence.size);
    EXPECT_EQ(m1.file_name, licence.file_name);
    EXPECT_EQ(m1.uploaded_at, licence.uploaded_at);
    EXPECT_EQ(m1.verdict, licence.verdict);
    EXPECT_EQ(m1.verdict_reason, licence.verdict_reason);
    EXPECT_EQ(raw_count(m_file, "application_timeline"), 4);

    ASSERT_TRUE(m_store->delete_material(a.id, ra::MaterialKind::business_licence,
                                         change_of(a, "material.deleted")));
    list = m_store->materials(a.id);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1u);
    const Counts before = counts();
    auto again = m_store->delete_material(a.id, ra::MaterialKind::business_licence,
                                          change_of(a, "material.deleted"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, core::Errc::not_found);
    EXPECT_EQ(counts(), before);

    ra::Material orphan = front;
    orphan.application_id = "A404";
    auto refused = m_store->put_material(orphan, change_of(a, "material.uploaded"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "application.unknown");
    EXPECT_EQ(counts(), before);
}

TEST_F(RaStoreTest, UnsentMessagesThenMarkedSent) {
    auto a = add("A1", m_t0);
    auto c = change_of(a, "submitted");
    ra::OutboxMessage mail;
    mail.channel = ra::MessageChannel::email;
    mail.recipient = "zhang@example.cn";
    mail.subject = "发票";
    mail.body = "attached";
    mail.attachment_name = "invoice.pdf";
    mail.attachment_blob = std::string(64, 'f');
    mail.created_at = m_t0 + minutes{1};
    c.messages.push_back(mail);
    ASSERT_TRUE(m_store->update_application(a, c));

    auto unsent = m_store->unsent_messages(10);
    ASSERT_TRUE(unsent) << unsent.error().describe();
    ASSERT_EQ(unsent->size(), 3u);
    const auto& e = (*unsent)[2];
    EXPECT_GT(e.id, (*unsent)[1].id);
    EXPECT_EQ(e.channel, ra::MessageChannel::email);
    EXPECT_EQ(e.recipient, mail.recipient);
    EXPECT_EQ(e.subject, mail.subject);
    EXPECT_EQ(e.body, mail.body);
    EXPECT_EQ(e.attachment_name, mail.attachment_name);
    EXPECT_EQ(e.attachment_blob, mail.attachment_blob);
    EXPECT_EQ(e.created_at, mail.created_at);
    EXPECT_FALSE(e.sent_at.has_value());
    EXPECT_EQ(e.attempts, 0);
    EXPECT_EQ((*unsent)[0].channel, ra::MessageChannel::sms);
    EXPECT_EQ((*unsent)[0].recipient, "13800138000");

    auto limited = m_store->unsent_messages(1);
    ASSERT_TRUE(limited);
    ASSERT_EQ(limited->size(), 1u);
    EXPECT_EQ(limited->front().id, (*unsent)[0].id);

    // The first one is sent; the second failed once and goes behind the ones not yet tried.
    auto sent = (*unsent)[0];
    sent.sent_at = m_t0 + minutes{5};
    sent.provider_ref = "sms-123";
    sent.attempts = 1;
    ASSERT_TRUE(m_store->mark_message(sent));
    auto failed = (*unsent)[1];
    failed.attempts = 1;
    failed.last_error = "gateway timeout";
    ASSERT_TRUE(m_store->mark_message(failed));

    auto left = m_store->unsent_messages(10);
    ASSERT_TRUE(left);
    ASSERT_EQ(left->size(), 2u);
    EXPECT_EQ((*left)[0].id, e.id);
    EXPECT_EQ((*left)[1].id, failed.id);
    EXPECT_EQ((*left)[1].attempts, 1);
    EXPECT_EQ((*left)[1].last_error, "gateway timeout");
    EXPECT_EQ(
        raw_query(m_file, "SELECT provider_ref FROM outbox WHERE id = " + std::to_string(sent.id)),
        "sms-123");
    EXPECT_EQ(raw_query(m_file, "SELECT sent_at FROM outbox WHERE id = " + std::to_string(sent.id)),
              core::format_utc(m_t0 + minutes{5}));

    auto unknown = sent;
    unknown.id = 9999;
    auto r = m_store->mark_message(unknown);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, core::Errc::not_found);
}

// ---- identity checks -------------------------------------------------------------------------

TEST_F(RaStoreTest, IdentityCheckIsFinishedOnce) {
    auto a = add("A1", m_t0);
    ra::IdentityCheck c;
    c.id = "C1";
    c.application_id = a.id;
    c.purpose = "application";
    c.name = "张三";
    c.id_number = "440301199001011234";
    c.provider = "sandbox-face";
    c.provider_ref = "sess-1";
    c.url = "https://face.test/s/sess-1";
    c.created_at = m_t0 + minutes{1};
    ASSERT_TRUE(m_store->add_check(c, change_of(a, "identity.started")));

    const auto same = [&](const ra::IdentityCheck& x, const ra::IdentityCheck& y) {
        EXPECT_EQ(x.id, y.id);
        EXPECT_EQ(x.application_id, y.application_id);
        EXPECT_EQ(x.purpose, y.purpose);
        EXPECT_EQ(x.name, y.name);
        EXPECT_EQ(x.id_number, y.id_number);
        EXPECT_EQ(x.provider, y.provider);
        EXPECT_EQ(x.provider_ref, y.provider_ref);
        EXPECT_EQ(x.url, y.url);
        EXPECT_EQ(x.status, y.status);
        EXPECT_EQ(x.detail, y.detail);
        EXPECT_EQ(x.created_at, y.created_at);
        EXPECT_EQ(x.finished_at, y.finished_at);
    };
    auto found = m_store->find_check("C1");
    ASSERT_TRUE(found && found->has_value());
    same(**found, c);
    auto by_ref = m_store->find_check_by_ref("sandbox-face", "sess-1");
    ASSERT_TRUE(by_ref && by_ref->has_value());
    same(**by_ref, c);
    auto other_provider = m_store->find_check_by_ref("other", "sess-1");
    ASSERT_TRUE(other_provider);
    EXPECT_FALSE(other_provider->has_value());

    auto passed = c;
    passed.status = ra::CheckStatus::passed;
    passed.detail = "score 0.98";
    passed.finished_at = m_t0 + minutes{3};
    auto first = m_store->finish_check(passed, change_of(a, "identity.passed"));
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_TRUE(*first);

    // The provider calls back again, this time saying otherwise: nothing changes.
    const Counts before = counts();
    auto failed = c;
    failed.status = ra::CheckStatus::failed;
    failed.detail = "replayed";
    failed.finished_at = m_t0 + minutes{4};
    auto second = m_store->finish_check(failed, change_of(a, "identity.failed"));
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_FALSE(*second);
    EXPECT_EQ(counts(), before);
    found = m_store->find_check("C1");
    ASSERT_TRUE(found && found->has_value());
    same(**found, passed);

    // A Ukey binding's check has no application.
    ra::IdentityCheck binding = c;
    binding.id = "C2";
    binding.application_id = "";
    binding.purpose = "ukey-binding";
    binding.provider_ref = "sess-2";
    ra::ApplicationChange audit_only;
    audit_only.event = sample_event("identity.start", "identity:C2");
    ASSERT_TRUE(m_store->add_check(binding, audit_only));
    found = m_store->find_check("C2");
    ASSERT_TRUE(found && found->has_value());
    same(**found, binding);

    auto list = m_store->checks_of(a.id);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ(list->front().status, ra::CheckStatus::passed);

    auto duplicate_ref = binding;
    duplicate_ref.id = "C3";
    auto dup = m_store->add_check(duplicate_ref, audit_only);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().kind, core::Errc::already_exists);

    auto ghost = passed;
    ghost.id = "C404";
    auto unknown = m_store->finish_check(ghost, change_of(a, "identity.passed"));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().kind, core::Errc::not_found);
    auto pending = c;
    pending.id = "C2";
    auto not_a_result = m_store->finish_check(pending, change_of(a, "identity.passed"));
    ASSERT_FALSE(not_a_result);
    EXPECT_EQ(not_a_result.error().kind, core::Errc::invalid_input);
    expect_audit_clean();
}

// ---- payments --------------------------------------------------------------------------------

class RaPaymentTest : public RaStoreTest {
  protected:
    void SetUp() override {
        RaStoreTest::SetUp();
        m_app = add("A1", m_t0);
        m_app.state = ra::State::awaiting_payment;
        ASSERT_TRUE(m_store->update_application(m_app, change_of(m_app, "awaiting_payment")));
        m_app.version = 1;
        m_payment.order_no = "P1772442000123";
        m_payment.application_id = m_app.id;
        m_payment.method = ra::PaymentMethod::wechat;
        m_payment.amount_fen = 60000;
        m_payment.qr_content = "weixin://wxpay/bizpayurl?pr=abc";
        m_payment.created_at = m_t0 + minutes{10};
        ASSERT_TRUE(m_store->add_payment(m_payment, change_of(m_app, "payment.created")));
    }

    ra::Application m_app;
    ra::Payment m_payment;
};

TEST_F(RaPaymentTest, PaymentRoundTrip) {
    auto found = m_store->find_payment(m_payment.order_no);
    ASSERT_TRUE(found) << found.error().describe();
    ASSERT_TRUE(found->has_value());
    expect_same(**found, m_payment);

    ra::Payment transfer = m_payment;
    transfer.order_no = "P1772442000124";
    transfer.method = ra::PaymentMethod::bank_transfer;
    transfer.qr_content = "";
    transfer.receipt_blob = std::string(64, 'a');
    transfer.created_at = m_t0 + minutes{20};
    ASSERT_TRUE(m_store->add_payment(transfer, change_of(m_app, "payment.created")));
    auto list = m_store->payments_of(m_app.id);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u);
    expect_same((*list)[0], m_payment);
    expect_same((*list)[1], transfer);

    auto missing = m_store->find_payment("P0");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(missing->has_value());
    auto duplicate = m_store->add_payment(m_payment, change_of(m_app, "payment.created"));
    ASSERT_FALSE(duplicate);
    EXPECT_EQ(duplicate.error().code, "payment.duplicate");
}

TEST_F(RaPaymentTest, PaidUpdatesPaymentAndApplicationTogether) {
    ra::Payment paid = m_payment;
    paid.status = ra::PaymentStatus::paid;
    paid.transaction_id = "4200001234202603020000000001";
    paid.paid_at = m_t0 + minutes{12};
    ra::Application moved = m_app;
    moved.state = ra::State::paid;
    moved.paid_at = paid.paid_at;
    moved.updated_at = *paid.paid_at;
    ASSERT_TRUE(m_store->update_payment(
        paid, moved, change_of(moved, "payment.paid", "awaiting_payment", "paid")));

    auto p = m_store->find_payment(paid.order_no);
    ASSERT_TRUE(p && p->has_value());
    expect_same(**p, paid);
    auto a = m_store->find_application(m_app.id);
    ASSERT_TRUE(a && a->has_value());
    moved.version = 2;
    expect_same(**a, moved);

    // A refund based on the application as it was before: refused, and neither row moves.
    const Counts before = counts();
    ra::Payment refunded = paid;
    refunded.status = ra::PaymentStatus::refunded;
    refunded.refund_no = "R1772442000123";
    refunded.refunded_at = m_t0 + hours{1};
    ra::Application stale = m_app;  // version 1
    stale.state = ra::State::cancelled;
    auto refused = m_store->update_payment(refunded, stale, change_of(stale, "payment.refunded"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, core::Errc::conflict);
    EXPECT_EQ(counts(), before);
    p = m_store->find_payment(paid.order_no);
    ASSERT_TRUE(p && p->has_value());
    expect_same(**p, paid);
    a = m_store->find_application(m_app.id);
    ASSERT_TRUE(a && a->has_value());
    expect_same(**a, moved);

    // The payment alone, with no application change.
    ASSERT_TRUE(
        m_store->update_payment(refunded, std::nullopt, change_of(moved, "payment.refunded")));
    p = m_store->find_payment(paid.order_no);
    ASSERT_TRUE(p && p->has_value());
    expect_same(**p, refunded);
    expect_audit_clean();
}

TEST_F(RaPaymentTest, OneTransactionPaysOneOrder) {
    ra::Payment paid = m_payment;
    paid.status = ra::PaymentStatus::paid;
    paid.transaction_id = "T-1";
    paid.paid_at = m_t0 + minutes{12};
    ASSERT_TRUE(m_store->update_payment(paid, std::nullopt, change_of(m_app, "payment.paid")));
    // The same notification again, for the same order: fine.
    ASSERT_TRUE(m_store->update_payment(paid, std::nullopt, change_of(m_app, "payment.paid")));

    ra::Payment other = m_payment;
    other.order_no = "P2";
    ASSERT_TRUE(m_store->add_payment(other, change_of(m_app, "payment.created")));
    other.status = ra::PaymentStatus::paid;
    other.transaction_id = "T-1";
    const Counts before = counts();
    auto refused = m_store->update_payment(other, std::nullopt, change_of(m_app, "payment.paid"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "payment.duplicate_transaction");
    EXPECT_EQ(counts(), before);

    auto ghost = m_payment;
    ghost.order_no = "P404";
    auto unknown = m_store->update_payment(ghost, std::nullopt, change_of(m_app, "payment.paid"));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "payment.unknown");
}

// ---- the form as JSON ----------------------------------------------------------------------

TEST(ApplicationFormJson, MissingKeysTakeDefaultsAndWrongTypesAreCorrupt) {
    auto empty = form_from_json("{}", "test");
    ASSERT_TRUE(empty) << empty.error().describe();
    EXPECT_EQ(empty->years, 1);
    EXPECT_EQ(empty->algorithm, "sm2");
    EXPECT_EQ(empty->delivery, ra::Delivery::post);
    EXPECT_FALSE(empty->holder.has_value());

    for (const char* bad : {"[]", "not json", R"({"years":"three"})", R"({"delivery":"drone"})",
                            R"({"handler":{"name":7}})"}) {
        auto r = form_from_json(bad, "test");
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, "storage.corrupt") << bad;
    }

    ra::ApplicationForm f;
    f.remarks = std::string("\xff\xfe");
    auto invalid = form_to_json(f);
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().kind, core::Errc::invalid_input);
}

TEST_F(RaStoreTest, AFormChangedBehindTheStoresBackIsReportedNotTrusted) {
    add("A1", m_t0);
    raw_exec(m_file, R"(UPDATE applications SET form = '{"years":"many"}')");
    auto found = m_store->find_application("A1");
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().kind, core::Errc::storage);
    EXPECT_EQ(found.error().code, "storage.corrupt");
}

}  // namespace
}  // namespace eseal::store
