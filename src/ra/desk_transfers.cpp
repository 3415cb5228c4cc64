// CaDesk: confirming a corporate bank transfer from its receipt (guide §3 step 5: payment by
// WeChat Pay, Alipay or corporate transfer; the transfer is seen by staff, not by a provider).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "ra/desk.hpp"
#include "ra/duties.hpp"

namespace eseal::ra {
namespace {
constexpr std::ptrdiff_t kNoteMax = 500;  // characters (UTF-8 code points), as a revocation's note
}  // namespace

core::Result<Payment> CaDesk::confirm_transfer(const Actor& actor, const std::string& id, const std::string& order_no,
                                               const std::string& note) {
    auto a = load(actor, id);
    if (!a) return std::unexpected(a.error());
    if (auto r = require(actor, Duty::confirm_payment, a->channel); !r) return std::unexpected(r.error());
    if (!m.payments) return core::fail(core::Errc::unsupported, "payment.unavailable", "no payment service");
    auto list = m.payments->payments_of(actor, id);
    if (!list) return std::unexpected(list.error());
    const auto p = std::find_if(list->begin(), list->end(), [&](const Payment& x) { return x.order_no == order_no; });
    if (p == list->end())
        return core::fail(core::Errc::not_found, "payment.not_found", "application " + id + " has no payment " + order_no);
    if (p->method != PaymentMethod::bank_transfer)
        return core::fail(core::Errc::conflict, "payment.not_offline",
                          "payment " + order_no + " is by " + std::string(to_string(p->method)) +
                              ": only a bank transfer is confirmed by staff");
    if (p->status == PaymentStatus::paid || p->status == PaymentStatus::refunding || p->status == PaymentStatus::refunded)
        return core::fail(core::Errc::conflict, "payment.already_paid", "payment " + order_no + " is already paid");
    if (p->status != PaymentStatus::created)
        return core::fail(core::Errc::conflict, "payment.not_open",
                          "payment " + order_no + " is " + std::string(to_string(p->status)));
    auto materials = m.applications.materials(id);
    if (!materials) return std::unexpected(materials.error());
    if (std::none_of(materials->begin(), materials->end(),
                     [](const Material& x) { return x.kind == MaterialKind::payment_receipt; }))
        return core::fail(core::Errc::conflict, "payment.no_receipt",
                          "the applicant has not uploaded the transfer's receipt (material payment_receipt)");

    std::string_view text = note;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    const auto length = std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
    if (text.empty() || length > kNoteMax)
        return core::fail(core::Errc::invalid_input, "request.invalid", "the request has errors",
                          {{text.empty() ? "field.required" : "field.length",
                            text.empty() ? "the bank's reference, as the receipt shows it" : "is at most " + std::to_string(kNoteMax) + " characters", "note"}});
    auto paid = m.payments->confirm_offline(actor, order_no, std::string(text));
    if (!paid) return std::unexpected(paid.error());
    spdlog::info("application {}: bank transfer {} confirmed by {}", id, order_no, actor.audit_name());
    return paid;
}

}  // namespace eseal::ra
