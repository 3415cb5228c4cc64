#pragma once
// E-invoices (guide §5 fees; issue 7): when a payment is recorded as paid, an invoice PDF is made
// (seller, buyer organization and credit code, items, amounts, the tax rate from configuration,
// a sequential number), stored in the blob store, its link texted to the handler and the PDF
// e-mailed; the applicant (and staff) can download it.
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/actor.hpp"
#include "ra/applications.hpp"
#include "ra/desk_ports.hpp"
#include "ra/notifier.hpp"
#include "ra/ports.hpp"

namespace eseal::ra {

struct InvoiceSettings {
    std::string seller = "深圳市电子商务安全证书管理有限公司";
    std::string seller_credit_code = "91440300708461136T";
    std::int64_t tax_rate_permille = 60;  // 6 %: modern services (VAT)
    std::string public_url;               // the link's base: "https://ca.example"
};

struct InvoiceDeps {
    InvoiceRepository& invoices;
    ApplicationRepository& applications;
    BlobStore& blobs;
    ApplicationService& service;
    Notifier& notifier;
    const core::Clock& clock;
    InvoiceSettings settings;
};

// The tax contained in a tax-inclusive amount: amount - round(amount / (1 + rate)).
[[nodiscard]] std::int64_t tax_included(std::int64_t amount_fen, std::int64_t rate_permille);

class InvoiceService {
  public:
    explicit InvoiceService(InvoiceDeps deps) : m(std::move(deps)) {}
    // For a payment just paid; an order that has an invoice keeps it (the existing one returns).
    [[nodiscard]] core::Result<Invoice> issue_for(const Payment& payment);
    [[nodiscard]] core::Result<std::vector<Invoice>> invoices_of(const Actor& actor, const std::string& application_id);
    // The PDF, for whoever may see the application.
    [[nodiscard]] core::Result<std::pair<Invoice, core::Bytes>> pdf(const Actor& actor, std::int64_t number);

  private:
    InvoiceDeps m;
};

}  // namespace eseal::ra
