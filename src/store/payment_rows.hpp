#pragma once
// ra::Payment <-> the `payments` table (migrations/0004_ra.sql).
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "ra/ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

// already_exists: "payment.duplicate" for an order number already stored,
// "payment.duplicate_transaction" for a provider transaction already booked on another order;
// not_found ("application.unknown") if the application is not stored.
[[nodiscard]] core::Result<void> insert_payment(Database& db, const ra::Payment& p);
// Writes what changes over a payment's life: status, qr_content, transaction_id, receipt_blob,
// refund_no, paid_at, refunded_at. not_found ("payment.unknown") if the order is not stored;
// "payment.duplicate_transaction" as for insert_payment.
[[nodiscard]] core::Result<void> update_payment_row(Database& db, const ra::Payment& p);
[[nodiscard]] core::Result<std::optional<ra::Payment>> select_payment(Database& db,
                                                                      std::string_view order_no);
// Oldest first.
[[nodiscard]] core::Result<std::vector<ra::Payment>> select_payments(
    Database& db, std::string_view application_id);

}  // namespace eseal::store
