#include "server/revocation_services.hpp"

#include <spdlog/spdlog.h>

#include <set>

namespace eseal::server {

RevocationServices::RevocationServices(Ports ports, RevocationSettings settings)
    : m_ports(ports),
      m_settings(std::move(settings)),
      m_publisher(ports.certificates, ports.revocations, ports.keys, ports.clock,
                  m_settings.crl_period),
      m_ocsp(
          std::make_unique<pki::OcspResponder>(ports.certificates, ports.clock, m_settings.ocsp)) {}

RevocationServices::~RevocationServices() {
    {
        std::lock_guard lock(m_thread_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

core::Result<std::unique_ptr<RevocationServices>> RevocationServices::open(
    Ports ports, RevocationSettings settings) {
    if (auto r = pki::check_tsa_policy(settings.tsa.policy); !r)
        return std::unexpected(r.error());
    std::unique_ptr<RevocationServices> s(new RevocationServices(ports, std::move(settings)));
    auto cas = ports.certificates.list_cas();
    if (!cas)
        return std::unexpected(cas.error());
    const pki::ServiceSignerContext ctx{ports.certificates, ports.signers, ports.keys, ports.clock,
                                        s->m_settings.signers};
    for (const auto& ca : *cas) {
        s->m_cas.push_back(ca.name);
        // Where the journal stands now: older revocations are in the store already.
        auto seq = ports.revocations.last_revocation_seq(ca.name);
        if (!seq)
            return std::unexpected(seq.error());
        s->m_seen_seq = std::max(s->m_seen_seq, *seq);

        auto ocsp = pki::ensure_service_signer(ctx, ca.name, pki::ServicePurpose::ocsp, "server");
        if (ocsp) {
            spdlog::info("OCSP for {}: responder certificate {} until {}", ca.name,
                         ocsp->record.certificate_serial, core::format_utc(ocsp->record.not_after));
            s->m_ocsp->add_issuer(ca, std::move(*ocsp));
        } else {
            spdlog::warn("no OCSP responder for {}: {}", ca.name, ocsp.error().describe());
        }
        if (!ca.parent.empty()) {
            auto tsa = pki::ensure_service_signer(ctx, ca.name, pki::ServicePurpose::tsa, "server");
            if (tsa) {
                if (s->m_default_tsa.empty() || ca.name == s->m_settings.tsa_ca)
                    s->m_default_tsa = ca.name;
                s->m_tsas.emplace(ca.name, std::make_unique<pki::TimeStampAuthority>(
                                               std::move(*tsa), ports.clock, s->m_settings.tsa));
            } else {
                spdlog::warn("no TSA for {}: {}", ca.name, tsa.error().describe());
            }
        }
        s->refresh_crl(ca.name, false);
    }
    if (!s->m_settings.tsa_ca.empty() && s->m_default_tsa != s->m_settings.tsa_ca)
        spdlog::warn("[tsa] ca = {} is not an issuing CA with a TSA; /tsa uses {}",
                     s->m_settings.tsa_ca, s->m_default_tsa.empty() ? "nothing" : s->m_default_tsa);
    return s;
}

void RevocationServices::start() {
    m_thread = std::thread([this] {
        std::unique_lock lock(m_thread_mutex);
        while (!m_stop) {
            lock.unlock();
            maintain();
            lock.lock();
            m_wake.wait_for(lock, m_settings.poll_interval, [this] { return m_stop; });
        }
    });
}

void RevocationServices::refresh_crl(const std::string& ca, bool changed) {
    std::shared_ptr<const pki::CrlRecord> cached;
    {
        std::lock_guard lock(m_crl_mutex);
        if (auto it = m_crls.find(ca); it != m_crls.end())
            cached = it->second;
    }
    auto stored = m_ports.revocations.latest_crl(ca, false);
    auto seq = m_ports.revocations.last_revocation_seq(ca);
    if (!stored || !seq) {
        spdlog::warn("CRL of {}: {}", ca, (!stored ? stored.error() : seq.error()).describe());
        return;
    }
    std::optional<pki::CrlRecord> fresh;
    if (!*stored || m_publisher.is_due(**stored, *seq)) {
        auto made = m_publisher.publish(ca, "server");
        if (!made) {
            spdlog::warn("cannot publish the CRL of {}: {}", ca, made.error().describe());
            return;
        }
        spdlog::info("published CRL {} of {} ({} entries, next update {})", made->number, ca,
                     made->entries, core::format_utc(made->next_update));
        fresh = std::move(*made);
    } else if (!cached || cached->number != (*stored)->number || changed) {
        auto loaded = m_ports.revocations.latest_crl(ca, true);
        if (!loaded || !*loaded)
            return;
        fresh = std::move(**loaded);
    }
    if (fresh) {
        std::lock_guard lock(m_crl_mutex);
        m_crls[ca] = std::make_shared<const pki::CrlRecord>(std::move(*fresh));
    }
}

void RevocationServices::maintain() {
    std::set<std::string> changed;
    for (;;) {
        auto changes = m_ports.revocations.revocations_after(m_seen_seq, 1000);
        if (!changes) {
            spdlog::warn("revocation journal: {}", changes.error().describe());
            break;
        }
        for (const auto& c : *changes) {
            m_ocsp->revoked(c.serial);
            changed.insert(c.ca);
            m_seen_seq = c.seq;
            spdlog::info("revocation of {} ({}): OCSP answers signed again", c.serial, c.ca);
        }
        if (changes->size() < 1000)
            break;
    }
    for (const auto& ca : m_cas) refresh_crl(ca, changed.contains(ca));
    m_ocsp->refresh();
}

std::shared_ptr<const pki::CrlRecord> RevocationServices::crl(std::string_view ca) const {
    std::lock_guard lock(m_crl_mutex);
    auto it = m_crls.find(ca);
    return it == m_crls.end() ? nullptr : it->second;
}

const pki::TimeStampAuthority* RevocationServices::tsa(std::string_view ca) const {
    auto it = m_tsas.find(ca.empty() ? std::string_view(m_default_tsa) : ca);
    return it == m_tsas.end() ? nullptr : it->second.get();
}

}  // namespace eseal::server
