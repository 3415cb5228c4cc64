#pragma once
// Alipay face-to-face "precreate" (alipay.trade.precreate), our side: the order gives a qr_code
// ("https://qr.alipay.com/…") the applicant scans with Alipay; the result comes as an
// asynchronous notification, a form POST signed with Alipay's key. Refunds are
// alipay.trade.refund. All calls go to the gateway (https://openapi.alipay.com/gateway.do).
#include "core/clock.hpp"
#include "crypto/signer.hpp"
#include "ra/ports.hpp"
#include "ra/providers/alipay_config.hpp"
#include "ra/providers/api_transport.hpp"
#include "ra/providers/form_urlencoded.hpp"

namespace eseal::ra::providers {

inline constexpr std::string_view kAlipayGatewayPath = "/gateway.do";

class AlipayProvider final : public PaymentProvider {
  public:
    // `app_key` is our app private key (RSA-2048); `api` reaches the gateway or the sandbox.
    // All three must outlive the provider.
    AlipayProvider(AlipayConfig config, const crypto::Signer& app_key, ApiTransport& api,
                   const core::Clock& clock);

    [[nodiscard]] PaymentMethod method() const override { return PaymentMethod::alipay; }
    [[nodiscard]] core::Result<PaymentOrder> create_order(const Payment& p,
                                                          const std::string& description) override;
    // Errors: invalid_input "alipay.malformed" (not a form), "alipay.sign_missing",
    // "alipay.sign_malformed"; unsupported "alipay.sign_type", "alipay.charset"; crypto
    // "alipay.sign_invalid", "alipay.app_mismatch"; invalid_input "alipay.field_missing",
    // "alipay.amount_malformed", "alipay.trade_status_unknown".
    [[nodiscard]] core::Result<PaymentNotice> parse_notification(const HeaderMap& headers,
                                                                 const std::string& body) override;
    // Alipay reads the body: exactly "success" stops its retries; anything else (we send
    // "failure") makes it notify again, 8 times over 25 hours.
    [[nodiscard]] std::string acknowledge(bool ok) const override;
    [[nodiscard]] core::Result<void> refund(const Payment& p,
                                            const std::string& refund_no) override;

  private:
    // Sends one API method with its biz_content; checks the response signature and code 10000;
    // returns the "<method>_response" object's text.
    [[nodiscard]] core::Result<std::string> call(const std::string& method,
                                                 const std::string& biz_content,
                                                 bool with_notify_url);

    AlipayConfig m_config;
    const crypto::Signer& m_app_key;
    ApiTransport& m_api;
    const core::Clock& m_clock;
};

}  // namespace eseal::ra::providers
