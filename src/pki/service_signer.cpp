#include "pki/service_signer.hpp"

#include <nlohmann/json.hpp>

#include "crypto/public_key.hpp"
#include "pki/certificate_builder.hpp"
#include "pki/x509.hpp"

namespace eseal::pki {
namespace {

crypto::X509NamePtr signer_name(const X509* ca, ServicePurpose purpose) {
    const X509_NAME* ca_subject = X509_get_subject_name(ca);
    crypto::X509NamePtr name(X509_NAME_new());
    const auto add = [&](int nid, const std::string& v) {
        if (v.empty())
            return;
        X509_NAME_add_entry_by_NID(name.get(), nid, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(v.data()),
                                   static_cast<int>(v.size()), -1, 0);
    };
    add(NID_countryName, name_entry(ca_subject, NID_countryName));
    add(NID_organizationName, name_entry(ca_subject, NID_organizationName));
    const std::string cn = name_entry(ca_subject, NID_commonName);
    add(NID_commonName,
        cn + (purpose == ServicePurpose::ocsp ? " OCSP Responder" : " Time-Stamping Authority"));
    return name;
}

core::Result<ServiceSigner> open_signer(const ServiceSignerContext& ctx,
                                        const ServiceSignerRecord& rec) {
    auto row = ctx.certificates.find_certificate(rec.certificate_serial);
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return core::fail(
            core::Errc::storage, "signer.missing_certificate",
            "service signer certificate " + rec.certificate_serial + " is not stored");
    auto cert = parse_certificate((*row)->der);
    if (!cert)
        return std::unexpected(cert.error());
    auto key = ctx.keys.open_key(rec.key_ref);
    if (!key)
        return std::unexpected(key.error());
    if ((*key)->public_key() != crypto::public_key_der(X509_get0_pubkey(cert->get())))
        return core::fail(core::Errc::conflict, "signer.key_mismatch",
                          "the key " + rec.key_ref + " does not match service certificate " +
                              rec.certificate_serial);
    return ServiceSigner{rec, std::move(*cert), std::move(*key)};
}

core::Result<ServiceSigner> issue_signer(const ServiceSignerContext& ctx, const CaRecord& ca,
                                         ServicePurpose purpose, const std::string& actor) {
    auto ca_cert = parse_certificate(ca.certificate);
    if (!ca_cert)
        return std::unexpected(ca_cert.error());
    auto ca_key = ctx.keys.open_key(ca.key_ref);
    if (!ca_key)
        return std::unexpected(ca_key.error());
    if ((*ca_key)->public_key() != crypto::public_key_der(X509_get0_pubkey(ca_cert->get())))
        return core::fail(core::Errc::conflict, "ca.key_mismatch",
                          "the key of CA " + ca.name + " does not match its certificate");
    auto key = ctx.keys.generate_key(ca.algorithm, ca.name + "." + std::string(to_string(purpose)));
    if (!key)
        return std::unexpected(key.error());
    auto public_key = crypto::parse_public_key(key->signer->public_key());
    if (!public_key)
        return std::unexpected(public_key.error());

    const auto now = ctx.clock.now();
    auto not_after = now + std::chrono::duration_cast<std::chrono::seconds>(ctx.policy.validity);
    if (not_after > ca.not_after)
        not_after = ca.not_after;
    auto subject = signer_name(ca_cert->get(), purpose);
    CertificateTemplate t;
    t.subject = subject.get();
    t.public_key = public_key->get();
    t.not_before = now;
    t.not_after = not_after;
    t.extensions = {{NID_basic_constraints, "critical,CA:FALSE"},
                    {NID_subject_key_identifier, "hash"},
                    {NID_authority_key_identifier, "keyid:always"}};
    if (purpose == ServicePurpose::ocsp) {
        t.extensions.emplace_back(NID_key_usage, "critical,digitalSignature");
        t.extensions.emplace_back(NID_ext_key_usage, "OCSPSigning");  // RFC 6960 §4.2.2.2
        t.extensions.emplace_back(NID_id_pkix_OCSP_noCheck,
                                  "ignored");  // §4.2.2.2.1: value is NULL
    } else {
        t.extensions.emplace_back(NID_key_usage, "critical,digitalSignature,nonRepudiation");
        t.extensions.emplace_back(NID_ext_key_usage, "critical,timeStamping");  // RFC 3161 §2.3
        if (!ca.crl_url.empty())
            t.extensions.emplace_back(NID_crl_distribution_points, "URI:" + ca.crl_url);
        if (!ca.ocsp_url.empty())
            t.extensions.emplace_back(NID_info_access, "OCSP;URI:" + ca.ocsp_url);
    }
    auto serial = new_serial(ctx.certificates);
    if (!serial)
        return std::unexpected(serial.error());
    t.serial = *serial;
    auto cert = build_certificate(t, ca_cert->get(), **ca_key);
    if (!cert)
        return std::unexpected(cert.error());

    CertificateRecord row;
    row.serial = serial_hex(cert->get());
    row.ca = ca.name;
    row.profile = purpose == ServicePurpose::ocsp ? "ocsp-signer" : "tsa";
    row.subject = name_rfc2253(subject.get());
    row.organization = name_entry(subject.get(), NID_organizationName);
    row.key_sha256 = key_sha256_hex(public_key->get());
    row.not_before = now;
    row.not_after = not_after;
    row.issued_at = now;
    row.der = certificate_der(cert->get());
    ServiceSignerRecord rec{row.serial, ca.name, purpose, key->key_ref, not_after, now};
    const nlohmann::json detail = {{"purpose", to_string(purpose)},
                                   {"serial", row.serial},
                                   {"not_after", core::format_utc(not_after)}};
    if (auto r = ctx.signers.add_service_signer(
            row, rec,
            core::AuditEvent{now, actor, "service_signer.issue", "ca:" + ca.name, detail.dump()});
        !r)
        return std::unexpected(r.error());
    return ServiceSigner{std::move(rec), std::move(*cert), std::move(key->signer)};
}

}  // namespace

std::string_view to_string(ServicePurpose p) noexcept {
    return p == ServicePurpose::ocsp ? "ocsp" : "tsa";
}

std::optional<ServicePurpose> parse_service_purpose(std::string_view s) noexcept {
    if (s == "ocsp")
        return ServicePurpose::ocsp;
    if (s == "tsa")
        return ServicePurpose::tsa;
    return std::nullopt;
}

core::Result<ServiceSigner> ensure_service_signer(const ServiceSignerContext& ctx,
                                                  std::string_view ca_name, ServicePurpose purpose,
                                                  const std::string& actor) {
    auto ca = ctx.certificates.find_ca(ca_name);
    if (!ca)
        return std::unexpected(ca.error());
    if (!*ca)
        return core::fail(core::Errc::not_found, "ca.unknown",
                          "no CA named " + std::string(ca_name));
    auto stored = ctx.signers.service_signers(ca_name, purpose);
    if (!stored)
        return std::unexpected(stored.error());
    const auto now = ctx.clock.now();
    const auto renew_at =
        now + std::chrono::duration_cast<std::chrono::seconds>(ctx.policy.renew_before);
    for (const auto& rec : *stored) {
        // The rest end even sooner; a signer that lasts as long as its CA needs no renewing.
        if (rec.not_after <= renew_at && rec.not_after < (*ca)->not_after)
            break;
        if (rec.not_after <= now)
            break;
        auto cert = ctx.certificates.find_certificate(rec.certificate_serial);
        if (!cert)
            return std::unexpected(cert.error());
        if (!*cert || (*cert)->status != CertificateStatus::valid)
            continue;
        return open_signer(ctx, rec);
    }
    return issue_signer(ctx, **ca, purpose, actor);
}

}  // namespace eseal::pki
