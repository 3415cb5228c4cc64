#pragma once
// Whether a signer's certificate was revoked, asked as a relying party, for the PDF and the OFD
// verifiers alike: OCSP (RFC 6960) at the responder the certificate's AIA names (RFC 5280
// §4.2.2.1) first; its issuer's CRL (RFC 5280 §5) from the certificate's CRL distribution points
// (§4.2.1.13) when there is no responder or it cannot be had. document/ has no HTTP: the caller
// supplies the fetchers and owns their transport and timeouts. Nothing here throws.
#include <openssl/x509.h>

#include <functional>
#include <optional>
#include <span>
#include <string>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace eseal::document {

// Sends an OCSP request (DER) to the responder URL and returns the response (DER).
using OcspFetcher =
    std::function<core::Result<core::Bytes>(const std::string& url, core::ByteView request)>;
// Fetches a CRL (DER or PEM) from a distribution point URL.
using CrlFetcher = std::function<core::Result<core::Bytes>(const std::string& url)>;

struct RevocationFetchers {
    OcspFetcher ocsp;  // empty: OCSP is not asked
    CrlFetcher crl;    // empty: CRLs are not fetched
    [[nodiscard]] bool any() const noexcept { return ocsp || crl; }
};

// unknown: the OCSP responder does not know the certificate (RFC 6960 §2.2), which counts against
// the signature; unavailable: no answer could be had (none named, unreachable, timed out, stale or
// not verifiable), which is reported and does not.
enum class RevocationStatus { not_checked, good, revoked, unknown, unavailable };
enum class RevocationSource { none, ocsp, crl };
[[nodiscard]] std::string_view to_string(RevocationStatus s) noexcept;
[[nodiscard]] std::string_view to_string(RevocationSource s) noexcept;

struct RevocationCheck {
    RevocationStatus status = RevocationStatus::not_checked;
    RevocationSource source = RevocationSource::none;  // where the status came from
    // revoked: the CRLReason (RFC 5280 §5.3.1) name, "unspecified" when the entry gives none;
    // unavailable: why, one of "no_issuer", "no_url", "unreachable", "timeout", "stale",
    // "invalid" (of the last source tried).
    std::string reason;
    std::optional<core::TimePoint> revoked_at;
    std::string detail;  // readable: what was asked and what it answered
};

// `candidates`: certificates that may have issued `leaf` (the issuer signs the CRL and the OCSP
// request names it). `now`: for the freshness of the answers (thisUpdate/nextUpdate). `at`: the
// time the signature is judged at (its time stamp, else now): a revocation after it is good.
[[nodiscard]] RevocationCheck check_revocation(X509* leaf, std::span<const X509* const> candidates,
                                               const RevocationFetchers& fetchers,
                                               core::TimePoint now, core::TimePoint at);

// The URIs of the certificate's CRL distribution points (RFC 5280 §4.2.1.13: fullName
// uniformResourceIdentifier entries), in order.
[[nodiscard]] std::vector<std::string> crl_distribution_points(X509* cert);

}  // namespace eseal::document
