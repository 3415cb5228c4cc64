#pragma once
// WeChat Pay API v3 signatures, both directions, RSA-SHA256 with PKCS#1 v1.5 padding, base64.
//   Request (merchant → WeChat): "METHOD\nURL\ntimestamp\nnonce\nbody\n", signed with the
//     merchant API key, sent as Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",
//     nonce_str="…",timestamp="…",serial_no="…",signature="…".
//   Response and notification (WeChat → merchant): "timestamp\nnonce\nbody\n", signed with a
//     platform key, sent as headers Wechatpay-Timestamp, Wechatpay-Nonce, Wechatpay-Serial,
//     Wechatpay-Signature. The receiver checks that the timestamp is within 5 minutes of its clock.
// (WeChat also sends probe notifications whose signature begins "WECHATPAY/SIGNTEST/" to check
// that merchants verify: they fail here as malformed, which is the point.)
#include <chrono>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/signer.hpp"
#include "ra/ports.hpp"
#include "ra/providers/wechat_pay_config.hpp"

namespace eseal::ra::providers {

inline constexpr std::chrono::seconds kWechatPayMaxSkew{300};

[[nodiscard]] std::string wechatpay_request_message(std::string_view method, std::string_view url,
                                                    std::string_view timestamp,
                                                    std::string_view nonce, std::string_view body);
[[nodiscard]] std::string wechatpay_response_message(std::string_view timestamp,
                                                     std::string_view nonce, std::string_view body);

// The four Wechatpay-* headers (lowercase names) and Wechatpay-Signature-Type, for a body signed
// by the platform key `signer` whose certificate has `serial`.
[[nodiscard]] core::Result<HeaderMap> wechatpay_sign_response(const crypto::Signer& signer,
                                                              const std::string& serial,
                                                              const std::string& body,
                                                              core::TimePoint now);

// Checks a response or notification: headers present, serial among `certificates`, timestamp
// within 5 minutes of `now`, signature valid. Errors (stable codes):
//   invalid_input "wechatpay.header_missing", "wechatpay.timestamp_stale",
//                 "wechatpay.signature_malformed", "wechatpay.signature_type"
//   crypto        "wechatpay.serial_unknown", "wechatpay.signature_invalid"
[[nodiscard]] core::Result<void> wechatpay_verify_response(
    const HeaderMap& headers, const std::string& body,
    const std::vector<WechatPayCertificate>& certificates, core::TimePoint now);

struct WechatPayAuthorization {
    std::string mch_id;
    std::string nonce;
    std::string timestamp;
    std::string serial;
    std::string signature;  // base64
};

[[nodiscard]] core::Result<std::string> wechatpay_authorization(
    const crypto::Signer& merchant_key, const std::string& mch_id, const std::string& serial,
    std::string_view method, std::string_view url, std::string_view body, core::TimePoint now);
// invalid_input "wechatpay.authorization_malformed" unless it is the scheme with all five fields.
[[nodiscard]] core::Result<WechatPayAuthorization> wechatpay_parse_authorization(
    std::string_view header);

// Shared by both directions: is the Unix-seconds text within kWechatPayMaxSkew of now?
[[nodiscard]] bool wechatpay_timestamp_fresh(std::string_view timestamp, core::TimePoint now);

}  // namespace eseal::ra::providers
