#pragma once
// E-mail through the sandbox: the address checked as a mail submission agent would before
// accepting it, a message id assigned (like a Message-ID), the mail kept in a SandboxMailbox for a
// developer to read instead of going out.
#include <string>

#include "core/clock.hpp"
#include "ra/ports.hpp"
#include "ra/providers/sandbox_mailbox.hpp"

namespace eseal::ra::providers {

struct SandboxEmailOptions {
    std::size_t max_body_bytes = 1024 * 1024;
    SandboxMailboxOptions mailbox;  // file: email.jsonl
};

class SandboxEmailProvider final : public MessageProvider {
  public:
    SandboxEmailProvider(SandboxEmailOptions options, const core::Clock& clock);

    [[nodiscard]] std::string name() const override { return "sandbox-email"; }
    // invalid_input "email.wrong_channel", "email.recipient_invalid", "email.subject_empty",
    // "email.body_empty", "email.too_long", "email.header_injection" (a line break in the
    // subject); io "sandbox.mailbox_write".
    [[nodiscard]] core::Result<SentMessage> send(const OutboxMessage& m) override;

    [[nodiscard]] std::vector<SandboxMessage> messages(std::string_view recipient = {}) const {
        return m_mailbox.messages(recipient);
    }

  private:
    SandboxEmailOptions m_options;
    const core::Clock& m_clock;
    SandboxMailbox m_mailbox;
};

}  // namespace eseal::ra::providers
