#pragma once
// The OCSP responder (RFC 6960) for the CAs of one store: each CA's answers are signed by the
// delegated responder it certified (service_signer.hpp). Answers to requests without a nonce and
// with one CertID are pre-signed and kept (RFC 5019 §2.1.1 style): the same bytes serve every
// such request until half their validity has passed or the certificate is revoked, when they are
// signed again. A request with a nonce, or with several CertIDs, is signed on the spot.
#include <atomic>
#include <chrono>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "pki/ocsp.hpp"
#include "pki/ports.hpp"
#include "pki/service_signer.hpp"

namespace eseal::pki {

struct OcspSettings {
    std::chrono::seconds validity{std::chrono::hours{1}};  // nextUpdate - thisUpdate of an answer
    std::size_t cache_limit = 1'000'000;                   // pre-signed answers kept at most
};

struct OcspAnswer {
    OcspResponseStatus status = OcspResponseStatus::internal_error;
    std::shared_ptr<const core::Bytes> der;  // the OCSPResponse
    bool cacheable = false;  // pre-signed: HTTP caches may keep it until next_update
    core::TimePoint produced_at{};
    core::TimePoint next_update{};
    std::string etag;  // for cacheable answers: "\"<hex>\""
};

class OcspResponder {
  public:
    OcspResponder(CertificateRepository& certificates, const core::Clock& clock,
                  OcspSettings settings);

    // A CA to answer for, with its delegated signer. Call before the first respond().
    void add_issuer(const CaRecord& ca, ServiceSigner signer);

    // Thread-safe. Never fails: faults become an OCSP error status (malformedRequest,
    // unauthorized for an issuer it does not serve or a mix of issuers, internalError).
    [[nodiscard]] OcspAnswer respond(core::ByteView request) const;

    // The certificate was revoked: its pre-signed answers are signed again now.
    void revoked(std::string_view serial);
    // Signs again the pre-signed answers that have passed half their validity (at most `limit`);
    // returns how many.
    std::size_t refresh(std::size_t limit = 10'000);
    [[nodiscard]] std::size_t cached() const;

  private:
    struct Issuer {
        std::string name;
        ServiceSigner signer;
        std::vector<std::pair<int, std::pair<core::Bytes, core::Bytes>>>
            hashes;  // nid → (name, key) hash
    };
    struct Entry {
        core::Bytes cert_id;
        const Issuer* issuer = nullptr;
        OcspAnswer answer;
        core::TimePoint refresh_at{};
        mutable std::atomic<bool> superseded{false};  // replaced, or its certificate revoked
    };

    [[nodiscard]] const Issuer* issuer_of(const OcspCertId& id) const;
    [[nodiscard]] core::Result<SingleStatus> status_of(const Issuer& issuer, const OcspCertId& id,
                                                       core::TimePoint now) const;
    [[nodiscard]] core::Result<OcspAnswer> sign(const Issuer& issuer,
                                                std::span<const SingleStatus> statuses,
                                                std::optional<core::ByteView> nonce,
                                                core::TimePoint now) const;
    // A fresh pre-signed entry for the one CertID; nullptr when it must not be kept (unknown).
    [[nodiscard]] core::Result<std::shared_ptr<const Entry>> make_entry(const Issuer& issuer,
                                                                        const OcspCertId& id) const;
    // Keeps the entry unless a revocation came after `epoch` (read before the status was).
    void store(const std::string& serial, std::shared_ptr<const Entry> entry, std::uint64_t epoch,
               core::ByteView request = {}) const;

    CertificateRepository* m_certificates;
    const core::Clock* m_clock;
    OcspSettings m_settings;
    std::vector<std::unique_ptr<Issuer>> m_issuers;

    mutable std::shared_mutex m_cache_mutex;
    mutable std::unordered_map<std::string, std::vector<std::shared_ptr<const Entry>>>
        m_cache;  // by serial
    // The same entries by the exact bytes of a request that was answered with them, so a repeated
    // request (what HTTP GET clients send) skips DER parsing. Dropped entries are marked
    // superseded.
    mutable std::unordered_map<std::string, std::shared_ptr<const Entry>> m_by_request;
    mutable std::size_t m_cached = 0;
    std::atomic<std::uint64_t> m_epoch{0};  // counts revoked() calls
};

}  // namespace eseal::pki
