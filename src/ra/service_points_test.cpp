#include "ra/service_points.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>
#include <nlohmann/json.hpp>

namespace eseal::ra {
namespace {

using namespace std::chrono;
using nlohmann::json;

core::Date d(int y, unsigned m, unsigned dd) {
    return core::Date{year{y}, month{m}, day{dd}};
}
core::TimePoint cst(core::Date date, int h, int m = 0) {
    return core::china_time(date, hours{h} + minutes{m});
}
const core::WorkingCalendar& cal() {
    return core::WorkingCalendar::china_default();
}

const ServicePoint& point(std::string_view id) {
    for (const auto& p : default_service_points()) {
        if (p.id == id)
            return p;
    }
    throw std::logic_error("no service point " + std::string(id));
}

bool open(std::string_view id, core::TimePoint t) {
    auto r = open_at(point(id), t, cal());
    EXPECT_TRUE(r.has_value()) << r.error().describe();
    return r.value_or(false);
}

std::string next(std::string_view id, core::TimePoint t) {
    auto r = next_opening(point(id), t, cal());
    if (!r)
        return "error: " + r.error().code;
    return *r ? format_china_time(**r) : "never";
}

TEST(ServicePoints, TheGuidesNinePoints) {
    const auto& points = default_service_points();
    ASSERT_EQ(points.size(), 9u);
    EXPECT_EQ(point("yannan").name, "燕南受理点");
    EXPECT_EQ(point("yannan").district, "福田区");
    EXPECT_EQ(point("longgang-hall").address,
              "深圳市龙岗区龙翔大道8033-1龙岗区行政服务大厅一楼54号窗口");
    EXPECT_EQ(point("pingshan").hours.weekdays.back().close, hours{17} + minutes{30});
    for (const auto& p : points) EXPECT_TRUE(p.hours.holidays.empty()) << p.id;  // all close
}

TEST(ServicePoints, AWeekdayInsideAndOutsideHours) {
    const auto monday = d(2026, 3, 16);
    EXPECT_FALSE(open("yannan", cst(monday, 8, 59)));
    EXPECT_TRUE(open("yannan", cst(monday, 9)));
    EXPECT_TRUE(open("yannan", cst(monday, 17, 59)));
    EXPECT_FALSE(open("yannan", cst(monday, 18)));
    // Xili closes for lunch 12:00-14:00, Guangming 12:00-13:30.
    EXPECT_FALSE(open("xili", cst(monday, 12, 30)));
    EXPECT_EQ(next("xili", cst(monday, 12, 30)), "2026-03-16T14:00:00+08:00");
    EXPECT_EQ(next("guangming", cst(monday, 12, 30)), "2026-03-16T13:30:00+08:00");
    EXPECT_EQ(next("yannan", cst(monday, 7)), "2026-03-16T09:00:00+08:00");
    // While open, the next opening is the next session.
    EXPECT_EQ(next("yannan", cst(monday, 10)), "2026-03-17T09:00:00+08:00");
}

TEST(ServicePoints, AWeekend) {
    const auto saturday = d(2026, 3, 14);
    EXPECT_TRUE(open("yannan", cst(saturday, 10, 30)));  // weekend hours 10:00-18:00
    EXPECT_FALSE(open("yannan", cst(saturday, 9, 30)));
    EXPECT_TRUE(open("longgang", cst(saturday, 9, 30)));  // Mon-Sun
    EXPECT_FALSE(open("xili", cst(saturday, 10, 30)));    // closed at weekends
    EXPECT_EQ(next("xili", cst(saturday, 10, 30)), "2026-03-16T09:00:00+08:00");
    EXPECT_EQ(next("yannan", cst(saturday, 8)), "2026-03-14T10:00:00+08:00");
}

TEST(ServicePoints, ClosedOnNationalDay2026) {
    // Thursday 1 October and Saturday 3 October are inside the break: even the points that open
    // every day are closed; the first opening is Thursday 8 October.
    EXPECT_FALSE(open("xili", cst(d(2026, 10, 1), 10)));
    EXPECT_FALSE(open("longgang", cst(d(2026, 10, 3), 10)));
    EXPECT_FALSE(open("yannan", cst(d(2026, 10, 3), 11)));
    EXPECT_EQ(next("longgang", cst(d(2026, 9, 30), 18)), "2026-10-08T09:00:00+08:00");
    EXPECT_EQ(next("yannan", cst(d(2026, 10, 1), 10)), "2026-10-08T09:00:00+08:00");
}

TEST(ServicePoints, AMakeUpWorkingSundayTakesWeekdayHours) {
    const auto makeup = d(2026, 9, 20);    // 国庆节调休, a Sunday
    const auto ordinary = d(2026, 9, 13);  // an ordinary Sunday
    EXPECT_TRUE(open("xili", cst(makeup, 9, 30)));
    EXPECT_FALSE(open("xili", cst(ordinary, 9, 30)));
    // Yannan opens at 9:00 on weekdays but 10:00 at weekends.
    EXPECT_TRUE(open("yannan", cst(makeup, 9, 30)));
    EXPECT_FALSE(open("yannan", cst(ordinary, 9, 30)));
    EXPECT_EQ(next("pingshan", cst(d(2026, 9, 19), 12)), "2026-09-20T09:00:00+08:00");
}

TEST(ServicePoints, OpenNowUsesTheInjectedClock) {
    core::ManualClock clock{cst(d(2026, 3, 16), 10)};
    EXPECT_EQ(open_now(point("pingshan"), clock, cal()), true);
    clock.set(cst(d(2026, 3, 16), 17, 30));
    EXPECT_EQ(open_now(point("pingshan"), clock, cal()), false);
}

TEST(ServicePoints, OutsideTheCalendarIsAnError) {
    auto r = open_at(point("yannan"), cst(d(2024, 12, 31), 10), cal());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, "calendar.year_not_covered");
    EXPECT_EQ(next("xili", cst(d(2027, 12, 31), 19)), "error: calendar.year_not_covered");
}

TEST(ServicePoints, JsonForTheApi) {
    const auto j = to_json(point("xili"), cst(d(2026, 9, 30), 18), cal());
    EXPECT_EQ(j["id"], "xili");
    EXPECT_EQ(j["name"], "深圳交易集团西丽受理点");
    EXPECT_EQ(j["district"], "南山区");
    EXPECT_EQ(j["phone"], "400-112-3838");
    EXPECT_EQ(j["hours"], json({"周一至周五 9:00-12:00, 14:00-18:00", "周六、周日休息",
                                "法定节假日休息", "调休上班日按周一至周五时间"}));
    EXPECT_EQ(j["open_now"], false);
    EXPECT_EQ(j["next_opening"], "2026-10-08T09:00:00+08:00");
    EXPECT_EQ(to_json(point("longgang"), cst(d(2026, 3, 14), 9), cal())["hours"][0],
              "周一至周日 9:00-12:00, 13:00-17:30");
    EXPECT_EQ(to_json(point("longgang"), cst(d(2026, 3, 14), 9), cal())["open_now"], true);
    const auto outside = to_json(point("xili"), cst(d(2030, 1, 2), 10), cal());
    EXPECT_TRUE(outside["open_now"].is_null());
    EXPECT_TRUE(outside["next_opening"].is_null());
}

TEST(ServicePoints, LoadsAnOperatorsList) {
    const auto doc = json::parse(R"({"service_points": [
      {"id": "futian-hall", "name": "福田行政服务大厅", "district": "福田区", "address": "福田区某路1号",
       "hours": {"weekdays": ["08:30-12:00", "14:00-17:30"], "weekends": [], "holidays": ["10:00-16:00"]}}]})");
    auto points = parse_service_points(doc);
    ASSERT_TRUE(points.has_value()) << points.error().describe();
    ASSERT_EQ(points->size(), 1u);
    const auto& p = points->front();
    EXPECT_EQ(p.phone, "");
    EXPECT_EQ(p.hours.weekdays.front().open, hours{8} + minutes{30});
    // This point says it opens on public holidays.
    EXPECT_EQ(open_at(p, cst(d(2026, 10, 2), 11), cal()), true);
    EXPECT_EQ(open_at(p, cst(d(2026, 10, 2), 9), cal()), false);
}

TEST(ServicePoints, ABadEntryIsNamedInTheError) {
    const auto doc = json::parse(R"({"service_points": [
      {"id": "a", "name": "甲", "district": "福田区", "address": "一号",
       "hours": {"weekdays": ["9:00-18:00"], "weekends": []}},
      {"id": "longhua", "name": "龙华受理点", "district": "龙华区", "adress": "typo",
       "hours": {"weekdays": ["9-18", "13:00-12:00"], "weekend": []}},
      {"id": "a", "name": "乙", "district": "福田区", "address": "二号",
       "hours": {"weekdays": [], "weekends": ["25:00-26:00"]}},
      "not an object"]})");
    auto r = parse_service_points(doc);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, "service_points.invalid");
    const auto describe = r.error().describe();
    std::vector<std::string> fields;
    for (const auto& p : r.error().problems) fields.push_back(p.field);
    EXPECT_EQ(fields, (std::vector<std::string>{
                          "service_points[1].adress",
                          "service_points[1].address",
                          "service_points[1].hours.weekend",
                          "service_points[1].hours.weekdays[0]",
                          "service_points[1].hours.weekdays[1]",
                          "service_points[1].hours.weekends",
                          "service_points[2].hours.weekends[0]",
                          "service_points[3]",
                      }))
        << describe;
    EXPECT_NE(describe.find("service point service_points[1] (\"longhua\"): hours.weekdays[0] "
                            "\"9-18\" is not a period"),
              std::string::npos)
        << describe;
    EXPECT_NE(describe.find("unknown field \"adress\""), std::string::npos) << describe;

    // A duplicate id on its own.
    auto dup = parse_service_points(json::parse(R"({"service_points": [
      {"id": "a", "name": "甲", "district": "福田区", "address": "一号", "hours": {"weekdays": [], "weekends": []}},
      {"id": "a", "name": "乙", "district": "福田区", "address": "二号", "hours": {"weekdays": [], "weekends": []}}]})"));
    ASSERT_FALSE(dup.has_value());
    ASSERT_EQ(dup.error().problems.size(), 1u);
    EXPECT_EQ(dup.error().problems[0].code, "service_point.duplicate");
    EXPECT_EQ(dup.error().problems[0].field, "service_points[1].id");

    EXPECT_EQ(parse_service_points(json::array()).error().code, "service_points.shape");
}

TEST(ServicePoints, LoadFromAFile) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("eseal-points-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "bad.json") << "{\"service_points\": [";
    std::ofstream(dir / "good.json")
        << R"({"service_points": [{"id": "x", "name": "X", "district": "南山区", "address": "一号",)"
        << R"( "hours": {"weekdays": ["9:00-17:00"], "weekends": []}}]})";
    auto good = load_service_points(dir / "good.json");
    ASSERT_TRUE(good.has_value()) << good.error().describe();
    EXPECT_EQ(good->front().id, "x");
    EXPECT_EQ(load_service_points(dir / "bad.json").error().code, "service_points.syntax");
    EXPECT_EQ(load_service_points(dir / "missing.json").error().kind, core::Errc::io);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace eseal::ra
