#pragma once
// Alipay's side, for development and tests: it holds Alipay's private key and our app's public
// key, answers alipay.trade.precreate and alipay.trade.refund at the gateway as Alipay would
// (request signature checked, response signed, business errors as sub_codes), and makes the
// asynchronous notification Alipay would POST to the order's notify_url.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "crypto/soft_key.hpp"
#include "ra/providers/alipay_config.hpp"
#include "ra/providers/api_transport.hpp"
#include "ra/providers/form_urlencoded.hpp"
#include "ra/providers/payment_outcome.hpp"

namespace eseal::ra::providers {

struct AlipaySandboxOrder {
    std::string out_trade_no;
    std::string subject;
    std::int64_t total_fen = 0;
    std::string notify_url;
    std::string qr_code;
    std::string trade_no;  // once paid
    bool paid = false;
    std::int64_t refunded_fen = 0;
};

struct AlipaySandboxRefund {
    std::string out_request_no;
    std::string out_trade_no;
    std::int64_t refund_fen = 0;
};

class AlipaySandbox final : public ApiTransport {
  public:
    // A sandbox with a fresh Alipay key pair (RSA-2048); `app_public_key` (DER SPKI) is our app
    // public key as uploaded to the open platform.
    [[nodiscard]] static core::Result<std::unique_ptr<AlipaySandbox>> create(
        std::string app_id, core::Bytes app_public_key, const core::Clock& clock);

    AlipaySandbox(std::string app_id, core::Bytes app_public_key, crypto::SoftKey alipay_key,
                  const core::Clock& clock);

    [[nodiscard]] core::Bytes alipay_public_key() const;
    [[nodiscard]] AlipayConfig merchant_config(std::string notify_url) const;

    // POST /gateway.do with method alipay.trade.precreate or alipay.trade.refund.
    [[nodiscard]] core::Result<ApiReply> exchange(const std::string& method,
                                                  const std::string& path, const HeaderMap& headers,
                                                  const std::string& body) override;

    // The asynchronous notification for an order as Alipay would POST it: TRADE_SUCCESS, or
    // TRADE_CLOSED for a failure. `total_amount_override` puts other text in total_amount (e.g.
    // "0.1", or a malformed "1.234"), still validly signed. not_found
    // "alipay_sandbox.unknown_order".
    [[nodiscard]] core::Result<Callback> make_notification(
        const std::string& order_no, PaymentOutcome outcome,
        std::optional<std::string> total_amount_override = std::nullopt);
    // Signs notification parameters (sign_type RSA2 is added) and encodes them as the form body.
    [[nodiscard]] core::Result<std::string> sign_notification(FormFields fields) const;

    [[nodiscard]] std::vector<AlipaySandboxOrder> orders() const;
    [[nodiscard]] std::optional<AlipaySandboxOrder> order(const std::string& order_no) const;
    [[nodiscard]] std::vector<AlipaySandboxRefund> refunds() const;

  private:
    [[nodiscard]] core::Result<ApiReply> respond(const std::string& method,
                                                 const std::string& body) const;
    [[nodiscard]] core::Result<ApiReply> precreate(const std::string& biz_content,
                                                   const std::string& notify_url);
    [[nodiscard]] core::Result<ApiReply> refund(const std::string& biz_content);

    std::string m_app_id;
    core::Bytes m_app_public_key;
    crypto::SoftKey m_alipay_key;
    const core::Clock& m_clock;

    mutable std::mutex m_mutex;
    std::vector<AlipaySandboxOrder> m_orders;
    std::vector<AlipaySandboxRefund> m_refunds;
};

}  // namespace eseal::ra::providers
