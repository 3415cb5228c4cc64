#pragma once
// The working-day calendar (DESIGN §2, §5): weekends, public holidays and make-up working days
// (调休上班), per year, as data. Deadlines in the guide are counted in working days: review within
// one working day, shipping within three (guide §2, §7).
//
// Data format, one entry a line (UTF-8; `#` starts a comment; blank lines are ignored):
//   year 2026 official 国务院办公厅 2025-11-04      a covered year: official | projected, then a
//   source 2026-10-01 holiday 国庆节                      a public holiday (whatever the weekday)
//   2026-10-01..2026-10-07 holiday 国庆节          the same for each day of a range (at most 31
//   days) 2026-09-20 workday 国庆节调休                   a make-up working day (must be a Saturday
//   or Sunday)
// Every dated line must fall in a declared year; a date may appear once. Any other day of a
// covered year is a working day Monday to Friday and a rest day on Saturday and Sunday.
//
// Outside the declared years the calendar does not guess: every query fails with
// `calendar.year_not_covered`. A weekends-only fallback would silently move a deadline across a
// Spring Festival; an operator adds the year (WorkingCalendar::load) instead.
//
// Time: mainland China time, UTC+8, no daylight saving.
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace eseal::core {

using Date = std::chrono::year_month_day;

inline constexpr std::chrono::hours kChinaUtcOffset{8};

// The calendar date in China at instant t, and the time since local midnight.
[[nodiscard]] Date china_date(TimePoint t);
[[nodiscard]] std::chrono::seconds china_time_of_day(TimePoint t);
// The instant of local time `time_of_day` on `date` in China.
[[nodiscard]] TimePoint china_time(Date date, std::chrono::seconds time_of_day);
// "2026-10-01"
[[nodiscard]] std::string format_date(Date date);

enum class DayKind {
    working,         // Monday to Friday, not a holiday
    rest,            // Saturday or Sunday, not a make-up working day
    holiday,         // a public holiday (放假), including the weekend days inside the break
    makeup_workday,  // a Saturday or Sunday worked in exchange (调休上班)
};

// When a deadline counted in working days falls due (due_after_working_days).
struct DueRule {
    // A submission on a working day before this local time counts that day as day 0; later, or
    // on a rest day or holiday, day 0 is the next working day.
    std::chrono::seconds cutoff{std::chrono::hours{17}};
    // The deadline is this local time on day n: the last second of the day, not close of business,
    // so that work done in the evening of the due day is on time.
    std::chrono::seconds due_time{std::chrono::hours{23} + std::chrono::minutes{59} +
                                  std::chrono::seconds{59}};
};

class WorkingCalendar {
  public:
    enum class Status { official, projected };

    // The built-in table (working_days.cpp): 2025 and 2026 from the State Council notices, 2027
    // projected.
    [[nodiscard]] static const WorkingCalendar& china_default();
    // Reports every malformed line at once, each Problem's field being "line N".
    [[nodiscard]] static Result<WorkingCalendar> parse(std::string_view text);
    [[nodiscard]] static Result<WorkingCalendar> load(const std::filesystem::path& path);

    [[nodiscard]] bool covers(std::chrono::year y) const { return m_years.contains(y); }
    // nullopt when the year is not covered.
    [[nodiscard]] std::optional<Status> status(std::chrono::year y) const;
    [[nodiscard]] std::set<std::chrono::year> years() const;

    [[nodiscard]] Result<DayKind> kind_of(Date date) const;
    // The holiday's or make-up day's name from the data ("国庆节"); empty for ordinary days.
    [[nodiscard]] std::string name_of(Date date) const;
    [[nodiscard]] Result<bool> is_working_day(Date date) const;
    // The n-th working day after `date` (n >= 0; n == 0 gives `date` itself, working or not).
    [[nodiscard]] Result<Date> add_working_days(Date date, int n) const;
    // The end of the n-th working day after the submission (n >= 0), per `rule`: Monday 10:00 and
    // n = 1 gives Tuesday 23:59:59; Monday 18:00 gives Wednesday; Saturday gives Tuesday.
    [[nodiscard]] Result<TimePoint> due_after_working_days(TimePoint submitted, int n,
                                                           const DueRule& rule = {}) const;

  private:
    struct Entry {
        DayKind kind;
        std::string name;
    };
    [[nodiscard]] Result<Date> next_working_day(Date date) const;

    std::map<std::chrono::year, Status> m_years;
    std::map<std::chrono::sys_days, Entry> m_days;
};

}  // namespace eseal::core
