#pragma once
// What an app and Alipay agree on (open platform, public-key mode, RSA2). The app keeps its own
// private key (a crypto::Signer, outside this struct) and holds Alipay's public key only: Alipay's
// private key exists only in AlipaySandbox, and the types keep it so.
#include <string>

#include "core/bytes.hpp"

namespace eseal::ra::providers {

// Our side.
struct AlipayConfig {
    std::string app_id;
    core::Bytes alipay_public_key;  // 支付宝公钥: DER SubjectPublicKeyInfo, RSA-2048
    std::string notify_url;         // where Alipay POSTs asynchronous notifications
};

}  // namespace eseal::ra::providers
