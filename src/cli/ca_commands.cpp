#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/subject_options.hpp"
#include "pki/chain.hpp"
#include "pki/x509.hpp"

namespace eseal::cli {
namespace {

constexpr std::size_t kMaxCsrBytes = 64 * 1024;
constexpr std::size_t kMaxCertBytes = 1024 * 1024;

std::string display_status(const pki::CertificateRecord& c, core::TimePoint now) {
    if (c.status == pki::CertificateStatus::valid && c.not_after < now) return "expired";
    return std::string(pki::to_string(c.status));
}

// Shows enough of an ID number to recognise it, not enough to use it.
std::string masked(const std::string& id) {
    if (id.size() < 10) return std::string(id.size(), '*');
    return id.substr(0, 6) + std::string(id.size() - 10, '*') + id.substr(id.size() - 4);
}

int do_init(PlatformHandle& handle, const std::string& algo, const std::string& name, const std::string& org,
            int root_years, int issuing_years, const std::string& base_url, const std::string& hsm_token) {
    auto alg = crypto::parse_key_algorithm(algo);
    if (!alg) return report(core::Error{core::Errc::invalid_input, "ca.algorithm", "unknown algorithm " + algo, {}});
    auto platform = handle.get();
    if (!platform) return report(platform.error());
    pki::HierarchyRequest req{name, *alg, org, root_years, issuing_years, base_url};
    auto made = (*platform)->init_hierarchy(req, hsm_token, "cli");
    if (!made) return report(made.error());
    std::cout << "root CA     " << made->first.name << "  serial " << made->first.serial << "\n"
              << "            " << made->first.subject << "\n"
              << "issuing CA  " << made->second.name << "  serial " << made->second.serial << "\n"
              << "            " << made->second.subject << "\n"
              << "CRL         " << made->second.crl_url << "\n"
              << "OCSP        " << made->second.ocsp_url << "\n";
    return kExitOk;
}

struct IssueOptions {
    std::string csr;
    std::string profile = "org";
    int years = 1;
    std::string out = "-";
    std::string ca;
    bool chain = false;
    SubjectOptions subject;
};

int do_issue(PlatformHandle& handle, const IssueOptions& o) {
    auto profile = pki::parse_profile(o.profile);
    if (!profile) return report(core::Error{core::Errc::invalid_input, "profile.unknown", "unknown profile " + o.profile + " (org, org-individual)", {}});
    auto csr = read_file(o.csr, kMaxCsrBytes);
    if (!csr) return report(csr.error());
    auto platform = handle.get();
    if (!platform) return report(platform.error());
    auto ca = (*platform)->certificate_authority(o.ca);
    if (!ca) return report(ca.error());
    auto rec = ca->issue({core::to_bytes(*csr), *profile, o.years, o.subject.fields(), "cli", std::nullopt});
    if (!rec) return report(rec.error());
    auto cert = pki::parse_certificate(rec->der);
    std::string pem = pki::certificate_pem(cert->get());
    if (o.chain) pem += pki::certificate_pem(ca->certificate());
    if (auto w = write_file(o.out, pem); !w) return report(w.error());
    spdlog::info("issued {} certificate {} by {} to {}, valid until {}", rec->profile, rec->serial, rec->ca, rec->subject,
                 core::format_utc(rec->not_after));
    return kExitOk;
}

struct ListOptions {
    std::string ca, status, credit_code, subject, expiring_before;
    std::size_t limit = 0;
    bool cas = false;
};

int do_list(PlatformHandle& handle, const ListOptions& o) {
    auto platform = handle.get();
    if (!platform) return report(platform.error());
    auto& store = (*platform)->store();
    const auto now = (*platform)->clock().now();
    if (o.cas) {
        auto cas = store.list_cas();
        if (!cas) return report(cas.error());
        for (const auto& c : *cas)
            std::cout << c.name << "  " << (c.parent.empty() ? "root" : "issuing (" + c.parent + ")") << "  "
                      << crypto::to_string(c.algorithm) << "  until " << core::format_utc(c.not_after) << "  "
                      << c.subject << "\n";
        return kExitOk;
    }
    pki::CertificateQuery q;
    if (!o.ca.empty()) q.ca = o.ca;
    if (!o.status.empty()) {
        q.status = pki::parse_certificate_status(o.status);
        if (!q.status) return report(core::Error{core::Errc::invalid_input, "status.unknown", "unknown status " + o.status + " (valid, revoked)", {}});
    }
    if (!o.credit_code.empty()) q.credit_code = o.credit_code;
    if (!o.subject.empty()) q.subject_contains = o.subject;
    if (!o.expiring_before.empty()) {
        core::TimePoint t;
        if (!core::parse_utc(o.expiring_before, t))
            return report(core::Error{core::Errc::invalid_input, "date.invalid", "not a date: " + o.expiring_before + " (YYYY-MM-DD)", {}});
        q.expiring_before = t;
    }
    q.limit = o.limit;
    auto certs = store.find_certificates(q);
    if (!certs) return report(certs.error());
    for (const auto& c : *certs)
        std::cout << c.serial << "  " << display_status(c, now) << "  " << c.profile << "  "
                  << core::format_utc(c.not_after) << "  " << c.ca << "  " << c.subject << "\n";
    return kExitOk;
}

int do_show(PlatformHandle& handle, const std::string& serial, bool pem) {
    auto platform = handle.get();
    if (!platform) return report(platform.error());
    auto rec = (*platform)->store().find_certificate(serial);
    if (!rec) return report(rec.error());
    if (!*rec) return report(core::Error{core::Errc::not_found, "certificate.unknown", "no certificate with serial " + serial, {}});
    const auto& c = **rec;
    std::cout << "serial        " << c.serial << "\n"
              << "status        " << display_status(c, (*platform)->clock().now()) << "\n"
              << "profile       " << c.profile << "\n"
              << "issuer CA     " << c.ca << "\n"
              << "subject       " << c.subject << "\n";
    if (!c.organization.empty()) std::cout << "organization  " << c.organization << "\n";
    if (!c.credit_code.empty()) std::cout << "credit code   " << c.credit_code << "\n";
    if (!c.person_name.empty()) std::cout << "holder        " << c.person_name << " (ID " << masked(c.person_id) << ")\n";
    std::cout << "not before    " << core::format_utc(c.not_before) << "\n"
              << "not after     " << core::format_utc(c.not_after) << "\n"
              << "issued at     " << core::format_utc(c.issued_at) << "\n"
              << "key SHA-256   " << c.key_sha256 << "\n";
    if (c.revoked_at)
        std::cout << "revoked at    " << core::format_utc(*c.revoked_at) << " (" << c.revocation_reason << ")\n";
    if (pem) {
        auto cert = pki::parse_certificate(c.der);
        if (!cert) return report(cert.error());
        std::cout << pki::certificate_pem(cert->get());
    }
    return kExitOk;
}

int do_export(PlatformHandle& handle, const std::string& name, bool chain, const std::string& out) {
    auto platform = handle.get();
    if (!platform) return report(platform.error());
    std::string pem;
    std::string next = name;
    while (!next.empty()) {
        auto ca = (*platform)->store().find_ca(next);
        if (!ca) return report(ca.error());
        if (!*ca) return report(core::Error{core::Errc::not_found, "ca.unknown", "no CA named " + next, {}});
        auto cert = pki::parse_certificate((*ca)->certificate);
        if (!cert) return report(cert.error());
        pem += pki::certificate_pem(cert->get());
        next = chain ? (*ca)->parent : "";
    }
    if (auto w = write_file(out, pem); !w) return report(w.error());
    return kExitOk;
}

int do_verify(PlatformHandle& handle, const std::string& file, const std::string& at) {
    auto data = read_file(file, kMaxCertBytes);
    if (!data) return report(data.error());
    auto certs = pki::parse_certificates(core::as_bytes(*data));
    if (!certs) return report(certs.error());
    auto platform = handle.get();
    if (!platform) return report(platform.error());
    core::TimePoint when = (*platform)->clock().now();
    if (!at.empty() && !core::parse_utc(at, when))
        return report(core::Error{core::Errc::invalid_input, "date.invalid", "not a date: " + at, {}});
    auto cas = (*platform)->store().list_cas();
    if (!cas) return report(cas.error());
    std::vector<crypto::X509Ptr> roots, intermediates;
    for (auto& c : *cas) {
        auto x = pki::parse_certificate(c.certificate);
        if (x) (c.parent.empty() ? roots : intermediates).push_back(std::move(*x));
    }
    for (std::size_t i = 1; i < certs->size(); ++i) intermediates.push_back(std::move((*certs)[i]));
    std::vector<const X509*> anchor_ptrs, inter_ptrs;
    for (auto& r : roots) anchor_ptrs.push_back(r.get());
    for (auto& r : intermediates) inter_ptrs.push_back(r.get());
    const X509* leaf = certs->front().get();
    const auto result = pki::verify_chain(leaf, inter_ptrs, anchor_ptrs, when);
    for (std::size_t i = 0; i < result.path.size(); ++i) std::cout << std::string(2 * i, ' ') << result.path[i] << "\n";
    auto rec = (*platform)->store().find_certificate(pki::serial_hex(leaf));
    if (rec && *rec && (*rec)->status == pki::CertificateStatus::revoked)
        return report(core::Error{core::Errc::crypto, "certificate.revoked",
                                  "the certificate was revoked on " + core::format_utc(*(*rec)->revoked_at), {}});
    if (!result.ok())
        return report(core::Error{core::Errc::crypto, "chain.invalid", "the certificate does not verify", result.problems});
    std::cout << "OK: the certificate chains to a trusted root, with every signature checked\n";
    return kExitOk;
}

}  // namespace

void add_ca_commands(CLI::App& app, PlatformHandle& platform, Handler& selected) {
    auto* ca = app.add_subcommand("ca", "run the certificate authority: hierarchies, issuance, listing");
    ca->require_subcommand(1);

    auto init = std::make_shared<std::tuple<std::string, std::string, std::string, int, int, std::string>>(
        "sm2", "", "", 20, 10, "");
    auto* c_init = ca->add_subcommand("init", "create a root CA and an issuing CA in one algorithm suite");
    c_init->add_option("--algo", std::get<0>(*init), "key algorithm: sm2, ecdsa-p256, rsa2048, rsa3072")
        ->check(CLI::IsMember({"sm2", "ecdsa-p256", "rsa2048", "rsa3072"}))
        ->capture_default_str();
    c_init->add_option("--name", std::get<1>(*init), "issuing CA name (the root is NAME-root)")->required();
    c_init->add_option("--org", std::get<2>(*init), "organization (O) of the CA certificates (default from eseal.toml)");
    c_init->add_option("--root-years", std::get<3>(*init), "root validity in years")->check(CLI::Range(1, 30))->capture_default_str();
    c_init->add_option("--issuing-years", std::get<4>(*init), "issuing CA validity in years")->check(CLI::Range(1, 30))->capture_default_str();
    c_init->add_option("--base-url", std::get<5>(*init), "public URL for CRL and OCSP (default from eseal.toml)");
    auto hsm = std::make_shared<std::string>();
    c_init->add_option("--hsm-token", *hsm,
                       "generate the CA keys on this PKCS#11 token (serial; module $ESEAL_HSM_MODULE or SoftHSM2, "
                       "PIN $ESEAL_HSM_PIN) instead of encrypted files");
    c_init->callback([&, init, hsm] {
        selected = [&, init, hsm] {
            auto& [algo, name, org, ry, iy, url] = *init;
            return do_init(platform, algo, name, org, ry, iy, url, *hsm);
        };
    });

    auto issue = std::make_shared<IssueOptions>();
    auto* c_issue = ca->add_subcommand("issue", "issue a certificate from a PKCS#10 CSR");
    c_issue->add_option("--csr", issue->csr, "the CSR file, PEM or DER")->required();
    c_issue->add_option("--profile", issue->profile, "org (organization) or org-individual")
        ->check(CLI::IsMember({"org", "org-individual"}))
        ->capture_default_str();
    c_issue->add_option("--years", issue->years, "validity in years, 1 to 5 (as paid)")->capture_default_str();
    c_issue->add_option("--out", issue->out, "where to write the PEM certificate ('-': stdout)")->capture_default_str();
    c_issue->add_option("--ca", issue->ca, "issuing CA name (default: the only one)");
    c_issue->add_flag("--chain", issue->chain, "append the issuing CA certificate");
    add_subject_options(*c_issue, issue->subject);
    c_issue->callback([&, issue] { selected = [&, issue] { return do_issue(platform, *issue); }; });

    auto list = std::make_shared<ListOptions>();
    auto* c_list = ca->add_subcommand("list", "list certificates, one line each: serial status profile not-after CA subject");
    c_list->add_option("--ca", list->ca, "only those issued by this CA");
    c_list->add_option("--status", list->status, "valid or revoked");
    c_list->add_option("--credit-code", list->credit_code, "only this organization");
    c_list->add_option("--subject", list->subject, "subject contains this text");
    c_list->add_option("--expiring-before", list->expiring_before, "not after earlier than this date (YYYY-MM-DD)");
    c_list->add_option("--limit", list->limit, "at most this many");
    c_list->add_flag("--cas", list->cas, "list the CAs instead");
    c_list->callback([&, list] { selected = [&, list] { return do_list(platform, *list); }; });

    auto show = std::make_shared<std::pair<std::string, bool>>();
    auto* c_show = ca->add_subcommand("show", "show one certificate");
    c_show->add_option("serial", show->first, "serial number (hex)")->required();
    c_show->add_flag("--pem", show->second, "print the certificate in PEM too");
    c_show->callback([&, show] { selected = [&, show] { return do_show(platform, show->first, show->second); }; });

    auto exp = std::make_shared<std::tuple<std::string, bool, std::string>>("", false, "-");
    auto* c_export = ca->add_subcommand("export", "write a CA certificate in PEM");
    c_export->add_option("name", std::get<0>(*exp), "CA name")->required();
    c_export->add_flag("--chain", std::get<1>(*exp), "follow with its issuers up to the root");
    c_export->add_option("--out", std::get<2>(*exp), "output file ('-': stdout)")->capture_default_str();
    c_export->callback([&, exp] {
        selected = [&, exp] { return do_export(platform, std::get<0>(*exp), std::get<1>(*exp), std::get<2>(*exp)); };
    });

    auto ver = std::make_shared<std::pair<std::string, std::string>>();
    auto* c_verify = ca->add_subcommand("verify", "verify a certificate's chain to this platform's roots (SM2-aware)");
    c_verify->add_option("certificate", ver->first, "PEM or DER file; further PEM certificates are intermediates")->required();
    c_verify->add_option("--at", ver->second, "verify as of this time (YYYY-MM-DD or ISO 8601 UTC)");
    c_verify->callback([&, ver] { selected = [&, ver] { return do_verify(platform, ver->first, ver->second); }; });
}

}  // namespace eseal::cli
