#include "ra/invoices.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "ra/render/invoice_pdf.hpp"

namespace eseal::ra {

std::int64_t tax_included(std::int64_t amount_fen, std::int64_t rate_permille) {
    // net = round(amount * 1000 / (1000 + rate)), rounding half up.
    const auto net = (amount_fen * 1000 * 2 + (1000 + rate_permille)) / (2 * (1000 + rate_permille));
    return amount_fen - net;
}

core::Result<Invoice> InvoiceService::issue_for(const Payment& payment) {
    auto found = m.applications.find_application(payment.application_id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return core::fail(core::Errc::not_found, "application.not_found", "no application " + payment.application_id);
    const Application& a = **found;
    Invoice inv;
    inv.order_no = payment.order_no;
    inv.application_id = a.id;
    inv.buyer = a.form.organization.name;
    inv.buyer_credit_code = a.form.organization.credit_code;
    inv.tax_rate_permille = m.settings.tax_rate_permille;
    inv.issued_at = m.clock.now();
    const auto quote = m.service.quote(a);
    std::int64_t listed = 0;
    for (const auto& l : quote.lines) {
        inv.lines.push_back({l.item, l.quantity, l.amount_fen});
        listed += l.amount_fen;
    }
    if (listed != payment.amount_fen)  // the fee table changed since: invoice what was paid
        inv.lines = {{"数字证书服务费", 1, payment.amount_fen}};
    inv.amount_fen = payment.amount_fen;
    for (const auto& l : inv.lines) inv.tax_fen += tax_included(l.amount_fen, inv.tax_rate_permille);

    auto number = m.invoices.reserve_invoice(inv);
    if (!number) {
        if (number.error().kind != core::Errc::already_exists) return std::unexpected(number.error());
        for (auto& existing : m.invoices.invoices_of(a.id).value_or(std::vector<Invoice>{}))
            if (existing.order_no == payment.order_no) return existing;
        return std::unexpected(number.error());
    }
    inv.number = *number;
    auto pdf = render_invoice(inv, m.settings.seller, m.settings.seller_credit_code);
    if (!pdf) return std::unexpected(pdf.error());
    auto blob = m.blobs.put(*pdf);
    if (!blob) return std::unexpected(blob.error());
    inv.blob = *blob;

    const std::string text = invoice_number_text(inv.number);
    const std::string link = m.settings.public_url + "/api/v1/invoices/" + std::to_string(inv.number) + "/invoice.pdf";
    ApplicationChange c;
    c.timeline.push_back({a.id, inv.issued_at, "system", "", "", "invoice.issued",
                          "电子发票 " + text + " 已开具（" + yuan(inv.amount_fen) + " 元）"});
    c.messages.push_back(sms_message(a.form.handler.phone,
                                     "您的电子发票" + text + "已开具，金额" + yuan(inv.amount_fen) + "元，下载：" + link, inv.issued_at));
    if (!a.form.handler.email.empty()) {
        auto mail = email_message(a.form.handler.email, "电子发票 " + text,
                                  a.form.handler.name + "，您好：\n\n随信附上申请" + a.id + "的电子发票" + text + "（" +
                                      yuan(inv.amount_fen) + "元）。\n\n深圳CA 网上营业厅",
                                  inv.issued_at);
        mail.attachment_name = "电子发票-" + text + ".pdf";
        mail.attachment_blob = inv.blob;
        c.messages.push_back(std::move(mail));
    }
    c.event = core::AuditEvent{inv.issued_at, "system", "invoice.issue", "invoice:" + std::to_string(inv.number),
                               nlohmann::json{{"application", a.id}, {"order", inv.order_no}, {"amount_fen", inv.amount_fen},
                                              {"tax_fen", inv.tax_fen}, {"blob", inv.blob}}
                                   .dump()};
    if (auto r = m.invoices.finish_invoice(inv.number, inv.blob, c); !r) return std::unexpected(r.error());
    spdlog::info("invoice {} issued for {} ({} fen)", text, a.id, inv.amount_fen);
    if (auto f = m.notifier.flush(); !f) spdlog::warn("outbox: {}", f.error().describe());
    return inv;
}

core::Result<std::vector<Invoice>> InvoiceService::invoices_of(const Actor& actor, const std::string& application_id) {
    if (auto a = m.service.visible(actor, application_id); !a) return std::unexpected(a.error());
    return m.invoices.invoices_of(application_id);
}

core::Result<std::pair<Invoice, core::Bytes>> InvoiceService::pdf(const Actor& actor, std::int64_t number) {
    auto inv = m.invoices.find_invoice(number);
    if (!inv) return std::unexpected(inv.error());
    const auto none = core::Error{core::Errc::not_found, "invoice.not_found", "no invoice " + std::to_string(number), {}};
    if (!*inv || (*inv)->blob.empty()) return std::unexpected(none);
    if (!m.service.visible(actor, (*inv)->application_id)) return std::unexpected(none);
    auto bytes = m.blobs.read((*inv)->blob);
    if (!bytes) return std::unexpected(bytes.error());
    return std::make_pair(std::move(**inv), std::move(*bytes));
}

}  // namespace eseal::ra
