#pragma once
// The counters where a customer applies in person (guide §6), as data: the default is the guide's
// nine points; an operator replaces it with a JSON file of the same shape, checked on load:
//   {"service_points": [
//     {"id": "yannan", "name": "燕南受理点", "name_en": "Yannan", "district": "福田区",
//      "address": "…", "address_en": "…", "phone": "400-112-3838",
//      "hours": {"weekdays": ["9:00-18:00"], "weekends": ["10:00-18:00"], "holidays": []}}]}
// Hours are China local time (UTC+8), periods "H:MM-H:MM", open at the first minute and closed
// from the second. "weekdays" and "weekends" are required (an empty list: closed); "holidays" may
// be left out: closed on public holidays unless the data says otherwise.
//
// Which hours apply on a day comes from the working-day calendar: Monday to Friday and make-up
// working days (调休上班) take the weekday hours — our reading: the guide does not say, and the
// counters follow the government working week —, Saturday and Sunday the weekend hours, public
// holidays (including the weekend days inside a break) the holiday hours.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/working_days.hpp"

namespace eseal::ra {

// [open, close) in local time, as minutes after midnight.
struct OpeningPeriod {
    std::chrono::minutes open{0};
    std::chrono::minutes close{0};
};

// Periods in order; an empty list means closed that kind of day.
struct OpeningHours {
    std::vector<OpeningPeriod> weekdays;  // Monday to Friday and make-up working days
    std::vector<OpeningPeriod> weekends;  // Saturday and Sunday
    std::vector<OpeningPeriod> holidays;  // public holidays
};

struct ServicePoint {
    std::string id;  // stable, for the API: "yannan"
    std::string name;
    std::string name_en;
    std::string district;
    std::string address;
    std::string address_en;
    std::string phone;
    OpeningHours hours;
};

// The guide's nine points (guide §6).
[[nodiscard]] const std::vector<ServicePoint>& default_service_points();
// Every problem at once; each names the entry (index and id) and the field.
[[nodiscard]] core::Result<std::vector<ServicePoint>> parse_service_points(
    const nlohmann::json& doc);
[[nodiscard]] core::Result<std::vector<ServicePoint>> load_service_points(
    const std::filesystem::path& file);

// The periods that apply on a local date. Fails where the calendar does not cover the date.
[[nodiscard]] core::Result<std::vector<OpeningPeriod>> periods_on(
    const ServicePoint& point, core::Date date, const core::WorkingCalendar& calendar);
[[nodiscard]] core::Result<bool> open_at(const ServicePoint& point, core::TimePoint t,
                                         const core::WorkingCalendar& calendar);
[[nodiscard]] core::Result<bool> open_now(const ServicePoint& point, const core::Clock& clock,
                                          const core::WorkingCalendar& calendar);
// The start of the first opening period that begins after t (so, when open at t, the next
// session), looking up to 60 days ahead; nullopt when the point does not open in that time.
[[nodiscard]] core::Result<std::optional<core::TimePoint>> next_opening(
    const ServicePoint& point, core::TimePoint t, const core::WorkingCalendar& calendar);

// For people, in the guide's words: "周一至周五 9:00-12:00, 14:00-18:00", "周六、周日休息", ...
[[nodiscard]] std::vector<std::string> describe_hours(const OpeningHours& hours);
// "2026-10-08T09:00:00+08:00"
[[nodiscard]] std::string format_china_time(core::TimePoint t);

// For the API: {"id","name","name_en","district","address","address_en","phone","hours":[…],
// "open_now":bool,"next_opening":"…"}; open_now and next_opening are null where the calendar does
// not cover the days asked about (or the point never opens).
[[nodiscard]] nlohmann::json to_json(const ServicePoint& point, core::TimePoint now,
                                     const core::WorkingCalendar& calendar);

}  // namespace eseal::ra
