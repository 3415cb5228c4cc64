#pragma once
// What the token work needs from storage and from the CA, declared here and implemented in
// store/ and app/ (STYLE: the consumer defines the interface).
#include <optional>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace eseal::token {

// A token's life: in_stock (blank, in inventory) → active (key and certificate on it) →
// locked (user PIN blocked) → active again after unlock; lost, retired; failed (an enrollment
// that did not finish: wipe it before reuse).
enum class TokenState { in_stock, active, locked, lost, retired, failed };
[[nodiscard]] std::string_view to_string(TokenState s) noexcept;
[[nodiscard]] std::optional<TokenState> parse_token_state(std::string_view s) noexcept;

struct TokenCertificate {
    std::string certificate_serial;
    std::string key_id;             // CKA_ID in hex, or the SKF container name
    core::TimePoint written_at{};
};

struct TokenRecord {
    std::string serial;             // the token's own serial number
    std::string driver;             // "pkcs11" or "skf"
    std::string module;             // library path
    std::string label;
    TokenState state = TokenState::in_stock;
    core::Bytes so_pin_sealed;      // crypto::seal'ed SO / admin PIN; never in clear
    core::TimePoint created_at{};
    core::TimePoint updated_at{};
    std::vector<TokenCertificate> certificates;  // filled by reads
};

class TokenRepository {
public:
    virtual ~TokenRepository() = default;
    // already_exists if the serial is known.
    [[nodiscard]] virtual core::Result<void> add_token(const TokenRecord& token, const core::AuditEvent& event) = 0;
    // Writes label, state, so_pin_sealed and updated_at; not_found if unknown.
    [[nodiscard]] virtual core::Result<void> update_token(const TokenRecord& token, const core::AuditEvent& event) = 0;
    // Records a certificate written to the token and sets the token's state, in one transaction.
    [[nodiscard]] virtual core::Result<void> link_certificate(const std::string& token_serial, const TokenCertificate& c,
                                                              TokenState state, core::TimePoint at,
                                                              const core::AuditEvent& event) = 0;
    [[nodiscard]] virtual core::Result<std::optional<TokenRecord>> find_token(std::string_view serial) = 0;
    [[nodiscard]] virtual core::Result<std::vector<TokenRecord>> list_tokens(std::optional<TokenState> state) = 0;
};

// Revokes a certificate: used when an enrollment fails after issuance, so that no certificate
// stays valid for a key that is not on a token.
class CertificateRevoker {
public:
    virtual ~CertificateRevoker() = default;
    [[nodiscard]] virtual core::Result<void> revoke(const std::string& serial, const std::string& reason,
                                                    const std::string& actor) = 0;
};

}  // namespace eseal::token
