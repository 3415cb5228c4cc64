#pragma once
// WeChat Pay, Native payment (API v3), our side: an order gives a code_url
// ("weixin://wxpay/bizpayurl?pr=…") the applicant scans; the result comes as a signed notification
// whose resource is encrypted with the APIv3 key. Refunds go to /v3/refund/domestic/refunds.
#include "core/clock.hpp"
#include "crypto/signer.hpp"
#include "ra/ports.hpp"
#include "ra/providers/api_transport.hpp"
#include "ra/providers/wechat_pay_config.hpp"

namespace eseal::ra::providers {

class WechatPayProvider final : public PaymentProvider {
  public:
    // `merchant_key` is our API private key (RSA-2048); `api` reaches api.mch.weixin.qq.com or
    // the sandbox. All three must outlive the provider.
    WechatPayProvider(WechatPayConfig config, const crypto::Signer& merchant_key, ApiTransport& api,
                      const core::Clock& clock);

    [[nodiscard]] PaymentMethod method() const override { return PaymentMethod::wechat; }
    [[nodiscard]] core::Result<PaymentOrder> create_order(const Payment& p,
                                                          const std::string& description) override;
    // Errors: those of wechatpay_verify_response, then invalid_input "wechatpay.malformed" (not
    // the notification JSON), unsupported "wechatpay.event_unsupported" (not a payment event, or
    // not AEAD_AES_256_GCM), crypto "wechatpay.resource_undecryptable" (wrong APIv3 key or
    // altered ciphertext), invalid_input "wechatpay.resource_malformed", crypto
    // "wechatpay.merchant_mismatch" (paid to another merchant or app).
    [[nodiscard]] core::Result<PaymentNotice> parse_notification(const HeaderMap& headers,
                                                                 const std::string& body) override;
    // API v3: {"code":"SUCCESS","message":"成功"} with 200; on failure {"code":"FAIL",...} with a
    // 4xx/5xx status (which the caller chooses), and WeChat retries.
    [[nodiscard]] std::string acknowledge(bool ok) const override;
    [[nodiscard]] core::Result<void> refund(const Payment& p,
                                            const std::string& refund_no) override;

  private:
    // Signs and sends a JSON request, checks the response's platform signature, returns its body.
    [[nodiscard]] core::Result<std::string> call(const std::string& path, const std::string& body);

    WechatPayConfig m_config;
    const crypto::Signer& m_merchant_key;
    ApiTransport& m_api;
    const core::Clock& m_clock;
};

}  // namespace eseal::ra::providers
