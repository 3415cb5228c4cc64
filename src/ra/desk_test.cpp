// The duties table (who on the staff may do what) and the invoices' tax arithmetic.
#include <gtest/gtest.h>

#include "ra/duties.hpp"
#include "ra/invoices.hpp"

namespace eseal::ra {
namespace {

Actor staff(std::vector<std::string> roles) { return Actor{Actor::Kind::staff, 0, "someone", "127.0.0.1", std::move(roles)}; }

TEST(Duties, EachRoleDoesItsOwnPart) {
    EXPECT_TRUE(require(staff({"reviewer"}), Duty::review));
    EXPECT_FALSE(require(staff({"reviewer"}), Duty::issue));
    EXPECT_TRUE(require(staff({"issuer"}), Duty::issue));
    EXPECT_FALSE(require(staff({"issuer"}), Duty::revoke));
    EXPECT_TRUE(require(staff({"ca_operator"}), Duty::revoke));
    EXPECT_TRUE(require(staff({"shipper"}), Duty::ship));
    EXPECT_TRUE(require(staff({"auditor"}), Duty::read));
    EXPECT_FALSE(require(staff({"auditor"}), Duty::review));
    EXPECT_FALSE(require(staff({}), Duty::read));
}

TEST(Duties, TheClerkRunsACounterApplicationButNeverRevokes) {
    const auto clerk = staff({"counter_clerk"});
    EXPECT_FALSE(require(clerk, Duty::review, Channel::online));
    EXPECT_TRUE(require(clerk, Duty::review, Channel::counter));
    EXPECT_TRUE(require(clerk, Duty::issue, Channel::counter));
    EXPECT_TRUE(require(clerk, Duty::hand_over, Channel::counter));
    auto revoke = require(clerk, Duty::revoke, Channel::counter);
    ASSERT_FALSE(revoke);
    EXPECT_EQ(revoke.error().code, "staff.role_required");
    EXPECT_NE(revoke.error().message.find("ca_operator"), std::string::npos);
}

TEST(Duties, ApplicantsAndTheSystemAreNotStaff) {
    Actor applicant{Actor::Kind::applicant, 7, "13800138000", "", {"reviewer"}};  // roles do not make staff
    auto r = require(applicant, Duty::read);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "auth.staff_only");
    EXPECT_FALSE(require(Actor::system(), Duty::issue));
}

TEST(Invoices, TaxContainedInATaxInclusiveAmount) {
    EXPECT_EQ(tax_included(20000, 60), 1132);   // 200.00 = 188.68 + 11.32
    EXPECT_EQ(tax_included(12000, 60), 679);    // 120.00 = 113.21 + 6.79
    EXPECT_EQ(tax_included(40000, 60), 2264);   // 400.00 = 377.36 + 22.64
    EXPECT_EQ(tax_included(10600, 60), 600);    // exact
    EXPECT_EQ(tax_included(0, 60), 0);
    EXPECT_EQ(tax_included(20000, 0), 0);
    EXPECT_EQ(tax_included(11300, 130), 1300);  // 13 %
}

}  // namespace
}  // namespace eseal::ra
