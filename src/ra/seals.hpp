#pragma once
// Seal management (guide §2; issue 8 item 4; docs/seals.md): an organization's seal admin
// requests seals by type, suspends, resumes and revokes them, names the people who may use them,
// and reads the log of every use. The SESeal (GB/T 38540-2020) is made by the platform's seal
// maker and re-made when a Ukey is bound (seal_binding.hpp).
//
// Who is a seal admin: an applicant account that holds an application for the organization's
// credit code which the CA carried to issuance (issued, shipped or delivered: the CA has checked
// the handler behind that account), while the organization holds a valid, unexpired organization
// certificate from this CA. Anyone else asking about a seal is told it does not exist.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/signer.hpp"
#include "pki/ports.hpp"
#include "ra/actor.hpp"
#include "ra/application.hpp"
#include "ra/ports.hpp"
#include "ra/seal_ports.hpp"

namespace eseal::ra {

// The platform's seal maker (制章者): an org certificate of the platform operator and its key.
struct SealMaker {
    std::unique_ptr<crypto::Signer> key;
    core::Bytes certificate;  // DER
};

struct SealDraft {
    std::string credit_code;  // the organization
    std::string kind;         // official | finance | invoice | contract | legal-rep
    std::string name;      // default: the organization's name (legal-rep: required, the person's)
    std::string code;      // optional 13-digit seal code (round seals)
    std::string taxpayer;  // invoice seal: default the credit code
    std::optional<core::TimePoint> valid_end;  // default and upper bound: the org certificate's end
    core::Bytes scan;  // a scan of the physical seal (PNG/JPEG) instead of a drawn picture
    double scan_width_mm = 0;
};

// What makes an account a seal admin of an organization.
struct SealAdmin {
    std::string credit_code;
    std::string organization;            // as in the organization certificate
    pki::CertificateRecord certificate;  // the organization certificate
    Person handler;                      // from the issued application: who is face-checked
};

// valid_end passed → expired (whatever is stored, but revoked stays revoked).
[[nodiscard]] SealStatus effective_status(const SealRecord& s, core::TimePoint now) noexcept;

class SealService {
  public:
    SealService(SealRepository& seals, ApplicationRepository& applications,
                pki::CertificateRepository& certificates, const core::Clock& clock)
        : m_seals(seals),
          m_applications(applications),
          m_certificates(certificates),
          m_clock(clock) {}

    // Without a maker, requests fail with unsupported "seal.maker_missing".
    void set_maker(SealMaker maker);

    [[nodiscard]] core::Result<SealAdmin> admin_of(const Actor& actor,
                                                   const std::string& credit_code);
    // Makes the seal (no Ukey bound yet), active. Every problem with the draft at once.
    [[nodiscard]] core::Result<SealRecord> request(const Actor& actor, const SealDraft& draft);
    // The seals of every organization the actor administers.
    [[nodiscard]] core::Result<std::vector<SealRecord>> list(const Actor& actor);
    // The seal, for its admin or a person authorized to use it.
    [[nodiscard]] core::Result<SealRecord> get(const Actor& actor, const std::string& id);
    // The seal, for its organization's admin only (not_found for anyone else).
    [[nodiscard]] core::Result<SealRecord> managed(const Actor& actor, const std::string& id);

    // Lifecycle: active ⇄ suspended, either → revoked (final); expired by time. An illegal move is
    // conflict with the reason ("seal.not_active", "seal.not_suspended", "seal.revoked",
    // "seal.expired").
    [[nodiscard]] core::Result<SealRecord> suspend(const Actor& actor, const std::string& id,
                                                   const std::string& reason);
    [[nodiscard]] core::Result<SealRecord> resume(const Actor& actor, const std::string& id);
    [[nodiscard]] core::Result<SealRecord> revoke(const Actor& actor, const std::string& id,
                                                  const std::string& reason);

    [[nodiscard]] core::Result<SealAuthorization> authorize(const Actor& actor,
                                                            const std::string& id,
                                                            const std::string& person_name,
                                                            const std::string& phone);
    [[nodiscard]] core::Result<void> withdraw(const Actor& actor, const std::string& id,
                                              std::int64_t authorization);
    [[nodiscard]] core::Result<std::vector<SealAuthorization>> authorizations(
        const Actor& actor, const std::string& id);

    // One use of the seal (the document-sealing work calls this): by its admin or an authorized
    // person, with a certificate bound to the seal, while the seal is active.
    [[nodiscard]] core::Result<SealUse> record_use(const Actor& actor, const std::string& id,
                                                   const std::string& document_sha256,
                                                   const std::string& document_name,
                                                   const std::string& certificate_serial);
    // A use the server proved from the signed document: `signer_certificate` (DER) made a valid
    // signature in it (the caller verified the document) and must be one the seal binds; the
    // hash is the server's of the uploaded file. Recorded with verified = true; same checks.
    [[nodiscard]] core::Result<SealUse> record_verified_use(const Actor& actor,
                                                            const std::string& id,
                                                            const std::string& document_sha256,
                                                            const std::string& document_name,
                                                            core::ByteView signer_certificate);
    [[nodiscard]] core::Result<std::vector<SealUse>> uses(const Actor& actor, const std::string& id,
                                                          std::size_t limit);
    // The CA certificates (DER) this platform trusts: the anchors for checking signed documents.
    [[nodiscard]] core::Result<std::vector<core::Bytes>> trusted_cas();

    // Re-makes the seal with `certificate` added to its certList (same esID, picture, type, name
    // and validity; a new createDate and maker signature) and stores it. For SealBindingService.
    [[nodiscard]] core::Result<SealRecord> bind_certificate(
        const Actor& actor, SealRecord seal, const pki::CertificateRecord& certificate,
        const std::string& evidence_json);

  private:
    [[nodiscard]] core::Result<SealUse> add_use(const Actor& actor, const std::string& id,
                                                const std::string& document_sha256,
                                                const std::string& document_name,
                                                const std::string& certificate_serial,
                                                bool verified);
    [[nodiscard]] core::Result<SealRecord> move(const Actor& actor, const std::string& id,
                                                SealStatus to, const std::string& reason);
    [[nodiscard]] core::Result<SealRecord> update(const Actor& actor, SealRecord s,
                                                  const std::string& action,
                                                  const std::string& detail_json);

    SealRepository& m_seals;
    ApplicationRepository& m_applications;
    pki::CertificateRepository& m_certificates;
    const core::Clock& m_clock;
    std::mutex m_maker_mutex;  // a token signer is not shared between threads
    std::optional<SealMaker> m_maker;
};

}  // namespace eseal::ra
