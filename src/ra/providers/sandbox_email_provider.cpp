#include "ra/providers/sandbox_email_provider.hpp"

#include "ra/providers/random_text.hpp"
#include "ra/providers/recipients.hpp"

namespace eseal::ra::providers {

SandboxEmailProvider::SandboxEmailProvider(SandboxEmailOptions options, const core::Clock& clock)
    : m_options(std::move(options)), m_clock(clock), m_mailbox("email.jsonl", m_options.mailbox) {}

core::Result<SentMessage> SandboxEmailProvider::send(const OutboxMessage& m) {
    if (m.channel != MessageChannel::email)
        return core::fail(core::Errc::invalid_input, "email.wrong_channel",
                          "an SMS given to the e-mail provider");
    if (!is_email_address(m.recipient))
        return core::fail(core::Errc::invalid_input, "email.recipient_invalid",
                          "\"" + m.recipient.substr(0, 64) + "\" is not an e-mail address");
    if (m.subject.empty())
        return core::fail(core::Errc::invalid_input, "email.subject_empty",
                          "an e-mail without subject");
    // RFC 5322 §2.2: a header field is one line; a CR or LF in the subject would start new ones.
    if (m.subject.find_first_of("\r\n") != std::string::npos)
        return core::fail(core::Errc::invalid_input, "email.header_injection",
                          "a line break in the subject");
    if (m.body.empty())
        return core::fail(core::Errc::invalid_input, "email.body_empty", "an e-mail without text");
    if (m.body.size() > m_options.max_body_bytes)
        return core::fail(core::Errc::invalid_input, "email.too_long",
                          "the e-mail text is larger than " +
                              std::to_string(m_options.max_body_bytes) + " bytes");
    SandboxMessage sent;
    sent.id = "email_" + random_alnum(20);
    sent.channel = MessageChannel::email;
    sent.recipient = m.recipient;
    sent.subject = m.subject;
    sent.body = m.body;
    sent.attachment_name = m.attachment_name;
    sent.attachment_blob = m.attachment_blob;
    sent.sent_at = m_clock.now();
    if (auto ok = m_mailbox.record(sent); !ok)
        return std::unexpected(ok.error());
    return SentMessage{sent.id};
}

}  // namespace eseal::ra::providers
