#include "ra/providers/sandbox_mailbox.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

namespace eseal::ra::providers {

SandboxMailbox::SandboxMailbox(std::string file_name, SandboxMailboxOptions options)
    : m_file_name(std::move(file_name)), m_options(std::move(options)) {}

core::Result<void> SandboxMailbox::record(const SandboxMessage& m) {
    std::lock_guard lock(m_mutex);
    if (m_options.directory) {
        const nlohmann::json line = {
            {"id", m.id},
            {"channel", m.channel == MessageChannel::sms ? "sms" : "email"},
            {"recipient", m.recipient},
            {"subject", m.subject},
            {"body", m.body},
            {"attachment_name", m.attachment_name},
            {"attachment_blob", m.attachment_blob},
            {"segments", m.segments},
            {"sent_at", core::format_utc(m.sent_at)},
        };
        std::error_code ec;
        std::filesystem::create_directories(*m_options.directory, ec);
        const auto path = *m_options.directory / m_file_name;
        std::ofstream out(path, std::ios::app | std::ios::binary);
        out << line.dump() << '\n';
        out.flush();
        if (ec || !out)
            return core::fail(core::Errc::io, "sandbox.mailbox_write",
                              "cannot append to " + path.string());
    }
    m_ring.push_back(m);
    while (m_ring.size() > m_options.capacity) m_ring.pop_front();
    return {};
}

std::vector<SandboxMessage> SandboxMailbox::messages(std::string_view recipient) const {
    std::lock_guard lock(m_mutex);
    std::vector<SandboxMessage> out;
    for (auto it = m_ring.rbegin(); it != m_ring.rend(); ++it)
        if (recipient.empty() || it->recipient == recipient)
            out.push_back(*it);
    return out;
}

}  // namespace eseal::ra::providers
