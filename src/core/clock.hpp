#pragma once
// Time is injected (DESIGN §2: "time comes from core::Clock"), so tests can fix it.
#include <chrono>
#include <string>

namespace eseal::core {

using TimePoint = std::chrono::sys_seconds;

class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
    [[nodiscard]] TimePoint now() const override {
        return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    }
};

// A clock that says what it is told: for tests.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint t) : m_now(t) {}
    [[nodiscard]] TimePoint now() const override { return m_now; }
    void set(TimePoint t) { m_now = t; }
    void advance(std::chrono::seconds d) { m_now += d; }

private:
    TimePoint m_now;
};

// "2026-11-25T19:21:05Z"
[[nodiscard]] std::string format_utc(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SSZ" and "YYYY-MM-DD" (midnight UTC).
[[nodiscard]] bool parse_utc(std::string_view text, TimePoint& out);
// Adds calendar years, keeping month, day and time; 29 February falls to 28 February.
[[nodiscard]] TimePoint add_years(TimePoint t, int years);

}  // namespace eseal::core
