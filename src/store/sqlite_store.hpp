#pragma once
// The CA's storage on SQLite (DESIGN §6: the embedded default, one file, WAL, synchronous=FULL).
// Writes go through one group-committing writer connection; reads use their own connection,
// so a reader never waits behind a commit's disk sync (WAL readers see the last commit).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "core/error.hpp"
#include "pki/ports.hpp"
#include "ra/console_ports.hpp"
#include "ra/desk_ports.hpp"
#include "ra/ports.hpp"
#include "ra/seal_ports.hpp"
#include "ra/staff_ports.hpp"
#include "store/audit_log.hpp"
#include "store/database.hpp"
#include "store/group_commit.hpp"
#include "token/ports.hpp"
#include "pki/revocation.hpp"
#include "pki/service_signer.hpp"

namespace eseal::store {

class SqliteStore final : public pki::CertificateRepository, public token::TokenRepository,
                          public pki::RevocationRepository, public pki::ServiceSignerRepository,
                          public ra::AccountRepository, public ra::ApplicationRepository,
                          public ra::IdentityRepository, public ra::PaymentRepository,
                          public ra::StaffRepository,
                          public ra::DeskRepository, public ra::InvoiceRepository,
                          public ra::SealRepository,
                          public ra::AuditRepository, public ra::CertificateSearch {
  public:
    // Creates the file and its parent directory if needed and applies pending migrations.
    [[nodiscard]] static core::Result<std::unique_ptr<SqliteStore>> open(
        const std::filesystem::path& file);

    ~SqliteStore() override = default;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;
    SqliteStore(SqliteStore&&) = delete;
    SqliteStore& operator=(SqliteStore&&) = delete;

    [[nodiscard]] core::Result<void> add_ca(const pki::CaRecord& ca,
                                            const pki::CertificateRecord& certificate,
                                            const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<std::optional<pki::CaRecord>> find_ca(
        std::string_view name) override;
    [[nodiscard]] core::Result<std::vector<pki::CaRecord>> list_cas() override;

    [[nodiscard]] core::Result<void> add_certificate(const pki::CertificateRecord& certificate,
                                                     const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<bool> serial_exists(std::string_view serial) override;
    [[nodiscard]] core::Result<std::optional<pki::CertificateRecord>> find_by_key(
        std::string_view key_sha256) override;
    [[nodiscard]] core::Result<std::optional<pki::CertificateRecord>> find_certificate(
        std::string_view serial) override;
    [[nodiscard]] core::Result<std::vector<pki::CertificateRecord>> find_certificates(
        const pki::CertificateQuery& q) override;

    [[nodiscard]] core::Result<void> add_token(const token::TokenRecord& token,
                                               const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<void> update_token(const token::TokenRecord& token,
                                                  const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<void> link_certificate(const std::string& token_serial,
                                                      const token::TokenCertificate& c,
                                                      token::TokenState state, core::TimePoint at,
                                                      const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<std::optional<token::TokenRecord>> find_token(
        std::string_view serial) override;
    [[nodiscard]] core::Result<std::vector<token::TokenRecord>> list_tokens(
        std::optional<token::TokenState> state) override;

    // Revocation, CRLs and service signers (sqlite_store_revocation.cpp).
    [[nodiscard]] core::Result<pki::CertificateRecord> revoke(const pki::RevocationRequest& request,
                                                              const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<pki::RevokedList> revoked_by(std::string_view ca) override;
    [[nodiscard]] core::Result<std::int64_t> last_revocation_seq(std::string_view ca) override;
    [[nodiscard]] core::Result<std::vector<pki::RevocationChange>> revocations_after(
        std::int64_t seq, std::size_t limit) override;
    [[nodiscard]] core::Result<std::optional<pki::CrlRecord>> latest_crl(std::string_view ca,
                                                                         bool with_der) override;
    [[nodiscard]] core::Result<void> store_crl(const pki::CrlRecord& crl,
                                               const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<void> add_service_signer(const pki::CertificateRecord& certificate,
                                                        const pki::ServiceSignerRecord& signer,
                                                        const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<std::vector<pki::ServiceSignerRecord>> service_signers(
        std::string_view ca, pki::ServicePurpose purpose) override;

    // The business (sqlite_store_ra.cpp). Every write that takes an ra::ApplicationChange writes
    // its timeline lines, outbox messages and audit event in the same transaction as the change.
    [[nodiscard]] core::Result<ra::Account> account_for_phone(
        const std::string& phone, core::TimePoint now, const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<std::optional<ra::Account>> find_account(std::int64_t id) override;
    [[nodiscard]] core::Result<void> add_login_code(const ra::LoginCode& code) override;
    [[nodiscard]] core::Result<std::optional<ra::LoginCode>> latest_login_code(
        const std::string& phone) override;
    [[nodiscard]] core::Result<void> update_login_code(std::int64_t id, int attempts,
                                                       bool used) override;
    [[nodiscard]] core::Result<int> login_codes_since(const std::string& phone,
                                                      const std::string& client,
                                                      core::TimePoint since,
                                                      int& by_client) override;
    [[nodiscard]] core::Result<void> add_session(const ra::Session& s) override;
    [[nodiscard]] core::Result<std::optional<ra::Session>> find_session(
        const std::string& token_hash) override;
    [[nodiscard]] core::Result<void> delete_session(const std::string& token_hash) override;
    [[nodiscard]] core::Result<void> add_consents(const std::vector<ra::Consent>& consents,
                                                  const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<std::vector<ra::Consent>> consents_of(
        std::int64_t account_id) override;

    [[nodiscard]] core::Result<void> add_application(const ra::Application& a,
                                                     const ra::ApplicationChange& change) override;
    [[nodiscard]] core::Result<void> update_application(
        const ra::Application& a, const ra::ApplicationChange& change) override;
    [[nodiscard]] core::Result<std::optional<ra::Application>> find_application(
        const std::string& id) override;
    [[nodiscard]] core::Result<std::vector<ra::Application>> find_applications(
        const ra::ApplicationQuery& q) override;
    [[nodiscard]] core::Result<std::vector<ra::TimelineEntry>> timeline(
        const std::string& application_id) override;
    [[nodiscard]] core::Result<void> put_material(const ra::Material& m,
                                                  const ra::ApplicationChange& change) override;
    [[nodiscard]] core::Result<void> delete_material(const std::string& application_id,
                                                     ra::MaterialKind kind,
                                                     const ra::ApplicationChange& change) override;
    [[nodiscard]] core::Result<std::vector<ra::Material>> materials(
        const std::string& application_id) override;
    [[nodiscard]] core::Result<std::vector<ra::OutboxMessage>> unsent_messages(
        std::size_t limit) override;
    [[nodiscard]] core::Result<void> mark_message(const ra::OutboxMessage& m) override;

    [[nodiscard]] core::Result<void> add_check(const ra::IdentityCheck& c,
                                               const ra::ApplicationChange& change) override;
    [[nodiscard]] core::Result<bool> finish_check(const ra::IdentityCheck& c,
                                                  const ra::ApplicationChange& change) override;
    [[nodiscard]] core::Result<std::optional<ra::IdentityCheck>> find_check(
        const std::string& id) override;
    [[nodiscard]] core::Result<std::optional<ra::IdentityCheck>> find_check_by_ref(
        const std::string& provider, const std::string& provider_ref) override;
    [[nodiscard]] core::Result<std::vector<ra::IdentityCheck>> checks_of(
        const std::string& application_id) override;

    [[nodiscard]] core::Result<void> add_payment(const ra::Payment& p,
                                                 const ra::ApplicationChange& change) override;
    [[nodiscard]] core::Result<void> update_payment(const ra::Payment& p,
                                                    const std::optional<ra::Application>& a,
                                                    const ra::ApplicationChange& change) override;
    [[nodiscard]] core::Result<std::optional<ra::Payment>> find_payment(
        const std::string& order_no) override;
    [[nodiscard]] core::Result<std::vector<ra::Payment>> payments_of(
        const std::string& application_id) override;

    // CA staff (sqlite_store_staff.cpp).
    [[nodiscard]] core::Result<ra::StaffAccount> add_staff(const ra::StaffAccount& a,
                                                           const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<std::optional<ra::StaffAccount>> find_staff(std::int64_t id) override;
    [[nodiscard]] core::Result<std::optional<ra::StaffAccount>> find_staff_by_login(
        const std::string& login) override;
    [[nodiscard]] core::Result<std::vector<ra::StaffAccount>> list_staff() override;
    [[nodiscard]] core::Result<void> update_staff_login_state(
        std::int64_t id, int failed_attempts, std::optional<core::TimePoint> locked_until,
        const std::optional<core::AuditEvent>& event) override;
    [[nodiscard]] core::Result<void> add_staff_session(const ra::StaffSession& s,
                                                       const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<std::optional<ra::StaffSession>> find_staff_session(
        const std::string& token_hash) override;
    [[nodiscard]] core::Result<void> delete_staff_session(const std::string& token_hash) override;

    // The CA's side of applications (sqlite_store_desk.cpp; issue 7).
    [[nodiscard]] core::Result<std::optional<ra::DeskRecord>> find_desk(
        const std::string& application_id) override;
    [[nodiscard]] core::Result<void> save_desk(const std::optional<ra::Application>& a,
                                               const ra::DeskRecord& desk,
                                               const std::vector<ra::Material>& materials,
                                               const ra::ApplicationChange& change) override;
    [[nodiscard]] core::Result<std::int64_t> reserve_invoice(const ra::Invoice& invoice) override;
    [[nodiscard]] core::Result<void> finish_invoice(std::int64_t number, const std::string& blob,
                                                    const ra::ApplicationChange& change) override;
    [[nodiscard]] core::Result<std::optional<ra::Invoice>> find_invoice(std::int64_t number) override;
    [[nodiscard]] core::Result<std::vector<ra::Invoice>> invoices_of(
        const std::string& application_id) override;

    // ---- seal management (sqlite_store_seals.cpp; issue 8) ----
    [[nodiscard]] core::Result<void> add_seal(const ra::SealRecord& s, const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<void> update_seal(const ra::SealRecord& s, const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<std::optional<ra::SealRecord>> find_seal(const std::string& id) override;
    [[nodiscard]] core::Result<std::vector<ra::SealRecord>> seals_of(const std::string& credit_code) override;
    [[nodiscard]] core::Result<ra::SealAuthorization> add_authorization(const ra::SealAuthorization& a,
                                                                        const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<void> revoke_authorization(const std::string& seal_id, std::int64_t id,
                                                          core::TimePoint at, const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<std::vector<ra::SealAuthorization>> authorizations(const std::string& seal_id) override;
    [[nodiscard]] core::Result<ra::SealUse> add_use(const ra::SealUse& u, const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<std::vector<ra::SealUse>> uses(const std::string& seal_id, std::size_t limit) override;
    [[nodiscard]] core::Result<void> add_challenge(const ra::BindingChallenge& c, const core::AuditEvent& event) override;
    [[nodiscard]] core::Result<std::optional<ra::BindingChallenge>> find_challenge(const std::string& id) override;
    [[nodiscard]] core::Result<bool> use_challenge(const std::string& id, core::TimePoint at,
                                                   const core::AuditEvent& event) override;
    // ---- end of seal management ----

    // An event with no stored change of its own (a login, a CRL published); durable on return.
    [[nodiscard]] core::Result<void> append_audit(const core::AuditEvent& event) override;
    // Checks the whole hash chain and reports every break (audit_log.hpp).
    [[nodiscard]] core::Result<AuditReport> verify_audit();
    // The newest `limit` events (0: all), oldest first.
    [[nodiscard]] core::Result<std::vector<AuditRow>> audit_events(std::size_t limit);

    // ---- the staff console (sqlite_store_console.cpp; issue 9) ----
    [[nodiscard]] core::Result<std::vector<ra::AuditEntry>> find_audit_events(const ra::AuditQuery& q) override;
    [[nodiscard]] core::Result<ra::AuditCheck> check_audit_chain() override;
    [[nodiscard]] core::Result<std::vector<ra::CertificateHit>> search_certificates(
        const std::string& text, const std::optional<std::string>& serial, std::size_t limit) override;
    [[nodiscard]] core::Result<std::string> application_of_certificate(const std::string& serial) override;
    // ---- end of the staff console ----

    // How many commits the writer made for how many writes: shows group commit at work.
    [[nodiscard]] WriterStats writer_stats() const { return m_writer.stats(); }

  private:
    SqliteStore(Database writer, Database reader);

    std::mutex m_read_mutex;  // a connection is used by one thread at a time
    Database m_reader;
    GroupCommitWriter m_writer;
};

}  // namespace eseal::store
