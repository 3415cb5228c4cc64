#pragma once
// SM2 Ukeys over GM/T 0016 SKF, as the CA makes and looks after them. eseal keeps its keys in one
// application ("ESEAL") per device, one container per key pair; the admin PIN (the SKF SO PIN)
// is random and kept sealed by the CA, the user PIN is random and shown once.
#include <memory>

#include "token/skf.hpp"
#include "token/ukey_service.hpp"

namespace eseal::token {

inline constexpr const char* kSkfApplication = "ESEAL";
inline constexpr ULONG kSkfUserPinRetries = 6;   // GM/T 0016 keys commonly allow 6 to 10 tries
inline constexpr ULONG kSkfAdminPinRetries = 10;

struct SkfOptions {
    core::Bytes dev_auth_key;  // 16 bytes; ESEAL_SKF_DEVAUTH_KEY (hex), default "1234567812345678"
};
[[nodiscard]] core::Result<SkfOptions> skf_options_from_environment();

class SkfService final : public UkeyService {
public:
    SkfService(std::shared_ptr<SkfLibrary> lib, SkfOptions options, TokenRepository& tokens,
               CertificateRevoker& revoker, core::SecureString ca_passphrase, const core::Clock& clock)
        : m_lib(std::move(lib)),
          m_options(std::move(options)),
          m_tokens(&tokens),
          m_revoker(&revoker),
          m_passphrase(std::move(ca_passphrase)),
          m_clock(&clock) {}

    [[nodiscard]] std::string_view driver() const override { return "skf"; }
    [[nodiscard]] core::Result<std::vector<PresentToken>> present() override;
    // SKF_DevAuth, then SKF_CreateApplication with a random admin PIN (sealed) and user PIN.
    [[nodiscard]] core::Result<TokenRecord> init_blank(const std::string& label, const std::string& actor) override;
    // SM2 only: SKF_UnblockPIN sets the user PIN, SKF_GenECCKeyPair in a new container, the CSR
    // signed on the key with the ID 1234567812345678, SKF_ImportCertificate, read back.
    [[nodiscard]] core::Result<Enrolled> enroll(const pki::CertificateAuthority& ca, const EnrollRequest& request) override;
    // SKF_UnblockPIN with the admin PIN.
    [[nodiscard]] core::Result<core::SecureString> unlock(const std::string& serial, int pin_digits,
                                                          const std::string& actor) override;
    [[nodiscard]] core::Result<void> change_pin(const std::string& serial, const core::SecureString& old_pin,
                                                const core::SecureString& new_pin, const std::string& actor) override;
    // Deletes the ESEAL application and makes a fresh one (new admin PIN).
    [[nodiscard]] core::Result<void> wipe(const std::string& serial, TokenState then, pki::CertificateRepository& certs,
                                          const std::string& actor) override;
    [[nodiscard]] core::Result<std::vector<TokenObject>> objects(const std::string& serial,
                                                                 const core::SecureString* pin) override;
    // key_id: the container name.
    [[nodiscard]] core::Result<std::unique_ptr<crypto::Signer>> signer(const std::string& serial,
                                                                       const std::string& key_id,
                                                                       const core::SecureString& pin) override;

private:
    [[nodiscard]] core::Result<SkfDevice> find_device(const std::string& serial);
    [[nodiscard]] core::Result<TokenRecord> known_token(const std::string& serial);
    // Opens the ESEAL application and logs in; a wrong or locked PIN updates the inventory.
    [[nodiscard]] core::Result<SkfHandle> open_application(const SkfDevice& dev, const std::string& serial,
                                                           ULONG pin_type, const core::SecureString& pin);
    [[nodiscard]] core::Result<core::SecureString> create_application(const SkfDevice& dev);

    std::shared_ptr<SkfLibrary> m_lib;
    SkfOptions m_options;
    TokenRepository* m_tokens;
    CertificateRevoker* m_revoker;
    core::SecureString m_passphrase;
    const core::Clock* m_clock;
};

}  // namespace eseal::token
