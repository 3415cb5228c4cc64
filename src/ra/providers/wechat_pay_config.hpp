#pragma once
// What a merchant and WeChat Pay agree on at sign-up (WeChat Pay API v3). The merchant keeps its
// own API private key (a crypto::Signer, outside this struct) and, of WeChat's, only the platform
// certificates' public keys and the APIv3 key it set itself: the platform private key exists only
// in WechatPaySandbox, and the types keep it so.
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/secure_string.hpp"

namespace eseal::ra::providers {

struct WechatPayMerchant {
    std::string mch_id;  // 商户号
    std::string app_id;  // the app the merchant account is bound to
};

// A certificate as the other party holds it: its serial (upper-case hex) and public key (DER
// SubjectPublicKeyInfo, RSA-2048). WeChat's platform certificates sign responses and
// notifications, which name theirs by serial (Wechatpay-Serial); WeChat rotates them, so the
// merchant may hold several. The merchant's API certificate signs requests (serial_no).
struct WechatPayCertificate {
    std::string serial;
    core::Bytes public_key;
};

// Our side.
struct WechatPayConfig {
    WechatPayMerchant merchant;
    // Set by the merchant in the merchant platform: the AEAD_AES_256_GCM key of notification
    // resources, 32 bytes.
    core::SecureString api_v3_key;
    std::string merchant_serial;  // serial of our API certificate, named in Authorization
    std::string notify_url;       // where WeChat Pay POSTs notifications
    std::vector<WechatPayCertificate> platform_certificates;
};

// The signature type header value of API v3 (Wechatpay-Signature-Type, Authorization scheme).
inline constexpr std::string_view kWechatPaySignatureType = "WECHATPAY2-SHA256-RSA2048";

}  // namespace eseal::ra::providers
