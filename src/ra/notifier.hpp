#pragma once
// Sends the outbox: messages are written in the same transaction as the change they report
// (ApplicationChange::messages), then handed to the SMS and e-mail providers after the commit.
// A provider failure leaves the message unsent with its error, for the next flush.
#include <memory>
#include <mutex>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/ports.hpp"

namespace eseal::ra {

struct FlushReport {
    int sent = 0;
    int failed = 0;
};

class Notifier {
  public:
    Notifier(ApplicationRepository& outbox, MessageProvider& sms, MessageProvider& email, const core::Clock& clock)
        : m_outbox(outbox), m_sms(sms), m_email(email), m_clock(clock) {}

    // Sends what is waiting (up to a batch); safe from several threads.
    [[nodiscard]] core::Result<FlushReport> flush();
    // Messages that failed this many times are left alone (visible to operators).
    static constexpr int kMaxAttempts = 5;
    // Sends one message straight through its provider, never writing it to the outbox: for a
    // secret (a Ukey's PIN) that must not be stored. The caller records that it was sent.
    [[nodiscard]] core::Result<SentMessage> send_unstored(const OutboxMessage& m);

  private:
    ApplicationRepository& m_outbox;
    MessageProvider& m_sms;
    MessageProvider& m_email;
    const core::Clock& m_clock;
    std::mutex m_mutex;
};

// Builders for the usual messages.
[[nodiscard]] OutboxMessage sms_message(std::string phone, std::string body, core::TimePoint now);
// The handler hears of each step by SMS, and by e-mail when they gave an address (DESIGN §5).
[[nodiscard]] std::vector<OutboxMessage> handler_messages(const Person& handler, const std::string& subject,
                                                          const std::string& text, core::TimePoint now);
[[nodiscard]] OutboxMessage email_message(std::string to, std::string subject, std::string body, core::TimePoint now);

}  // namespace eseal::ra
