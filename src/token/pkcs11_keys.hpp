#pragma once
// What the CA does to a PKCS#11 token: initialize it, set PINs, generate a key pair on it, write
// the certificate beside the key, list what is on it.
#include <mutex>
#include <string>
#include <vector>

#include "crypto/algorithm.hpp"
#include "crypto/signer.hpp"
#include "token/pkcs11.hpp"
#include "token/ukey_service.hpp"

namespace eseal::token {

// C_InitToken: erases the token and sets its SO PIN and label (PKCS #11 §5.4). The token's slot
// may change afterwards (SoftHSM2 moves it): look it up again by serial.
[[nodiscard]] core::Result<void> init_token(Module& module, CK_SLOT_ID slot, const core::SecureString& so_pin,
                                            const std::string& label);
// C_InitPIN in a session where the SO is logged in: sets (or resets, to unlock) the user PIN.
[[nodiscard]] core::Result<void> init_user_pin(Session& so_session, const core::SecureString& pin);
// C_SetPIN in a session where the user is logged in.
[[nodiscard]] core::Result<void> change_pin(Session& session, const core::SecureString& old_pin,
                                            const core::SecureString& new_pin);

struct KeyPair {
    CK_OBJECT_HANDLE public_key = 0;
    CK_OBJECT_HANDLE private_key = 0;
    core::Bytes id;  // CKA_ID shared by the keys and, later, the certificate
};

// Generates the key pair on the token: the private key is CKA_SENSITIVE, not CKA_EXTRACTABLE,
// CKA_PRIVATE, and may only sign. ECDSA P-256 and RSA-2048/3072 (SoftHSM2 has no SM2; SM2
// Ukeys go through the SKF driver).
[[nodiscard]] core::Result<KeyPair> generate_key_pair(Session& session, crypto::KeyAlgorithm alg,
                                                      const std::string& label, const core::Bytes& id);
// DER SubjectPublicKeyInfo of a public key object (EC point or RSA modulus/exponent).
[[nodiscard]] core::Result<core::Bytes> public_key_info(Session& session, CK_OBJECT_HANDLE public_key);
// The key objects with this CKA_ID.
[[nodiscard]] core::Result<KeyPair> find_key_pair(Session& session, const core::Bytes& id);

// A certificate object (CKO_CERTIFICATE, CKC_X_509) with the key's CKA_ID, so that PKCS#11
// clients pair them (PKCS #11 §4.6.3).
[[nodiscard]] core::Result<CK_OBJECT_HANDLE> write_certificate(Session& session, core::ByteView der,
                                                               const core::Bytes& id, const std::string& label);
// Removes every object with this CKA_ID (keys and certificate): to undo a failed enrollment.
[[nodiscard]] core::Result<std::size_t> destroy_objects(Session& session, const core::Bytes& id);

// Every object the session can see (public objects, and private ones once logged in).
[[nodiscard]] core::Result<std::vector<TokenObject>> list_objects(Session& session);

// Signs with a private key on the token (crypto::Signer): the key never leaves it. Thread-safe
// (a PKCS#11 session is not: one signature at a time). ECDSA via CKM_ECDSA over a SHA-256
// digest, the raw r||s turned into DER; RSA via CKM_SHA256_RSA_PKCS.
class Pkcs11Signer final : public crypto::Signer {
public:
    [[nodiscard]] static core::Result<std::unique_ptr<Pkcs11Signer>> open(Session session, const core::Bytes& id);

    [[nodiscard]] crypto::SignatureAlgorithm algorithm() const override { return m_algorithm; }
    [[nodiscard]] core::Bytes public_key() const override { return m_public_key; }
    [[nodiscard]] core::Result<core::Bytes> sign(core::ByteView message) const override;

private:
    Pkcs11Signer(Session session, CK_OBJECT_HANDLE key, crypto::SignatureAlgorithm alg, core::Bytes spki)
        : m_session(std::move(session)), m_key(key), m_algorithm(alg), m_public_key(std::move(spki)) {}
    mutable std::mutex m_mutex;
    mutable Session m_session;
    CK_OBJECT_HANDLE m_key;
    crypto::SignatureAlgorithm m_algorithm;
    core::Bytes m_public_key;
};

}  // namespace eseal::token
