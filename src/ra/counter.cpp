// CaDesk at the counter (guide §8 on-site service; DESIGN §5 "Counter: the clerk runs the same
// machine in one sitting"): the application is opened by the clerk for a walk-in handler, the
// paper materials are checked against the catalogue's counter list, payment is taken in cash or
// by card, and then the same review, issuance and hand-over steps follow, by the clerk.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "ra/desk.hpp"
#include "ra/duties.hpp"

namespace eseal::ra {

core::Result<Application> CaDesk::counter_open(const Actor& actor, Business business, CertType type,
                                               const ApplicationForm& form, const std::vector<std::string>& checked) {
    if (auto r = require(actor, Duty::counter, Channel::counter); !r) return std::unexpected(r.error());
    const auto required = m.service.catalogue().required_materials(business, type, Channel::counter);
    std::vector<core::Problem> problems;
    for (const auto& item : checked)
        if (std::none_of(required.begin(), required.end(), [&](const MaterialRule& r) { return r.kind == item; }))
            problems.push_back({"counter.unknown_item", item + " is not on this business's counter list", "checked"});
    for (const auto& rule : required)
        if (std::find(checked.begin(), checked.end(), rule.kind) == checked.end())
            problems.push_back({"counter.not_checked", "check: " + rule.label, "checked." + rule.kind});
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "counter.materials",
                          "the counter materials are not all checked: " + std::to_string(problems.size()) + " problem" +
                              (problems.size() == 1 ? "" : "s"),
                          std::move(problems));
    auto a = m.service.create(actor, business, type, Channel::counter, form);
    if (!a) return a;
    DeskRecord d;
    d.application_id = a->id;
    d.counter_checked = checked;
    std::string list;
    for (const auto& item : checked) list += (list.empty() ? "" : "、") + item;
    if (auto r = note(actor, *a, d, "counter.checked", "柜台已核验材料：" + list); !r) return std::unexpected(r.error());
    return m.service.submit(actor, a->id);
}

core::Result<Payment> CaDesk::counter_payment(const Actor& actor, const std::string& id, const std::string& method,
                                              const std::string& reference) {
    if (auto r = require(actor, Duty::counter, Channel::counter); !r) return std::unexpected(r.error());
    if (!m.payments) return core::fail(core::Errc::unsupported, "payment.unavailable", "no payment service");
    std::vector<core::Problem> problems;
    if (method != "cash" && method != "card") problems.push_back({"field.enum", "is cash or card", "method"});
    if (reference.empty()) problems.push_back({"field.required", "the receipt's or card slip's number", "reference"});
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "payment.invalid", "the payment has errors", std::move(problems));
    auto a = load(actor, id);
    if (!a) return std::unexpected(a.error());
    if (a->channel != Channel::counter)
        return core::fail(core::Errc::conflict, "payment.not_counter", "application " + id + " was made online; it is paid online");
    auto order = m.payments->start(actor, id, PaymentMethod::counter);
    if (!order) return order;
    return m.payments->confirm_offline(actor, order->order_no, method + ":" + reference);
}

}  // namespace eseal::ra
