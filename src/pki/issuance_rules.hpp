#pragma once
// Issuance policy as a list of small rules (after step-ca's validators): each looks at the
// request and adds what it finds wrong, so one answer lists every problem (BoringSSL CertErrors).
#include <memory>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/ossl.hpp"
#include "crypto/public_key.hpp"
#include "pki/ports.hpp"
#include "pki/subject.hpp"

namespace eseal::pki {

struct IssuanceContext {
    X509_REQ* csr;
    const crypto::KeyDescription& key;
    const std::string& key_sha256;
    const SubjectFields& subject;  // CSR subject with the RA's overrides applied
    Profile profile;
    int years;
    core::TimePoint not_before;
    core::TimePoint not_after;
    const CaRecord& ca;
    CertificateRepository& repository;
};

class IssuanceRule {
public:
    virtual ~IssuanceRule() = default;
    virtual void check(const IssuanceContext& ctx, std::vector<core::Problem>& problems) const = 0;
};

// The rules every end-entity issuance passes, in the order their problems are listed.
[[nodiscard]] std::vector<std::unique_ptr<IssuanceRule>> default_issuance_rules();

}  // namespace eseal::pki
