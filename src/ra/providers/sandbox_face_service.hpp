#pragma once
// The face-check service's side, for development and tests: opens verification sessions for our
// provider (checking its API key), serves as the record a development page at
// <base_url>/sandbox/face/<ref> reads, and makes the signed result callback for a session.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "ra/providers/api_transport.hpp"
#include "ra/providers/sandbox_face_config.hpp"

namespace eseal::ra::providers {

struct FaceSession {
    std::string ref;
    std::string reference;  // our check id
    std::string name;
    std::string id_number;
    std::string purpose;
    std::string callback_url;
    std::string url;
    core::TimePoint created_at{};
};

enum class FaceOutcome { pass, fail };

class SandboxFaceService final : public ApiTransport {
  public:
    // `base_url` is where the development pages are served ("http://127.0.0.1:8080").
    SandboxFaceService(core::SecureString api_key, core::SecureString webhook_secret,
                       std::string base_url, const core::Clock& clock);

    // What our provider is configured with.
    [[nodiscard]] SandboxFaceConfig client_config(std::string callback_url) const;

    // POST /v1/verifications; 401 for a wrong API key, 400 for a missing name or ID number.
    [[nodiscard]] core::Result<ApiReply> exchange(const std::string& method,
                                                  const std::string& path, const HeaderMap& headers,
                                                  const std::string& body) override;

    [[nodiscard]] std::optional<FaceSession> session(const std::string& ref) const;
    // The signed callback {ref, result, score, reason} for the session, to its callback_url.
    // not_found "face_sandbox.unknown_ref".
    [[nodiscard]] core::Result<Callback> make_callback(const std::string& ref, FaceOutcome outcome,
                                                       double score, const std::string& reason);

  private:
    core::SecureString m_api_key;
    core::SecureString m_webhook_secret;
    std::string m_base_url;
    const core::Clock& m_clock;

    mutable std::mutex m_mutex;
    std::vector<FaceSession> m_sessions;
};

}  // namespace eseal::ra::providers
