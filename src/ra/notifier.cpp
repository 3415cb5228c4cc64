#include "ra/notifier.hpp"

#include <spdlog/spdlog.h>

namespace eseal::ra {

core::Result<FlushReport> Notifier::flush() {
    const std::lock_guard lock(m_mutex);
    auto pending = m_outbox.unsent_messages(100);
    if (!pending) return std::unexpected(pending.error());
    FlushReport report;
    for (auto& m : *pending) {
        if (m.attempts >= kMaxAttempts) continue;
        MessageProvider& provider = m.channel == MessageChannel::sms ? m_sms : m_email;
        ++m.attempts;
        auto sent = provider.send(m);
        if (sent) {
            m.sent_at = m_clock.now();
            m.provider_ref = sent->provider_ref;
            m.last_error.clear();
            ++report.sent;
            spdlog::info("outbox: message {} sent by {} ({})", m.id, provider.name(), m.provider_ref);
        } else {
            m.last_error = sent.error().describe();
            ++report.failed;
            spdlog::warn("outbox: message {} to {} not sent (attempt {}): {}", m.id, m.recipient, m.attempts,
                         m.last_error);
        }
        if (auto r = m_outbox.mark_message(m); !r) return std::unexpected(r.error());
    }
    return report;
}

core::Result<SentMessage> Notifier::send_unstored(const OutboxMessage& m) {
    MessageProvider& provider = m.channel == MessageChannel::sms ? m_sms : m_email;
    return provider.send(m);
}

OutboxMessage sms_message(std::string phone, std::string body, core::TimePoint now) {
    OutboxMessage m;
    m.channel = MessageChannel::sms;
    m.recipient = std::move(phone);
    m.body = std::move(body);
    m.created_at = now;
    return m;
}

std::vector<OutboxMessage> handler_messages(const Person& handler, const std::string& subject, const std::string& text,
                                           core::TimePoint now) {
    std::vector<OutboxMessage> out{sms_message(handler.phone, text, now)};
    if (!handler.email.empty())
        out.push_back(email_message(handler.email, subject, handler.name + "，您好：\n\n" + text + "\n\n深圳CA 网上营业厅", now));
    return out;
}

OutboxMessage email_message(std::string to, std::string subject, std::string body, core::TimePoint now) {
    OutboxMessage m;
    m.channel = MessageChannel::email;
    m.recipient = std::move(to);
    m.subject = std::move(subject);
    m.body = std::move(body);
    m.created_at = now;
    return m;
}

}  // namespace eseal::ra
