#pragma once
// The client's half of a Ukey binding (seal_binding.hpp; guide §7.6), as `eseal ukey bind` does
// it: open the Ukey, log in with the user PIN (a wrong PIN stops here, before anything is sent to
// the server), find its certificate and the key beside it, and later sign the server's binding
// message with that key on the token.
#include <filesystem>
#include <memory>
#include <string>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "core/secure_string.hpp"
#include "crypto/signer.hpp"
#include "token/skf_service.hpp"

namespace eseal::ra {

struct OpenUkey {
    std::unique_ptr<crypto::Signer> signer;  // the key on the token, logged in
    core::Bytes certificate;                 // DER, read from the token
    std::string key_id;                      // CKA_ID, hex
};

// PKCS#11: the token with this serial in `module`; the certificate with `key_id` (hex CKA_ID), or
// the only certificate on the token when key_id is empty. Errors: the module's and the token's
// (token.pin_incorrect, token.pin_locked, ...), not_found "ukey.no_certificate", invalid_input
// "ukey.several_certificates" (give key_id).
[[nodiscard]] core::Result<OpenUkey> open_pkcs11_ukey(const std::filesystem::path& module,
                                                      const std::string& serial,
                                                      const core::SecureString& pin,
                                                      const std::string& key_id = {});

// GM/T 0016 SKF: the device with this serial through `library` (device authentication key from
// $ESEAL_SKF_DEVAUTH_KEY, as token/skf_service.hpp reads it); key_id is the container name. The
// same errors (the token's for a wrong or locked PIN).
[[nodiscard]] core::Result<OpenUkey> open_skf_ukey(const std::filesystem::path& library,
                                                   const std::string& serial,
                                                   const core::SecureString& pin,
                                                   const std::string& key_id = {});

// GM/T 0016 on the customer's machine (`ukey bind`, `ukey agent`): an SkfService over `library`
// (device authentication key from $ESEAL_SKF_DEVAUTH_KEY) with no inventory behind it. It reads
// tokens and signs with them; anything that would change the CA's records is refused
// ("ukey.client_only").
class ClientSkf {
  public:
    [[nodiscard]] static core::Result<std::unique_ptr<ClientSkf>> open(const std::filesystem::path& library);
    ~ClientSkf();
    ClientSkf(const ClientSkf&) = delete;
    ClientSkf& operator=(const ClientSkf&) = delete;
    [[nodiscard]] token::SkfService& service() noexcept;

  private:
    struct Parts;
    explicit ClientSkf(std::unique_ptr<Parts> parts);
    std::unique_ptr<Parts> m;
};

}  // namespace eseal::ra
