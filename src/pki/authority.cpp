#include "pki/authority.hpp"

#include <nlohmann/json.hpp>

#include "crypto/public_key.hpp"
#include "pki/certificate_builder.hpp"
#include "pki/csr.hpp"
#include "pki/x509.hpp"

namespace eseal::pki {

CertificateAuthority::CertificateAuthority(CaRecord record, std::unique_ptr<crypto::Signer> key, crypto::X509Ptr cert,
                                           CertificateRepository& repository, const core::Clock& clock)
    : m_record(std::move(record)),
      m_key(std::move(key)),
      m_cert(std::move(cert)),
      m_repository(&repository),
      m_clock(&clock),
      m_rules(default_issuance_rules()) {}

core::Result<CertificateAuthority> CertificateAuthority::open(CaRecord record, std::unique_ptr<crypto::Signer> key,
                                                              CertificateRepository& repository,
                                                              const core::Clock& clock) {
    auto cert = parse_certificate(record.certificate);
    if (!cert) return std::unexpected(cert.error());
    if (crypto::public_key_der(X509_get0_pubkey(cert->get())) != key->public_key())
        return core::fail(core::Errc::conflict, "ca.key_mismatch",
                          "the key of CA " + record.name + " does not match its certificate");
    return CertificateAuthority(std::move(record), std::move(key), std::move(*cert), repository, clock);
}

core::Result<CertificateRecord> CertificateAuthority::issue(const IssueRequest& request) const {
    auto csr = parse_csr(request.csr);
    if (!csr) return std::unexpected(csr.error());
    EVP_PKEY* key = X509_REQ_get0_pubkey(csr->get());
    const auto key_info = crypto::describe_key(key);
    const auto key_hash = key_sha256_hex(X509_REQ_get_X509_PUBKEY(csr->get()));

    SubjectFields subject = subject_fields_of(X509_REQ_get_subject_name(csr->get()), request.profile);
    subject.apply(request.overrides);

    const auto now = m_clock->now();
    const auto starts = request.continues_from && *request.continues_from > now ? *request.continues_from : now;
    const auto not_after = core::add_years(starts, request.years);
    const IssuanceContext ctx{csr->get(), key_info, key_hash, subject, request.profile, request.years,
                              now,       not_after, m_record, *m_repository};
    std::vector<core::Problem> problems;
    for (const auto& rule : m_rules) rule->check(ctx, problems);
    if (!problems.empty()) {
        const auto n = problems.size();
        return core::fail(core::Errc::invalid_input, "csr.rejected",
                          "the certificate request was rejected (" + std::to_string(n) + " problem" +
                              (n > 1 ? "s" : "") + ")",
                          std::move(problems));
    }

    auto name = build_subject_name(subject, request.profile);
    CertificateTemplate t;
    t.subject = name.get();
    t.public_key = key;
    t.not_before = now;
    t.not_after = not_after;
    // RFC 5280 §4.2.1.3, §4.2.1.9: an end entity; signing documents with non-repudiation.
    t.extensions = {{NID_basic_constraints, "critical,CA:FALSE"},
                    {NID_key_usage, "critical,digitalSignature,nonRepudiation"},
                    {NID_subject_key_identifier, "hash"},
                    {NID_authority_key_identifier, "keyid:always"}};
    if (!m_record.crl_url.empty()) t.extensions.emplace_back(NID_crl_distribution_points, "URI:" + m_record.crl_url);
    if (!m_record.ocsp_url.empty()) t.extensions.emplace_back(NID_info_access, "OCSP;URI:" + m_record.ocsp_url);
    if (request.profile == Profile::organization_individual) t.identify_code = subject.person_id.value_or("");

    // A serial may be taken between the check and the insert by a concurrent issuance: retry.
    for (int attempt = 0;; ++attempt) {
        auto serial = new_serial(*m_repository);
        if (!serial) return std::unexpected(serial.error());
        t.serial = *serial;
        auto der = build_certificate_der(t, m_cert.get(), *m_key);
        if (!der) return std::unexpected(der.error());

        CertificateRecord rec;
        rec.serial = serial_hex(t.serial);
        rec.ca = m_record.name;
        rec.profile = std::string(to_string(request.profile));
        rec.subject = name_rfc2253(name.get());
        rec.organization = subject.organization.value_or("");
        rec.credit_code = subject.credit_code.value_or("");
        if (request.profile == Profile::organization_individual) {
            rec.person_name = subject.person_name.value_or("");
            rec.person_id = subject.person_id.value_or("");
        }
        rec.key_sha256 = key_hash;
        rec.not_before = now;
        rec.not_after = not_after;
        rec.issued_at = now;
        rec.der = std::move(*der);

        const nlohmann::json detail = {{"ca", rec.ca},
                                       {"profile", rec.profile},
                                       {"subject", rec.subject},
                                       {"not_after", core::format_utc(rec.not_after)}};
        auto stored = m_repository->add_certificate(
            rec, core::AuditEvent{now, request.actor, "certificate.issue", "certificate:" + rec.serial, detail.dump()});
        if (stored) return rec;
        if (stored.error().kind != core::Errc::already_exists || attempt >= 2) return std::unexpected(stored.error());
        // The key raced another request for the same key: that is the caller's problem, report it.
        auto other = m_repository->find_by_key(key_hash);
        if (other && *other)
            return core::fail(core::Errc::invalid_input, "csr.rejected", "the certificate request was rejected (1 problem)",
                              {{"key.already_certified",
                                "this public key is already certified (certificate " + (*other)->serial + ")", "key"}});
    }
}

}  // namespace eseal::pki
