#pragma once
// The composition root: one home directory holds the configuration, the database and the CA keys.
//   HOME/eseal.toml             configuration (optional)
//   HOME/eseal.db               SQLite store (WAL)
//   HOME/keys/<ca>.key.pem      CA keys, encrypted PKCS#8, mode 0600
//   HOME/secrets/ca-passphrase  the keys' passphrase when ESEAL_CA_PASSPHRASE is not set
#include "app/config.hpp"
#include "app/file_key_store.hpp"
#include "app/token_key_store.hpp"
#include "core/secure_string.hpp"
#include "cli/platform.hpp"

namespace eseal::app {

class Platform final : public cli::Platform {
public:
    [[nodiscard]] static core::Result<std::unique_ptr<Platform>> open(const std::filesystem::path& home);

    [[nodiscard]] const std::filesystem::path& home() const override { return m_home; }
    [[nodiscard]] const core::Clock& clock() const override { return m_clock; }
    [[nodiscard]] store::SqliteStore& store() override { return *m_store; }
    [[nodiscard]] core::Result<std::pair<pki::CaRecord, pki::CaRecord>> init_hierarchy(
        pki::HierarchyRequest request, const std::string& hsm_token, const std::string& actor) override;
    [[nodiscard]] core::Result<pki::CertificateAuthority> certificate_authority(std::string_view name) override;
    [[nodiscard]] core::Result<std::unique_ptr<token::UkeyService>> ukey_service(const std::string& driver,
                                                                                 const std::string& module) override;
    [[nodiscard]] pki::KeyStore& key_store() override;
    [[nodiscard]] server::RevocationSettings revocation_settings() const override;
    [[nodiscard]] server::HallSettings hall_settings(const std::string& listen_url) const override;

private:
    Platform(std::filesystem::path home, Config config, std::unique_ptr<store::SqliteStore> store)
        : m_home(std::move(home)), m_config(std::move(config)), m_store(std::move(store)) {}
    // The CA key passphrase: ESEAL_CA_PASSPHRASE, else the passphrase file (made on first use).
    [[nodiscard]] core::Result<core::SecureString> passphrase(bool create_if_missing);
    [[nodiscard]] CompositeKeyStore& keys();
    [[nodiscard]] core::Result<std::pair<pki::CaRecord, pki::CaRecord>> store_hierarchy(pki::NewHierarchy made,
                                                                                        const std::string& actor);

    std::filesystem::path m_home;
    Config m_config;
    core::SystemClock m_clock;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<token::CertificateRevoker> m_revoker;
    std::unique_ptr<CompositeKeyStore> m_keys;
};

}  // namespace eseal::app
