#include "pki/hierarchy.hpp"

#include "crypto/public_key.hpp"
#include "pki/certificate_builder.hpp"
#include "pki/x509.hpp"

namespace eseal::pki {
namespace {

crypto::X509NamePtr ca_name(const std::string& organization, const std::string& cn) {
    crypto::X509NamePtr name(X509_NAME_new());
    const auto add = [&](int nid, const std::string& v) {
        X509_NAME_add_entry_by_NID(name.get(), nid, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(v.data()),
                                   static_cast<int>(v.size()), -1, 0);
    };
    add(NID_countryName, "CN");
    add(NID_organizationName, organization);
    add(NID_commonName, cn);
    return name;
}

std::string crl_url(const std::string& base, const std::string& ca) {
    return base.empty() ? std::string{} : base + "/crl/" + ca + ".crl";
}
std::string ocsp_url(const std::string& base) { return base.empty() ? std::string{} : base + "/ocsp"; }

CertificateRecord record_of(const X509* cert, const std::string& ca, const std::string& profile,
                            const std::string& organization, core::TimePoint now) {
    CertificateRecord r;
    r.serial = serial_hex(cert);
    r.ca = ca;
    r.profile = profile;
    r.subject = name_rfc2253(X509_get_subject_name(cert));
    r.organization = organization;
    r.key_sha256 = key_sha256_hex(X509_get0_pubkey(cert));
    r.not_before = to_time_point(X509_get0_notBefore(cert));
    r.not_after = to_time_point(X509_get0_notAfter(cert));
    r.issued_at = now;
    r.der = certificate_der(cert);
    return r;
}

}  // namespace

std::optional<core::Problem> check_ca_name(std::string_view name) {
    const bool ok = !name.empty() && name.size() <= 64 && name.front() != '.' &&
                    name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
                        std::string_view::npos;
    if (ok) return std::nullopt;
    return core::Problem{"ca.name", "a CA name is 1-64 letters, digits, '-', '_' or '.', not starting with '.'", "name"};
}

core::Result<NewHierarchy> make_hierarchy(const HierarchyRequest& req, const crypto::Signer& root_key,
                                          const crypto::Signer& issuing_key, CertificateRepository& repository,
                                          const core::Clock& clock) {
    if (auto p = check_ca_name(req.name)) return core::fail(core::Errc::invalid_input, p->code, p->message, {*p});
    if (repository.find_ca(req.name).value_or(std::nullopt) || repository.find_ca(req.name + "-root").value_or(std::nullopt))
        return core::fail(core::Errc::already_exists, "ca.exists", "a CA named " + req.name + " already exists");

    auto root_public = crypto::parse_public_key(root_key.public_key());
    if (!root_public) return std::unexpected(root_public.error());
    auto issuing_public = crypto::parse_public_key(issuing_key.public_key());
    if (!issuing_public) return std::unexpected(issuing_public.error());
    for (EVP_PKEY* k : {root_public->get(), issuing_public->get()}) {
        if (crypto::describe_key(k).algorithm != req.algorithm)
            return core::fail(core::Errc::invalid_input, "ca.key_algorithm",
                              "a CA key is not " + std::string(crypto::to_string(req.algorithm)));
    }

    const auto now = clock.now();
    const std::string root_name = req.name + "-root";
    const std::string suite = req.algorithm == crypto::KeyAlgorithm::sm2          ? "SM2"
                              : req.algorithm == crypto::KeyAlgorithm::ecdsa_p256 ? "ECDSA"
                                                                                  : "RSA";

    // Root: RFC 5280 §4.2.1.9 CA, §4.2.1.3 keyCertSign + cRLSign, self-signed.
    auto root_subject = ca_name(req.organization, req.organization + " " + suite + " Root CA (" + req.name + ")");
    auto root_serial = new_serial(repository);
    if (!root_serial) return std::unexpected(root_serial.error());
    CertificateTemplate rt;
    rt.subject = root_subject.get();
    rt.public_key = root_public->get();
    rt.serial = *root_serial;
    rt.not_before = now;
    rt.not_after = core::add_years(now, req.root_years);
    rt.extensions = {{NID_basic_constraints, "critical,CA:TRUE"},
                     {NID_key_usage, "critical,keyCertSign,cRLSign"},
                     {NID_subject_key_identifier, "hash"},
                     {NID_authority_key_identifier, "keyid:always"}};
    auto root_cert = build_certificate(rt, nullptr, root_key);
    if (!root_cert) return std::unexpected(root_cert.error());

    // Issuing CA: may sign end entities only (pathLenConstraint 0).
    auto issuing_subject = ca_name(req.organization, req.organization + " " + suite + " Issuing CA (" + req.name + ")");
    auto issuing_serial = new_serial(repository);
    if (!issuing_serial) return std::unexpected(issuing_serial.error());
    CertificateTemplate it;
    it.subject = issuing_subject.get();
    it.public_key = issuing_public->get();
    it.serial = *issuing_serial;
    it.not_before = now;
    it.not_after = core::add_years(now, req.issuing_years);
    it.extensions = {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                     {NID_key_usage, "critical,keyCertSign,cRLSign"},
                     {NID_subject_key_identifier, "hash"},
                     {NID_authority_key_identifier, "keyid:always"}};
    if (!req.public_base_url.empty()) {
        it.extensions.emplace_back(NID_crl_distribution_points, "URI:" + crl_url(req.public_base_url, root_name));
        it.extensions.emplace_back(NID_info_access, "OCSP;URI:" + ocsp_url(req.public_base_url));
    }
    auto issuing_cert = build_certificate(it, root_cert->get(), root_key);
    if (!issuing_cert) return std::unexpected(issuing_cert.error());

    const auto make_record = [&](const std::string& name, const std::string& parent, X509* cert) {
        CaRecord r;
        r.name = name;
        r.parent = parent;
        r.algorithm = req.algorithm;
        r.serial = serial_hex(cert);
        r.subject = name_rfc2253(X509_get_subject_name(cert));
        r.not_before = to_time_point(X509_get0_notBefore(cert));
        r.not_after = to_time_point(X509_get0_notAfter(cert));
        r.certificate = certificate_der(cert);
        r.crl_url = crl_url(req.public_base_url, name);
        r.ocsp_url = ocsp_url(req.public_base_url);
        r.created_at = now;
        return r;
    };
    return NewHierarchy{
        NewCa{make_record(root_name, "", root_cert->get()),
              record_of(root_cert->get(), root_name, "root-ca", req.organization, now)},
        NewCa{make_record(req.name, root_name, issuing_cert->get()),
              record_of(issuing_cert->get(), root_name, "issuing-ca", req.organization, now)}};
}

}  // namespace eseal::pki
