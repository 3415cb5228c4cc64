#pragma once
// Certificates as CA staff find and revoke them outside an application (issue 9): search by serial,
// credit code or subject; and the CA operator's direct revocation — a court order, a key
// compromise reported by phone — through the same pki / store path as the revoke business
// (pki::RevocationRepository::revoke: the certificate row, the journal the CRL and OCSP responders
// follow, and the audit event, in one transaction).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/algorithm.hpp"
#include "pki/ports.hpp"
#include "pki/revocation.hpp"
#include "ra/actor.hpp"
#include "ra/console_ports.hpp"

namespace eseal::ra {

inline constexpr std::size_t kCertificatePageMax = 200;
inline constexpr std::size_t kRevocationNoteMax = 500;  // characters (UTF-8 code points)

enum class CertificateState { good, revoked, expired };
[[nodiscard]] std::string_view to_string(CertificateState s) noexcept;

struct CertificateView {
    pki::CertificateRecord record;
    std::optional<crypto::KeyAlgorithm> algorithm;  // of the certified key, if eseal knows it
    CertificateState state = CertificateState::good;
    std::string application_id;  // the application it was issued for, if any
};

// The serial as stored (lowercase hex, no colons, no leading zeros), if the text can be one:
// "5F:3A:0B", "5f3a0b", "005f3a0b" all give "5f3a0b".
[[nodiscard]] std::optional<std::string> normalize_serial(std::string_view text);

struct CertificateDeskDeps {
    pki::CertificateRepository& certificates;
    pki::RevocationRepository& revocations;
    CertificateSearch& search;
    const core::Clock& clock;
};

class CertificateDesk {
  public:
    explicit CertificateDesk(CertificateDeskDeps deps) : m(deps) {}

    // Duty read. `q` is a serial (any case, colons allowed), a credit code, or subject text.
    [[nodiscard]] core::Result<std::vector<CertificateView>> search(const Actor& actor, const std::string& q,
                                                                    std::size_t limit);
    // Duty revoke (CA operator). not_found "certificate.not_found"; invalid_input "request.invalid"
    // with a problem at "reason" (not an RFC 5280 reason eseal gives) and at "note" (empty or over
    // kRevocationNoteMax), both at once; conflict "certificate.already_revoked". The audit event
    // "certificate.revoke" carries the reason and the note.
    [[nodiscard]] core::Result<CertificateView> revoke(const Actor& actor, const std::string& serial,
                                                       const std::string& reason, const std::string& note);

  private:
    [[nodiscard]] CertificateView view(pki::CertificateRecord record, std::string application_id) const;

    CertificateDeskDeps m;
};

}  // namespace eseal::ra
