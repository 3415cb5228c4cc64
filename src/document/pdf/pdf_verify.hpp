#pragma once
// Verifying every signature of a PDF (ISO 32000-1 §12.8.1, ETSI EN 319 142-1, ETSI EN 319 102-1
// in outline): the byte range, the digest of the ranges (streamed), the CMS signature over the
// signed attributes, signing-certificate-v2, the chain to the trust anchors, a signature time
// stamp if there is one, what changed after the signature, and the seal picture on its widget.
// Each finding is a value; nothing here throws on hostile input.
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "document/revocation.hpp"

namespace eseal::document::pdf {

// Revocation (document/revocation.hpp): the caller owns the transport and its timeouts.
using document::CrlFetcher;
using document::OcspFetcher;
using document::RevocationSource;
using document::RevocationStatus;
using document::to_string;

struct VerifyOptions {
    // Trusted certificates, DER: self-signed ones are anchors, the others may link to them.
    std::vector<core::Bytes> trust;
    core::TimePoint now{};
    OcspFetcher ocsp;         // OCSP first; both empty: revocation is not checked
    CrlFetcher crl;           // the CRL when OCSP is not named or cannot be had
    bool seal_images = true;  // decode each widget's seal picture into SignatureCheck::seal_png
};

struct TimeStampCheck {
    bool ok = false;
    std::string time;  // genTime, UTC
    std::string tsa;   // subject of the TSA certificate
};

struct SignatureCheck {
    std::string field_name;
    std::string sub_filter;
    std::array<std::uint64_t, 4> byte_range{};
    std::uint64_t revision_end = 0;  // where the signed revision ends (b + c)
    bool byte_range_ok = false;      // [0 a b c] with [a, b) exactly the /Contents string
    bool digest_ok = false;
    bool signature_ok = false;
    bool signing_certificate_ok = false;  // signing-certificate-v2 names the signer's certificate
    bool chain_ok = false;
    std::vector<std::string> chain;  // subjects, leaf first
    std::string signer;              // subject of the signer's certificate
    std::string algorithm;           // "ECDSA-with-SHA256", ...
    std::string signing_time;        // /M, as claimed by the signer
    std::optional<TimeStampCheck> time_stamp;
    RevocationStatus revocation = RevocationStatus::not_checked;  // of the signer's certificate
    RevocationSource revocation_source = RevocationSource::none;
    std::string revocation_reason;  // revoked: the CRLReason; unavailable: why (revocation.hpp)
    std::string revocation_detail;
    bool modified_after = false;        // bytes follow the signed revision
    bool later_changes_allowed = true;  // only further signatures, their fields and appearances
    std::vector<std::string>
        later_changes;        // what else changed, when later_changes_allowed is false
    bool seal_image = false;  // the widget's appearance draws an image
    core::Bytes seal_png;  // that image with its soft mask as a PNG; empty if none or not decodable
    std::vector<core::Problem> problems;  // every reason it is not valid
    [[nodiscard]] bool valid() const noexcept { return problems.empty(); }
};

struct VerifyReport {
    std::uint64_t file_size = 0;
    std::vector<SignatureCheck> signatures;
    [[nodiscard]] bool all_valid() const noexcept {
        if (signatures.empty())
            return false;
        for (const auto& s : signatures)
            if (!s.valid())
                return false;
        return true;
    }
};

// Errors only for a file that cannot be read as a PDF (those of open_pdf); a file with no
// signatures gives an empty report.
[[nodiscard]] core::Result<VerifyReport> verify_pdf(const std::string& file,
                                                    const VerifyOptions& options);

}  // namespace eseal::document::pdf
