#pragma once
// Delegated signers a CA certifies for a service: its OCSP responder (RFC 6960 §4.2.2.2:
// extKeyUsage id-kp-OCSPSigning, and id-pkix-ocsp-nocheck so clients do not ask about the responder
// itself) and its time-stamping authority (RFC 3161 §2.3: one critical extKeyUsage,
// id-kp-timeStamping). The key is made through the KeyStore in the CA's algorithm suite, the
// certificate signed by the CA's Signer, and both are stored; a signer near its end (or revoked) is
// replaced on demand.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "crypto/ossl.hpp"
#include "crypto/signer.hpp"
#include "pki/key_store.hpp"
#include "pki/ports.hpp"

namespace eseal::pki {

enum class ServicePurpose { ocsp, tsa };
[[nodiscard]] std::string_view to_string(ServicePurpose p) noexcept;  // "ocsp", "tsa"
[[nodiscard]] std::optional<ServicePurpose> parse_service_purpose(std::string_view s) noexcept;

struct ServiceSignerRecord {
    std::string certificate_serial;  // its row in certificates (profile "ocsp-signer" or "tsa")
    std::string ca;                  // the CA that certified it
    ServicePurpose purpose = ServicePurpose::ocsp;
    std::string key_ref;
    core::TimePoint not_after{};
    core::TimePoint created_at{};
};

class ServiceSignerRepository {
  public:
    virtual ~ServiceSignerRepository() = default;
    // The certificate row, the signer row and the audit event, in one transaction.
    [[nodiscard]] virtual core::Result<void> add_service_signer(
        const CertificateRecord& certificate, const ServiceSignerRecord& signer,
        const core::AuditEvent& event) = 0;
    // The CA's signers for the purpose, the latest not_after first.
    [[nodiscard]] virtual core::Result<std::vector<ServiceSignerRecord>> service_signers(
        std::string_view ca, ServicePurpose purpose) = 0;
};

// A delegated signer ready to use.
struct ServiceSigner {
    ServiceSignerRecord record;
    crypto::X509Ptr certificate;
    std::unique_ptr<crypto::Signer> key;
};

struct ServiceSignerPolicy {
    std::chrono::days validity{365};     // and never beyond the CA's own notAfter
    std::chrono::days renew_before{30};  // a signer with less left than this is replaced
};

struct ServiceSignerContext {
    CertificateRepository& certificates;
    ServiceSignerRepository& signers;
    KeyStore& keys;
    const core::Clock& clock;
    ServiceSignerPolicy policy;
};

// The CA's current signer for the purpose: the stored one with the latest notAfter while it is
// valid, not revoked and not due for renewal; otherwise a new key and certificate, issued now
// with the CA's key (which is opened only then).
[[nodiscard]] core::Result<ServiceSigner> ensure_service_signer(const ServiceSignerContext& ctx,
                                                                std::string_view ca,
                                                                ServicePurpose purpose,
                                                                const std::string& actor);

}  // namespace eseal::pki
