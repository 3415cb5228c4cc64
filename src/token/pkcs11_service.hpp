#pragma once
// Making and looking after Ukeys on PKCS#11 tokens, as the CA does it (guide §3: the key pair is
// generated on the USB key, the certificate issued and written to it, the PIN sent by SMS;
// §7 unlock: 介质解锁).
#include <memory>

#include "pki/authority.hpp"
#include "token/pkcs11.hpp"
#include "token/pkcs11_keys.hpp"
#include "token/ports.hpp"

namespace eseal::token {

struct EnrollRequest {
    std::string token_serial;        // a token in stock; empty: initialize a blank one
    std::string label = "eseal Ukey";
    crypto::KeyAlgorithm algorithm = crypto::KeyAlgorithm::ecdsa_p256;
    pki::IssueRequest issue;         // profile, years, subject (csr is made on the token)
    int pin_digits = 8;              // 6 to 8
};

struct Enrolled {
    TokenRecord token;
    pki::CertificateRecord certificate;
    std::string key_id;              // CKA_ID, hex
    core::SecureString user_pin;     // shown once, for SMS delivery; never stored or logged
};

class Pkcs11Service {
public:
    Pkcs11Service(std::shared_ptr<Module> module, TokenRepository& tokens, CertificateRevoker& revoker,
                  core::SecureString ca_passphrase, const core::Clock& clock)
        : m_module(std::move(module)),
          m_tokens(&tokens),
          m_revoker(&revoker),
          m_passphrase(std::move(ca_passphrase)),
          m_clock(&clock) {}

    // Initializes a blank token into inventory: random SO PIN kept sealed by the CA.
    [[nodiscard]] core::Result<TokenRecord> init_blank(const std::string& label, const std::string& actor);
    // Sets a random user PIN, generates the key pair on the token, has the CA certify it, writes
    // the certificate beside the key and reads it back. On failure the token is cleaned (and
    // marked failed if a certificate had been issued, which is then revoked).
    [[nodiscard]] core::Result<Enrolled> enroll(const pki::CertificateAuthority& ca, const EnrollRequest& request);
    // The SO resets the user PIN to a new random one (C_InitPIN), which is returned once.
    [[nodiscard]] core::Result<core::SecureString> unlock(const std::string& serial, int pin_digits,
                                                          const std::string& actor);
    [[nodiscard]] core::Result<void> change_pin(const std::string& serial, const core::SecureString& old_pin,
                                                const core::SecureString& new_pin, const std::string& actor);
    // Erases everything on the token (C_InitToken with its SO PIN); refuses while a certificate
    // on it is still valid.
    [[nodiscard]] core::Result<void> wipe(const std::string& serial, TokenState then, pki::CertificateRepository& certs,
                                          const std::string& actor);
    // Objects on the token; private ones only with the PIN.
    [[nodiscard]] core::Result<std::vector<TokenObject>> objects(const std::string& serial,
                                                                 const core::SecureString* pin);
    // A signer over the key with this CKA_ID (hex), logged in with the PIN.
    [[nodiscard]] core::Result<std::unique_ptr<Pkcs11Signer>> signer(const std::string& serial,
                                                                     const std::string& key_id,
                                                                     const core::SecureString& pin);

    [[nodiscard]] Module& module() { return *m_module; }

private:
    [[nodiscard]] core::Result<TokenRecord> known_token(const std::string& serial);
    [[nodiscard]] core::Result<core::SecureString> so_pin(const TokenRecord& record);
    [[nodiscard]] core::Result<Session> so_session(const TokenRecord& record);

    std::shared_ptr<Module> m_module;
    TokenRepository* m_tokens;
    CertificateRevoker* m_revoker;
    core::SecureString m_passphrase;
    const core::Clock* m_clock;
};

}  // namespace eseal::token
