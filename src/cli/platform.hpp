#pragma once
// What the commands need from the running platform. The composition root (app/) implements it:
// it reads the configuration, opens the store and finds the CA keys (DESIGN §2).
#include <filesystem>
#include <memory>

#include "core/clock.hpp"
#include "pki/authority.hpp"
#include "pki/hierarchy.hpp"
#include "pki/key_store.hpp"
#include "server/hall_services.hpp"
#include "server/revocation_services.hpp"
#include "store/sqlite_store.hpp"
#include "token/ukey_service.hpp"

namespace eseal::cli {

class Platform {
public:
    virtual ~Platform() = default;
    [[nodiscard]] virtual const std::filesystem::path& home() const = 0;
    [[nodiscard]] virtual const core::Clock& clock() const = 0;
    [[nodiscard]] virtual store::SqliteStore& store() = 0;
    // Makes the root and issuing CA, keeps their keys, stores both; returns (root, issuing).
    // hsm_token: the serial of a PKCS#11 token to generate the CA keys on (empty: encrypted files).
    [[nodiscard]] virtual core::Result<std::pair<pki::CaRecord, pki::CaRecord>> init_hierarchy(
        pki::HierarchyRequest request, const std::string& hsm_token, const std::string& actor) = 0;
    // An issuing CA ready to sign: its record and its key. Empty name: the only issuing CA.
    [[nodiscard]] virtual core::Result<pki::CertificateAuthority> certificate_authority(std::string_view name) = 0;
    // Ukeys through a driver ("pkcs11" or "skf") and its library, kept in the store's inventory.
    [[nodiscard]] virtual core::Result<std::unique_ptr<token::UkeyService>> ukey_service(const std::string& driver,
                                                                                         const std::string& module) = 0;
    // The keys of the CAs and of their OCSP responders and TSAs.
    [[nodiscard]] virtual pki::KeyStore& key_store() = 0;
    // [crl], [ocsp] and [tsa] of the configuration.
    [[nodiscard]] virtual server::RevocationSettings revocation_settings() const = 0;
    // [hall] of the configuration; listen_url is "http://<address>:<port>" of this server.
    [[nodiscard]] virtual server::HallSettings hall_settings(const std::string& listen_url) const = 0;
};

struct GlobalOptions {
    std::filesystem::path home;
};

using PlatformFactory = std::function<core::Result<std::unique_ptr<Platform>>(const GlobalOptions&)>;

// The library a token driver uses when none is named: $ESEAL_PKCS11_MODULE or SoftHSM2 for
// pkcs11; $ESEAL_SKF_MODULE or eseal's own soft token, installed beside the eseal binary, for skf.
[[nodiscard]] std::string default_token_module(const std::string& driver);

// Runs the `eseal` command line; returns the process exit code.
int run(int argc, char** argv, const PlatformFactory& open_platform);

}  // namespace eseal::cli
