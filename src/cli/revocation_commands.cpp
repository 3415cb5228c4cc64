// `eseal ca revoke` and `eseal ca crl`: revocation (RFC 5280 §5.3.1) and the CA's current CRL.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "pki/crl.hpp"
#include "pki/ocsp.hpp"
#include "pki/tsa.hpp"
#include "pki/x509.hpp"

namespace eseal::cli {
namespace {

// Serials as people paste them: any case, with ':' separators or leading zeros.
std::string normalized_serial(std::string s) {
    std::string out;
    for (char c : s)
        if (c != ':')
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto first = out.find_first_not_of('0');
    return first == std::string::npos ? out : out.substr(first);
}

struct RevokeOptions {
    std::string serial;
    std::string reason = "unspecified";
    std::string invalidity_date;
};

int do_revoke(PlatformHandle& handle, const RevokeOptions& o) {
    const auto reason = pki::parse_revocation_reason(o.reason);
    if (!reason)
        return report(
            {core::Errc::invalid_input,
             "revocation.reason",
             "unknown reason " + o.reason +
                 " (unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, "
                 "cessationOfOperation, privilegeWithdrawn, aACompromise)",
             {}});
    std::optional<core::TimePoint> invalidity;
    if (!o.invalidity_date.empty()) {
        core::TimePoint t;
        if (!core::parse_utc(o.invalidity_date, t))
            return report(
                {core::Errc::invalid_input,
                 "date.invalid",
                 "not a date: " + o.invalidity_date + " (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)",
                 {}});
        invalidity = t;
    }
    auto platform = handle.get();
    if (!platform)
        return report(platform.error());
    auto& p = **platform;
    auto revoked = pki::revoke_certificate(p.store(), p.store(),
                                           {normalized_serial(o.serial), *reason, {}, invalidity},
                                           "cli", p.clock());
    if (!revoked)
        return report(revoked.error());
    std::cout << "revoked " << revoked->serial << " (" << revoked->revocation_reason << ") at "
              << core::format_utc(*revoked->revoked_at) << "\n";
    // The new CRL now; a running server also sees the revocation in the journal and re-signs its
    // OCSP answers. If this CRL cannot be made here, the revocation stands and the server (or the
    // next `ca crl`) makes it.
    pki::CrlPublisher crls(p.store(), p.store(), p.key_store(), p.clock(),
                           p.revocation_settings().crl_period);
    auto crl = crls.publish(revoked->ca, "cli");
    if (!crl) {
        spdlog::warn("the revocation is stored, but the CRL of {} was not remade: {}", revoked->ca,
                     crl.error().describe());
        return kExitOk;
    }
    std::cout << "CRL " << crl->number << " of " << crl->ca << ": " << crl->entries
              << " entries, next update " << core::format_utc(crl->next_update) << "\n";
    return kExitOk;
}

int do_crl(PlatformHandle& handle, const std::string& ca, const std::string& out, bool pem) {
    auto platform = handle.get();
    if (!platform)
        return report(platform.error());
    auto& p = **platform;
    pki::CrlPublisher crls(p.store(), p.store(), p.key_store(), p.clock(),
                           p.revocation_settings().crl_period);
    auto crl = crls.current(ca);
    if (!crl)
        return report(crl.error());
    std::string data(crl->der.begin(), crl->der.end());
    if (pem) {
        std::string b64 = core::base64_encode(crl->der);
        data = "-----BEGIN X509 CRL-----\n";
        for (std::size_t i = 0; i < b64.size(); i += 64) data += b64.substr(i, 64) + "\n";
        data += "-----END X509 CRL-----\n";
    }
    if (auto w = write_file(out, data); !w)
        return report(w.error());
    spdlog::info("CRL {} of {}: {} entries, this update {}, next update {}", crl->number, crl->ca,
                 crl->entries, core::format_utc(crl->this_update),
                 core::format_utc(crl->next_update));
    return kExitOk;
}

constexpr std::size_t kMaxResponseBytes = 256 * 1024 * 1024;  // a CRL of a few million entries

core::Result<crypto::X509Ptr> read_certificate(const std::string& path) {
    auto data = read_file(path, 1024 * 1024);
    if (!data)
        return std::unexpected(data.error());
    auto certs = pki::parse_certificates(core::as_bytes(*data));
    if (!certs)
        return std::unexpected(certs.error());
    return std::move(certs->front());
}

// The relying party's checks, with eseal's SM2-aware verification (for SM2, `openssl crl`,
// `openssl ocsp` and `openssl ts` cannot set the ID 1234567812345678 and so cannot verify).
int do_check(const std::string& kind, const std::string& file, const std::string& issuer_file) {
    auto data = read_file(file, kMaxResponseBytes);
    if (!data)
        return report(data.error());
    auto issuer = read_certificate(issuer_file);
    if (!issuer)
        return report(issuer.error());
    const auto bytes = core::as_bytes(*data);
    if (kind == "crl") {
        auto info = pki::verify_crl(bytes, issuer->get());
        if (!info)
            return report(info.error());
        std::cout << "CRL " << info->number << " verified: issuer "
                  << pki::name_rfc2253(X509_get_subject_name(issuer->get())) << "\nthis update "
                  << core::format_utc(info->this_update) << ", next update "
                  << core::format_utc(info->next_update) << ", " << info->entries.size()
                  << " entries\n";
        for (const auto& e : info->entries)
            std::cout << e.serial << "  " << core::format_utc(e.revoked_at) << "  "
                      << (e.reason ? pki::to_string(*e.reason) : "unspecified")
                      << (e.invalidity_date
                              ? "  invalid since " + core::format_utc(*e.invalidity_date)
                              : "")
                      << "\n";
        return kExitOk;
    }
    if (kind == "ocsp") {
        auto info = pki::verify_ocsp_response(bytes, issuer->get());
        if (!info)
            return report(info.error());
        std::cout << "OCSP response: " << pki::to_string(info->status) << "\n";
        if (info->status != pki::OcspResponseStatus::successful)
            return kExitOk;
        std::cout << "verified: signed by responder " << info->responder_serial << ", produced "
                  << core::format_utc(info->produced_at) << ", nonce "
                  << (info->nonce_extension ? "present" : "absent") << "\n";
        for (const auto& r : info->responses) {
            std::cout << r.serial << ": " << pki::to_string(r.status);
            if (r.status == pki::CertStatus::revoked)
                std::cout << " at " << core::format_utc(r.revoked_at) << " ("
                          << (r.reason ? pki::to_string(*r.reason) : "unspecified") << ")";
            std::cout << "  this update " << core::format_utc(r.this_update);
            if (r.next_update)
                std::cout << ", next update " << core::format_utc(*r.next_update);
            std::cout << "\n";
        }
        return kExitOk;
    }
    auto info = pki::verify_timestamp(bytes, issuer->get());
    if (!info)
        return report(info.error());
    std::cout << "time-stamp verified: " << core::format_utc(info->gen_time) << "\npolicy "
              << info->policy << "\nserial " << info->serial << "\nimprint "
              << OBJ_nid2sn(info->imprint_nid) << " " << core::hex_encode(info->imprint)
              << "\nnonce " << (info->nonce.empty() ? "-" : info->nonce) << "\n";
    return kExitOk;
}

}  // namespace

void add_revocation_commands(CLI::App& app, PlatformHandle& platform, Handler& selected) {
    CLI::App* ca = app.get_subcommand("ca");

    auto rv = std::make_shared<RevokeOptions>();
    auto* revoke = ca->add_subcommand(
        "revoke", "revoke a certificate (RFC 5280 reasons) and publish a new CRL");
    revoke->add_option("serial", rv->serial, "serial number (hex)")->required();
    revoke
        ->add_option("--reason", rv->reason,
                     "unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, "
                     "cessationOfOperation, privilegeWithdrawn or aACompromise (certificateHold "
                     "and removeFromCRL "
                     "are not accepted: revocation is final)")
        ->capture_default_str();
    revoke->add_option(
        "--invalidity-date", rv->invalidity_date,
        "when the key was compromised or the certificate became invalid, if known (YYYY-MM-DD)");
    revoke->callback([&, rv] { selected = [&, rv] { return do_revoke(platform, *rv); }; });

    auto cr = std::make_shared<std::tuple<std::string, std::string, bool>>("", "-", false);
    auto* crl = ca->add_subcommand(
        "crl", "write the CA's current CRL (made anew if it misses a revocation or is due)");
    crl->add_option("name", std::get<0>(*cr),
                    "CA name (a root's CRL lists the issuing CAs it revoked)")
        ->required();
    crl->add_option("--out", std::get<1>(*cr), "output file ('-': stdout)")->capture_default_str();
    crl->add_flag("--pem", std::get<2>(*cr), "PEM instead of DER");
    crl->callback([&, cr] {
        selected = [&, cr] {
            return do_crl(platform, std::get<0>(*cr), std::get<1>(*cr), std::get<2>(*cr));
        };
    });

    for (const auto& [kind, help, issuer_help] :
         {std::tuple{"crl", "verify a CRL (DER or PEM) against its issuer, SM2-aware, and list it",
                     "the CA certificate (PEM)"},
          std::tuple{"ocsp",
                     "verify an OCSP response (DER) as a relying party, SM2-aware, and show it",
                     "the CA certificate whose certificates it answers for (PEM)"},
          std::tuple{"timestamp",
                     "verify an RFC 3161 time-stamp reply or token (DER), SM2-aware, and show it",
                     "the TSA certificate (PEM)"}}) {
        auto args = std::make_shared<std::pair<std::string, std::string>>();
        auto* check = ca->add_subcommand(std::string("check-") + kind, help);
        check->add_option("file", args->first, "the file to check")->required();
        check->add_option("--issuer", args->second, issuer_help)->required();
        const std::string k = kind;
        check->callback([&selected, args, k] {
            selected = [args, k] { return do_check(k, args->first, args->second); };
        });
    }
}

}  // namespace eseal::cli
