#pragma once
// The face-check sandbox signs its callbacks the way Stripe signs webhooks: header
//   x-sandbox-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>
// (more than one v1 while a secret is being rolled over); the receiver refuses a t more than
// 5 minutes from its clock, so a captured callback cannot be replayed later.
#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/ports.hpp"

namespace eseal::ra::providers {

inline constexpr std::string_view kFaceSignatureHeader = "x-sandbox-signature";
inline constexpr std::chrono::seconds kFaceMaxSkew{300};

[[nodiscard]] std::string face_signature_header(std::string_view secret, std::string_view body,
                                                core::TimePoint now);
// invalid_input "face.signature_missing", "face.signature_malformed", "face.timestamp_stale";
// crypto "face.signature_invalid".
[[nodiscard]] core::Result<void> face_verify_signature(std::string_view secret,
                                                       const HeaderMap& headers,
                                                       std::string_view body, core::TimePoint now);

}  // namespace eseal::ra::providers
