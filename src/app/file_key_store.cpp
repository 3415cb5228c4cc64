#include "app/file_key_store.hpp"

#include "core/bytes.hpp"
#include "crypto/digest.hpp"
#include "crypto/soft_key.hpp"

namespace eseal::app {

namespace fs = std::filesystem;

FileKeyStore::FileKeyStore(fs::path home, Passphrase passphrase)
    : m_home(std::move(home)), m_passphrase(std::move(passphrase)) {}

core::Result<std::unique_ptr<crypto::Signer>> FileKeyStore::open_key(std::string_view key_ref) {
    if (!key_ref.starts_with("file:"))
        return core::fail(core::Errc::unsupported, "key.ref",
                          "unsupported key reference " + std::string(key_ref));
    const fs::path rel(key_ref.substr(5));
    if (rel.is_absolute() || rel.lexically_normal().string().starts_with(".."))
        return core::fail(core::Errc::invalid_input, "key.ref",
                          "a key reference stays inside the home: " + std::string(key_ref));
    auto pass = m_passphrase(false);
    if (!pass)
        return std::unexpected(pass.error());
    auto key = crypto::SoftKey::load(m_home / rel, *pass);
    if (!key)
        return std::unexpected(key.error());
    return std::unique_ptr<crypto::Signer>(std::make_unique<crypto::SoftKey>(std::move(*key)));
}

core::Result<pki::NewKey> FileKeyStore::generate_key(crypto::KeyAlgorithm algorithm,
                                                     std::string_view name) {
    auto key = crypto::SoftKey::generate(algorithm);
    if (!key)
        return std::unexpected(key.error());
    auto pass = m_passphrase(true);
    if (!pass)
        return std::unexpected(pass.error());
    std::error_code ec;
    fs::create_directories(m_home / "keys", ec);
    fs::permissions(m_home / "keys", fs::perms::owner_all, fs::perm_options::replace, ec);
    // Names repeat (a signer is renewed under the same name), so a random suffix keeps files apart.
    const auto rel = fs::path("keys") / (std::string(name) + "." +
                                         core::hex_encode(crypto::random_bytes(4)) + ".key.pem");
    if (auto r = key->save(m_home / rel, *pass); !r)
        return std::unexpected(r.error());
    const std::string ref = "file:" + rel.string();
    return pki::NewKey{ref, std::make_unique<crypto::SoftKey>(std::move(*key))};
}

}  // namespace eseal::app
