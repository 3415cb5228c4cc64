#include "core/clock.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/secure_string.hpp"

namespace eseal::core {

TEST(Clock, FormatsAndParsesUtc) {
    TimePoint t;
    ASSERT_TRUE(parse_utc("2026-11-25T19:21:05Z", t));
    EXPECT_EQ(format_utc(t), "2026-11-25T19:21:05Z");
    ASSERT_TRUE(parse_utc("2024-02-29", t));
    EXPECT_EQ(format_utc(t), "2024-02-29T00:00:00Z");
    EXPECT_FALSE(parse_utc("2023-02-29", t));
    EXPECT_FALSE(parse_utc("2026-11-25T19:21:05", t));
    EXPECT_FALSE(parse_utc("2026-11-25T25:00:00Z", t));
}

TEST(Clock, AddYearsKeepsTheDayAndHandlesLeapDays) {
    TimePoint t;
    ASSERT_TRUE(parse_utc("2024-02-29T08:00:00Z", t));
    EXPECT_EQ(format_utc(add_years(t, 1)), "2025-02-28T08:00:00Z");
    EXPECT_EQ(format_utc(add_years(t, 4)), "2028-02-29T08:00:00Z");
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
    ManualClock c{TimePoint{std::chrono::seconds{1000}}};
    EXPECT_EQ(c.now().time_since_epoch().count(), 1000);
    c.advance(std::chrono::seconds{5});
    EXPECT_EQ(c.now().time_since_epoch().count(), 1005);
}

TEST(Error, DescribeListsEveryProblem) {
    auto r = fail(Errc::invalid_input, "csr.rejected", "the CSR was rejected",
                  {{"a.one", "first", "x"}, {"b.two", "second", ""}});
    ASSERT_FALSE(r.error().problems.empty());
    const auto text = r.error().describe();
    EXPECT_NE(text.find("a.one: first [x]"), std::string::npos);
    EXPECT_NE(text.find("b.two: second"), std::string::npos);
}

TEST(SecureString, MovesLeaveTheSourceEmpty) {
    SecureString a("123456");
    SecureString b(std::move(a));
    EXPECT_EQ(b.view(), "123456");
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
}

}  // namespace eseal::core
