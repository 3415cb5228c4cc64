#pragma once
// Binding a Ukey to a seal (guide §2, §7.6; docs/seals.md): the seal admin proves they hold the
// Ukey and are who the CA checked.
//   1. start: the server gives a random challenge (32 bytes, single use, 5 minutes) and opens a
//      face check of the organization's handler at the identity provider (the sandbox: a URL
//      shown as a QR code; the result comes back by an HMAC-signed callback);
//   2. the client signs binding_message(challenge, seal id, server origin) with the token key,
//      after the user PIN (a wrong PIN fails at the token: nothing is sent);
//   3. complete: the server checks the certificate is ours, valid, not revoked and the
//      organization's, the signature over the message, and that the face check passed; then the
//      seal is re-made with the certificate in its certList. Anything wrong refuses the binding
//      with every reason at once and leaves the seal as it was; the challenge is spent either way.
#include <chrono>
#include <string>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/actor.hpp"
#include "ra/ports.hpp"
#include "ra/seal_ports.hpp"
#include "ra/seals.hpp"

namespace eseal::ra {

inline constexpr std::chrono::seconds kChallengeLifetime{300};

// What the token signs: a fixed label, then the challenge, the seal and the server's origin, one
// per line, so a signature for one seal or one server cannot be replayed to another.
[[nodiscard]] std::string binding_message(const std::string& challenge_hex,
                                          const std::string& seal_id, const std::string& origin);

struct BindingStart {
    BindingChallenge challenge;
    IdentityCheck check;
    std::string message;  // binding_message(...), for the client to sign
};

class SealBindingService {
  public:
    // `origin` is this server's public URL (what the client signs); `face` is an identity provider
    // whose callbacks reach callback() (its callback URL is the binding one).
    SealBindingService(SealService& seals, SealRepository& repository, IdentityRepository& checks,
                       pki::CertificateRepository& certificates, IdentityProvider& face,
                       std::string origin, const core::Clock& clock)
        : m_seals(seals),
          m_repository(repository),
          m_checks(checks),
          m_certificates(certificates),
          m_face(face),
          m_origin(std::move(origin)),
          m_clock(clock) {}

    [[nodiscard]] core::Result<BindingStart> start(const Actor& actor, const std::string& seal_id);
    // The face provider's callback for a binding check: authenticated, applied once.
    [[nodiscard]] core::Result<IdentityCheck> callback(const HeaderMap& headers,
                                                       const std::string& body);
    // The state of a binding (its face check), for the client polling.
    [[nodiscard]] core::Result<BindingStart> status(const Actor& actor, const std::string& seal_id,
                                                    const std::string& challenge_id);
    [[nodiscard]] core::Result<SealRecord> complete(const Actor& actor, const std::string& seal_id,
                                                    const std::string& challenge_id,
                                                    core::ByteView certificate_der,
                                                    core::ByteView signature);

  private:
    SealService& m_seals;
    SealRepository& m_repository;
    IdentityRepository& m_checks;
    pki::CertificateRepository& m_certificates;
    IdentityProvider& m_face;
    std::string m_origin;
    const core::Clock& m_clock;
};

}  // namespace eseal::ra
