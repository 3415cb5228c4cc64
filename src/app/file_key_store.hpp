#pragma once
// pki::KeyStore over encrypted PKCS#8 files in HOME/keys (mode 0600), the CA passphrase
// protecting them all: CA keys (made by `ca init`) and the keys of OCSP responders and TSAs.
// key_ref "file:keys/<name>.key.pem" is relative to the home.
#include <filesystem>
#include <functional>

#include "core/secure_string.hpp"
#include "pki/key_store.hpp"

namespace eseal::app {

class FileKeyStore final : public pki::KeyStore {
  public:
    // create: whether a missing passphrase may be made (it may when a key is made).
    using Passphrase = std::function<core::Result<core::SecureString>(bool create)>;
    FileKeyStore(std::filesystem::path home, Passphrase passphrase);

    [[nodiscard]] core::Result<std::unique_ptr<crypto::Signer>> open_key(
        std::string_view key_ref) override;
    [[nodiscard]] core::Result<pki::NewKey> generate_key(crypto::KeyAlgorithm algorithm,
                                                         std::string_view name) override;

  private:
    std::filesystem::path m_home;
    Passphrase m_passphrase;
};

}  // namespace eseal::app
