#pragma once
// Verifying every seal of an OFD document: for each entry of each document's signature list
// (GB/T 33190-2016 §18), the References recomputed, the SES_Signature (GB/T 38540-2020 §8: its
// signature, the signer's certificate in the seal's list and under the trust anchors at the
// signing time, the seal and its maker, the time, dataHash = hash of Signature.xml), Seal.esl
// against the seal inside the signature, and where the stamp sits. Outcomes are values listing
// every problem.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "document/ofd/ofd_document.hpp"
#include "document/ofd/package.hpp"
#include "document/revocation.hpp"
#include "seal/ses_signature.hpp"
#include "seal/trust.hpp"

namespace eseal::document::ofd {

struct StampPlacement {
    std::string page_id;
    int page = 0;  // 1-based; 0 when PageRef names no page
    Box boundary;
};

struct SignatureReport {
    std::string id;
    std::string type;  // "Seal" or "Sign"
    std::string path;  // package path of Signature.xml
    std::string signature_date_time;
    std::string check_method;
    std::size_t references = 0;  // how many, all checked
    std::vector<StampPlacement> stamps;
    std::optional<seal::SealSignature> signature;  // when SignedValue.dat parsed
    RevocationCheck revocation;           // of the signer's certificate, when fetchers were given
    std::vector<core::Problem> problems;  // any: the signature is not valid
    std::vector<core::Problem> warnings;  // noted, not fatal
    [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

struct Report {
    std::vector<SignatureReport> signatures;
    std::vector<core::Problem> problems;  // about the document as a whole
    std::vector<core::Problem> warnings;  // e.g. files no signature covers
    // Valid: at least one signature, and no problem anywhere.
    [[nodiscard]] bool ok() const noexcept;
};

// Errors only when the package cannot be read as an OFD at all (see read_documents); a document
// without signatures gives a report with the problem ofd.unsigned.
// `revocation`: how to ask about the signers' certificates (OCSP, then the CRL); empty: not asked.
[[nodiscard]] core::Result<Report> verify_package(const Package& package,
                                                  const seal::TrustStore& trust,
                                                  core::TimePoint now,
                                                  const RevocationFetchers& revocation = {});

}  // namespace eseal::document::ofd
