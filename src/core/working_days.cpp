#include "core/working_days.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace eseal::core {

namespace {

using namespace std::chrono;

// The built-in table. Operators replace it with WorkingCalendar::load when a new notice appears.
constexpr std::string_view kDefaultTable = R"(
# 国务院办公厅关于2025年部分节假日安排的通知 (November 2024)
# https://www.gov.cn/zhengce/content/202411/content_6986382.htm
year 2025 official 国务院办公厅关于2025年部分节假日安排的通知
2025-01-01 holiday 元旦
2025-01-26 workday 春节调休
2025-01-28..2025-02-04 holiday 春节
2025-02-08 workday 春节调休
2025-04-04..2025-04-06 holiday 清明节
2025-04-27 workday 劳动节调休
2025-05-01..2025-05-05 holiday 劳动节
2025-05-31..2025-06-02 holiday 端午节
2025-09-28 workday 国庆节、中秋节调休
2025-10-01..2025-10-08 holiday 国庆节、中秋节
2025-10-11 workday 国庆节、中秋节调休

# 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04, Xinhua)
# https://www.gov.cn/zhengce/content/202511/content_7047090.htm
year 2026 official 国务院办公厅关于2026年部分节假日安排的通知
2026-01-01..2026-01-03 holiday 元旦
2026-01-04 workday 元旦调休
2026-02-14 workday 春节调休
2026-02-15..2026-02-23 holiday 春节
2026-02-28 workday 春节调休
2026-04-04..2026-04-06 holiday 清明节
2026-05-01..2026-05-05 holiday 劳动节
2026-05-09 workday 劳动节调休
2026-06-19..2026-06-21 holiday 端午节
2026-09-20 workday 国庆节调休
2026-09-25..2026-09-27 holiday 中秋节
2026-10-01..2026-10-07 holiday 国庆节
2026-10-10 workday 国庆节调休

# 2027: NOT PUBLISHED when this table was written. A projection, to be replaced by the State
# Council notice (usually out in November) -- an operator must update it. Built from the statutory
# days of 《全国年节及纪念日放假办法》 (2024 revision: New Year 1, Spring Festival 4 from 除夕,
# Qingming 1, Labour Day 2, Dragon Boat 1, Mid-Autumn 1, National Day 3), a weekday in lieu of a
# statutory day on a weekend, the lunar dates (春节 2027-02-06, 清明 04-05, 端午 06-09,
# 中秋 09-15) and the 2025-2026 practice of 调休 around Spring Festival, Labour Day, National Day.
year 2027 projected 按放假办法与农历推算，待国务院通知发布后更新
2027-01-01..2027-01-03 holiday 元旦
2027-01-31 workday 春节调休
2027-02-05..2027-02-14 holiday 春节
2027-02-20 workday 春节调休
2027-04-03..2027-04-05 holiday 清明节
2027-05-01..2027-05-05 holiday 劳动节
2027-05-08 workday 劳动节调休
2027-06-09 holiday 端午节
2027-09-15 holiday 中秋节
2027-09-26 workday 国庆节调休
2027-10-01..2027-10-07 holiday 国庆节
2027-10-09 workday 国庆节调休
)";

constexpr int kMaxRangeDays = 31;

bool is_weekend(sys_days d) {
    const weekday wd{d};
    return wd == Saturday || wd == Sunday;
}

std::optional<Date> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    int y = 0;
    unsigned m = 0, d = 0;
    int consumed = 0;
    const std::string s(text);
    if (std::sscanf(s.c_str(), "%4d-%2u-%2u%n", &y, &m, &d, &consumed) != 3 || consumed != 10)
        return std::nullopt;
    const Date date{year{y}, month{m}, day{d}};
    if (!date.ok())
        return std::nullopt;
    return date;
}

// Splits off the next whitespace-separated word of `rest`.
std::string_view next_word(std::string_view& rest) {
    const auto begin = rest.find_first_not_of(" \t");
    if (begin == std::string_view::npos) {
        rest = {};
        return {};
    }
    rest.remove_prefix(begin);
    const auto end = rest.find_first_of(" \t");
    const auto word = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    return word;
}

std::string_view trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos)
        return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

struct DatedLine {
    int line;
    sys_days first;
    sys_days last;
    DayKind kind;
    std::string name;
};

Error not_covered(Date date) {
    return Error{Errc::unsupported,
                 "calendar.year_not_covered",
                 "the working-day calendar has no data for " +
                     std::to_string(static_cast<int>(date.year())) + " (asked for " +
                     format_date(date) + "); add the year's holidays to the calendar file",
                 {}};
}

}  // namespace

Date china_date(TimePoint t) {
    return Date{floor<days>(t + kChinaUtcOffset)};
}

seconds china_time_of_day(TimePoint t) {
    const auto local = t + kChinaUtcOffset;
    return local - floor<days>(local);
}

TimePoint china_time(Date date, seconds time_of_day) {
    return sys_days{date} + time_of_day - duration_cast<seconds>(kChinaUtcOffset);
}

std::string format_date(Date date) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buf;
}

const WorkingCalendar& WorkingCalendar::china_default() {
    static const WorkingCalendar calendar = [] {
        auto parsed = parse(kDefaultTable);
        if (!parsed)
            throw std::logic_error("built-in working-day table: " + parsed.error().describe());
        return std::move(*parsed);
    }();
    return calendar;
}

Result<WorkingCalendar> WorkingCalendar::parse(std::string_view text) {
    WorkingCalendar cal;
    std::vector<std::pair<int, Problem>> problems;  // by line number
    std::vector<DatedLine> dated;
    const auto problem = [&](int line, std::string code, std::string message) {
        problems.emplace_back(line,
                              Problem{"calendar." + std::move(code),
                                      "line " + std::to_string(line) + ": " + std::move(message),
                                      "line " + std::to_string(line)});
    };

    int line_no = 0;
    while (!text.empty()) {
        ++line_no;
        const auto eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        line = trim(line.substr(0, line.find('#')));
        if (line.empty())
            continue;

        std::string_view rest = line;
        const auto first = next_word(rest);
        const auto second = next_word(rest);
        const auto tail = std::string(trim(rest));

        if (first == "year") {
            int y = 0;
            int consumed = 0;
            const std::string ys(second);
            if (std::sscanf(ys.c_str(), "%4d%n", &y, &consumed) != 1 || consumed != 4 ||
                ys.size() != 4) {
                problem(line_no, "year.syntax",
                        "expected `year YYYY official|projected source`, got \"" +
                            std::string(line) + "\"");
                continue;
            }
            std::string_view rest2 = tail;
            const auto status_word = next_word(rest2);
            Status st{};
            if (status_word == "official") {
                st = Status::official;
            } else if (status_word == "projected") {
                st = Status::projected;
            } else {
                problem(line_no, "year.status",
                        "year status must be `official` or `projected`, got \"" +
                            std::string(status_word) + "\"");
                continue;
            }
            if (!cal.m_years.emplace(year{y}, st).second) {
                problem(line_no, "year.duplicate", "year " + ys + " is declared twice");
            }
            continue;
        }

        const auto dots = first.find("..");
        const auto from = parse_date(first.substr(0, dots));
        const auto to = dots == std::string_view::npos ? from : parse_date(first.substr(dots + 2));
        if (!from || !to) {
            problem(line_no, "date",
                    "expected a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD, got \"" +
                        std::string(first) + "\"");
            continue;
        }
        DayKind kind{};
        if (second == "holiday") {
            kind = DayKind::holiday;
        } else if (second == "workday") {
            kind = DayKind::makeup_workday;
        } else {
            problem(line_no, "kind",
                    "expected `holiday` or `workday` after the date, got \"" + std::string(second) +
                        "\"");
            continue;
        }
        const sys_days a{*from}, b{*to};
        if (b < a || (b - a).count() >= kMaxRangeDays) {
            problem(line_no, "range",
                    "range " + std::string(first) + " must run forwards and span at most " +
                        std::to_string(kMaxRangeDays) + " days");
            continue;
        }
        dated.push_back({line_no, a, b, kind, tail});
    }

    for (const auto& d : dated) {
        for (auto day = d.first; day <= d.last; day += days{1}) {
            const Date date{day};
            if (!cal.m_years.contains(date.year())) {
                problem(d.line, "year_not_declared",
                        format_date(date) + " is in " +
                            std::to_string(static_cast<int>(date.year())) +
                            ", which has no `year` line");
                break;
            }
            if (d.kind == DayKind::makeup_workday && !is_weekend(day)) {
                problem(
                    d.line, "workday_not_weekend",
                    format_date(date) + " is a make-up working day but not a Saturday or Sunday");
                break;
            }
            if (!cal.m_days.emplace(day, Entry{d.kind, d.name}).second) {
                problem(d.line, "duplicate", format_date(date) + " is listed more than once");
                break;
            }
        }
    }
    if (problems.empty() && cal.m_years.empty()) {
        return fail(Errc::invalid_input, "calendar.empty",
                    "the working-day calendar declares no year");
    }
    if (!problems.empty()) {
        std::stable_sort(problems.begin(), problems.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<Problem> sorted;
        for (auto& [_, p] : problems) sorted.push_back(std::move(p));
        return fail(
            Errc::invalid_input, "calendar.malformed",
            "the working-day calendar has " + std::to_string(sorted.size()) + " malformed line(s)",
            std::move(sorted));
    }
    return cal;
}

Result<WorkingCalendar> WorkingCalendar::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(Errc::io, "calendar.read",
                    "cannot read the working-day calendar " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    auto cal = parse(text.str());
    if (!cal)
        cal.error().message = path.string() + ": " + cal.error().message;
    return cal;
}

std::optional<WorkingCalendar::Status> WorkingCalendar::status(year y) const {
    const auto it = m_years.find(y);
    if (it == m_years.end())
        return std::nullopt;
    return it->second;
}

std::set<year> WorkingCalendar::years() const {
    std::set<year> out;
    for (const auto& [y, _] : m_years) out.insert(y);
    return out;
}

Result<DayKind> WorkingCalendar::kind_of(Date date) const {
    if (!date.ok())
        return fail(Errc::invalid_input, "calendar.bad_date", "not a calendar date");
    if (!covers(date.year()))
        return std::unexpected(not_covered(date));
    const sys_days d{date};
    if (const auto it = m_days.find(d); it != m_days.end())
        return it->second.kind;
    return is_weekend(d) ? DayKind::rest : DayKind::working;
}

std::string WorkingCalendar::name_of(Date date) const {
    const auto it = m_days.find(sys_days{date});
    return it == m_days.end() ? std::string{} : it->second.name;
}

Result<bool> WorkingCalendar::is_working_day(Date date) const {
    auto kind = kind_of(date);
    if (!kind)
        return std::unexpected(std::move(kind.error()));
    return *kind == DayKind::working || *kind == DayKind::makeup_workday;
}

Result<Date> WorkingCalendar::next_working_day(Date date) const {
    auto d = sys_days{date};
    while (true) {
        d += days{1};
        auto working = is_working_day(Date{d});
        if (!working)
            return std::unexpected(std::move(working.error()));
        if (*working)
            return Date{d};
    }
}

Result<Date> WorkingCalendar::add_working_days(Date date, int n) const {
    if (n < 0)
        return fail(Errc::invalid_input, "calendar.negative_days",
                    "working days to add must be >= 0");
    if (auto k = kind_of(date); !k)
        return std::unexpected(std::move(k.error()));
    for (int i = 0; i < n; ++i) {
        auto next = next_working_day(date);
        if (!next)
            return next;
        date = *next;
    }
    return date;
}

Result<TimePoint> WorkingCalendar::due_after_working_days(TimePoint submitted, int n,
                                                          const DueRule& rule) const {
    const Date day = china_date(submitted);
    auto working = is_working_day(day);
    if (!working)
        return std::unexpected(std::move(working.error()));
    Date day0 = day;
    if (!*working || china_time_of_day(submitted) >= rule.cutoff) {
        auto next = next_working_day(day);
        if (!next)
            return std::unexpected(std::move(next.error()));
        day0 = *next;
    }
    auto due = add_working_days(day0, n);
    if (!due)
        return std::unexpected(std::move(due.error()));
    return china_time(*due, rule.due_time);
}

}  // namespace eseal::core
