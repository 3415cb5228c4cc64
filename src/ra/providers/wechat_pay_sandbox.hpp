#pragma once
// WeChat Pay's side, for development and tests: it holds the platform private key and the APIv3
// key, answers the API v3 calls our provider makes (Native order, refund) as WeChat would,
// signatures checked and responses signed, and makes the payment notification WeChat would POST
// to the order's notify_url. Nothing here is a stub: a request it would refuse, it refuses.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "crypto/soft_key.hpp"
#include "ra/providers/api_transport.hpp"
#include "ra/providers/payment_outcome.hpp"
#include "ra/providers/wechat_pay_config.hpp"

namespace eseal::ra::providers {

struct WechatPaySandboxOrder {
    std::string out_trade_no;
    std::string description;
    std::int64_t total_fen = 0;
    std::string notify_url;
    std::string code_url;
    std::string transaction_id;  // once paid
    bool paid = false;
    std::int64_t refunded_fen = 0;
};

struct WechatPaySandboxRefund {
    std::string out_refund_no;
    std::string out_trade_no;
    std::string refund_id;
    std::int64_t refund_fen = 0;
};

class WechatPaySandbox final : public ApiTransport {
  public:
    // A sandbox with a fresh platform key (RSA-2048) and serial. `merchant_certificate` is our
    // API certificate as registered with WeChat (requests must be signed with its key).
    [[nodiscard]] static core::Result<std::unique_ptr<WechatPaySandbox>> create(
        WechatPayMerchant merchant, core::SecureString api_v3_key,
        WechatPayCertificate merchant_certificate, const core::Clock& clock);

    WechatPaySandbox(WechatPayMerchant merchant, core::SecureString api_v3_key,
                     WechatPayCertificate merchant_certificate, crypto::SoftKey platform_key,
                     std::string platform_serial, const core::Clock& clock);

    [[nodiscard]] WechatPayCertificate platform_certificate() const;
    // What the merchant configures on its side: the ids, the APIv3 key and the platform
    // certificate (public key only).
    [[nodiscard]] WechatPayConfig merchant_config(std::string notify_url) const;

    // POST /v3/pay/transactions/native and POST /v3/refund/domestic/refunds, with WeChat's
    // error bodies ({"code":"SIGN_ERROR","message":…}) for what WeChat refuses.
    [[nodiscard]] core::Result<ApiReply> exchange(const std::string& method,
                                                  const std::string& path, const HeaderMap& headers,
                                                  const std::string& body) override;

    // The notification for an order, exactly as WeChat would POST it to the order's notify_url.
    // `amount_override` reports another amount than ordered (to test that we notice).
    // not_found "wechatpay_sandbox.unknown_order".
    [[nodiscard]] core::Result<Callback> make_notification(
        const std::string& order_no, PaymentOutcome outcome,
        std::optional<std::int64_t> amount_override = std::nullopt);
    // The platform's signature headers for any body, as on WeChat's responses and notifications.
    [[nodiscard]] core::Result<HeaderMap> sign(const std::string& body) const;

    [[nodiscard]] std::vector<WechatPaySandboxOrder> orders() const;
    [[nodiscard]] std::optional<WechatPaySandboxOrder> order(const std::string& order_no) const;
    [[nodiscard]] std::vector<WechatPaySandboxRefund> refunds() const;

  private:
    [[nodiscard]] std::optional<ApiReply> check_authorization(const std::string& method,
                                                              const std::string& path,
                                                              const HeaderMap& headers,
                                                              const std::string& body) const;
    [[nodiscard]] core::Result<ApiReply> native_order(const std::string& body);
    [[nodiscard]] core::Result<ApiReply> refund(const std::string& body);
    [[nodiscard]] core::Result<ApiReply> signed_reply(int status, const std::string& body) const;

    WechatPayMerchant m_merchant;
    core::SecureString m_api_v3_key;
    WechatPayCertificate m_merchant_certificate;
    crypto::SoftKey m_platform_key;
    std::string m_platform_serial;
    const core::Clock& m_clock;

    mutable std::mutex m_mutex;
    std::vector<WechatPaySandboxOrder> m_orders;
    std::vector<WechatPaySandboxRefund> m_refunds;
};

}  // namespace eseal::ra::providers
