#include "ra/service_points.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace eseal::ra {
namespace {

using nlohmann::json;
using namespace std::chrono;

// guide §6 (办理地点), from the Chinese original; the extraction broke the table's cells across
// lines, so addresses are rejoined here and shared hours cells applied to every row they span:
// Yannan and Science Park share "周一至周五 9:00-18:00 / 周六至周日 10:00-18:00 / 法定节假日休息";
// Longgang, Bao'an and Longhua share "周一至周日 9:00-12:00; 13:00-17:30 / 法定节假日休息".
// The guide gives no telephone number per point, only the customer-service hotline (guide §9,
// 人工服务热线 400-112-3838), which is what "phone" holds until an operator has the counters' own.
constexpr const char* kGuidePoints = R"json({"service_points": [
  {"id": "yannan", "name": "燕南受理点", "name_en": "Yannan", "district": "福田区",
   "address": "深圳市福田区燕南路92号器材大厦2栋首层商铺深圳CA受理中心",
   "address_en": "Futian District, Yannan Road 92, Equipment Building 2, ground floor shop, Shenzhen CA service centre",
   "phone": "400-112-3838",
   "hours": {"weekdays": ["9:00-18:00"], "weekends": ["10:00-18:00"], "holidays": []}},
  {"id": "science-park", "name": "科技园文化广场受理点", "name_en": "Science Park Culture Plaza", "district": "南山区",
   "address": "深圳市南山区科兴路10号科技园文化广场商铺首层深圳CA受理中心",
   "address_en": "Nanshan District, Kexing Road 10, Science Park Culture Plaza, ground floor shop, Shenzhen CA service centre",
   "phone": "400-112-3838",
   "hours": {"weekdays": ["9:00-18:00"], "weekends": ["10:00-18:00"], "holidays": []}},
  {"id": "xili", "name": "深圳交易集团西丽受理点", "name_en": "Shenzhen Exchange Group, Xili", "district": "南山区",
   "address": "深圳市南山区沙河西路3157号深圳交易集团总部大楼三楼1号窗口",
   "address_en": "Nanshan District, Shahe West Road 3157, Exchange Group HQ 3rd floor window 1",
   "phone": "400-112-3838",
   "hours": {"weekdays": ["9:00-12:00", "14:00-18:00"], "weekends": [], "holidays": []}},
  {"id": "longgang", "name": "龙岗受理点", "name_en": "Longgang", "district": "龙岗区",
   "address": "深圳市龙岗区黄阁北路龙岗天安数码新城2号楼A座一楼深圳CA受理中心",
   "address_en": "Longgang District, Huangge North Road, Tian'an Digital City building 2 block A 1st floor, Shenzhen CA service centre",
   "phone": "400-112-3838",
   "hours": {"weekdays": ["9:00-12:00", "13:00-17:30"], "weekends": ["9:00-12:00", "13:00-17:30"], "holidays": []}},
  {"id": "baoan", "name": "宝安受理点", "name_en": "Bao'an", "district": "宝安区",
   "address": "深圳市宝安区宝民二路流塘大厦104号铺",
   "address_en": "Bao'an District, Baomin 2nd Road, Liutang Building shop 104",
   "phone": "400-112-3838",
   "hours": {"weekdays": ["9:00-12:00", "13:00-17:30"], "weekends": ["9:00-12:00", "13:00-17:30"], "holidays": []}},
  {"id": "longhua", "name": "龙华受理点", "name_en": "Longhua", "district": "龙华区",
   "address": "深圳市龙华区国鸿购物广场8栋1楼深圳CA龙华店",
   "address_en": "Longhua District, Guohong Shopping Plaza building 8, 1st floor, Shenzhen CA Longhua shop",
   "phone": "400-112-3838",
   "hours": {"weekdays": ["9:00-12:00", "13:00-17:30"], "weekends": ["9:00-12:00", "13:00-17:30"], "holidays": []}},
  {"id": "guangming", "name": "光明受理点", "name_en": "Guangming", "district": "光明区",
   "address": "深圳市光明区金城大第花园3期9号楼106商铺",
   "address_en": "Guangming District, Jincheng Dadi Garden phase 3 building 9 shop 106",
   "phone": "400-112-3838",
   "hours": {"weekdays": ["9:00-12:00", "13:30-18:00"], "weekends": [], "holidays": []}},
  {"id": "pingshan", "name": "坪山受理点", "name_en": "Pingshan", "district": "坪山区",
   "address": "深圳市坪山区金牛西路豪方菁园B107深圳CA受理中心",
   "address_en": "Pingshan District, Jinniu West Road, Haofang Jingyuan B107, Shenzhen CA service centre",
   "phone": "400-112-3838",
   "hours": {"weekdays": ["9:00-12:00", "13:30-17:30"], "weekends": [], "holidays": []}},
  {"id": "longgang-hall", "name": "龙岗行政服务大厅受理点", "name_en": "Longgang administrative service hall", "district": "龙岗区",
   "address": "深圳市龙岗区龙翔大道8033-1龙岗区行政服务大厅一楼54号窗口",
   "address_en": "Longgang District, Longxiang Avenue 8033-1, administrative service hall 1st floor window 54",
   "phone": "400-112-3838",
   "hours": {"weekdays": ["9:00-12:00", "14:00-18:00"], "weekends": [], "holidays": []}}
]})json";

constexpr int kLookaheadDays = 60;

std::optional<minutes> parse_clock(std::string_view s) {
    unsigned h = 0, m = 0;
    int consumed = 0;
    const std::string text(s);
    if (text.size() < 4 || text.size() > 5 || text[text.size() - 3] != ':')
        return std::nullopt;
    if (std::sscanf(text.c_str(), "%2u:%2u%n", &h, &m, &consumed) != 2 ||
        consumed != static_cast<int>(text.size()))
        return std::nullopt;
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return std::nullopt;
    return hours{h} + minutes{m};
}

std::string format_clock(minutes t) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%ld:%02ld", static_cast<long>(t.count() / 60),
                  static_cast<long>(t.count() % 60));
    return buf;
}

std::string format_periods(const std::vector<OpeningPeriod>& periods) {
    std::string out;
    for (const auto& p : periods) {
        if (!out.empty())
            out += ", ";
        out += format_clock(p.open) + "-" + format_clock(p.close);
    }
    return out;
}

bool same(const std::vector<OpeningPeriod>& a, const std::vector<OpeningPeriod>& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](auto& x, auto& y) {
               return x.open == y.open && x.close == y.close;
           });
}

// Reads one day kind's periods; problems are reported against `where`.
void read_periods(const json& hours, const char* key, bool required, const std::string& where,
                  std::vector<OpeningPeriod>& out, std::vector<core::Problem>& problems) {
    const std::string name =
        std::string("hours.") + key;  // in messages; the entry is named by the caller
    const std::string field = where + "." + name;
    if (!hours.contains(key)) {
        if (required)
            problems.push_back(
                {"service_point.hours.missing", name + " is missing (use [] for closed)", field});
        return;
    }
    const auto& list = hours[key];
    if (!list.is_array()) {
        problems.push_back({"service_point.hours.type", name + " must be a list", field});
        return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string rel = name + "[" + std::to_string(i) + "]";
        const std::string at = where + "." + rel;
        const std::string text = list[i].is_string() ? list[i].get<std::string>() : list[i].dump();
        const auto dash = text.find('-');
        const auto open =
            dash == std::string::npos ? std::nullopt : parse_clock(text.substr(0, dash));
        const auto close =
            dash == std::string::npos ? std::nullopt : parse_clock(text.substr(dash + 1));
        if (!list[i].is_string() || !open || !close) {
            problems.push_back({"service_point.hours.syntax",
                                rel + " \"" + text + "\" is not a period H:MM-H:MM", at});
            continue;
        }
        if (*close <= *open || (!out.empty() && *open < out.back().close)) {
            problems.push_back(
                {"service_point.hours.order",
                 rel + " \"" + text + "\" must end after it starts and after the period before it",
                 at});
            continue;
        }
        out.push_back({*open, *close});
    }
}

core::Result<ServicePoint> read_point(const json& entry, std::size_t index) {
    const std::string where = "service_points[" + std::to_string(index) + "]";
    std::vector<core::Problem> problems;
    if (!entry.is_object())
        return core::fail(core::Errc::invalid_input, "service_point.invalid",
                          where + " is not an object",
                          {{"service_point.type", where + " must be an object", where}});
    ServicePoint p;
    static const std::set<std::string> kKnown{"id",      "name",       "name_en", "district",
                                              "address", "address_en", "phone",   "hours"};
    for (const auto& [key, _] : entry.items()) {
        if (!kKnown.contains(key))
            problems.push_back({"service_point.unknown_field", "unknown field \"" + key + "\"",
                                where + "." + key});
    }
    const auto text = [&](const char* key, bool required, std::string& out) {
        const std::string field = where + "." + key;
        if (!entry.contains(key)) {
            if (required)
                problems.push_back(
                    {"service_point.missing", std::string(key) + " is missing", field});
            return;
        }
        if (!entry[key].is_string() || (required && entry[key].get<std::string>().empty())) {
            problems.push_back(
                {"service_point.type", std::string(key) + " must be a non-empty string", field});
            return;
        }
        out = entry[key].get<std::string>();
    };
    text("id", true, p.id);
    if (!p.id.empty() &&
        p.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos)
        problems.push_back(
            {"service_point.id", "id must be lower-case letters, digits, - and _", where + ".id"});
    text("name", true, p.name);
    text("name_en", false, p.name_en);
    text("district", true, p.district);
    text("address", true, p.address);
    text("address_en", false, p.address_en);
    text("phone", false, p.phone);

    if (!entry.contains("hours") || !entry["hours"].is_object()) {
        problems.push_back(
            {"service_point.hours.missing", "hours must be an object", where + ".hours"});
    } else {
        const auto& hours = entry["hours"];
        for (const auto& [key, _] : hours.items()) {
            if (key != "weekdays" && key != "weekends" && key != "holidays")
                problems.push_back(
                    {"service_point.hours.unknown_field",
                     "unknown hours field \"" + key + "\" (weekdays, weekends, holidays)",
                     where + ".hours." + key});
        }
        read_periods(hours, "weekdays", true, where, p.hours.weekdays, problems);
        read_periods(hours, "weekends", true, where, p.hours.weekends, problems);
        read_periods(hours, "holidays", false, where, p.hours.holidays, problems);
    }
    if (!problems.empty()) {
        const std::string label = where + (p.id.empty() ? "" : " (\"" + p.id + "\")");
        for (auto& pr : problems) pr.message = "service point " + label + ": " + pr.message;
        return core::fail(core::Errc::invalid_input, "service_point.invalid",
                          "service point " + label + " is invalid", std::move(problems));
    }
    return p;
}

}  // namespace

const std::vector<ServicePoint>& default_service_points() {
    static const std::vector<ServicePoint> points = [] {
        auto parsed = parse_service_points(json::parse(kGuidePoints));
        if (!parsed)
            throw std::logic_error("built-in service points: " + parsed.error().describe());
        return std::move(*parsed);
    }();
    return points;
}

core::Result<std::vector<ServicePoint>> parse_service_points(const json& doc) {
    if (!doc.is_object() || !doc.contains("service_points") || !doc["service_points"].is_array())
        return core::fail(core::Errc::invalid_input, "service_points.shape",
                          "expected {\"service_points\": [ … ]}");
    std::vector<ServicePoint> points;
    std::vector<core::Problem> problems;
    std::set<std::string> ids;
    const auto& list = doc["service_points"];
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto point = read_point(list[i], i);
        if (!point) {
            for (auto& pr : point.error().problems) problems.push_back(std::move(pr));
            continue;
        }
        if (!ids.insert(point->id).second) {
            const std::string where = "service_points[" + std::to_string(i) + "]";
            problems.push_back(
                {"service_point.duplicate",
                 "service point " + where + " (\"" + point->id + "\"): id is used twice",
                 where + ".id"});
        }
        points.push_back(std::move(*point));
    }
    if (!problems.empty())
        return core::fail(
            core::Errc::invalid_input, "service_points.invalid",
            "the service points have " + std::to_string(problems.size()) + " error(s)",
            std::move(problems));
    return points;
}

core::Result<std::vector<ServicePoint>> load_service_points(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in)
        return core::fail(core::Errc::io, "service_points.unreadable",
                          "cannot read " + file.string());
    std::stringstream text;
    text << in.rdbuf();
    const json doc = json::parse(text.str(), nullptr, false);
    if (doc.is_discarded())
        return core::fail(core::Errc::invalid_input, "service_points.syntax",
                          file.string() + " is not valid JSON");
    auto points = parse_service_points(doc);
    if (!points)
        points.error().message = file.string() + ": " + points.error().message;
    return points;
}

core::Result<std::vector<OpeningPeriod>> periods_on(const ServicePoint& point, core::Date date,
                                                    const core::WorkingCalendar& calendar) {
    const auto kind = calendar.kind_of(date);
    if (!kind)
        return std::unexpected(kind.error());
    switch (*kind) {
        case core::DayKind::working:
        case core::DayKind::makeup_workday:
            return point.hours.weekdays;
        case core::DayKind::rest:
            return point.hours.weekends;
        case core::DayKind::holiday:
            return point.hours.holidays;
    }
    return core::fail(core::Errc::internal, "service_point.day_kind", "unknown kind of day");
}

core::Result<bool> open_at(const ServicePoint& point, core::TimePoint t,
                           const core::WorkingCalendar& calendar) {
    const auto periods = periods_on(point, core::china_date(t), calendar);
    if (!periods)
        return std::unexpected(periods.error());
    const auto now = core::china_time_of_day(t);
    for (const auto& p : *periods) {
        if (p.open <= now && now < p.close)
            return true;
    }
    return false;
}

core::Result<bool> open_now(const ServicePoint& point, const core::Clock& clock,
                            const core::WorkingCalendar& calendar) {
    return open_at(point, clock.now(), calendar);
}

core::Result<std::optional<core::TimePoint>> next_opening(const ServicePoint& point,
                                                          core::TimePoint t,
                                                          const core::WorkingCalendar& calendar) {
    const sys_days first{core::china_date(t)};
    for (int i = 0; i <= kLookaheadDays; ++i) {
        const core::Date date{first + days{i}};
        const auto periods = periods_on(point, date, calendar);
        if (!periods)
            return std::unexpected(periods.error());
        for (const auto& p : *periods) {
            const auto start = core::china_time(date, p.open);
            if (start > t)
                return start;
        }
    }
    return std::nullopt;
}

std::vector<std::string> describe_hours(const OpeningHours& hours) {
    const auto line = [](const char* days_label, const std::vector<OpeningPeriod>& periods) {
        return std::string(days_label) + (periods.empty() ? "休息" : " " + format_periods(periods));
    };
    std::vector<std::string> out;
    if (same(hours.weekdays, hours.weekends)) {
        out.push_back(line("周一至周日", hours.weekdays));
    } else {
        out.push_back(line("周一至周五", hours.weekdays));
        out.push_back(line("周六、周日", hours.weekends));
    }
    out.push_back(line("法定节假日", hours.holidays));
    out.push_back("调休上班日按周一至周五时间");
    return out;
}

std::string format_china_time(core::TimePoint t) {
    const auto date = core::china_date(t);
    const hh_mm_ss tod{core::china_time_of_day(t)};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%sT%02ld:%02ld:%02ld+08:00", core::format_date(date).c_str(),
                  static_cast<long>(tod.hours().count()), static_cast<long>(tod.minutes().count()),
                  static_cast<long>(tod.seconds().count()));
    return buf;
}

json to_json(const ServicePoint& point, core::TimePoint now,
             const core::WorkingCalendar& calendar) {
    json out{{"id", point.id},           {"name", point.name},
             {"name_en", point.name_en}, {"district", point.district},
             {"address", point.address}, {"address_en", point.address_en},
             {"phone", point.phone},     {"hours", describe_hours(point.hours)}};
    const auto open = open_at(point, now, calendar);
    out["open_now"] = open ? json(*open) : json(nullptr);
    const auto next = next_opening(point, now, calendar);
    out["next_opening"] = next && *next ? json(format_china_time(**next)) : json(nullptr);
    return out;
}

}  // namespace eseal::ra
