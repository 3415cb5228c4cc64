#pragma once
// Face verification through the sandbox service, our side: start() opens a verification
// session (the person opens its URL, shown as a QR code); the result comes later as a signed
// callback (face_signature.hpp).
#include "core/clock.hpp"
#include "ra/ports.hpp"
#include "ra/providers/api_transport.hpp"
#include "ra/providers/sandbox_face_config.hpp"

namespace eseal::ra::providers {

class SandboxFaceProvider final : public IdentityProvider {
  public:
    // `api` reaches SandboxFaceService; it and the clock must outlive the provider.
    SandboxFaceProvider(SandboxFaceConfig config, ApiTransport& api, const core::Clock& clock);

    [[nodiscard]] std::string name() const override { return "sandbox-face"; }
    // POST /v1/verifications {reference, name, id_number, purpose, callback_url} →
    // {ref, url}. io "face.unavailable" / invalid_input "face.refused" when it fails.
    [[nodiscard]] core::Result<IdentitySession> start(const IdentityCheck& check) override;
    // Errors: those of face_verify_signature, then invalid_input "face.malformed" (not
    // {ref, result, score, reason}) and "face.result_unknown" (result not pass/fail).
    [[nodiscard]] core::Result<IdentityResult> parse_callback(const HeaderMap& headers,
                                                              const std::string& body) override;

  private:
    SandboxFaceConfig m_config;
    ApiTransport& m_api;
    const core::Clock& m_clock;
};

}  // namespace eseal::ra::providers
