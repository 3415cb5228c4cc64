#pragma once
// What the CA's side of an application needs from storage (STYLE: the consumer declares the
// interface); store/ implements it (sqlite_store_desk.cpp, migrations/0006_ca_side.sql).
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/algorithm.hpp"
#include "ra/application.hpp"
#include "ra/ports.hpp"

namespace eseal::pki {
class CertificateAuthority;
}
namespace eseal::token {
class UkeyService;
}

namespace eseal::ra {

// What staff did with an application (store: application_desk, migrations/0006_ca_side.sql).
struct DeskRecord {
    std::string application_id;
    std::string reviewer;
    std::optional<core::TimePoint> review_started_at;
    std::string decided_by;
    std::optional<core::TimePoint> approved_at;
    std::string return_reason;
    std::vector<std::string> counter_checked;  // counter: material kinds the clerk checked on paper
    std::string fulfilled_by;
    std::optional<core::TimePoint> fulfilled_at;
    std::string token_serial;
    std::string token_driver;        // "pkcs11" | "skf"
    std::string certificate_serial;  // the new certificate
    std::string replaced_serial;     // the certificate the business concerned
    std::string replaced_reason;     // what it was revoked with ("" if it was not)
    std::string carrier;
    std::string tracking_no;
    std::optional<core::TimePoint> shipped_at;
    std::optional<core::TimePoint> delivered_at;
};

class DeskRepository {
  public:
    virtual ~DeskRepository() = default;
    [[nodiscard]] virtual core::Result<std::optional<DeskRecord>> find_desk(const std::string& application_id) = 0;
    // In one transaction: the application's new row (version-checked like update_application;
    // nullopt leaves it), the desk row (upserted), the materials given (their verdicts), and the
    // change (timeline, outbox, audit).
    [[nodiscard]] virtual core::Result<void> save_desk(const std::optional<Application>& a, const DeskRecord& desk,
                                                       const std::vector<Material>& materials,
                                                       const ApplicationChange& change) = 0;
};

// An e-invoice for one paid payment (guide §5; issue 7).
struct InvoiceLine {
    std::string item;
    std::int64_t quantity = 1;
    std::int64_t amount_fen = 0;  // tax included
};

struct Invoice {
    std::int64_t number = 0;  // in sequence, assigned by the store
    std::string order_no;
    std::string application_id;
    std::string buyer;
    std::string buyer_credit_code;
    std::vector<InvoiceLine> lines;
    std::int64_t amount_fen = 0;        // tax included
    std::int64_t tax_rate_permille = 0;  // 60 = 6 %
    std::int64_t tax_fen = 0;
    core::TimePoint issued_at{};
    std::string blob;  // the PDF; "" until rendered
};

class InvoiceRepository {
  public:
    virtual ~InvoiceRepository() = default;
    // Stores the invoice with the next number (returned); already_exists ("invoice.exists") if
    // the order already has one.
    [[nodiscard]] virtual core::Result<std::int64_t> reserve_invoice(const Invoice& invoice) = 0;
    // Records the rendered PDF with the change (messages with the link and the PDF).
    [[nodiscard]] virtual core::Result<void> finish_invoice(std::int64_t number, const std::string& blob,
                                                            const ApplicationChange& change) = 0;
    [[nodiscard]] virtual core::Result<std::optional<Invoice>> find_invoice(std::int64_t number) = 0;
    [[nodiscard]] virtual core::Result<std::vector<Invoice>> invoices_of(const std::string& application_id) = 0;
};

// The CA and the Ukey drivers issuance works with, provided by the composition root.
struct IssuanceTools {
    // The issuing CA for keys of this algorithm's suite (SM2 keys: the SM2 CA; ECDSA / RSA: the
    // international one). not_found / unsupported when there is none.
    std::function<core::Result<const pki::CertificateAuthority*>(crypto::KeyAlgorithm)> ca;
    // A driver by name ("pkcs11", "skf").
    std::function<core::Result<token::UkeyService*>(std::string_view driver)> ukeys;
};

}  // namespace eseal::ra
