#pragma once
// A USB key (Ukey) driver as the CA uses it, whatever the key speaks: PKCS#11 (Pkcs11Service) or
// GM/T 0016 SKF (SkfService). The CLI and, later, the issuance desk work through this.
#include <memory>
#include <string>
#include <vector>

#include "crypto/signer.hpp"
#include "core/secure_string.hpp"
#include "pki/authority.hpp"
#include "token/ports.hpp"

namespace eseal::token {

struct EnrollRequest {
    std::string token_serial;        // a token in stock; empty: initialize a blank one
    std::string label = "eseal Ukey";
    crypto::KeyAlgorithm algorithm = crypto::KeyAlgorithm::ecdsa_p256;
    pki::IssueRequest issue;         // profile, years, subject (the CSR is made on the token)
    int pin_digits = 8;              // 6 to 8
};

struct Enrolled {
    TokenRecord token;
    pki::CertificateRecord certificate;
    std::string key_id;              // CKA_ID (hex) or SKF container name
    core::SecureString user_pin;     // shown once, for SMS delivery; never stored or logged
};

struct PresentToken {
    std::string serial;              // empty for a PKCS#11 slot whose token is not initialized
    std::string label;
    bool blank = false;              // not initialized for eseal yet
    bool pin_locked = false;
    std::string detail;              // slot, manufacturer, model
};

// What is on a token, for `eseal token show`.
struct TokenObject {
    std::string kind;   // "private key", "public key", "certificate", "container", ...
    std::string label;
    core::Bytes id;
    std::string key_type;  // "EC", "RSA", "SM2" for keys
    std::optional<bool> sensitive;
    std::optional<bool> extractable;
    std::optional<bool> is_private;
    core::Bytes value;  // the certificate's DER, for certificates
};

class UkeyService {
public:
    virtual ~UkeyService() = default;
    [[nodiscard]] virtual std::string_view driver() const = 0;  // "pkcs11", "skf"
    [[nodiscard]] virtual core::Result<std::vector<PresentToken>> present() = 0;
    // Initializes a blank token into inventory: random SO / admin PIN kept sealed by the CA.
    [[nodiscard]] virtual core::Result<TokenRecord> init_blank(const std::string& label, const std::string& actor) = 0;
    // Sets a random user PIN, generates the key pair on the token, has the CA certify it, writes
    // the certificate beside the key and reads it back. On failure the token is cleaned (and
    // marked failed if a certificate had been issued, which is then revoked).
    [[nodiscard]] virtual core::Result<Enrolled> enroll(const pki::CertificateAuthority& ca,
                                                        const EnrollRequest& request) = 0;
    // The SO / admin PIN resets the user PIN to a new random one, returned once.
    [[nodiscard]] virtual core::Result<core::SecureString> unlock(const std::string& serial, int pin_digits,
                                                                  const std::string& actor) = 0;
    [[nodiscard]] virtual core::Result<void> change_pin(const std::string& serial, const core::SecureString& old_pin,
                                                        const core::SecureString& new_pin, const std::string& actor) = 0;
    // Erases what eseal put on the token; refuses while a certificate on it is still valid.
    [[nodiscard]] virtual core::Result<void> wipe(const std::string& serial, TokenState then,
                                                  pki::CertificateRepository& certs, const std::string& actor) = 0;
    // Objects on the token; private ones only with the PIN.
    [[nodiscard]] virtual core::Result<std::vector<TokenObject>> objects(const std::string& serial,
                                                                         const core::SecureString* pin) = 0;
    // A signer over the key `key_id`, logged in with the PIN.
    [[nodiscard]] virtual core::Result<std::unique_ptr<crypto::Signer>> signer(const std::string& serial,
                                                                               const std::string& key_id,
                                                                               const core::SecureString& pin) = 0;
};

// Shared by the drivers: a new user PIN must be 6 to 8 digits.
[[nodiscard]] core::Result<void> check_new_pin(const core::SecureString& pin);
// Refuses while a certificate recorded on the token is valid and unexpired.
[[nodiscard]] core::Result<void> check_no_valid_certificate(const TokenRecord& token, pki::CertificateRepository& certs,
                                                            core::TimePoint now);

}  // namespace eseal::token
