#include "ra/providers/sandbox_sms_provider.hpp"

#include "ra/providers/random_text.hpp"
#include "ra/providers/recipients.hpp"

namespace eseal::ra::providers {

SandboxSmsProvider::SandboxSmsProvider(SandboxSmsOptions options, const core::Clock& clock)
    : m_options(std::move(options)), m_clock(clock), m_mailbox("sms.jsonl", m_options.mailbox) {}

core::Result<SentMessage> SandboxSmsProvider::send(const OutboxMessage& m) {
    if (m.channel != MessageChannel::sms)
        return core::fail(core::Errc::invalid_input, "sms.wrong_channel",
                          "an e-mail given to the SMS provider");
    if (!is_mainland_mobile(m.recipient))
        return core::fail(core::Errc::invalid_input, "sms.recipient_invalid",
                          "\"" + m.recipient.substr(0, 32) +
                              "\" is not a mainland mobile number (11 digits, 1[3-9]…)");
    if (m.body.empty())
        return core::fail(core::Errc::invalid_input, "sms.body_empty", "an empty SMS");
    const std::string text = m_options.signature + m.body;
    const auto length = utf8_length(text);
    if (!length)
        return core::fail(core::Errc::invalid_input, "sms.body_encoding", "the SMS is not UTF-8");
    if (*length > m_options.max_characters)
        return core::fail(core::Errc::invalid_input, "sms.too_long",
                          "the SMS has " + std::to_string(*length) +
                              " characters with its signature; "
                              "at most " +
                              std::to_string(m_options.max_characters));
    SandboxMessage sent;
    sent.id = "sms_" + random_alnum(20);
    sent.channel = MessageChannel::sms;
    sent.recipient = m.recipient;
    sent.body = text;
    sent.segments = sms_segments(*length);
    sent.sent_at = m_clock.now();
    if (auto ok = m_mailbox.record(sent); !ok)
        return std::unexpected(ok.error());
    return SentMessage{sent.id};
}

}  // namespace eseal::ra::providers
