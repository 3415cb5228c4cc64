#include "store/outbox_rows.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "store/row_values.hpp"

namespace eseal::store {
namespace {

// ra has no names for MessageChannel; these are the table's.
std::string_view channel_name(ra::MessageChannel c) {
    return c == ra::MessageChannel::sms ? "sms" : "email";
}

std::optional<ra::MessageChannel> parse_channel_name(std::string_view s) {
    if (s == "sms")
        return ra::MessageChannel::sms;
    if (s == "email")
        return ra::MessageChannel::email;
    return std::nullopt;
}

core::Result<ra::OutboxMessage> read_message(const Statement& row) {
    ra::OutboxMessage m;
    m.id = row.int64(0);
    const std::string where = "outbox message " + std::to_string(m.id);
    const auto channel = parse_channel_name(row.text(1));
    if (!channel)
        return std::unexpected(corrupt(where, "unknown channel '" + row.text(1) + "'"));
    m.channel = *channel;
    m.recipient = row.text(2);
    m.subject = row.text(3);
    m.body = row.text(4);
    m.attachment_name = row.text(5);
    m.attachment_blob = row.text(6);
    auto created = read_time(row, 7, where);
    if (!created)
        return std::unexpected(std::move(created.error()));
    m.created_at = *created;
    auto sent = read_optional_time(row, 8, where);
    if (!sent)
        return std::unexpected(std::move(sent.error()));
    m.sent_at = *sent;
    m.provider_ref = row.text(9);
    m.attempts = static_cast<int>(row.int64(10));
    m.last_error = row.text(11);
    return m;
}

}  // namespace

core::Result<void> insert_outbox_message(Database& db, const ra::OutboxMessage& m) {
    auto stmt = db.prepare(
        "INSERT INTO outbox(channel, recipient, subject, body, attachment_name, attachment_blob, "
        "created_at, sent_at, provider_ref, attempts, last_error) VALUES (:channel, :recipient, "
        ":subject, :body, :attachment_name, :attachment_blob, :created_at, :sent_at, "
        ":provider_ref, :attempts, :last_error)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":channel", channel_name(m.channel))
        .bind(":recipient", m.recipient)
        .bind(":subject", m.subject)
        .bind(":body", m.body)
        .bind(":attachment_name", m.attachment_name)
        .bind(":attachment_blob", m.attachment_blob)
        .bind(":created_at", core::format_utc(m.created_at))
        .bind(":provider_ref", m.provider_ref)
        .bind(":attempts", std::int64_t{m.attempts})
        .bind(":last_error", m.last_error);
    bind_time(*stmt, ":sent_at", m.sent_at);
    return stmt->run();
}

core::Result<std::vector<ra::OutboxMessage>> select_unsent_messages(Database& db,
                                                                    std::size_t limit) {
    auto stmt = db.prepare(
        "SELECT id, channel, recipient, subject, body, attachment_name, attachment_blob, "
        "created_at, sent_at, provider_ref, attempts, last_error FROM outbox "
        "WHERE sent_at IS NULL ORDER BY attempts, id LIMIT :limit");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    constexpr auto kMaxLimit = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    stmt->bind(":limit", static_cast<std::int64_t>(std::min(limit, kMaxLimit)));
    std::vector<ra::OutboxMessage> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return out;
        auto m = read_message(*stmt);
        if (!m)
            return std::unexpected(std::move(m.error()));
        out.push_back(std::move(*m));
    }
}

core::Result<void> update_outbox_message(Database& db, const ra::OutboxMessage& m) {
    auto stmt = db.prepare(
        "UPDATE outbox SET sent_at = :sent_at, provider_ref = :provider_ref, attempts = :attempts, "
        "last_error = :last_error WHERE id = :id RETURNING id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":id", m.id)
        .bind(":provider_ref", m.provider_ref)
        .bind(":attempts", std::int64_t{m.attempts})
        .bind(":last_error", m.last_error);
    bind_time(*stmt, ":sent_at", m.sent_at);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row) {
        return core::fail(core::Errc::not_found, "outbox.unknown",
                          "no outbox message " + std::to_string(m.id));
    }
    return stmt->run();
}

}  // namespace eseal::store
