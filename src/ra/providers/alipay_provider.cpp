#include "ra/providers/alipay_provider.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "ra/providers/alipay_signature.hpp"
#include "ra/providers/money.hpp"
#include "ra/providers/service_time.hpp"

namespace eseal::ra::providers {
namespace {

using nlohmann::json;

std::string string_at(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::string_view field(const FormFields& f, std::string_view name) {
    const auto it = f.find(name);
    return it == f.end() ? std::string_view{} : std::string_view(it->second);
}

// "alipay.trade.precreate" → "alipay_trade_precreate_response".
std::string response_member(std::string method) {
    std::ranges::replace(method, '.', '_');
    return method + "_response";
}

}  // namespace

AlipayProvider::AlipayProvider(AlipayConfig config, const crypto::Signer& app_key,
                               ApiTransport& api, const core::Clock& clock)
    : m_config(std::move(config)), m_app_key(app_key), m_api(api), m_clock(clock) {}

core::Result<std::string> AlipayProvider::call(const std::string& method,
                                               const std::string& biz_content,
                                               bool with_notify_url) {
    // Common request parameters of the open API.
    FormFields fields{
        {"app_id", m_config.app_id}, {"method", method},
        {"format", "JSON"},          {"charset", "utf-8"},
        {"sign_type", "RSA2"},       {"timestamp", alipay_time(m_clock.now())},
        {"version", "1.0"},          {"biz_content", biz_content},
    };
    if (with_notify_url)
        fields.emplace("notify_url", m_config.notify_url);
    auto sign = alipay_sign(m_app_key, alipay_sign_content(fields, AlipaySigned::request));
    if (!sign)
        return std::unexpected(sign.error());
    fields.emplace("sign", *sign);
    const HeaderMap headers{{"content-type", "application/x-www-form-urlencoded;charset=utf-8"}};
    auto reply =
        m_api.exchange("POST", std::string(kAlipayGatewayPath), headers, encode_form(fields));
    if (!reply)
        return std::unexpected(reply.error());
    if (reply->status != 200)
        return core::fail(core::Errc::io, "alipay.unavailable",
                          "the Alipay gateway answered HTTP " + std::to_string(reply->status));
    // {"<method>_response": {"code":"10000","msg":"Success",…}, "sign": "…"}
    const std::string member = response_member(method);
    const std::string node(alipay_response_node(reply->body, member));
    const auto j = json::parse(reply->body, nullptr, false);
    const auto response = json::parse(node, nullptr, false);
    if (node.empty() || !j.is_object() || !response.is_object())
        return core::fail(core::Errc::io, "alipay.reply_malformed",
                          "the Alipay reply has no " + member);
    // Gateway-level refusals (code 40002, e.g. isv.invalid-signature) come unsigned.
    if (string_at(response, "code") == "10000" || !string_at(j, "sign").empty())
        if (auto ok = alipay_verify(m_config.alipay_public_key, node, string_at(j, "sign")); !ok)
            return std::unexpected(ok.error());
    if (string_at(response, "code") != "10000")
        return core::fail(core::Errc::invalid_input, "alipay.refused",
                          "Alipay refused " + method + ": " + string_at(response, "code") + " " +
                              string_at(response, "msg") + " " + string_at(response, "sub_code") +
                              " " + string_at(response, "sub_msg"));
    return node;
}

core::Result<PaymentOrder> AlipayProvider::create_order(const Payment& p,
                                                        const std::string& description) {
    // alipay.trade.precreate biz_content: out_trade_no (≤64), total_amount (yuan, 2 decimals),
    // subject (≤256).
    const json biz = {
        {"out_trade_no", p.order_no},
        {"total_amount", format_yuan(p.amount_fen)},
        {"subject", description},
    };
    auto node = call("alipay.trade.precreate", biz.dump(), true);
    if (!node)
        return std::unexpected(node.error());
    const auto response = json::parse(*node);
    const std::string qr_code = string_at(response, "qr_code");
    if (!qr_code.starts_with("https://qr.alipay.com/") ||
        string_at(response, "out_trade_no") != p.order_no)
        return core::fail(core::Errc::io, "alipay.reply_malformed",
                          "the precreate reply has no qr.alipay.com qr_code for this order");
    // Alipay keys the trade by our out_trade_no; its trade_no comes with the payment.
    return PaymentOrder{qr_code, p.order_no};
}

core::Result<PaymentNotice> AlipayProvider::parse_notification(const HeaderMap&,
                                                               const std::string& body) {
    auto form = parse_form(body);
    if (!form)
        return core::fail(core::Errc::invalid_input, "alipay.malformed", form.error().message);
    const FormFields& f = *form;
    if (field(f, "sign").empty())
        return core::fail(core::Errc::invalid_input, "alipay.sign_missing",
                          "the notification is not signed");
    if (field(f, "sign_type") != "RSA2")
        return core::fail(
            core::Errc::unsupported, "alipay.sign_type",
            "sign_type \"" + std::string(field(f, "sign_type")) + "\" (RSA2 expected)");
    if (const auto charset = field(f, "charset");
        !charset.empty() && charset != "utf-8" && charset != "UTF-8")
        return core::fail(core::Errc::unsupported, "alipay.charset",
                          "charset \"" + std::string(charset) + "\" (we ask for utf-8)");
    if (auto ok =
            alipay_verify(m_config.alipay_public_key,
                          alipay_sign_content(f, AlipaySigned::notification), field(f, "sign"));
        !ok)
        return std::unexpected(ok.error());
    if (field(f, "app_id") != m_config.app_id)
        return core::fail(
            core::Errc::crypto, "alipay.app_mismatch",
            "the notification is for app " + std::string(field(f, "app_id")) + ", not ours");
    std::vector<core::Problem> missing;
    for (const char* name :
         {"notify_id", "out_trade_no", "trade_no", "trade_status", "total_amount"})
        if (field(f, name).empty())
            missing.push_back({"alipay.field_missing", std::string(name) + " is missing", name});
    if (!missing.empty())
        return core::fail(core::Errc::invalid_input, "alipay.field_missing",
                          "the notification lacks required parameters", std::move(missing));
    auto amount = parse_yuan(field(f, "total_amount"));
    if (!amount)
        return core::fail(core::Errc::invalid_input, "alipay.amount_malformed",
                          amount.error().message);
    // trade_status: WAIT_BUYER_PAY, TRADE_CLOSED, TRADE_SUCCESS, TRADE_FINISHED (paid and no
    // longer refundable): the last two mean paid.
    const auto status = field(f, "trade_status");
    if (status != "TRADE_SUCCESS" && status != "TRADE_FINISHED" && status != "TRADE_CLOSED" &&
        status != "WAIT_BUYER_PAY")
        return core::fail(core::Errc::invalid_input, "alipay.trade_status_unknown",
                          "trade_status \"" + std::string(status) + "\"");
    PaymentNotice notice;
    notice.order_no = std::string(field(f, "out_trade_no"));
    notice.transaction_id = std::string(field(f, "trade_no"));
    notice.amount_fen = *amount;
    notice.success = status == "TRADE_SUCCESS" || status == "TRADE_FINISHED";
    notice.notify_id = std::string(field(f, "notify_id"));
    return notice;
}

std::string AlipayProvider::acknowledge(bool ok) const {
    return ok ? "success" : "failure";
}

core::Result<void> AlipayProvider::refund(const Payment& p, const std::string& refund_no) {
    // alipay.trade.refund biz_content: out_trade_no, refund_amount, out_request_no (makes a
    // repeated request the same refund).
    const json biz = {
        {"out_trade_no", p.order_no},
        {"refund_amount", format_yuan(p.amount_fen)},
        {"out_request_no", refund_no},
    };
    auto node = call("alipay.trade.refund", biz.dump(), false);
    if (!node)
        return std::unexpected(node.error());
    return {};
}

}  // namespace eseal::ra::providers
