#include "ra/providers/wechat_pay_sandbox.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "crypto/public_key.hpp"
#include "ra/providers/aes_gcm.hpp"
#include "ra/providers/random_text.hpp"
#include "ra/providers/service_time.hpp"
#include "ra/providers/wechat_pay_signature.hpp"

namespace eseal::ra::providers {
namespace {

using nlohmann::json;

std::string string_at(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// j[outer][inner], or nullptr.
const json* member(const json& j, const char* outer, const char* inner) {
    const auto o = j.find(outer);
    if (o == j.end() || !o->is_object())
        return nullptr;
    const auto i = o->find(inner);
    return i == o->end() ? nullptr : &*i;
}

std::string error_body(std::string_view code, std::string_view message) {
    return json{{"code", code}, {"message", message}}.dump();
}

// API v3: out_trade_no is 6-32 characters of [0-9A-Za-z_-|*].
bool valid_trade_no(const std::string& s) {
    return s.size() >= 6 && s.size() <= 32 && std::ranges::all_of(s, [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                      c == '|' || c == '*';
           });
}

}  // namespace

core::Result<std::unique_ptr<WechatPaySandbox>> WechatPaySandbox::create(
    WechatPayMerchant merchant, core::SecureString api_v3_key,
    WechatPayCertificate merchant_certificate, const core::Clock& clock) {
    auto key = crypto::SoftKey::generate(crypto::KeyAlgorithm::rsa2048);
    if (!key)
        return std::unexpected(key.error());
    // Platform certificate serials are 20 bytes, upper-case hex.
    return std::make_unique<WechatPaySandbox>(std::move(merchant), std::move(api_v3_key),
                                              std::move(merchant_certificate), std::move(*key),
                                              random_hex_upper(20), clock);
}

WechatPaySandbox::WechatPaySandbox(WechatPayMerchant merchant, core::SecureString api_v3_key,
                                   WechatPayCertificate merchant_certificate,
                                   crypto::SoftKey platform_key, std::string platform_serial,
                                   const core::Clock& clock)
    : m_merchant(std::move(merchant)),
      m_api_v3_key(std::move(api_v3_key)),
      m_merchant_certificate(std::move(merchant_certificate)),
      m_platform_key(std::move(platform_key)),
      m_platform_serial(std::move(platform_serial)),
      m_clock(clock) {}

WechatPayCertificate WechatPaySandbox::platform_certificate() const {
    return {m_platform_serial, m_platform_key.public_key()};
}

WechatPayConfig WechatPaySandbox::merchant_config(std::string notify_url) const {
    WechatPayConfig c;
    c.merchant = m_merchant;
    c.api_v3_key = core::SecureString(m_api_v3_key.view());
    c.merchant_serial = m_merchant_certificate.serial;
    c.notify_url = std::move(notify_url);
    c.platform_certificates.push_back(platform_certificate());
    return c;
}

core::Result<HeaderMap> WechatPaySandbox::sign(const std::string& body) const {
    return wechatpay_sign_response(m_platform_key, m_platform_serial, body, m_clock.now());
}

core::Result<ApiReply> WechatPaySandbox::signed_reply(int status, const std::string& body) const {
    auto headers = sign(body);
    if (!headers)
        return std::unexpected(headers.error());
    headers->emplace("content-type", "application/json");
    headers->emplace("request-id", random_alnum(32));
    return ApiReply{status, std::move(*headers), body};
}

// API v3 request authentication: Authorization signed with the merchant's API key; WeChat
// answers 401 SIGN_ERROR otherwise, and refuses timestamps more than 5 minutes off.
std::optional<ApiReply> WechatPaySandbox::check_authorization(const std::string& method,
                                                              const std::string& path,
                                                              const HeaderMap& headers,
                                                              const std::string& body) const {
    const auto refuse = [](std::string_view why) {
        return ApiReply{401, {{"content-type", "application/json"}}, error_body("SIGN_ERROR", why)};
    };
    const auto it = headers.find("authorization");
    if (it == headers.end())
        return refuse("缺少Authorization (no Authorization header)");
    const auto a = wechatpay_parse_authorization(it->second);
    if (!a)
        return refuse(a.error().message);
    if (a->mch_id != m_merchant.mch_id)
        return refuse("mchid does not match the merchant");
    if (a->serial != m_merchant_certificate.serial)
        return refuse("serial_no is not the merchant's API certificate");
    if (!wechatpay_timestamp_fresh(a->timestamp, m_clock.now()))
        return refuse("timestamp is more than 5 minutes off");
    const auto signature = core::base64_decode(a->signature);
    const auto message = wechatpay_request_message(method, path, a->timestamp, a->nonce, body);
    if (!signature || !crypto::verify_signature(m_merchant_certificate.public_key,
                                                crypto::SignatureAlgorithm::rsa_sha256,
                                                core::as_bytes(message), *signature))
        return refuse("签名错误 (the signature does not verify)");
    return std::nullopt;
}

core::Result<ApiReply> WechatPaySandbox::exchange(const std::string& method,
                                                  const std::string& path, const HeaderMap& headers,
                                                  const std::string& body) {
    if (auto refused = check_authorization(method, path, headers, body))
        return *refused;
    if (method == "POST" && path == "/v3/pay/transactions/native")
        return native_order(body);
    if (method == "POST" && path == "/v3/refund/domestic/refunds")
        return refund(body);
    return signed_reply(404, error_body("NOT_FOUND", "no such API"));
}

core::Result<ApiReply> WechatPaySandbox::native_order(const std::string& body) {
    const auto j = json::parse(body, nullptr, false);
    if (!j.is_object())
        return signed_reply(400, error_body("PARAM_ERROR", "body is not JSON"));
    if (string_at(j, "mchid") != m_merchant.mch_id || string_at(j, "appid") != m_merchant.app_id)
        return signed_reply(400, error_body("APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配"));
    const std::string trade_no = string_at(j, "out_trade_no");
    const std::string description = string_at(j, "description");
    const std::string notify_url = string_at(j, "notify_url");
    const json* total = member(j, "amount", "total");
    // WeChat wants an https notify_url; the sandbox also takes http, to reach a local server.
    if (!valid_trade_no(trade_no) || description.empty() || description.size() > 127 ||
        !(notify_url.starts_with("https://") || notify_url.starts_with("http://")) ||
        total == nullptr || !total->is_number_integer() || total->get<std::int64_t>() < 1)
        return signed_reply(400, error_body("PARAM_ERROR",
                                            "out_trade_no, description, notify_url or amount.total "
                                            "missing or invalid"));
    const std::int64_t total_fen = total->get<std::int64_t>();
    std::lock_guard lock(m_mutex);
    const auto existing =
        std::ranges::find(m_orders, trade_no, &WechatPaySandboxOrder::out_trade_no);
    if (existing != m_orders.end()) {
        if (existing->paid)
            return signed_reply(400, error_body("ORDERPAID", "该订单已支付"));
        // Ordering again with the same parameters gives the same code (idempotent).
        if (existing->total_fen != total_fen || existing->description != description)
            return signed_reply(400, error_body("OUT_TRADE_NO_USED", "商户订单号重复"));
        return signed_reply(200, json{{"code_url", existing->code_url}}.dump());
    }
    WechatPaySandboxOrder order;
    order.out_trade_no = trade_no;
    order.description = description;
    order.total_fen = total_fen;
    order.notify_url = notify_url;
    order.code_url = "weixin://wxpay/bizpayurl?pr=" + random_alnum(9);
    m_orders.push_back(order);
    return signed_reply(200, json{{"code_url", order.code_url}}.dump());
}

core::Result<ApiReply> WechatPaySandbox::refund(const std::string& body) {
    const auto j = json::parse(body, nullptr, false);
    if (!j.is_object())
        return signed_reply(400, error_body("PARAM_ERROR", "body is not JSON"));
    const std::string trade_no = string_at(j, "out_trade_no");
    const std::string refund_no = string_at(j, "out_refund_no");
    const auto value = [&](const char* key) -> std::int64_t {
        const json* v = member(j, "amount", key);
        return v != nullptr && v->is_number_integer() ? v->get<std::int64_t>() : -1;
    };
    const std::int64_t refund_fen = value("refund");
    const std::int64_t total_fen = value("total");
    if (trade_no.empty() || refund_no.empty() || refund_fen < 1 || total_fen < 1)
        return signed_reply(
            400, error_body("PARAM_ERROR", "out_trade_no, out_refund_no or amount missing"));
    std::lock_guard lock(m_mutex);
    const auto order = std::ranges::find(m_orders, trade_no, &WechatPaySandboxOrder::out_trade_no);
    if (order == m_orders.end())
        return signed_reply(404, error_body("RESOURCE_NOT_EXISTS", "订单不存在"));
    const auto reply_for = [&](const WechatPaySandboxRefund& r) {
        return signed_reply(
            200,
            json{{"refund_id", r.refund_id},
                 {"out_refund_no", r.out_refund_no},
                 {"transaction_id", order->transaction_id},
                 {"out_trade_no", r.out_trade_no},
                 {"channel", "ORIGINAL"},
                 {"create_time", rfc3339_beijing(m_clock.now())},
                 {"status", "PROCESSING"},
                 {"amount",
                  {{"refund", r.refund_fen}, {"total", order->total_fen}, {"currency", "CNY"}}}}
                .dump());
    };
    // The same out_refund_no again is the same refund (idempotent).
    const auto same =
        std::ranges::find(m_refunds, refund_no, &WechatPaySandboxRefund::out_refund_no);
    if (same != m_refunds.end())
        return reply_for(*same);
    if (!order->paid)
        return signed_reply(400, error_body("INVALID_REQUEST", "订单未支付"));
    if (total_fen != order->total_fen || refund_fen > order->total_fen - order->refunded_fen)
        return signed_reply(400, error_body("INVALID_REQUEST", "退款金额超过订单可退金额"));
    order->refunded_fen += refund_fen;
    m_refunds.push_back({refund_no, trade_no, "50" + random_digits(30), refund_fen});
    return reply_for(m_refunds.back());
}

core::Result<Callback> WechatPaySandbox::make_notification(
    const std::string& order_no, PaymentOutcome outcome,
    std::optional<std::int64_t> amount_override) {
    std::unique_lock lock(m_mutex);
    const auto order = std::ranges::find(m_orders, order_no, &WechatPaySandboxOrder::out_trade_no);
    if (order == m_orders.end())
        return core::fail(core::Errc::not_found, "wechatpay_sandbox.unknown_order",
                          "no WeChat Pay order " + order_no + " in the sandbox");
    const bool success = outcome == PaymentOutcome::success;
    if (success && !order->paid) {
        order->paid = true;
        order->transaction_id = "42" + random_digits(26);  // 28 digits, as WeChat's
    }
    const std::int64_t total = amount_override.value_or(order->total_fen);
    const auto now = m_clock.now();
    // The decrypted resource of a payment notification (original_type "transaction").
    json transaction = {
        {"mchid", m_merchant.mch_id},
        {"appid", m_merchant.app_id},
        {"out_trade_no", order->out_trade_no},
        {"transaction_id", order->transaction_id},
        {"trade_type", "NATIVE"},
        {"trade_state", success ? "SUCCESS" : "PAYERROR"},
        {"trade_state_desc", success ? "支付成功" : "支付失败"},
        {"bank_type", "OTHERS"},
        {"attach", ""},
        {"payer", {{"openid", "o" + random_alnum(27)}}},
        {"amount",
         {{"total", total},
          {"payer_total", total},
          {"currency", "CNY"},
          {"payer_currency", "CNY"}}},
    };
    if (success)
        transaction["success_time"] = rfc3339_beijing(now);
    const std::string notify_url = order->notify_url;
    lock.unlock();

    // resource: AEAD_AES_256_GCM under the APIv3 key, 12-character nonce, associated_data
    // "transaction"; ciphertext = base64(ciphertext || tag).
    const std::string nonce = random_alnum(12);
    const std::string aad = "transaction";
    const std::string plain = transaction.dump();
    auto sealed = aes_256_gcm_seal(core::as_bytes(m_api_v3_key.view()), core::as_bytes(nonce),
                                   core::as_bytes(aad), core::as_bytes(plain));
    if (!sealed)
        return std::unexpected(sealed.error());
    // WeChat notifies successful payments only (TRANSACTION.SUCCESS); the sandbox can also send
    // a PAYERROR one, so that our handling of a non-success is exercised.
    const json notification = {
        {"id", random_hex_upper(16)},
        {"create_time", rfc3339_beijing(now)},
        {"resource_type", "encrypt-resource"},
        {"event_type", success ? "TRANSACTION.SUCCESS" : "TRANSACTION.PAYERROR"},
        {"summary", success ? "支付成功" : "支付失败"},
        {"resource",
         {{"original_type", "transaction"},
          {"algorithm", "AEAD_AES_256_GCM"},
          {"ciphertext", core::base64_encode(*sealed)},
          {"associated_data", aad},
          {"nonce", nonce}}},
    };
    Callback callback;
    callback.url = notify_url;
    callback.body = notification.dump();
    auto headers = sign(callback.body);
    if (!headers)
        return std::unexpected(headers.error());
    callback.headers = std::move(*headers);
    callback.headers.emplace("content-type", "application/json");
    return callback;
}

std::vector<WechatPaySandboxOrder> WechatPaySandbox::orders() const {
    std::lock_guard lock(m_mutex);
    return m_orders;
}

std::optional<WechatPaySandboxOrder> WechatPaySandbox::order(const std::string& order_no) const {
    std::lock_guard lock(m_mutex);
    const auto it = std::ranges::find(m_orders, order_no, &WechatPaySandboxOrder::out_trade_no);
    if (it == m_orders.end())
        return std::nullopt;
    return *it;
}

std::vector<WechatPaySandboxRefund> WechatPaySandbox::refunds() const {
    std::lock_guard lock(m_mutex);
    return m_refunds;
}

}  // namespace eseal::ra::providers
