#include "ra/providers/wechat_pay_provider.hpp"

#include <nlohmann/json.hpp>

#include <optional>

#include "ra/providers/aes_gcm.hpp"
#include "ra/providers/wechat_pay_signature.hpp"

namespace eseal::ra::providers {
namespace {

using nlohmann::json;

// API v3 paths (https://api.mch.weixin.qq.com).
constexpr std::string_view kNativeOrderPath = "/v3/pay/transactions/native";
constexpr std::string_view kRefundPath = "/v3/refund/domestic/refunds";
constexpr std::string_view kCodeUrlPrefix = "weixin://wxpay/bizpayurl?pr=";

std::string string_at(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// WeChat Pay error bodies: {"code":"PARAM_ERROR","message":"…"}.
std::string describe_refusal(int status, const std::string& body) {
    const auto j = json::parse(body, nullptr, false);
    std::string out = "HTTP " + std::to_string(status);
    if (j.is_object())
        out += " " + string_at(j, "code") + " " + string_at(j, "message");
    return out;
}

}  // namespace

WechatPayProvider::WechatPayProvider(WechatPayConfig config, const crypto::Signer& merchant_key,
                                     ApiTransport& api, const core::Clock& clock)
    : m_config(std::move(config)), m_merchant_key(merchant_key), m_api(api), m_clock(clock) {}

core::Result<std::string> WechatPayProvider::call(const std::string& path,
                                                  const std::string& body) {
    auto authorization =
        wechatpay_authorization(m_merchant_key, m_config.merchant.mch_id, m_config.merchant_serial,
                                "POST", path, body, m_clock.now());
    if (!authorization)
        return std::unexpected(authorization.error());
    const HeaderMap headers{{"accept", "application/json"},
                            {"authorization", *authorization},
                            {"content-type", "application/json"}};
    auto reply = m_api.exchange("POST", path, headers, body);
    if (!reply)
        return std::unexpected(reply.error());
    if (reply->status >= 500)
        return core::fail(core::Errc::io, "wechatpay.unavailable",
                          "WeChat Pay failed: " + describe_refusal(reply->status, reply->body));
    if (reply->status < 200 || reply->status > 299)
        return core::fail(core::Errc::invalid_input, "wechatpay.refused",
                          "WeChat Pay refused: " + describe_refusal(reply->status, reply->body));
    // API v3: successful responses are signed like notifications; an unsigned one is not WeChat.
    if (auto ok = wechatpay_verify_response(reply->headers, reply->body,
                                            m_config.platform_certificates, m_clock.now());
        !ok)
        return std::unexpected(ok.error());
    return std::move(reply->body);
}

core::Result<PaymentOrder> WechatPayProvider::create_order(const Payment& p,
                                                           const std::string& description) {
    // API v3 Native order: appid, mchid, description (≤127 bytes), out_trade_no (6-32
    // characters), notify_url, amount {total in fen, currency}.
    const json request = {
        {"appid", m_config.merchant.app_id},
        {"mchid", m_config.merchant.mch_id},
        {"description", description},
        {"out_trade_no", p.order_no},
        {"notify_url", m_config.notify_url},
        {"amount", {{"total", p.amount_fen}, {"currency", "CNY"}}},
    };
    auto body = call(std::string(kNativeOrderPath), request.dump());
    if (!body)
        return std::unexpected(body.error());
    const auto reply = json::parse(*body, nullptr, false);
    const std::string code_url = reply.is_object() ? string_at(reply, "code_url") : std::string{};
    if (!code_url.starts_with(kCodeUrlPrefix))
        return core::fail(core::Errc::io, "wechatpay.reply_malformed",
                          "the Native order reply has no weixin:// code_url");
    // WeChat keys a Native order by our out_trade_no; it gives no id of its own until paid.
    return PaymentOrder{code_url, p.order_no};
}

core::Result<PaymentNotice> WechatPayProvider::parse_notification(const HeaderMap& headers,
                                                                  const std::string& body) {
    if (auto ok =
            wechatpay_verify_response(headers, body, m_config.platform_certificates, m_clock.now());
        !ok)
        return std::unexpected(ok.error());
    // API v3 notification: {id, create_time, event_type, resource_type "encrypt-resource",
    // summary, resource {algorithm, ciphertext, associated_data, original_type, nonce}}.
    const auto j = json::parse(body, nullptr, false);
    const auto resource = j.is_object() ? j.find("resource") : j.end();
    if (!j.is_object() || string_at(j, "id").empty() || resource == j.end() ||
        !resource->is_object())
        return core::fail(core::Errc::invalid_input, "wechatpay.malformed",
                          "not a WeChat Pay notification (id and resource expected)");
    if (!string_at(j, "event_type").starts_with("TRANSACTION.") ||
        string_at(*resource, "original_type") != "transaction")
        return core::fail(core::Errc::unsupported, "wechatpay.event_unsupported",
                          "not a payment notification: " + string_at(j, "event_type"));
    if (string_at(*resource, "algorithm") != "AEAD_AES_256_GCM")
        return core::fail(core::Errc::unsupported, "wechatpay.event_unsupported",
                          "resource algorithm \"" + string_at(*resource, "algorithm") +
                              "\" (AEAD_AES_256_GCM expected)");
    const auto ciphertext = core::base64_decode(string_at(*resource, "ciphertext"));
    const std::string nonce = string_at(*resource, "nonce");
    const std::string aad = string_at(*resource, "associated_data");
    std::optional<std::string> plain;
    if (ciphertext)
        if (auto opened = aes_256_gcm_open(core::as_bytes(m_config.api_v3_key.view()),
                                           core::as_bytes(nonce), core::as_bytes(aad), *ciphertext))
            plain = std::move(*opened);
    if (!plain)
        return core::fail(core::Errc::crypto, "wechatpay.resource_undecryptable",
                          "the notification resource does not decrypt with our APIv3 key "
                          "(another key, or the ciphertext was altered)");
    // The transaction: mchid, appid, out_trade_no, transaction_id, trade_state,
    // amount {total, payer_total, currency}, success_time, payer {openid}.
    const auto t = json::parse(*plain, nullptr, false);
    const json* total = nullptr;
    if (t.is_object())
        if (const auto amount = t.find("amount"); amount != t.end() && amount->is_object())
            if (const auto it = amount->find("total"); it != amount->end())
                total = &*it;
    if (!t.is_object() || string_at(t, "out_trade_no").empty() ||
        string_at(t, "trade_state").empty() || total == nullptr || !total->is_number_integer() ||
        total->get<std::int64_t>() < 0)
        return core::fail(core::Errc::invalid_input, "wechatpay.resource_malformed",
                          "the transaction lacks out_trade_no, trade_state or amount.total");
    if (string_at(t, "mchid") != m_config.merchant.mch_id ||
        string_at(t, "appid") != m_config.merchant.app_id)
        return core::fail(core::Errc::crypto, "wechatpay.merchant_mismatch",
                          "the transaction is for merchant " + string_at(t, "mchid") + " / app " +
                              string_at(t, "appid") + ", not ours");
    PaymentNotice notice;
    notice.order_no = string_at(t, "out_trade_no");
    notice.transaction_id = string_at(t, "transaction_id");
    notice.amount_fen = total->get<std::int64_t>();
    notice.success = string_at(t, "trade_state") == "SUCCESS";
    notice.notify_id = string_at(j, "id");
    if (notice.success && notice.transaction_id.empty())
        return core::fail(core::Errc::invalid_input, "wechatpay.resource_malformed",
                          "a successful transaction without transaction_id");
    return notice;
}

std::string WechatPayProvider::acknowledge(bool ok) const {
    return ok ? json{{"code", "SUCCESS"}, {"message", "成功"}}.dump()
              : json{{"code", "FAIL"}, {"message", "失败"}}.dump();
}

core::Result<void> WechatPayProvider::refund(const Payment& p, const std::string& refund_no) {
    // API v3 domestic refund: out_trade_no, out_refund_no, amount {refund, total, currency}.
    const json request = {
        {"out_trade_no", p.order_no},
        {"out_refund_no", refund_no},
        {"amount", {{"refund", p.amount_fen}, {"total", p.amount_fen}, {"currency", "CNY"}}},
    };
    auto body = call(std::string(kRefundPath), request.dump());
    if (!body)
        return std::unexpected(body.error());
    const auto reply = json::parse(*body, nullptr, false);
    // status: SUCCESS, PROCESSING (the money follows), ABNORMAL or CLOSED.
    const std::string status = reply.is_object() ? string_at(reply, "status") : std::string{};
    if (status != "SUCCESS" && status != "PROCESSING")
        return core::fail(core::Errc::io, "wechatpay.refund_failed",
                          "WeChat Pay refund status \"" + status + "\"");
    return {};
}

}  // namespace eseal::ra::providers
