#pragma once
// What the public revocation and time endpoints serve, kept current while the server runs: each
// CA's CRL, the OCSP responder with its pre-signed answers, and a TSA per issuing CA. A
// maintenance thread reads the revocation journal every poll interval (a revocation made by
// `eseal ca revoke` in another process, or on another node, shows up there), signs the affected
// OCSP answers again, remakes CRLs that miss a revocation or are half way to nextUpdate, and
// refreshes pre-signed answers before they expire.
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "pki/crl.hpp"
#include "pki/key_store.hpp"
#include "pki/ocsp_responder.hpp"
#include "pki/revocation.hpp"
#include "pki/service_signer.hpp"
#include "pki/tsa.hpp"

namespace eseal::server {

struct RevocationSettings {
    std::chrono::seconds crl_period{std::chrono::hours{24}};  // nextUpdate - thisUpdate
    pki::OcspSettings ocsp;
    pki::TsaSettings tsa;
    std::string tsa_ca;  // the issuing CA behind /tsa; "" for the first one created
    std::chrono::milliseconds poll_interval{200};
    pki::ServiceSignerPolicy signers;
};

class RevocationServices {
  public:
    struct Ports {
        pki::CertificateRepository& certificates;
        pki::RevocationRepository& revocations;
        pki::ServiceSignerRepository& signers;
        pki::KeyStore& keys;
        const core::Clock& clock;
    };

    // Opens or issues the OCSP responder of every CA and the TSA of every issuing CA, and loads or
    // makes every CA's CRL. A CA whose key cannot be had is left out with a warning (its OCSP
    // requests are then answered unauthorized); having no CA at all is not an error.
    [[nodiscard]] static core::Result<std::unique_ptr<RevocationServices>> open(
        Ports ports, RevocationSettings settings);
    ~RevocationServices();
    RevocationServices(const RevocationServices&) = delete;
    RevocationServices& operator=(const RevocationServices&) = delete;

    // Starts the maintenance thread (tests may call maintain() themselves instead).
    void start();
    // One maintenance pass; what the thread does every poll interval.
    void maintain();

    [[nodiscard]] std::shared_ptr<const pki::CrlRecord> crl(std::string_view ca) const;
    [[nodiscard]] const pki::OcspResponder& ocsp() const noexcept { return *m_ocsp; }
    // "" for the default TSA; nullptr when there is none.
    [[nodiscard]] const pki::TimeStampAuthority* tsa(std::string_view ca = {}) const;
    [[nodiscard]] const core::Clock& clock() const noexcept { return m_ports.clock; }

  private:
    RevocationServices(Ports ports, RevocationSettings settings);
    void refresh_crl(const std::string& ca, bool changed);

    Ports m_ports;
    RevocationSettings m_settings;
    pki::CrlPublisher m_publisher;
    std::unique_ptr<pki::OcspResponder> m_ocsp;
    std::map<std::string, std::unique_ptr<pki::TimeStampAuthority>, std::less<>> m_tsas;
    std::string m_default_tsa;
    std::vector<std::string> m_cas;
    std::int64_t m_seen_seq = 0;

    mutable std::mutex m_crl_mutex;
    std::map<std::string, std::shared_ptr<const pki::CrlRecord>, std::less<>> m_crls;

    std::mutex m_thread_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace eseal::server
