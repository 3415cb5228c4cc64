#include "ra/providers/alipay_sandbox.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "ra/providers/alipay_signature.hpp"
#include "ra/providers/money.hpp"
#include "ra/providers/random_text.hpp"
#include "ra/providers/service_time.hpp"

namespace eseal::ra::providers {
namespace {

using nlohmann::json;

std::string string_at(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::string field(const FormFields& f, std::string_view name) {
    const auto it = f.find(name);
    return it == f.end() ? std::string{} : it->second;
}

// A business failure: HTTP 200, code 40004 "Business Failed" with a sub_code.
json business_failure(std::string_view sub_code, std::string_view sub_msg) {
    return {{"code", "40004"},
            {"msg", "Business Failed"},
            {"sub_code", sub_code},
            {"sub_msg", sub_msg}};
}

json success() {
    return {{"code", "10000"}, {"msg", "Success"}};
}

}  // namespace

core::Result<std::unique_ptr<AlipaySandbox>> AlipaySandbox::create(std::string app_id,
                                                                   core::Bytes app_public_key,
                                                                   const core::Clock& clock) {
    auto key = crypto::SoftKey::generate(crypto::KeyAlgorithm::rsa2048);
    if (!key)
        return std::unexpected(key.error());
    return std::make_unique<AlipaySandbox>(std::move(app_id), std::move(app_public_key),
                                           std::move(*key), clock);
}

AlipaySandbox::AlipaySandbox(std::string app_id, core::Bytes app_public_key,
                             crypto::SoftKey alipay_key, const core::Clock& clock)
    : m_app_id(std::move(app_id)),
      m_app_public_key(std::move(app_public_key)),
      m_alipay_key(std::move(alipay_key)),
      m_clock(clock) {}

core::Bytes AlipaySandbox::alipay_public_key() const {
    return m_alipay_key.public_key();
}

AlipayConfig AlipaySandbox::merchant_config(std::string notify_url) const {
    return AlipayConfig{m_app_id, alipay_public_key(), std::move(notify_url)};
}

// {"<method>_response": {...}, "sign": "<RSA2 over the member's JSON text>"}
core::Result<ApiReply> AlipaySandbox::respond(const std::string& method,
                                              const std::string& body) const {
    std::string member = method;
    std::ranges::replace(member, '.', '_');
    auto sign = alipay_sign(m_alipay_key, body);
    if (!sign)
        return std::unexpected(sign.error());
    return ApiReply{200,
                    {{"content-type", "text/html;charset=utf-8"}},
                    "{\"" + member + "_response\":" + body + ",\"sign\":\"" + *sign + "\"}"};
}

core::Result<ApiReply> AlipaySandbox::exchange(const std::string& method, const std::string& path,
                                               const HeaderMap&, const std::string& body) {
    if (method != "POST" || path != "/gateway.do")
        return ApiReply{404, {{"content-type", "text/plain"}}, "not found"};
    const auto form = parse_form(body);
    const std::string api = form ? field(*form, "method") : std::string{};
    // Gateway checks (code 40002 "Invalid Arguments"), answered unsigned, as Alipay does.
    const auto invalid = [&](std::string_view sub_code, std::string_view sub_msg) {
        std::string member = api.empty() ? "error" : api;
        std::ranges::replace(member, '.', '_');
        const json node = {{"code", "40002"},
                           {"msg", "Invalid Arguments"},
                           {"sub_code", sub_code},
                           {"sub_msg", sub_msg}};
        return ApiReply{200,
                        {{"content-type", "text/html;charset=utf-8"}},
                        json{{member + "_response", node}}.dump()};
    };
    if (!form)
        return invalid("isv.invalid-parameter", "请求参数不是表单");
    const FormFields& f = *form;
    if (field(f, "app_id") != m_app_id)
        return invalid("isv.invalid-app-id", "无效的AppID参数");
    if (field(f, "sign_type") != "RSA2")
        return invalid("isv.invalid-sign-type", "无效签名类型");
    if (field(f, "charset") != "utf-8" || field(f, "version") != "1.0" ||
        field(f, "timestamp").empty())
        return invalid("isv.missing-signature-config", "charset, version or timestamp");
    if (!alipay_verify(m_app_public_key, alipay_sign_content(f, AlipaySigned::request),
                       field(f, "sign")))
        return invalid("isv.invalid-signature", "验签出错");
    if (api == "alipay.trade.precreate")
        return precreate(field(f, "biz_content"), field(f, "notify_url"));
    if (api == "alipay.trade.refund")
        return refund(field(f, "biz_content"));
    return invalid("isv.invalid-method", "不存在的方法名");
}

core::Result<ApiReply> AlipaySandbox::precreate(const std::string& biz_content,
                                                const std::string& notify_url) {
    const std::string method = "alipay.trade.precreate";
    const auto biz = json::parse(biz_content, nullptr, false);
    const std::string trade_no = biz.is_object() ? string_at(biz, "out_trade_no") : "";
    const std::string subject = biz.is_object() ? string_at(biz, "subject") : "";
    const auto amount = parse_yuan(biz.is_object() ? string_at(biz, "total_amount") : "");
    if (trade_no.empty() || trade_no.size() > 64 || subject.empty() || subject.size() > 256 ||
        !amount || *amount < 1 || notify_url.empty())
        return respond(method, business_failure("ACQ.INVALID_PARAMETER", "参数无效").dump());
    std::lock_guard lock(m_mutex);
    const auto existing = std::ranges::find(m_orders, trade_no, &AlipaySandboxOrder::out_trade_no);
    auto reply = success();
    reply["out_trade_no"] = trade_no;
    if (existing != m_orders.end()) {
        if (existing->paid)
            return respond(method,
                           business_failure("ACQ.TRADE_HAS_SUCCESS", "交易已被支付").dump());
        if (existing->total_fen != *amount || existing->subject != subject)
            return respond(method,
                           business_failure("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改").dump());
        reply["qr_code"] = existing->qr_code;
        return respond(method, reply.dump());
    }
    AlipaySandboxOrder order;
    order.out_trade_no = trade_no;
    order.subject = subject;
    order.total_fen = *amount;
    order.notify_url = notify_url;
    std::string code = random_alnum(22);
    std::ranges::transform(code, code.begin(),
                           [](char c) { return static_cast<char>(std::tolower(c)); });
    order.qr_code = "https://qr.alipay.com/bax" + code;
    m_orders.push_back(order);
    reply["qr_code"] = order.qr_code;
    return respond(method, reply.dump());
}

core::Result<ApiReply> AlipaySandbox::refund(const std::string& biz_content) {
    const std::string method = "alipay.trade.refund";
    const auto biz = json::parse(biz_content, nullptr, false);
    const std::string trade_no = biz.is_object() ? string_at(biz, "out_trade_no") : "";
    const std::string request_no = biz.is_object() ? string_at(biz, "out_request_no") : "";
    const auto amount = parse_yuan(biz.is_object() ? string_at(biz, "refund_amount") : "");
    if (trade_no.empty() || !amount || *amount < 1)
        return respond(method, business_failure("ACQ.INVALID_PARAMETER", "参数无效").dump());
    std::lock_guard lock(m_mutex);
    const auto order = std::ranges::find(m_orders, trade_no, &AlipaySandboxOrder::out_trade_no);
    if (order == m_orders.end())
        return respond(method, business_failure("ACQ.TRADE_NOT_EXIST", "交易不存在").dump());
    const auto refunded = [&](std::int64_t fen) {
        auto reply = success();
        reply["trade_no"] = order->trade_no;
        reply["out_trade_no"] = trade_no;
        reply["buyer_logon_id"] = "159****5620";
        reply["fund_change"] = "Y";
        reply["refund_fee"] = format_yuan(fen);
        return respond(method, reply.dump());
    };
    // The same out_request_no again is the same refund (idempotent; no new money moves).
    const auto key = request_no.empty() ? trade_no : request_no;
    if (const auto same = std::ranges::find(m_refunds, key, &AlipaySandboxRefund::out_request_no);
        same != m_refunds.end())
        return refunded(order->refunded_fen);
    if (!order->paid)
        return respond(method, business_failure("ACQ.TRADE_STATUS_ERROR", "交易状态不合法").dump());
    if (*amount > order->total_fen - order->refunded_fen)
        return respond(method,
                       business_failure("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限").dump());
    order->refunded_fen += *amount;
    m_refunds.push_back({key, trade_no, *amount});
    return refunded(order->refunded_fen);
}

core::Result<std::string> AlipaySandbox::sign_notification(FormFields fields) const {
    fields.erase("sign");
    fields["sign_type"] = "RSA2";
    auto sign = alipay_sign(m_alipay_key, alipay_sign_content(fields, AlipaySigned::notification));
    if (!sign)
        return std::unexpected(sign.error());
    fields["sign"] = *sign;
    return encode_form(fields);
}

core::Result<Callback> AlipaySandbox::make_notification(
    const std::string& order_no, PaymentOutcome outcome,
    std::optional<std::string> total_amount_override) {
    std::unique_lock lock(m_mutex);
    const auto order = std::ranges::find(m_orders, order_no, &AlipaySandboxOrder::out_trade_no);
    if (order == m_orders.end())
        return core::fail(core::Errc::not_found, "alipay_sandbox.unknown_order",
                          "no Alipay order " + order_no + " in the sandbox");
    const bool success = outcome == PaymentOutcome::success;
    const auto now = m_clock.now();
    if (order->trade_no.empty()) {  // Alipay trade_no: yyyyMMdd + 20 digits
        const std::string day = alipay_time(now);
        order->trade_no =
            day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2) + random_digits(20);
    }
    if (success)
        order->paid = true;
    const std::string amount = total_amount_override.value_or(format_yuan(order->total_fen));
    // Asynchronous notification parameters (notify_type trade_status_sync).
    FormFields fields{
        {"notify_time", alipay_time(now)},
        {"notify_type", "trade_status_sync"},
        {"notify_id", random_alnum(34)},
        {"app_id", m_app_id},
        {"charset", "utf-8"},
        {"version", "1.0"},
        {"trade_no", order->trade_no},
        {"out_trade_no", order->out_trade_no},
        {"trade_status", success ? "TRADE_SUCCESS" : "TRADE_CLOSED"},
        {"total_amount", amount},
        {"subject", order->subject},
        {"gmt_create", alipay_time(now)},
        {"seller_id", "2088" + random_digits(12)},
        {"buyer_id", "2088" + random_digits(12)},
        {"buyer_logon_id", "159****5620"},
    };
    if (success) {
        fields.emplace("gmt_payment", alipay_time(now));
        fields.emplace("receipt_amount", amount);
        fields.emplace("buyer_pay_amount", amount);
    } else {
        fields.emplace("gmt_close", alipay_time(now));
    }
    const std::string notify_url = order->notify_url;
    lock.unlock();
    auto body = sign_notification(std::move(fields));
    if (!body)
        return std::unexpected(body.error());
    return Callback{notify_url,
                    {{"content-type", "application/x-www-form-urlencoded; charset=utf-8"}},
                    std::move(*body)};
}

std::vector<AlipaySandboxOrder> AlipaySandbox::orders() const {
    std::lock_guard lock(m_mutex);
    return m_orders;
}

std::optional<AlipaySandboxOrder> AlipaySandbox::order(const std::string& order_no) const {
    std::lock_guard lock(m_mutex);
    const auto it = std::ranges::find(m_orders, order_no, &AlipaySandboxOrder::out_trade_no);
    if (it == m_orders.end())
        return std::nullopt;
    return *it;
}

std::vector<AlipaySandboxRefund> AlipaySandbox::refunds() const {
    std::lock_guard lock(m_mutex);
    return m_refunds;
}

}  // namespace eseal::ra::providers
