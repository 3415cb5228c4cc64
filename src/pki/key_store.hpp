#pragma once
// Where the keys of CAs and of their delegated signers (OCSP responder, TSA) live, as the CA
// services need it: open a key by its reference, make a new one. The composition root implements
// it (encrypted PKCS#8 files today, an HSM later); pki only ever sees a crypto::Signer.
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "crypto/algorithm.hpp"
#include "crypto/signer.hpp"

namespace eseal::pki {

struct NewKey {
    std::string key_ref;  // what to store (CaRecord::key_ref syntax: "file:keys/...")
    std::unique_ptr<crypto::Signer> signer;
};

class KeyStore {
  public:
    virtual ~KeyStore() = default;
    [[nodiscard]] virtual core::Result<std::unique_ptr<crypto::Signer>> open_key(
        std::string_view key_ref) = 0;
    // A new key pair named for what it is for ("gm.ocsp"); the name need not be unique.
    [[nodiscard]] virtual core::Result<NewKey> generate_key(crypto::KeyAlgorithm algorithm,
                                                            std::string_view name) = 0;
};

}  // namespace eseal::pki
