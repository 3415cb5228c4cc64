#pragma once
// A two-level hierarchy in one algorithm suite (DESIGN §4): a self-signed root and an issuing CA
// that it certifies. The caller brings the two keys (software keys or keys on an HSM, as Signers)
// and stores the result.
#include <string>

#include "core/clock.hpp"
#include "crypto/signer.hpp"
#include "pki/ports.hpp"

namespace eseal::pki {

struct HierarchyRequest {
    std::string name;                 // the issuing CA's name; the root is "<name>-root"
    crypto::KeyAlgorithm algorithm = crypto::KeyAlgorithm::sm2;
    std::string organization = "eseal";
    int root_years = 20;
    int issuing_years = 10;
    std::string public_base_url;      // "http://ca.example:8080": CRL and OCSP URLs derive from it
};

struct NewCa {
    CaRecord record;                  // key_ref left for the caller to set
    CertificateRecord certificate;
};

struct NewHierarchy {
    NewCa root;
    NewCa issuing;
};

// CA names: letters, digits, '-', '_' and '.', 1 to 64 characters (they become file names and URLs).
[[nodiscard]] std::optional<core::Problem> check_ca_name(std::string_view name);

// The keys must be of request.algorithm.
[[nodiscard]] core::Result<NewHierarchy> make_hierarchy(const HierarchyRequest& request, const crypto::Signer& root_key,
                                                        const crypto::Signer& issuing_key,
                                                        CertificateRepository& repository, const core::Clock& clock);

}  // namespace eseal::pki
