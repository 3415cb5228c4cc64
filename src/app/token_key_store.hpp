#pragma once
// pki::KeyStore over a PKCS#11 token (an HSM; SoftHSM2 in tests): CA keys generated on the
// token and used there (issue: "CA keys on a token"). key_ref "pkcs11:serial=<token>;id=<hex>";
// the module and the user PIN come from the configuration (ESEAL_HSM_MODULE, ESEAL_HSM_PIN).
#include <memory>
#include <string>

#include "core/secure_string.hpp"
#include "pki/key_store.hpp"
#include "token/pkcs11.hpp"

namespace eseal::app {

inline constexpr std::string_view kPkcs11KeyRefPrefix = "pkcs11:";

class TokenKeyStore final : public pki::KeyStore {
public:
    // The token with this serial, in the module at `module`, logged in with `pin`.
    TokenKeyStore(std::string module, std::string serial, core::SecureString pin)
        : m_module_path(std::move(module)), m_serial(std::move(serial)), m_pin(std::move(pin)) {}

    [[nodiscard]] core::Result<std::unique_ptr<crypto::Signer>> open_key(std::string_view key_ref) override;
    [[nodiscard]] core::Result<pki::NewKey> generate_key(crypto::KeyAlgorithm algorithm, std::string_view name) override;

    // The token serial a key reference names ("" if it is not a pkcs11: reference).
    [[nodiscard]] static std::string token_of(std::string_view key_ref);

private:
    [[nodiscard]] core::Result<token::Session> session(token::SessionMode mode);

    std::string m_module_path;
    std::string m_serial;
    core::SecureString m_pin;
    std::shared_ptr<token::Module> m_module;
};

// Routes each key reference to where it lives: "pkcs11:" to the HSM token (configured by
// ESEAL_HSM_MODULE, ESEAL_HSM_TOKEN, ESEAL_HSM_PIN), anything else to the encrypted files.
// New service keys (OCSP, TSA) go to the files.
class CompositeKeyStore final : public pki::KeyStore {
public:
    explicit CompositeKeyStore(std::unique_ptr<pki::KeyStore> files) : m_files(std::move(files)) {}
    [[nodiscard]] core::Result<std::unique_ptr<crypto::Signer>> open_key(std::string_view key_ref) override;
    [[nodiscard]] core::Result<pki::NewKey> generate_key(crypto::KeyAlgorithm algorithm, std::string_view name) override {
        return m_files->generate_key(algorithm, name);
    }
    // The HSM token store for this serial (PIN from ESEAL_HSM_PIN), made on first use.
    [[nodiscard]] core::Result<TokenKeyStore*> token(const std::string& serial);

private:
    std::unique_ptr<pki::KeyStore> m_files;
    std::unique_ptr<TokenKeyStore> m_token;
    std::string m_serial;
};

}  // namespace eseal::app
