// The staff console's domain rules (issue 9) that need no server: serial spelling, and who holds
// the new duties.
#include <gtest/gtest.h>

#include "ra/certificates.hpp"
#include "ra/duties.hpp"

namespace eseal::ra {
namespace {

TEST(NormalizeSerial, AnyCaseColonsAndLeadingZerosGiveTheStoredForm) {
    EXPECT_EQ(normalize_serial("5F:3A:0B"), "5f3a0b");
    EXPECT_EQ(normalize_serial("005f3a0b"), "5f3a0b");
    EXPECT_EQ(normalize_serial("5f 3a 0b"), "5f3a0b");
    EXPECT_EQ(normalize_serial(""), std::nullopt);
    EXPECT_EQ(normalize_serial("00:00"), std::nullopt);  // RFC 5280 §4.1.2.2: positive
    EXPECT_EQ(normalize_serial("91440300MA5F000001"), std::nullopt);  // a credit code, not hex
    EXPECT_EQ(normalize_serial(std::string(41, 'a')), std::nullopt);  // over 20 octets
    EXPECT_EQ(normalize_serial(std::string(40, 'A')), std::string(40, 'a'));
}

Actor staff_with(std::vector<std::string> roles) { return Actor{Actor::Kind::staff, 0, "someone", "", std::move(roles)}; }

TEST(ConsoleDuties, AuditIsForAuditorsAndAdminsConfirmingTransfersForReviewersClerksAndAdmins) {
    EXPECT_TRUE(require(staff_with({"auditor"}), Duty::audit));
    EXPECT_TRUE(require(staff_with({"admin"}), Duty::audit));
    for (const char* role : {"reviewer", "counter_clerk", "issuer", "shipper", "ca_operator"}) {
        auto r = require(staff_with({role}), Duty::audit);
        ASSERT_FALSE(r) << role;
        EXPECT_EQ(r.error().code, "staff.role_required");
    }
    for (const char* role : {"reviewer", "counter_clerk", "admin"})
        EXPECT_TRUE(require(staff_with({role}), Duty::confirm_payment, Channel::online)) << role;
    for (const char* role : {"issuer", "shipper", "ca_operator", "auditor"})
        EXPECT_FALSE(require(staff_with({role}), Duty::confirm_payment, Channel::counter)) << role;
    EXPECT_EQ(require(Actor{Actor::Kind::applicant, 1, "13800138000", "", {}}, Duty::audit).error().code, "auth.staff_only");
}

}  // namespace
}  // namespace eseal::ra
