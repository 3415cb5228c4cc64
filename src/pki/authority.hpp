#pragma once
// An issuing CA: checks a CSR against its profile, builds the certificate, signs it with the CA's
// Signer (wherever the key lives), stores it durably, and returns it.
#include <memory>
#include <optional>

#include "core/clock.hpp"
#include "crypto/ossl.hpp"
#include "crypto/signer.hpp"
#include "pki/issuance_rules.hpp"
#include "pki/ports.hpp"
#include "pki/subject.hpp"

namespace eseal::pki {

struct IssueRequest {
    core::Bytes csr;            // PEM or DER PKCS#10
    Profile profile = Profile::organization;
    int years = 1;
    SubjectFields overrides;    // what the RA set (wins over the CSR)
    std::string actor = "system";
    // Renewal (guide §8): the new validity continues from the old certificate's notAfter when
    // that is still ahead, so no paid time is lost; otherwise it starts now.
    std::optional<core::TimePoint> continues_from;
};

class CertificateAuthority {
public:
    // Fails if the CA's certificate does not match its key.
    [[nodiscard]] static core::Result<CertificateAuthority> open(CaRecord record, std::unique_ptr<crypto::Signer> key,
                                                                 CertificateRepository& repository,
                                                                 const core::Clock& clock);

    // Thread-safe. Returns only once the certificate is durably stored. A rejected request stores
    // nothing and lists every problem (Errc::invalid_input, code "csr.rejected").
    [[nodiscard]] core::Result<CertificateRecord> issue(const IssueRequest& request) const;

    [[nodiscard]] const CaRecord& record() const noexcept { return m_record; }
    [[nodiscard]] X509* certificate() const noexcept { return m_cert.get(); }

private:
    CertificateAuthority(CaRecord record, std::unique_ptr<crypto::Signer> key, crypto::X509Ptr cert,
                         CertificateRepository& repository, const core::Clock& clock);

    CaRecord m_record;
    std::unique_ptr<crypto::Signer> m_key;
    crypto::X509Ptr m_cert;
    CertificateRepository* m_repository;
    const core::Clock* m_clock;
    std::vector<std::unique_ptr<IssuanceRule>> m_rules;
};

}  // namespace eseal::pki
