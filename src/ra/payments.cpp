#include "ra/payments.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.hpp"
#include "ra/applications.hpp"
#include "ra/state_machine.hpp"

namespace eseal::ra {
namespace {

std::string new_order_no(core::TimePoint now) {
    // Our out_trade_no: "P" + UTC seconds + 8 random digits; WeChat allows 6-32 characters of
    // [0-9A-Za-z_-*], Alipay 64.
    std::string digits;
    for (auto b : crypto::random_bytes(8)) digits.push_back(static_cast<char>('0' + b % 10));
    return "P" + std::to_string(now.time_since_epoch().count()) + digits;
}

ApplicationChange payment_change(const Actor& actor, const Application& a, const Payment& p, core::TimePoint now,
                                 std::string event, std::string message, std::string from = {}, std::string to = {}) {
    ApplicationChange c;
    c.timeline.push_back({a.id, now, actor.audit_name(), std::move(from), std::move(to), event, message});
    c.event = core::AuditEvent{now, actor.audit_name(), "payment." + event, "payment:" + p.order_no,
                               nlohmann::json{{"application", a.id},
                                              {"method", to_string(p.method)},
                                              {"amount_fen", p.amount_fen},
                                              {"status", to_string(p.status)},
                                              {"transaction_id", p.transaction_id}}
                                   .dump()};
    return c;
}

}  // namespace

core::Result<Payment> PaymentService::start(const Actor& actor, const std::string& application_id, PaymentMethod method) {
    auto a = m_service->visible(actor, application_id);
    if (!a) return std::unexpected(a.error());
    if (a->state != State::awaiting_payment)
        return core::fail(core::Errc::conflict, "payment.not_awaiting",
                          "the application is not awaiting payment (it is " + std::string(to_string(a->state)) + ")");
    if (method == PaymentMethod::counter && actor.kind != Actor::Kind::staff)
        return core::fail(core::Errc::permission_denied, "payment.counter_staff", "payment at the counter is taken by staff");
    PaymentProvider* provider = nullptr;
    if (method == PaymentMethod::wechat || method == PaymentMethod::alipay) {
        const auto it = m_providers.find(method);
        if (it == m_providers.end())
            return core::fail(core::Errc::unsupported, "payment.method_unavailable",
                              std::string(to_string(method)) + " is not configured");
        provider = it->second;
    }
    auto existing = m_payments.payments_of(application_id);
    if (!existing) return std::unexpected(existing.error());
    for (const auto& p : *existing)
        if (p.method == method && p.status == PaymentStatus::created && p.amount_fen == a->fee_fen) return p;

    const auto now = m_clock.now();
    Payment p;
    p.order_no = new_order_no(now);
    p.application_id = application_id;
    p.method = method;
    p.amount_fen = a->fee_fen;
    p.created_at = now;
    if (provider) {
        auto order = provider->create_order(p, "数字证书服务 " + application_id);
        if (!order) return std::unexpected(order.error());
        p.qr_content = order->qr_content;
    }
    auto c = payment_change(actor, *a, p, now, "created",
                            "已创建支付订单 " + p.order_no + "（" + std::string(to_string(method)) + "，" + yuan(p.amount_fen) + " 元）");
    if (auto r = m_payments.add_payment(p, c); !r) return std::unexpected(r.error());
    spdlog::info("payment {} created for {} ({} {} fen)", p.order_no, application_id, to_string(method), p.amount_fen);
    return p;
}

NotificationOutcome PaymentService::notify(PaymentMethod method, const HeaderMap& headers, const std::string& body) {
    const auto it = m_providers.find(method);
    if (it == m_providers.end()) return {false, "unknown payment method"};
    PaymentProvider& provider = *it->second;
    auto refuse = [&](const std::string& why) {
        spdlog::warn("payment notification from {} refused: {}", to_string(method), why);
        return NotificationOutcome{false, provider.acknowledge(false)};
    };
    auto notice = provider.parse_notification(headers, body);
    if (!notice) return refuse(notice.error().describe());
    auto found = m_payments.find_payment(notice->order_no);
    if (!found) return refuse(found.error().describe());
    if (!*found) return refuse("unknown order " + notice->order_no);
    Payment& p = **found;
    if (p.method != method) return refuse("order " + p.order_no + " was not made with " + std::string(to_string(method)));
    if (notice->amount_fen != p.amount_fen)
        return refuse("order " + p.order_no + ": notified amount " + std::to_string(notice->amount_fen) + " fen, ordered " +
                      std::to_string(p.amount_fen));
    if (!notice->success) {
        spdlog::info("payment {}: provider reports not paid ({})", p.order_no, notice->notify_id);
        return {true, provider.acknowledge(true)};
    }
    if (p.status == PaymentStatus::paid || p.status == PaymentStatus::refunding || p.status == PaymentStatus::refunded) {
        // Providers repeat a notification until acknowledged: the same one again is fine.
        if (p.transaction_id == notice->transaction_id) return {true, provider.acknowledge(true)};
        return refuse("order " + p.order_no + " was already paid by transaction " + p.transaction_id);
    }
    if (auto r = mark_paid(Actor::system(), p, notice->transaction_id); !r) {
        spdlog::error("payment {}: could not record the payment: {}", p.order_no, r.error().describe());
        return {false, provider.acknowledge(false)};  // the provider will retry
    }
    return {true, provider.acknowledge(true)};
}

core::Result<void> PaymentService::mark_paid(const Actor& actor, Payment& p, const std::string& transaction_id) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto found = m_applications.find_application(p.application_id);
        if (!found) return std::unexpected(found.error());
        if (!*found) return core::fail(core::Errc::internal, "payment.orphan", "payment " + p.order_no + " has no application");
        Application a = std::move(**found);
        const auto now = m_clock.now();
        Payment paid = p;
        paid.status = PaymentStatus::paid;
        paid.transaction_id = transaction_id;
        paid.paid_at = now;
        std::optional<Application> moved;
        ApplicationChange c;
        if (a.state == State::awaiting_payment) {
            if (auto r = check_transition(a.state, State::paid, actor.kind); !r) return r;
            a.state = State::paid;
            a.paid_at = now;
            a.updated_at = now;
            c = payment_change(actor, a, paid, now, "paid", "已支付 " + yuan(paid.amount_fen) + " 元（" + std::string(to_string(paid.method)) + "），等待审核",
                               "awaiting_payment", "paid");
            c.messages = handler_messages(a.form.handler, "已收到付款 " + a.id,
                                          "申请" + a.id + "已收到付款" + yuan(paid.amount_fen) + "元，客服将在一个工作日内审核。", now);
            moved = a;
        } else {
            c = payment_change(actor, a, paid, now, "paid", "已收到付款 " + yuan(paid.amount_fen) + " 元（申请状态：" + std::string(to_string(a.state)) + "）");
        }
        auto r = m_payments.update_payment(paid, moved, c);
        if (!r && r.error().kind == core::Errc::conflict) continue;  // the application changed meanwhile: read again
        if (!r) return r;
        p = paid;
        spdlog::info("payment {} paid ({} fen, transaction {})", p.order_no, p.amount_fen, transaction_id);
        if (auto f = m_notifier.flush(); !f) spdlog::warn("outbox: {}", f.error().describe());
        if (m_on_paid) m_on_paid(p);
        if (a.state == State::cancelled) return refund_all(Actor::system(), a);  // paid after cancelling
        return {};
    }
    return core::fail(core::Errc::conflict, "payment.busy", "the application kept changing; the provider will retry");
}

core::Result<Payment> PaymentService::confirm_offline(const Actor& staff, const std::string& order_no,
                                                      const std::string& reference) {
    if (staff.kind != Actor::Kind::staff)
        return core::fail(core::Errc::permission_denied, "payment.staff_only", "only staff confirm a transfer or a counter payment");
    auto found = m_payments.find_payment(order_no);
    if (!found) return std::unexpected(found.error());
    if (!*found) return core::fail(core::Errc::not_found, "payment.not_found", "no payment " + order_no);
    Payment p = **found;
    if (p.method != PaymentMethod::bank_transfer && p.method != PaymentMethod::counter)
        return core::fail(core::Errc::conflict, "payment.online", "WeChat Pay and Alipay payments are confirmed by the provider");
    if (p.status != PaymentStatus::created)
        return core::fail(core::Errc::conflict, "payment.not_open", "payment " + order_no + " is " + std::string(to_string(p.status)));
    if (reference.empty())
        return core::fail(core::Errc::invalid_input, "payment.reference", "give the transfer's or receipt's reference",
                          {{"field.required", "is required", "reference"}});
    if (auto r = mark_paid(staff, p, reference); !r) return std::unexpected(r.error());
    return p;
}

core::Result<std::vector<Payment>> PaymentService::payments_of(const Actor& actor, const std::string& application_id) {
    if (auto a = m_service->visible(actor, application_id); !a) return std::unexpected(a.error());
    return m_payments.payments_of(application_id);
}

core::Result<Payment> PaymentService::find(const Actor& actor, const std::string& order_no) {
    auto found = m_payments.find_payment(order_no);
    if (!found) return std::unexpected(found.error());
    if (!*found || !m_service->visible(actor, (*found)->application_id))
        return core::fail(core::Errc::not_found, "payment.not_found", "no payment " + order_no);
    return **found;
}

core::Result<std::int64_t> PaymentService::paid_amount(const std::string& application_id) {
    auto list = m_payments.payments_of(application_id);
    if (!list) return std::unexpected(list.error());
    std::int64_t total = 0;
    for (const auto& p : *list)
        if (p.status == PaymentStatus::paid) total += p.amount_fen;
    return total;
}

core::Result<void> PaymentService::refund_all(const Actor& actor, const Application& a) {
    auto list = m_payments.payments_of(a.id);
    if (!list) return std::unexpected(list.error());
    for (auto p : *list) {
        const auto now = m_clock.now();
        if (p.status == PaymentStatus::created) {  // an open order: close it so it cannot be paid
            p.status = PaymentStatus::closed;
            if (auto r = m_payments.update_payment(p, std::nullopt, payment_change(actor, a, p, now, "closed", "支付订单 " + p.order_no + " 已关闭")); !r)
                return r;
            continue;
        }
        if (p.status != PaymentStatus::paid) continue;
        p.refund_no = "R" + p.order_no.substr(1);
        const auto provider = m_providers.find(p.method);
        if (provider != m_providers.end()) {
            if (auto r = provider->second->refund(p, p.refund_no); !r) return r;
            p.status = PaymentStatus::refunded;
            p.refunded_at = now;
        } else {
            p.status = PaymentStatus::refunding;  // a transfer or cash: refunded by staff, by hand
        }
        auto c = payment_change(actor, a, p, now, p.status == PaymentStatus::refunded ? "refunded" : "refunding",
                                (p.status == PaymentStatus::refunded ? "已退款 " : "退款处理中 ") + yuan(p.amount_fen) + " 元");
        c.messages = handler_messages(a.form.handler, "退款 " + a.id,
                                      "申请" + a.id + "已取消，" + yuan(p.amount_fen) + "元将原路退回。", now);
        if (auto r = m_payments.update_payment(p, std::nullopt, c); !r) return r;
        spdlog::info("payment {}: {} ({} fen)", p.order_no, to_string(p.status), p.amount_fen);
    }
    if (auto f = m_notifier.flush(); !f) spdlog::warn("outbox: {}", f.error().describe());
    return {};
}

}  // namespace eseal::ra
