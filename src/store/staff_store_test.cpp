// CA staff accounts (ra/staff.hpp) on a real SqliteStore: password policy, argon2id hashes,
// no user enumeration, lockout after five wrong passwords and its end fifteen minutes later.
#include <gtest/gtest.h>

#include <algorithm>

#include "ra/staff.hpp"
#include "store/sqlite_store.hpp"
#include "store/test_support.hpp"

namespace eseal::store {
namespace {

using test_support::TempDir;

class StaffStore : public ::testing::Test {
  protected:
    TempDir dir;
    std::unique_ptr<SqliteStore> store;
    core::ManualClock clock{std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
    std::unique_ptr<ra::StaffService> staff;

    void SetUp() override {
        auto s = SqliteStore::open(dir.path() / "eseal.db");
        ASSERT_TRUE(s) << s.error().describe();
        store = std::move(*s);
        staff = std::make_unique<ra::StaffService>(*store, clock);
    }

    void add_alice() {
        auto a = staff->add("alice", "Alice Li", {ra::Role::reviewer, ra::Role::issuer},
                            core::SecureString("correct horse battery"), "cli");
        ASSERT_TRUE(a) << a.error().describe();
    }
};

TEST_F(StaffStore, PolicyReportsEveryProblemAtOnce) {
    auto a = staff->add("A!", "", {}, core::SecureString("short"), "cli");
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, "staff.invalid");
    std::vector<std::string> fields;
    for (const auto& p : a.error().problems) fields.push_back(p.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"login", "name", "roles", "password"}));
    auto listed = staff->list();
    ASSERT_TRUE(listed);
    EXPECT_TRUE(listed->empty());
}

TEST_F(StaffStore, StoresAnArgon2idHashThatVerifies) {
    add_alice();
    auto found = store->find_staff_by_login("alice");
    ASSERT_TRUE(found && *found);
    const auto& a = **found;
    EXPECT_TRUE(a.password_hash.starts_with("$argon2id$v=19$m=65536,t=3,p=1$")) << a.password_hash;
    EXPECT_TRUE(ra::StaffService::verify_password(a.password_hash, core::SecureString("correct horse battery")));
    EXPECT_FALSE(ra::StaffService::verify_password(a.password_hash, core::SecureString("correct horse batterY")));
    EXPECT_EQ(a.roles, (std::vector<ra::Role>{ra::Role::reviewer, ra::Role::issuer}));
    EXPECT_EQ(a.display_name, "Alice Li");
    auto again = staff->add("alice", "Other", {ra::Role::admin}, core::SecureString("another long password"), "cli");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "staff.login_taken");
    // The addition is in the audit log.
    auto events = store->audit_events(0);
    ASSERT_TRUE(events);
    EXPECT_TRUE(std::any_of(events->begin(), events->end(), [](const AuditRow& r) {
        return r.event.action == "staff.add" && r.event.object == "staff:alice";
    }));
}

TEST_F(StaffStore, WrongPasswordAndUnknownLoginLookTheSame) {
    add_alice();
    auto wrong = staff->login("alice", core::SecureString("not the password"), "10.0.0.1");
    auto unknown = staff->login("bob", core::SecureString("not the password"), "10.0.0.1");
    ASSERT_FALSE(wrong);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(wrong.error().code, "staff.login_failed");
    EXPECT_EQ(unknown.error().code, wrong.error().code);
    EXPECT_EQ(unknown.error().message, wrong.error().message);
    EXPECT_EQ(unknown.error().kind, wrong.error().kind);

    auto ok = staff->login("alice", core::SecureString("correct horse battery"), "10.0.0.1");
    ASSERT_TRUE(ok) << ok.error().describe();
    auto who = staff->authenticate(ok->cookie, "10.0.0.1");
    ASSERT_TRUE(who && *who);
    EXPECT_EQ((*who)->first.kind, ra::Actor::Kind::staff);
    EXPECT_EQ((*who)->first.name, "alice");
    EXPECT_EQ((*who)->first.roles, (std::vector<std::string>{"reviewer", "issuer"}));
    // A success clears the count of failures.
    auto after = store->find_staff_by_login("alice");
    ASSERT_TRUE(after && *after);
    EXPECT_EQ((*after)->failed_attempts, 0);
}

TEST_F(StaffStore, FiveFailuresLockForFifteenMinutes) {
    add_alice();
    for (int i = 0; i < 4; ++i) {
        auto r = staff->login("alice", core::SecureString("wrong wrong wrong"), "10.0.0.1");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, "staff.login_failed");
    }
    auto fifth = staff->login("alice", core::SecureString("wrong wrong wrong"), "10.0.0.1");
    ASSERT_FALSE(fifth);
    EXPECT_EQ(fifth.error().code, "staff.locked");
    const auto until = core::format_utc(clock.now() + std::chrono::minutes(15));
    EXPECT_NE(fifth.error().message.find(until), std::string::npos) << fifth.error().message;
    // Locked: even the right password is refused.
    auto right = staff->login("alice", core::SecureString("correct horse battery"), "10.0.0.1");
    ASSERT_FALSE(right);
    EXPECT_EQ(right.error().code, "staff.locked");
    clock.advance(std::chrono::minutes(14));
    EXPECT_EQ(staff->login("alice", core::SecureString("correct horse battery"), "10.0.0.1").error().code, "staff.locked");
    clock.advance(std::chrono::minutes(1));
    auto unlocked = staff->login("alice", core::SecureString("correct horse battery"), "10.0.0.1");
    ASSERT_TRUE(unlocked) << unlocked.error().describe();
    auto a = store->find_staff_by_login("alice");
    ASSERT_TRUE(a && *a);
    EXPECT_FALSE((*a)->locked_until);
    EXPECT_EQ((*a)->failed_attempts, 0);
}

}  // namespace
}  // namespace eseal::store
