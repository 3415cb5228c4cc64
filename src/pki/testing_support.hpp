#pragma once
// Test-only helpers for pki's unit tests: an in-memory CertificateRepository (the SQLite one is
// tested in store/ against the same port) and a CSR maker.
#include <map>
#include <mutex>

#include <openssl/pem.h>

#include "crypto/public_key.hpp"
#include "crypto/soft_key.hpp"
#include "pki/ports.hpp"

namespace eseal::pki::testing {

class MemoryRepository final : public CertificateRepository {
public:
    core::Result<void> add_ca(const CaRecord& ca, const CertificateRecord& cert, const core::AuditEvent& e) override {
        std::lock_guard lock(m_mutex);
        m_cas[ca.name] = ca;
        m_certs[cert.serial] = cert;
        m_events.push_back(e);
        return {};
    }
    core::Result<std::optional<CaRecord>> find_ca(std::string_view name) override {
        std::lock_guard lock(m_mutex);
        auto it = m_cas.find(std::string(name));
        if (it == m_cas.end()) return std::optional<CaRecord>{};
        return std::optional<CaRecord>{it->second};
    }
    core::Result<std::vector<CaRecord>> list_cas() override {
        std::lock_guard lock(m_mutex);
        std::vector<CaRecord> out;
        for (auto& [_, c] : m_cas) out.push_back(c);
        return out;
    }
    core::Result<void> add_certificate(const CertificateRecord& c, const core::AuditEvent& e) override {
        std::lock_guard lock(m_mutex);
        if (m_certs.contains(c.serial)) return core::fail(core::Errc::already_exists, "certificate.duplicate", "serial");
        for (auto& [_, x] : m_certs)
            if (x.key_sha256 == c.key_sha256)
                return core::fail(core::Errc::already_exists, "certificate.duplicate", "key");
        m_certs[c.serial] = c;
        m_events.push_back(e);
        return {};
    }
    core::Result<bool> serial_exists(std::string_view serial) override {
        std::lock_guard lock(m_mutex);
        return m_certs.contains(std::string(serial));
    }
    core::Result<std::optional<CertificateRecord>> find_by_key(std::string_view key) override {
        std::lock_guard lock(m_mutex);
        for (auto& [_, x] : m_certs)
            if (x.key_sha256 == key) return std::optional<CertificateRecord>{x};
        return std::optional<CertificateRecord>{};
    }
    core::Result<std::optional<CertificateRecord>> find_certificate(std::string_view serial) override {
        std::lock_guard lock(m_mutex);
        auto it = m_certs.find(std::string(serial));
        if (it == m_certs.end()) return std::optional<CertificateRecord>{};
        return std::optional<CertificateRecord>{it->second};
    }
    core::Result<std::vector<CertificateRecord>> find_certificates(const CertificateQuery&) override {
        std::lock_guard lock(m_mutex);
        std::vector<CertificateRecord> out;
        for (auto& [_, c] : m_certs) out.push_back(c);
        return out;
    }
    std::size_t certificate_count() {
        std::lock_guard lock(m_mutex);
        return m_certs.size();
    }
    std::size_t event_count() {
        std::lock_guard lock(m_mutex);
        return m_events.size();
    }

private:
    std::mutex m_mutex;
    std::map<std::string, CaRecord> m_cas;
    std::map<std::string, CertificateRecord> m_certs;
    std::vector<core::AuditEvent> m_events;
};

struct CsrSubject {
    std::vector<std::pair<int, std::string>> entries;
};

// A PEM CSR signed by `key` (SM2 with the GM ID unless `sm2_empty_id`).
inline std::string make_csr(const crypto::SoftKey& key, const CsrSubject& subject, bool sm2_empty_id = false) {
    crypto::X509ReqPtr req(X509_REQ_new());
    X509_NAME* name = X509_REQ_get_subject_name(req.get());
    for (const auto& [nid, v] : subject.entries)
        X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(v.data()),
                                   static_cast<int>(v.size()), -1, 0);
    X509_REQ_set_pubkey(req.get(), key.pkey());
    if (sm2_empty_id) {
        crypto::MdCtxPtr md(EVP_MD_CTX_new());
        EVP_DigestSignInit(md.get(), nullptr, EVP_sm3(), nullptr, key.pkey());
        X509_REQ_sign_ctx(req.get(), md.get());
    } else {
        auto ctx = crypto::signature_context(key.pkey(), key.algorithm(), crypto::Direction::sign);
        X509_REQ_sign_ctx(req.get(), ctx->md.get());
    }
    crypto::BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509_REQ(bio.get(), req.get());
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return {data, static_cast<std::size_t>(n)};
}

inline CsrSubject org_subject(std::string credit_code = "91350100M000100Y43") {
    return {{{NID_countryName, "CN"},
             {NID_stateOrProvinceName, "广东省"},
             {NID_localityName, "深圳市"},
             {NID_organizationName, "深圳市示例科技有限公司"},
             {NID_organizationIdentifier, std::move(credit_code)}}};
}

}  // namespace eseal::pki::testing
