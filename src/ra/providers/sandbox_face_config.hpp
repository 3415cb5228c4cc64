#pragma once
// What our side and the face-check sandbox share, like the keys of a hosted verification
// service: an API key for our calls to it, and the secret its callbacks are signed with.
#include <string>
#include <string_view>

#include "core/secure_string.hpp"

namespace eseal::ra::providers {

struct SandboxFaceConfig {
    core::SecureString api_key;         // Authorization: Bearer <api_key> on our calls
    core::SecureString webhook_secret;  // HMAC-SHA256 key of x-sandbox-signature
    std::string callback_url;           // ours: where results are POSTed
};

inline constexpr std::string_view kFaceSessionsPath = "/v1/verifications";

}  // namespace eseal::ra::providers
