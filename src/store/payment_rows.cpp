#include "store/payment_rows.hpp"

#include <string>
#include <utility>

#include "store/row_values.hpp"

namespace eseal::store {
namespace {

constexpr std::string_view kSelectPayment =
    "SELECT order_no, application_id, method, amount_fen, status, qr_content, transaction_id, "
    "receipt_blob, refund_no, created_at, paid_at, refunded_at FROM payments";

core::Result<ra::Payment> read_payment(const Statement& row) {
    ra::Payment p;
    p.order_no = row.text(0);
    const std::string where = "payment " + p.order_no;
    p.application_id = row.text(1);
    const auto method = ra::parse_payment_method(row.text(2));
    const auto status = ra::parse_payment_status(row.text(4));
    if (!method || !status) {
        return std::unexpected(corrupt(
            where, "unknown method or status '" + row.text(2) + "', '" + row.text(4) + "'"));
    }
    p.method = *method;
    p.amount_fen = row.int64(3);
    p.status = *status;
    p.qr_content = row.text(5);
    p.transaction_id = row.text(6);  // NULL reads as ""
    p.receipt_blob = row.text(7);
    p.refund_no = row.text(8);
    auto created = read_time(row, 9, where);
    if (!created)
        return std::unexpected(std::move(created.error()));
    p.created_at = *created;
    auto paid = read_optional_time(row, 10, where);
    if (!paid)
        return std::unexpected(std::move(paid.error()));
    p.paid_at = *paid;
    auto refunded = read_optional_time(row, 11, where);
    if (!refunded)
        return std::unexpected(std::move(refunded.error()));
    p.refunded_at = *refunded;
    return p;
}

// Looked up rather than told apart from the order number's clash by SQLite's message; the
// writer holds the write lock, so the answer still holds when the row is written.
core::Result<void> check_transaction_free(Database& db, const ra::Payment& p) {
    if (p.transaction_id.empty())
        return {};
    auto stmt = db.prepare(
        "SELECT order_no FROM payments WHERE transaction_id = :transaction_id "
        "AND order_no <> :order_no");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":transaction_id", p.transaction_id).bind(":order_no", p.order_no);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (*row) {
        return core::fail(
            core::Errc::already_exists, "payment.duplicate_transaction",
            "transaction " + p.transaction_id + " already paid order " + stmt->text(0));
    }
    return {};
}

void bind_changing(Statement& stmt, const ra::Payment& p) {
    stmt.bind(":order_no", p.order_no)
        .bind(":status", ra::to_string(p.status))
        .bind(":qr_content", p.qr_content)
        .bind(":receipt_blob", p.receipt_blob)
        .bind(":refund_no", p.refund_no);
    bind_text_or_null(stmt, ":transaction_id", p.transaction_id);
    bind_time(stmt, ":paid_at", p.paid_at);
    bind_time(stmt, ":refunded_at", p.refunded_at);
}

core::Result<std::vector<ra::Payment>> read_payments(Statement& stmt) {
    std::vector<ra::Payment> out;
    for (;;) {
        auto row = stmt.step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return out;
        auto p = read_payment(stmt);
        if (!p)
            return std::unexpected(std::move(p.error()));
        out.push_back(std::move(*p));
    }
}

}  // namespace

core::Result<void> insert_payment(Database& db, const ra::Payment& p) {
    if (auto r = check_transaction_free(db, p); !r)
        return r;
    auto stmt = db.prepare(
        "INSERT INTO payments(order_no, application_id, method, amount_fen, status, qr_content, "
        "transaction_id, receipt_blob, refund_no, created_at, paid_at, refunded_at) VALUES "
        "(:order_no, :application_id, :method, :amount_fen, :status, :qr_content, "
        ":transaction_id, :receipt_blob, :refund_no, :created_at, :paid_at, :refunded_at)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    bind_changing(*stmt, p);
    stmt->bind(":application_id", p.application_id)
        .bind(":method", ra::to_string(p.method))
        .bind(":amount_fen", p.amount_fen)
        .bind(":created_at", core::format_utc(p.created_at));
    auto r = stmt->run();
    if (!r && r.error().kind == core::Errc::already_exists) {
        return core::fail(core::Errc::already_exists, "payment.duplicate",
                          "payment " + p.order_no + " is already stored");
    }
    if (!r && r.error().code == "storage.foreign_key") {
        return core::fail(
            core::Errc::not_found, "application.unknown",
            "payment " + p.order_no + " for unknown application '" + p.application_id + "'");
    }
    return r;
}

core::Result<void> update_payment_row(Database& db, const ra::Payment& p) {
    if (auto r = check_transaction_free(db, p); !r)
        return r;
    auto stmt = db.prepare(
        "UPDATE payments SET status = :status, qr_content = :qr_content, "
        "transaction_id = :transaction_id, receipt_blob = :receipt_blob, refund_no = :refund_no, "
        "paid_at = :paid_at, refunded_at = :refunded_at WHERE order_no = :order_no "
        "RETURNING order_no");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    bind_changing(*stmt, p);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row)
        return core::fail(core::Errc::not_found, "payment.unknown", "no payment " + p.order_no);
    return stmt->run();
}

core::Result<std::optional<ra::Payment>> select_payment(Database& db, std::string_view order_no) {
    auto stmt = db.prepare(std::string(kSelectPayment) + " WHERE order_no = :order_no");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":order_no", order_no);
    auto all = read_payments(*stmt);
    if (!all)
        return std::unexpected(std::move(all.error()));
    if (all->empty())
        return std::nullopt;
    return std::optional(std::move(all->front()));
}

core::Result<std::vector<ra::Payment>> select_payments(Database& db,
                                                       std::string_view application_id) {
    auto stmt = db.prepare(std::string(kSelectPayment) +
                           " WHERE application_id = :application_id ORDER BY created_at, order_no");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":application_id", application_id);
    return read_payments(*stmt);
}

}  // namespace eseal::store
