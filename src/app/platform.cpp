#include "app/platform.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "crypto/digest.hpp"
#include "crypto/soft_key.hpp"
#include "pki/revocation.hpp"
#include "token/pkcs11_service.hpp"
#include "token/skf_service.hpp"

namespace eseal::app {
namespace {

namespace fs = std::filesystem;

core::Result<void> make_private_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return core::fail(core::Errc::io, "home.mkdir", "cannot create " + dir.string() + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    return {};
}

}  // namespace

core::Result<std::unique_ptr<Platform>> Platform::open(const fs::path& home) {
    std::error_code ec;
    fs::create_directories(home, ec);
    if (ec) return core::fail(core::Errc::io, "home.mkdir", "cannot create home " + home.string() + ": " + ec.message());
    auto config = load_config(home);
    if (!config) return std::unexpected(config.error());
    auto store = store::SqliteStore::open(home / "eseal.db");
    if (!store) return std::unexpected(store.error());
    return std::unique_ptr<Platform>(new Platform(home, std::move(*config), std::move(*store)));
}

core::Result<core::SecureString> Platform::passphrase(bool create_if_missing) {
    if (const char* env = std::getenv("ESEAL_CA_PASSPHRASE"); env != nullptr && *env != '\0')
        return core::SecureString(env);
    const fs::path file = m_config.passphrase_file.is_absolute() ? m_config.passphrase_file
                                                                 : m_home / m_config.passphrase_file;
    if (fs::exists(file)) {
        std::ifstream in(file);
        std::string line;
        std::getline(in, line);
        core::SecureString pass(line);
        core::secure_wipe(line.data(), line.size());
        if (pass.empty()) return core::fail(core::Errc::invalid_input, "ca.passphrase", file.string() + " is empty");
        return pass;
    }
    if (!create_if_missing)
        return core::fail(core::Errc::not_found, "ca.passphrase",
                          "no CA key passphrase: set ESEAL_CA_PASSPHRASE or create " + file.string());
    if (auto r = make_private_dir(file.parent_path()); !r) return std::unexpected(r.error());
    core::SecureString pass(core::base64url_encode(crypto::random_bytes(32)));
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return core::fail(core::Errc::io, "ca.passphrase", "cannot create " + file.string() + ": " + std::strerror(errno));
    const std::string text = std::string(pass.view()) + "\n";
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return core::fail(core::Errc::io, "ca.passphrase", "cannot write " + file.string());
    spdlog::warn("generated a CA key passphrase in {} (mode 0600); keep it apart from the keys, or set "
                 "ESEAL_CA_PASSPHRASE", file.string());
    return pass;
}

core::Result<std::pair<pki::CaRecord, pki::CaRecord>> Platform::init_hierarchy(pki::HierarchyRequest request,
                                                                               const std::string& hsm_token,
                                                                               const std::string& actor) {
    if (request.public_base_url.empty()) request.public_base_url = m_config.public_base_url;
    if (request.organization.empty()) request.organization = m_config.organization;
    if (!hsm_token.empty()) {
        // Both CA keys generated on the HSM token; only their references are stored.
        auto store = keys().token(hsm_token);
        if (!store) return std::unexpected(store.error());
        auto root = (*store)->generate_key(request.algorithm, request.name + "-root");
        if (!root) return std::unexpected(root.error());
        auto issuing = (*store)->generate_key(request.algorithm, request.name);
        if (!issuing) return std::unexpected(issuing.error());
        auto made = pki::make_hierarchy(request, *root->signer, *issuing->signer, *m_store, m_clock);
        if (!made) return std::unexpected(made.error());
        made->root.record.key_ref = root->key_ref;
        made->issuing.record.key_ref = issuing->key_ref;
        return store_hierarchy(std::move(*made), actor);
    }
    auto root_key = crypto::SoftKey::generate(request.algorithm);
    if (!root_key) return std::unexpected(root_key.error());
    auto issuing_key = crypto::SoftKey::generate(request.algorithm);
    if (!issuing_key) return std::unexpected(issuing_key.error());
    auto made = pki::make_hierarchy(request, *root_key, *issuing_key, *m_store, m_clock);
    if (!made) return std::unexpected(made.error());
    auto pass = passphrase(true);
    if (!pass) return std::unexpected(pass.error());
    if (auto r = make_private_dir(m_home / "keys"); !r) return std::unexpected(r.error());

    // Keys first, then the records: a record never points at a key that is not on disk. If
    // storing fails, the keys written for it are removed again.
    std::vector<fs::path> written;
    const auto cleanup = [&] {
        for (const auto& f : written) fs::remove(f);
    };
    for (auto [ca, key] : {std::pair{&made->root, &*root_key}, std::pair{&made->issuing, &*issuing_key}}) {
        const auto rel = fs::path("keys") / (ca->record.name + ".key.pem");
        if (auto r = key->save(m_home / rel, *pass); !r) {
            cleanup();
            return std::unexpected(r.error());
        }
        written.push_back(m_home / rel);
        ca->record.key_ref = "file:" + rel.string();
    }
    auto stored = store_hierarchy(std::move(*made), actor);
    if (!stored) cleanup();
    return stored;
}

core::Result<std::pair<pki::CaRecord, pki::CaRecord>> Platform::store_hierarchy(pki::NewHierarchy made,
                                                                                const std::string& actor) {
    for (pki::NewCa* ca : {&made.root, &made.issuing}) {
        const std::string detail = "{\"algorithm\":\"" + std::string(crypto::to_string(ca->record.algorithm)) +
                                   "\",\"serial\":\"" + ca->record.serial + "\"}";
        auto stored = m_store->add_ca(ca->record, ca->certificate,
                                      core::AuditEvent{m_clock.now(), actor, "ca.init", "ca:" + ca->record.name, detail});
        if (!stored) return std::unexpected(stored.error());
        spdlog::info("created CA {} ({}), serial {}, key {}", ca->record.name, ca->record.subject, ca->record.serial,
                     ca->record.key_ref);
    }
    return std::pair{made.root.record, made.issuing.record};
}

namespace {

// Token enrollment revokes through the CA's revocation path (audited, CRL and OCSP see it).
class StoreRevoker final : public token::CertificateRevoker {
public:
    StoreRevoker(store::SqliteStore& store, const core::Clock& clock) : m_store(&store), m_clock(&clock) {}
    core::Result<void> revoke(const std::string& serial, const std::string& reason, const std::string& actor) override {
        auto r = pki::parse_revocation_reason(reason);
        if (!r) return core::fail(core::Errc::invalid_input, "revocation.reason", "unknown reason " + reason);
        auto done = pki::revoke_certificate(*m_store, *m_store, {serial, *r, m_clock->now(), std::nullopt}, actor, *m_clock);
        if (!done) return std::unexpected(done.error());
        return {};
    }

private:
    store::SqliteStore* m_store;
    const core::Clock* m_clock;
};

}  // namespace

core::Result<std::unique_ptr<token::UkeyService>> Platform::ukey_service(const std::string& driver,
                                                                          const std::string& module) {
    auto pass = passphrase(true);
    if (!pass) return std::unexpected(pass.error());
    if (!m_revoker) m_revoker = std::make_unique<StoreRevoker>(*m_store, m_clock);
    if (driver == "skf") {
        auto lib = token::SkfLibrary::load(module);
        if (!lib) return std::unexpected(lib.error());
        auto options = token::skf_options_from_environment();
        if (!options) return std::unexpected(options.error());
        return std::make_unique<token::SkfService>(std::move(*lib), std::move(*options), *m_store, *m_revoker,
                                                   std::move(*pass), m_clock);
    }
    auto loaded = token::Module::load(module);
    if (!loaded) return std::unexpected(loaded.error());
    return std::make_unique<token::Pkcs11Service>(std::move(*loaded), *m_store, *m_revoker, std::move(*pass), m_clock);
}

CompositeKeyStore& Platform::keys() {
    if (!m_keys)
        m_keys = std::make_unique<CompositeKeyStore>(
            std::make_unique<FileKeyStore>(m_home, [this](bool create) { return passphrase(create); }));
    return *m_keys;
}

pki::KeyStore& Platform::key_store() { return keys(); }

server::RevocationSettings Platform::revocation_settings() const {
    server::RevocationSettings s;
    s.crl_period = std::chrono::hours{m_config.crl_period_hours};
    s.ocsp.validity = std::chrono::minutes{m_config.ocsp_validity_minutes};
    if (!m_config.tsa_policy.empty()) s.tsa.policy = m_config.tsa_policy;
    s.tsa.accuracy = std::chrono::milliseconds{m_config.tsa_accuracy_ms};
    s.tsa_ca = m_config.tsa_ca;
    return s;
}

server::HallSettings Platform::hall_settings(const std::string& listen_url) const {
    server::HallSettings s;
    s.public_url = m_config.hall_public_url.empty() ? listen_url : m_config.hall_public_url;
    s.blob_dir = m_home / "blobs";
    s.sandbox_dir = m_home / "sandbox";
    s.upload_limit = static_cast<std::uint64_t>(m_config.hall_upload_limit_mb) * 1024 * 1024;
    s.dev_endpoints = m_config.hall_dev_endpoints;
    s.secure_cookies = m_config.hall_secure_cookies;
    auto in_home = [this](const std::string& f) { return f.empty() ? std::filesystem::path() : m_home / f; };
    s.catalogue_file = in_home(m_config.hall_catalogue);
    s.service_points_file = in_home(m_config.hall_service_points);
    s.calendar_file = in_home(m_config.hall_calendar);
    return s;
}

core::Result<pki::CertificateAuthority> Platform::certificate_authority(std::string_view name) {
    std::optional<pki::CaRecord> record;
    if (name.empty()) {
        auto all = m_store->list_cas();
        if (!all) return std::unexpected(all.error());
        std::vector<pki::CaRecord> issuing;
        for (auto& c : *all)
            if (!c.parent.empty()) issuing.push_back(c);
        if (issuing.empty())
            return core::fail(core::Errc::not_found, "ca.none", "no issuing CA yet: run `eseal ca init` first");
        if (issuing.size() > 1) {
            std::string names;
            for (auto& c : issuing) names += (names.empty() ? "" : ", ") + c.name;
            return core::fail(core::Errc::invalid_input, "ca.ambiguous", "several issuing CAs (" + names + "): choose one with --ca");
        }
        record = issuing.front();
    } else {
        auto found = m_store->find_ca(name);
        if (!found) return std::unexpected(found.error());
        if (!*found) return core::fail(core::Errc::not_found, "ca.unknown", "no CA named " + std::string(name));
        record = **found;
    }
    if (record->parent.empty())
        return core::fail(core::Errc::invalid_input, "ca.is_root",
                          record->name + " is a root CA; it certifies issuing CAs only");
    if (record->key_ref.starts_with(kPkcs11KeyRefPrefix)) {
        auto key = keys().open_key(record->key_ref);
        if (!key) return std::unexpected(key.error());
        return pki::CertificateAuthority::open(std::move(*record), std::move(*key), *m_store, m_clock);
    }
    if (!record->key_ref.starts_with("file:"))
        return core::fail(core::Errc::unsupported, "ca.key_ref", "unsupported key reference " + record->key_ref);
    auto pass = passphrase(false);
    if (!pass) return std::unexpected(pass.error());
    auto key = crypto::SoftKey::load(m_home / record->key_ref.substr(5), *pass);
    if (!key) return std::unexpected(key.error());
    return pki::CertificateAuthority::open(std::move(*record), std::make_unique<crypto::SoftKey>(std::move(*key)),
                                           *m_store, m_clock);
}

}  // namespace eseal::app
