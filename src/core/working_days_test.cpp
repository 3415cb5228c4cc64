#include "core/working_days.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace eseal::core {
namespace {

using namespace std::chrono;

Date d(int y, unsigned m, unsigned dd) {
    return Date{year{y}, month{m}, day{dd}};
}

TimePoint utc(std::string_view text) {
    TimePoint t;
    EXPECT_TRUE(parse_utc(text, t)) << text;
    return t;
}

// China local time, as the guide's customers see it.
TimePoint cst(Date date, int h, int m = 0, int s = 0) {
    return china_time(date, hours{h} + minutes{m} + seconds{s});
}

std::string due(TimePoint submitted, int n) {
    auto r = WorkingCalendar::china_default().due_after_working_days(submitted, n);
    if (!r)
        return "error: " + r.error().code;
    return format_utc(*r);
}

const WorkingCalendar& cal() {
    return WorkingCalendar::china_default();
}

TEST(WorkingDays, ChinaTimeIsUtcPlusEight) {
    const auto t = utc("2026-09-29T16:30:00Z");
    EXPECT_EQ(format_date(china_date(t)), "2026-09-30");
    EXPECT_EQ(china_time_of_day(t), hours{0} + minutes{30});
    EXPECT_EQ(format_utc(cst(d(2026, 9, 30), 23, 59, 59)), "2026-09-30T15:59:59Z");
}

TEST(WorkingDays, DefaultTableCoversThreeYearsAnd2027IsAProjection) {
    EXPECT_EQ(cal().years(), (std::set<year>{year{2025}, year{2026}, year{2027}}));
    EXPECT_EQ(cal().status(year{2025}), WorkingCalendar::Status::official);
    EXPECT_EQ(cal().status(year{2026}), WorkingCalendar::Status::official);
    EXPECT_EQ(cal().status(year{2027}), WorkingCalendar::Status::projected);
    EXPECT_FALSE(cal().status(year{2028}).has_value());
}

TEST(WorkingDays, KindsOfDays) {
    EXPECT_EQ(cal().kind_of(d(2026, 3, 13)), DayKind::working);  // a Friday
    EXPECT_EQ(cal().kind_of(d(2026, 3, 14)), DayKind::rest);     // a Saturday
    EXPECT_EQ(cal().kind_of(d(2026, 10, 1)), DayKind::holiday);
    EXPECT_EQ(cal().kind_of(d(2026, 10, 3)), DayKind::holiday);  // a Saturday inside the break
    EXPECT_EQ(cal().kind_of(d(2026, 9, 20)), DayKind::makeup_workday);   // a Sunday worked
    EXPECT_EQ(cal().kind_of(d(2026, 10, 10)), DayKind::makeup_workday);  // a Saturday worked
    EXPECT_EQ(cal().kind_of(d(2025, 1, 26)), DayKind::makeup_workday);
    EXPECT_EQ(cal().name_of(d(2026, 10, 1)), "国庆节");
    EXPECT_EQ(cal().name_of(d(2026, 3, 13)), "");
    EXPECT_EQ(cal().is_working_day(d(2026, 10, 10)), true);
    EXPECT_EQ(cal().is_working_day(d(2026, 9, 27)), false);  // Mid-Autumn, a Sunday
}

TEST(WorkingDays, AddWorkingDaysSkipsWeekendsAndHolidays) {
    EXPECT_EQ(cal().add_working_days(d(2026, 3, 13), 0), d(2026, 3, 13));
    EXPECT_EQ(cal().add_working_days(d(2026, 3, 13), 1), d(2026, 3, 16));   // Fri → Mon
    EXPECT_EQ(cal().add_working_days(d(2026, 9, 30), 1), d(2026, 10, 8));   // over National Day
    EXPECT_EQ(cal().add_working_days(d(2026, 9, 30), 3), d(2026, 10, 10));  // the make-up Saturday
    EXPECT_EQ(cal().add_working_days(d(2026, 9, 18), 1), d(2026, 9, 20));   // the make-up Sunday
    EXPECT_EQ(cal().add_working_days(d(2026, 2, 13), 2), d(2026, 2, 24));   // Spring Festival 2026
    EXPECT_EQ(cal().add_working_days(d(2025, 1, 27), 1), d(2025, 2, 5));    // Spring Festival 2025
}

TEST(WorkingDays, ReviewDueAcrossNationalDay2026) {
    // A paid application on Wednesday 30 September, before the cutoff: day 0 is that day, so the
    // one-working-day review is due at the end of Thursday 8 October, the first day back.
    EXPECT_EQ(due(cst(d(2026, 9, 30), 10), 1), "2026-10-08T15:59:59Z");
    EXPECT_EQ(due(cst(d(2026, 9, 30), 16, 59, 59), 1), "2026-10-08T15:59:59Z");
    // At 17:00 the day is over: day 0 is 8 October, due on Friday 9 October.
    EXPECT_EQ(due(cst(d(2026, 9, 30), 17), 1), "2026-10-09T15:59:59Z");
    // Shipping within three working days: the make-up Saturday 10 October counts.
    EXPECT_EQ(due(cst(d(2026, 9, 30), 10), 3), "2026-10-10T15:59:59Z");
    // Submitted during the holiday: as if on the first day back.
    EXPECT_EQ(due(cst(d(2026, 10, 3), 10), 1), "2026-10-09T15:59:59Z");
}

TEST(WorkingDays, MakeUpDaysAreWorkingDays) {
    // Submitted on the make-up Saturday itself, in the morning: that Saturday is day 0.
    EXPECT_EQ(due(cst(d(2026, 10, 10), 9), 1), "2026-10-12T15:59:59Z");
    // Submitted on an ordinary Saturday: day 0 is the make-up Sunday after it.
    EXPECT_EQ(due(cst(d(2026, 9, 19), 11), 1), "2026-09-21T15:59:59Z");
}

TEST(WorkingDays, SpringFestivalAndAnOrdinaryWeekend) {
    // Friday 13 Feb 2026, then the make-up Saturday 14 Feb, then the break until 23 Feb.
    EXPECT_EQ(due(cst(d(2026, 2, 13), 16), 1), "2026-02-14T15:59:59Z");
    EXPECT_EQ(due(cst(d(2026, 2, 14), 18), 1), "2026-02-25T15:59:59Z");
    // An ordinary weekend: Friday morning → Monday; Friday evening and Saturday → Tuesday.
    EXPECT_EQ(due(cst(d(2026, 3, 13), 9), 1), "2026-03-16T15:59:59Z");
    EXPECT_EQ(due(cst(d(2026, 3, 13), 20), 1), "2026-03-17T15:59:59Z");
    EXPECT_EQ(due(cst(d(2026, 3, 14), 9), 1), "2026-03-17T15:59:59Z");
    // n = 0: the end of day 0.
    EXPECT_EQ(due(cst(d(2026, 3, 13), 9), 0), "2026-03-13T15:59:59Z");
}

TEST(WorkingDays, ADifferentDueRule) {
    const DueRule close_of_business{hours{12}, hours{17} + minutes{30}};
    auto r = cal().due_after_working_days(cst(d(2026, 3, 13), 13), 1, close_of_business);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(format_utc(*r), "2026-03-17T09:30:00Z");
}

TEST(WorkingDays, OutsideTheCoveredYearsIsAnError) {
    auto before = cal().is_working_day(d(2024, 12, 31));
    ASSERT_FALSE(before.has_value());
    EXPECT_EQ(before.error().code, "calendar.year_not_covered");
    EXPECT_EQ(before.error().kind, Errc::unsupported);
    // Stepping off the end of the table fails too, rather than guessing 2028.
    auto after = cal().add_working_days(d(2027, 12, 31), 1);
    ASSERT_FALSE(after.has_value());
    EXPECT_EQ(after.error().code, "calendar.year_not_covered");
    EXPECT_EQ(due(utc("2028-03-01T02:00:00Z"), 1), "error: calendar.year_not_covered");
    EXPECT_EQ(cal().add_working_days(d(2026, 3, 13), -1).error().code, "calendar.negative_days");
}

TEST(WorkingDays, ParsesAnOperatorsFile) {
    auto c = WorkingCalendar::parse(
        "# 2028, from the notice\r\n"
        "year 2028 official 国务院办公厅通知\n"
        "\n"
        "2028-01-01 holiday 元旦   # a Saturday\n"
        "2028-01-29 workday 春节调休\n");
    ASSERT_TRUE(c.has_value()) << c.error().describe();
    EXPECT_EQ(c->kind_of(d(2028, 1, 1)), DayKind::holiday);
    EXPECT_EQ(c->name_of(d(2028, 1, 1)), "元旦");
    EXPECT_EQ(c->kind_of(d(2028, 1, 29)), DayKind::makeup_workday);
    EXPECT_EQ(c->name_of(d(2028, 1, 29)), "春节调休");
    EXPECT_FALSE(c->covers(year{2027}));
}

TEST(WorkingDays, ParseReportsEveryMalformedLineWithItsNumber) {
    auto c = WorkingCalendar::parse(
        "year 2026 official notice\n"            // 1
        "2026-10-01 holiday 国庆节\n"            // 2
        "2026-13-01 holiday bad month\n"         // 3
        "2026-10-02 vacation 国庆节\n"           // 4
        "2026-09-30 workday not a weekend\n"     // 5: a Wednesday
        "2026-10-01 holiday again\n"             // 6
        "2029-01-01 holiday 元旦\n"              // 7: no year line
        "2026-10-07..2026-10-01 holiday back\n"  // 8
        "year 2026 projected again\n"            // 9
        "year 20x6 official\n"                   // 10
        "year 2027 maybe\n");                    // 11
    ASSERT_FALSE(c.has_value());
    EXPECT_EQ(c.error().code, "calendar.malformed");
    const auto& p = c.error().problems;
    ASSERT_EQ(p.size(), 9u) << c.error().describe();
    const std::vector<std::pair<std::string, std::string>> expected{
        {"line 3", "calendar.date"},
        {"line 4", "calendar.kind"},
        {"line 5", "calendar.workday_not_weekend"},
        {"line 6", "calendar.duplicate"},
        {"line 7", "calendar.year_not_declared"},
        {"line 8", "calendar.range"},
        {"line 9", "calendar.year.duplicate"},
        {"line 10", "calendar.year.syntax"},
        {"line 11", "calendar.year.status"},
    };
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(p[i].field, expected[i].first) << i;
        EXPECT_EQ(p[i].code, expected[i].second) << i;
        EXPECT_TRUE(p[i].message.starts_with(expected[i].first + ": ")) << p[i].message;
    }
    EXPECT_EQ(WorkingCalendar::parse("# nothing\n").error().code, "calendar.empty");
}

TEST(WorkingDays, LoadsFromAFileAndNamesTheFileInErrors) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("eseal-cal-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto good = (dir / "good.txt").string();
    const auto bad = (dir / "bad.txt").string();
    std::ofstream(good) << "year 2026 official notice\n2026-10-01..2026-10-07 holiday 国庆节\n";
    std::ofstream(bad) << "year 2026 official notice\n2026-10-01 holday 国庆节\n";

    auto c = WorkingCalendar::load(good);
    ASSERT_TRUE(c.has_value()) << c.error().describe();
    EXPECT_EQ(c->add_working_days(d(2026, 9, 30), 1), d(2026, 10, 8));

    auto b = WorkingCalendar::load(bad);
    ASSERT_FALSE(b.has_value());
    EXPECT_NE(b.error().message.find(bad), std::string::npos);
    ASSERT_EQ(b.error().problems.size(), 1u);
    EXPECT_EQ(b.error().problems[0].field, "line 2");

    auto missing = WorkingCalendar::load((dir / "missing.txt").string());
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().kind, Errc::io);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace eseal::core
