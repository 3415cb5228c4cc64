#include "document/revocation.hpp"

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include <memory>

#include "crypto/ossl.hpp"
#include "pki/crl.hpp"
#include "pki/ocsp.hpp"
#include "pki/x509.hpp"

namespace eseal::document {
namespace {

// Clocks differ: an answer made up to this far in the future is still taken.
constexpr auto kSkew = std::chrono::minutes(5);

void unavailable(RevocationCheck& r, RevocationSource source, std::string reason,
                 std::string detail) {
    r.status = RevocationStatus::unavailable;
    r.source = source;
    r.reason = std::move(reason);
    r.detail = std::move(detail);
}

std::string fetch_failure(const core::Error& e) {
    return e.code == "http.timeout" ? "timeout" : "unreachable";
}

std::string reason_name(const std::optional<pki::RevocationReason>& reason) {
    return reason ? std::string(pki::to_string(*reason)) : "unspecified";
}

void revoked(RevocationCheck& r, RevocationSource source, core::TimePoint when,
             const std::optional<pki::RevocationReason>& reason, const std::string& where) {
    r.status = RevocationStatus::revoked;
    r.source = source;
    r.revoked_at = when;
    r.reason = reason_name(reason);
    r.detail = "revoked " + core::format_utc(when) + ", reason " + r.reason + " (" + where + ")";
}

// RFC 6960: asks the responder named in the certificate's AIA about it, and checks the answer as a
// relying party (pki::verify_ocsp_response) and its freshness (§4.2.2.1).
RevocationCheck ask_ocsp(X509* leaf, const X509* issuer, const OcspFetcher& fetch,
                         core::TimePoint now, core::TimePoint at) {
    RevocationCheck r;
    std::unique_ptr<STACK_OF(OPENSSL_STRING), decltype(&X509_email_free)> urls(X509_get1_ocsp(leaf),
                                                                               X509_email_free);
    if (!urls || sk_OPENSSL_STRING_num(urls.get()) == 0) {
        unavailable(r, RevocationSource::ocsp, "no_url", "the certificate names no OCSP responder");
        return r;
    }
    const std::string url = sk_OPENSSL_STRING_value(urls.get(), 0);
    std::unique_ptr<OCSP_REQUEST, crypto::Free<OCSP_REQUEST_free>> req(OCSP_REQUEST_new());
    OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), leaf, issuer);
    if (id == nullptr || OCSP_request_add0_id(req.get(), id) == nullptr) {
        ERR_clear_error();
        unavailable(r, RevocationSource::ocsp, "invalid", "could not make an OCSP request");
        return r;
    }
    const core::Bytes der = crypto::to_der(req.get(), i2d_OCSP_REQUEST);
    auto reply = fetch(url, der);
    if (!reply) {
        unavailable(r, RevocationSource::ocsp, fetch_failure(reply.error()),
                    "OCSP " + url + ": " + reply.error().message);
        return r;
    }
    auto info = pki::verify_ocsp_response(*reply, issuer);
    if (!info || info->status != pki::OcspResponseStatus::successful) {
        unavailable(
            r, RevocationSource::ocsp, "invalid",
            "OCSP " + url + ": " +
                (info ? "the responder answered " + std::string(pki::to_string(info->status))
                      : info.error().message));
        return r;
    }
    const std::string serial = pki::serial_hex(leaf);
    for (const auto& s : info->responses) {
        if (s.serial != serial)
            continue;
        if (s.this_update > now + kSkew || (s.next_update && *s.next_update < now)) {
            unavailable(r, RevocationSource::ocsp, "stale",
                        "OCSP " + url + ": the response is not current");
            return r;
        }
        r.source = RevocationSource::ocsp;
        if (s.status == pki::CertStatus::revoked && s.revoked_at <= at) {
            revoked(r, RevocationSource::ocsp, s.revoked_at, s.reason, "OCSP " + url);
        } else if (s.status == pki::CertStatus::unknown) {
            r.status = RevocationStatus::unknown;
            r.detail = "the responder does not know the certificate (OCSP " + url + ")";
        } else {
            r.status = RevocationStatus::good;
            r.detail = "good at " + core::format_utc(s.this_update) + " (OCSP " + url + ")";
        }
        return r;
    }
    unavailable(r, RevocationSource::ocsp, "invalid",
                "OCSP " + url + ": the response is about other certificates");
    return r;
}

// RFC 5280 §6.3 in outline: a complete CRL from a distribution point, signed by the certificate's
// issuer (pki::verify_crl checks the name and the signature), current (thisUpdate not in the
// future, nextUpdate not past, §5.1.2.4-5), and the serial looked up among its entries (§5.1.2.6).
RevocationCheck read_crl(X509* leaf, const X509* issuer, const CrlFetcher& fetch,
                         core::TimePoint now, core::TimePoint at) {
    RevocationCheck r;
    const auto urls = crl_distribution_points(leaf);
    if (urls.empty()) {
        unavailable(r, RevocationSource::crl, "no_url",
                    "the certificate names no CRL distribution point");
        return r;
    }
    std::string tried;
    for (const auto& url : urls) {
        if (!tried.empty())
            tried += "; ";
        auto der = fetch(url);
        if (!der) {
            unavailable(r, RevocationSource::crl, fetch_failure(der.error()), "");
            tried += "CRL " + url + ": " + der.error().message;
            continue;
        }
        auto crl = pki::verify_crl(*der, issuer);
        if (!crl) {
            unavailable(r, RevocationSource::crl, "invalid", "");
            tried += "CRL " + url + ": " + crl.error().message;
            continue;
        }
        if (crl->this_update > now + kSkew || crl->next_update < now) {
            unavailable(r, RevocationSource::crl, "stale", "");
            tried += "CRL " + url + ": not current (thisUpdate " +
                     core::format_utc(crl->this_update) + ", nextUpdate " +
                     core::format_utc(crl->next_update) + ")";
            continue;
        }
        const std::string serial = pki::serial_hex(leaf);
        for (const auto& e : crl->entries)
            if (e.serial == serial && e.revoked_at <= at) {
                revoked(r, RevocationSource::crl, e.revoked_at, e.reason,
                        "CRL " + url + " #" + std::to_string(crl->number));
                return r;
            }
        r = {};
        r.status = RevocationStatus::good;
        r.source = RevocationSource::crl;
        r.detail = "not on the CRL of " + core::format_utc(crl->this_update) + " (CRL " + url +
                   " #" + std::to_string(crl->number) + ")";
        return r;
    }
    r.detail = tried;
    return r;
}

}  // namespace

std::string_view to_string(RevocationStatus s) noexcept {
    switch (s) {
        case RevocationStatus::not_checked:
            return "not checked";
        case RevocationStatus::good:
            return "good";
        case RevocationStatus::revoked:
            return "revoked";
        case RevocationStatus::unknown:
            return "unknown";
        case RevocationStatus::unavailable:
            return "unavailable";
    }
    return "?";
}

std::string_view to_string(RevocationSource s) noexcept {
    switch (s) {
        case RevocationSource::none:
            return "none";
        case RevocationSource::ocsp:
            return "ocsp";
        case RevocationSource::crl:
            return "crl";
    }
    return "?";
}

std::vector<std::string> crl_distribution_points(X509* cert) {
    std::vector<std::string> out;
    std::unique_ptr<CRL_DIST_POINTS, crypto::Free<CRL_DIST_POINTS_free>> points(
        static_cast<CRL_DIST_POINTS*>(
            X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr)));
    if (!points) {
        ERR_clear_error();
        return out;
    }
    for (int i = 0; i < sk_DIST_POINT_num(points.get()); ++i) {
        const DIST_POINT* dp = sk_DIST_POINT_value(points.get(), i);
        // §4.2.1.13: a point with reasons covers only some of them; ours never set any.
        if (dp->distpoint == nullptr || dp->distpoint->type != 0 || dp->reasons != nullptr)
            continue;
        const GENERAL_NAMES* names = dp->distpoint->name.fullname;
        for (int k = 0; k < sk_GENERAL_NAME_num(names); ++k) {
            const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, k);
            if (n->type != GEN_URI)
                continue;
            const ASN1_IA5STRING* uri = n->d.uniformResourceIdentifier;
            std::string url(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                            static_cast<std::size_t>(ASN1_STRING_length(uri)));
            if (url.starts_with("http://") || url.starts_with("https://"))
                out.push_back(std::move(url));
        }
    }
    return out;
}

RevocationCheck check_revocation(X509* leaf, std::span<const X509* const> candidates,
                                 const RevocationFetchers& fetchers, core::TimePoint now,
                                 core::TimePoint at) {
    RevocationCheck r;
    if (!fetchers.any())
        return r;
    const X509* issuer = nullptr;
    for (const X509* c : candidates)
        if (X509_check_issued(const_cast<X509*>(c), leaf) == X509_V_OK)
            issuer = c;
    if (issuer == nullptr) {
        unavailable(r, RevocationSource::none, "no_issuer", "no issuer certificate to ask about");
        return r;
    }
    std::string before;
    if (fetchers.ocsp) {
        r = ask_ocsp(leaf, issuer, fetchers.ocsp, now, at);
        if (r.status != RevocationStatus::unavailable)
            return r;
        before = r.detail;
    }
    if (fetchers.crl) {
        RevocationCheck c = read_crl(leaf, issuer, fetchers.crl, now, at);
        // A CRL that says nothing either leaves both failures in the detail.
        if (c.status == RevocationStatus::unavailable && !before.empty())
            c.detail = before + "; " + c.detail;
        else if (!before.empty())
            c.detail += " (" + before + ")";
        return c;
    }
    return r;
}

}  // namespace eseal::document
