#pragma once
// Making and looking after Ukeys on PKCS#11 tokens, as the CA does it (guide §3: the key pair is
// generated on the USB key, the certificate issued and written to it, the PIN sent by SMS;
// §7 unlock: 介质解锁).
#include <memory>

#include "pki/authority.hpp"
#include "token/pkcs11.hpp"
#include "token/pkcs11_keys.hpp"
#include "token/ports.hpp"
#include "token/ukey_service.hpp"

namespace eseal::token {

class Pkcs11Service final : public UkeyService {
public:
    Pkcs11Service(std::shared_ptr<Module> module, TokenRepository& tokens, CertificateRevoker& revoker,
                  core::SecureString ca_passphrase, const core::Clock& clock)
        : m_module(std::move(module)),
          m_tokens(&tokens),
          m_revoker(&revoker),
          m_passphrase(std::move(ca_passphrase)),
          m_clock(&clock) {}

    [[nodiscard]] std::string_view driver() const override { return "pkcs11"; }
    [[nodiscard]] core::Result<std::vector<PresentToken>> present() override;
    [[nodiscard]] core::Result<TokenRecord> init_blank(const std::string& label, const std::string& actor) override;
    [[nodiscard]] core::Result<Enrolled> enroll(const pki::CertificateAuthority& ca, const EnrollRequest& request) override;
    // C_InitPIN by the SO.
    [[nodiscard]] core::Result<core::SecureString> unlock(const std::string& serial, int pin_digits,
                                                          const std::string& actor) override;
    [[nodiscard]] core::Result<void> change_pin(const std::string& serial, const core::SecureString& old_pin,
                                                const core::SecureString& new_pin, const std::string& actor) override;
    // C_InitToken with its SO PIN: everything on the token goes.
    [[nodiscard]] core::Result<void> wipe(const std::string& serial, TokenState then, pki::CertificateRepository& certs,
                                          const std::string& actor) override;
    [[nodiscard]] core::Result<std::vector<TokenObject>> objects(const std::string& serial,
                                                                 const core::SecureString* pin) override;
    // key_id: the CKA_ID in hex.
    [[nodiscard]] core::Result<std::unique_ptr<crypto::Signer>> signer(const std::string& serial,
                                                                       const std::string& key_id,
                                                                       const core::SecureString& pin) override;

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
