#pragma once
// Full CRLs (RFC 5280 §5): the TBSCertList is built with OpenSSL's X509_CRL API, except the list
// of revoked certificates, which is encoded directly (a million entries in well under a second);
// it is signed through the CA's crypto::Signer (so an HSM key works; SM2 with the GM ID), and
// checked with eseal's own SM2-aware verification (openssl crl -verify cannot set the SM2 ID).
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <span>

#include "core/clock.hpp"
#include "crypto/ossl.hpp"
#include "crypto/signer.hpp"
#include "pki/key_store.hpp"
#include "pki/ports.hpp"
#include "pki/revocation.hpp"

namespace eseal::pki {

struct CrlContent {
    const X509* issuer = nullptr;  // the CA certificate: issuer name and AKI come from it
    std::int64_t number = 1;       // cRLNumber
    core::TimePoint this_update{};
    core::TimePoint next_update{};
    std::span<const RevokedCertificate> entries;
};

// DER CertificateList (RFC 5280 §5.1): v2, AKI and cRLNumber extensions; per entry a reasonCode
// (absent for unspecified, §5.3.1) and an invalidityDate when known (§5.3.2).
[[nodiscard]] core::Result<core::Bytes> build_crl(const CrlContent& content,
                                                  const crypto::Signer& signer);

struct CrlEntryInfo {
    std::string serial;  // lowercase hex
    core::TimePoint revoked_at{};
    std::optional<RevocationReason> reason;  // absent: no reasonCode extension
    std::optional<core::TimePoint> invalidity_date;
};

struct CrlInfo {
    std::int64_t number = 0;
    core::TimePoint this_update{};
    core::TimePoint next_update{};
    std::vector<CrlEntryInfo> entries;
};

// Parses a DER or PEM CRL and checks that `issuer` issued it: issuer name, and the signature
// verified with the issuer's key (SM2 with the ID 1234567812345678).
[[nodiscard]] core::Result<CrlInfo> verify_crl(core::ByteView crl, const X509* issuer);

// Makes, signs and stores CRLs for the CAs of one store. A root's CRL lists the issuing CAs it
// revoked; an issuing CA's lists the end entities. Thread-safe.
class CrlPublisher {
  public:
    // period: nextUpdate = thisUpdate + period; a CRL is remade when half of it has passed.
    CrlPublisher(CertificateRepository& certificates, RevocationRepository& revocations,
                 KeyStore& keys, const core::Clock& clock, std::chrono::seconds period);

    // Whether the stored CRL misses a revocation, is half way to its nextUpdate, or is missing.
    [[nodiscard]] core::Result<bool> due(std::string_view ca);
    // The current CRL: the stored one unless due(), else a new one.
    [[nodiscard]] core::Result<CrlRecord> current(std::string_view ca);
    // A new CRL now, numbered one above the stored one, with an audit event.
    [[nodiscard]] core::Result<CrlRecord> publish(std::string_view ca,
                                                  const std::string& actor = "system");

    [[nodiscard]] std::chrono::seconds period() const noexcept { return m_period; }
    // Whether a stored CRL built from revocation_seq `stored.revocation_seq` must be remade, now
    // that the CA's revocations reach `seq`.
    [[nodiscard]] bool is_due(const CrlRecord& stored, std::int64_t seq) const;

  private:
    struct Issuer {
        CaRecord record;
        crypto::X509Ptr certificate;
        std::unique_ptr<crypto::Signer> key;
    };
    [[nodiscard]] core::Result<Issuer*> issuer(std::string_view ca);

    CertificateRepository* m_certificates;
    RevocationRepository* m_revocations;
    KeyStore* m_keys;
    const core::Clock* m_clock;
    std::chrono::seconds m_period;
    std::mutex m_mutex;  // one CRL built at a time; guards m_issuers
    std::map<std::string, Issuer, std::less<>> m_issuers;
};

}  // namespace eseal::pki
