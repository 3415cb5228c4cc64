#include "pki/identifiers.hpp"

#include <gtest/gtest.h>

namespace eseal::pki {

// Published sample codes whose check characters were computed by their issuers.
TEST(CreditCode, AcceptsValidCodes) {
    EXPECT_FALSE(check_credit_code("91350100M000100Y43"));
    EXPECT_FALSE(check_credit_code("914403001922038216"));
}

TEST(CreditCode, NamesWhatIsWrong) {
    auto p = check_credit_code("91350100M000100Y44");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->code, "credit_code.checksum");
    EXPECT_NE(p->message.find("'3'"), std::string::npos) << p->message;
    EXPECT_EQ(check_credit_code("91350100M000100Y4")->code, "credit_code.length");
    EXPECT_EQ(check_credit_code("91350100M000100I43")->code, "credit_code.character");
    EXPECT_EQ(check_credit_code("91350100m000100Y43")->code, "credit_code.character");
}

TEST(CreditCode, CheckCharacterWrapsToZero) {
    // Find a 17-char prefix whose sum is a multiple of 31: its check character is '0' (GB 32100 §4.3).
    std::string prefix = "9144030000000000";
    for (char c : std::string_view("0123456789ABCDEFGHJKLMNPQRTUWXY")) {
        if (credit_code_check_char(prefix + c) == '0') {
            EXPECT_FALSE(check_credit_code(prefix + c + '0'));
            return;
        }
    }
    FAIL() << "no prefix with check character 0";
}

TEST(ResidentId, AcceptsValidNumbers) {
    EXPECT_FALSE(check_resident_id("11010519491231002X"));  // GB 11643-1999 Appendix example
}

TEST(ResidentId, NamesWhatIsWrong) {
    EXPECT_EQ(check_resident_id("110105194912310021")->code, "resident_id.checksum");
    EXPECT_EQ(check_resident_id("11010519491331002X")->code, "resident_id.birth_date");
    EXPECT_EQ(check_resident_id("1101051949123100")->code, "resident_id.length");
    EXPECT_EQ(check_resident_id("11010519491231002x")->code, "resident_id.character");
}

}  // namespace eseal::pki
