#pragma once
// SMS through the sandbox: checked as an SMS gateway checks (a mainland mobile number, the
// signature 【…】 that Chinese operators require in front, a length limit), given a message id,
// and kept in a SandboxMailbox for a developer to read instead of going to a phone.
#include <string>

#include "core/clock.hpp"
#include "ra/ports.hpp"
#include "ra/providers/sandbox_mailbox.hpp"

namespace eseal::ra::providers {

struct SandboxSmsOptions {
    std::string signature = "【电子印章】";  // 短信签名, counted in the length as operators do
    std::size_t max_characters = 500;        // gateways cap a long SMS at a few hundred
    SandboxMailboxOptions mailbox;           // file: sms.jsonl
};

class SandboxSmsProvider final : public MessageProvider {
  public:
    SandboxSmsProvider(SandboxSmsOptions options, const core::Clock& clock);

    [[nodiscard]] std::string name() const override { return "sandbox-sms"; }
    // invalid_input "sms.wrong_channel", "sms.recipient_invalid", "sms.body_empty",
    // "sms.body_encoding" (not UTF-8), "sms.too_long"; io "sandbox.mailbox_write".
    [[nodiscard]] core::Result<SentMessage> send(const OutboxMessage& m) override;

    [[nodiscard]] std::vector<SandboxMessage> messages(std::string_view recipient = {}) const {
        return m_mailbox.messages(recipient);
    }

  private:
    SandboxSmsOptions m_options;
    const core::Clock& m_clock;
    SandboxMailbox m_mailbox;
};

}  // namespace eseal::ra::providers
