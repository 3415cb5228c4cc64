#include "pki/ocsp_responder.hpp"

#include <openssl/evp.h>
#include <openssl/objects.h>

#include <mutex>

#include "crypto/digest.hpp"

namespace eseal::pki {
namespace {

// CertID hash algorithms a client may use (RFC 6960 §4.1.1 leaves it open; SHA-1 is what most
// send, RFC 5019 §2.1.1 requires it, SM3 for GM clients).
constexpr int kCertIdHashes[] = {NID_sha1, NID_sha256, NID_sha384, NID_sha512, NID_sm3};

core::Bytes hash(int nid, core::ByteView data) {
    const EVP_MD* md = EVP_get_digestbynid(nid);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (md == nullptr || EVP_Digest(data.data(), data.size(), out, &n, md, nullptr) != 1)
        return {};
    return {out, out + n};
}

bool same(core::ByteView a, core::ByteView b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

OcspAnswer error_answer(OcspResponseStatus status) {
    return {status, std::make_shared<const core::Bytes>(ocsp_error_response(status)), false, {}, {},
            {}};
}

}  // namespace

OcspResponder::OcspResponder(CertificateRepository& certificates, const core::Clock& clock,
                             OcspSettings settings)
    : m_certificates(&certificates), m_clock(&clock), m_settings(settings) {}

void OcspResponder::add_issuer(const CaRecord& ca, ServiceSigner signer) {
    auto is = std::make_unique<Issuer>();
    is->name = ca.name;
    is->signer = std::move(signer);
    const unsigned char* p = ca.certificate.data();
    crypto::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(ca.certificate.size())));
    if (!cert)
        return;
    // §4.1.1: issuerNameHash over the DER issuer name, issuerKeyHash over the key's BIT STRING
    // value.
    const auto name_der = crypto::to_der(X509_get_subject_name(cert.get()), i2d_X509_NAME);
    const ASN1_BIT_STRING* key = X509_get0_pubkey_bitstr(cert.get());
    const core::ByteView key_bytes(ASN1_STRING_get0_data(key),
                                   static_cast<std::size_t>(ASN1_STRING_length(key)));
    for (int nid : kCertIdHashes)
        is->hashes.push_back({nid, {hash(nid, name_der), hash(nid, key_bytes)}});
    m_issuers.push_back(std::move(is));
}

const OcspResponder::Issuer* OcspResponder::issuer_of(const OcspCertId& id) const {
    for (const auto& is : m_issuers)
        for (const auto& [nid, h] : is->hashes)
            if (nid == id.hash_nid && same(h.first, id.issuer_name_hash) &&
                same(h.second, id.issuer_key_hash))
                return is.get();
    return nullptr;
}

core::Result<SingleStatus> OcspResponder::status_of(const Issuer& issuer, const OcspCertId& id,
                                                    core::TimePoint now) const {
    SingleStatus s;
    s.cert_id = id.der;
    s.status = CertStatus::unknown;
    s.this_update = now;
    s.next_update = now + m_settings.validity;
    if (id.serial.empty())
        return s;
    auto rec = m_certificates->find_certificate(id.serial);
    if (!rec)
        return std::unexpected(rec.error());
    if (!*rec || (*rec)->ca != issuer.name)
        return s;  // §2.2: unknown to this responder
    if ((*rec)->status == CertificateStatus::revoked) {
        s.status = CertStatus::revoked;
        s.revoked_at = (*rec)->revoked_at.value_or(now);
        s.reason = parse_revocation_reason((*rec)->revocation_reason);
    } else {
        s.status = CertStatus::good;
    }
    return s;
}

core::Result<OcspAnswer> OcspResponder::sign(const Issuer& issuer,
                                             std::span<const SingleStatus> statuses,
                                             std::optional<core::ByteView> nonce,
                                             core::TimePoint now) const {
    auto der = build_ocsp_response({issuer.signer.certificate.get(), now, statuses, nonce},
                                   *issuer.signer.key);
    if (!der)
        return std::unexpected(der.error());
    OcspAnswer a;
    a.status = OcspResponseStatus::successful;
    a.produced_at = now;
    a.next_update = now + m_settings.validity;
    a.etag = "\"" + core::hex_encode(crypto::sha256(*der)).substr(0, 32) + "\"";
    a.der = std::make_shared<const core::Bytes>(std::move(*der));
    return a;
}

core::Result<std::shared_ptr<const OcspResponder::Entry>> OcspResponder::make_entry(
    const Issuer& issuer, const OcspCertId& id) const {
    const auto now = m_clock->now();
    auto status = status_of(issuer, id, now);
    if (!status)
        return std::unexpected(status.error());
    auto answer = sign(issuer, std::span(&*status, 1), std::nullopt, now);
    if (!answer)
        return std::unexpected(answer.error());
    auto e = std::make_shared<Entry>();
    e->cert_id = id.der;
    e->issuer = &issuer;
    e->answer = std::move(*answer);
    // Unknown serials are not kept: anyone could fill the cache with made-up ones.
    e->answer.cacheable = status->status != CertStatus::unknown;
    e->refresh_at = now + m_settings.validity / 2;
    return std::shared_ptr<const Entry>(std::move(e));
}

void OcspResponder::store(const std::string& serial, std::shared_ptr<const Entry> entry,
                          std::uint64_t epoch, core::ByteView request) const {
    std::unique_lock lock(m_cache_mutex);
    // A revocation since the status was read: the answer may say good for a revoked certificate.
    if (epoch != m_epoch.load())
        return;
    if (!request.empty()) {
        if (m_by_request.size() >= m_settings.cache_limit)
            m_by_request.clear();
        m_by_request[std::string(request.begin(), request.end())] = entry;
    }
    auto& slot = m_cache[serial];
    for (auto& e : slot) {
        if (same(e->cert_id, entry->cert_id)) {
            e->superseded = true;
            e = std::move(entry);
            return;
        }
    }
    if (m_cached >= m_settings.cache_limit) {
        if (slot.empty())
            m_cache.erase(serial);
        return;
    }
    slot.push_back(std::move(entry));
    ++m_cached;
}

OcspAnswer OcspResponder::respond(core::ByteView request) const {
    {
        std::shared_lock lock(m_cache_mutex);
        const auto it = m_by_request.find(std::string(request.begin(), request.end()));
        if (it != m_by_request.end() && !it->second->superseded &&
            m_clock->now() < it->second->refresh_at)
            return it->second->answer;
    }
    auto req = parse_ocsp_request(request);
    if (!req)
        return error_answer(OcspResponseStatus::malformed_request);
    const Issuer* issuer = nullptr;
    for (const auto& id : req->ids) {
        const Issuer* is = issuer_of(id);
        // One response has one signer: every CertID must be of one CA this responder serves.
        if (is == nullptr || (issuer != nullptr && is != issuer))
            return error_answer(OcspResponseStatus::unauthorized);
        issuer = is;
    }
    const auto now = m_clock->now();
    if (!req->nonce_extension && req->ids.size() == 1) {
        const auto& id = req->ids.front();
        std::shared_ptr<const Entry> hit;
        {
            std::shared_lock lock(m_cache_mutex);
            if (auto it = m_cache.find(id.serial); it != m_cache.end())
                for (const auto& e : it->second)
                    if (same(e->cert_id, id.der) && now < e->refresh_at)
                        hit = e;
        }
        if (hit) {  // known under another encoding of the request: remember this one too
            std::unique_lock lock(m_cache_mutex);
            if (m_by_request.size() >= m_settings.cache_limit)
                m_by_request.clear();
            if (!hit->superseded)
                m_by_request[std::string(request.begin(), request.end())] = hit;
            return hit->answer;
        }
        const auto epoch = m_epoch.load();
        auto entry = make_entry(*issuer, id);
        if (!entry)
            return error_answer(OcspResponseStatus::internal_error);
        if ((*entry)->answer.cacheable)
            store(id.serial, *entry, epoch, request);
        return (*entry)->answer;
    }
    std::vector<SingleStatus> statuses;
    statuses.reserve(req->ids.size());
    for (const auto& id : req->ids) {
        auto s = status_of(*issuer, id, now);
        if (!s)
            return error_answer(OcspResponseStatus::internal_error);
        statuses.push_back(*s);
    }
    std::optional<core::ByteView> nonce;
    if (req->nonce_extension)
        nonce = core::ByteView(*req->nonce_extension);
    auto answer = sign(*issuer, statuses, nonce, now);
    if (!answer)
        return error_answer(OcspResponseStatus::internal_error);
    return std::move(*answer);
}

void OcspResponder::revoked(std::string_view serial) {
    std::vector<std::shared_ptr<const Entry>> taken;
    {
        std::unique_lock lock(m_cache_mutex);
        ++m_epoch;
        auto it = m_cache.find(std::string(serial));
        if (it == m_cache.end())
            return;
        taken = std::move(it->second);
        m_cache.erase(it);
        m_cached -= taken.size();
        for (const auto& e : taken) e->superseded = true;
    }
    for (const auto& old : taken) {
        const auto epoch = m_epoch.load();
        OcspCertId cid;
        cid.der = old->cert_id;
        cid.serial = std::string(serial);
        auto fresh = make_entry(*old->issuer, cid);
        if (fresh && (*fresh)->answer.cacheable)
            store(cid.serial, *fresh, epoch);
    }
}

std::size_t OcspResponder::refresh(std::size_t limit) {
    const auto now = m_clock->now();
    std::vector<std::pair<std::string, std::shared_ptr<const Entry>>> due;
    {
        std::shared_lock lock(m_cache_mutex);
        for (const auto& [serial, entries] : m_cache) {
            for (const auto& e : entries)
                if (now >= e->refresh_at && due.size() < limit)
                    due.emplace_back(serial, e);
            if (due.size() >= limit)
                break;
        }
    }
    std::size_t done = 0;
    for (const auto& [serial, old] : due) {
        const auto epoch = m_epoch.load();
        OcspCertId cid;
        cid.der = old->cert_id;
        cid.serial = serial;
        auto fresh = make_entry(*old->issuer, cid);
        if (fresh && (*fresh)->answer.cacheable) {
            store(serial, *fresh, epoch);
            ++done;
        }
    }
    return done;
}

std::size_t OcspResponder::cached() const {
    std::shared_lock lock(m_cache_mutex);
    return m_cached;
}

}  // namespace eseal::pki
