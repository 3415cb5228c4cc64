#pragma once
// Where the message sandboxes put what they "send", so a developer can read the SMS code or the
// e-mail (a development endpoint lists them): a bounded ring in memory, safe across threads, and
// optionally one JSON line per message appended to <directory>/<file_name>.
#include <cstddef>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/ports.hpp"

namespace eseal::ra::providers {

struct SandboxMessage {
    std::string id;  // the provider_ref given to the outbox
    MessageChannel channel = MessageChannel::sms;
    std::string recipient;
    std::string subject;
    std::string body;  // as delivered: for SMS with the signature 【…】 in front
    std::string attachment_name;
    std::string attachment_blob;
    std::size_t segments = 1;  // SMS: billed segments
    core::TimePoint sent_at{};
};

struct SandboxMailboxOptions {
    std::size_t capacity = 1000;  // the oldest are dropped from memory beyond this
    std::optional<std::filesystem::path> directory;  // append JSON lines here too
};

class SandboxMailbox {
  public:
    SandboxMailbox(std::string file_name, SandboxMailboxOptions options);

    // Appends to the file first (io "sandbox.mailbox_write" if that fails, and nothing is
    // recorded), then to the ring.
    [[nodiscard]] core::Result<void> record(const SandboxMessage& m);
    // Newest first; only those to `recipient` when it is not empty.
    [[nodiscard]] std::vector<SandboxMessage> messages(std::string_view recipient = {}) const;

  private:
    std::string m_file_name;
    SandboxMailboxOptions m_options;
    mutable std::mutex m_mutex;
    std::deque<SandboxMessage> m_ring;
};

}  // namespace eseal::ra::providers
