#pragma once
// Test-only helpers for the revocation, OCSP and TSA tests (pki and the modules to its right): a
// key store in memory, a service-signer repository over testing::MemoryRepository, and a CA
// hierarchy with an end-entity certificate.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "crypto/soft_key.hpp"
#include "pki/authority.hpp"
#include "pki/hierarchy.hpp"
#include "pki/identifiers.hpp"
#include "pki/key_store.hpp"
#include "pki/service_signer.hpp"
#include "pki/testing_support.hpp"
#include "pki/x509.hpp"

namespace eseal::pki::testing {

// A Signer that borrows a key the store keeps.
class BorrowedSigner final : public crypto::Signer {
  public:
    explicit BorrowedSigner(const crypto::Signer& key) : m_key(&key) {}
    [[nodiscard]] crypto::SignatureAlgorithm algorithm() const override {
        return m_key->algorithm();
    }
    [[nodiscard]] core::Bytes public_key() const override { return m_key->public_key(); }
    [[nodiscard]] core::Result<core::Bytes> sign(core::ByteView m) const override {
        return m_key->sign(m);
    }

  private:
    const crypto::Signer* m_key;
};

class MemoryKeyStore final : public KeyStore {
  public:
    std::string add(crypto::SoftKey key, const std::string& name) {
        std::lock_guard lock(m_mutex);
        const std::string ref = "mem:" + name + "." + std::to_string(m_keys.size());
        m_keys.emplace(ref, std::make_unique<crypto::SoftKey>(std::move(key)));
        return ref;
    }
    core::Result<std::unique_ptr<crypto::Signer>> open_key(std::string_view ref) override {
        std::lock_guard lock(m_mutex);
        auto it = m_keys.find(std::string(ref));
        if (it == m_keys.end())
            return core::fail(core::Errc::not_found, "key.missing", "no key " + std::string(ref));
        return std::unique_ptr<crypto::Signer>(std::make_unique<BorrowedSigner>(*it->second));
    }
    core::Result<NewKey> generate_key(crypto::KeyAlgorithm alg, std::string_view name) override {
        auto key = crypto::SoftKey::generate(alg);
        if (!key)
            return std::unexpected(key.error());
        const auto ref = add(std::move(*key), std::string(name));
        auto signer = open_key(ref);
        return NewKey{ref, std::move(*signer)};
    }

  private:
    std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<crypto::SoftKey>> m_keys;
};

class MemoryServiceSigners final : public ServiceSignerRepository {
  public:
    explicit MemoryServiceSigners(MemoryRepository& certificates) : m_certificates(&certificates) {}
    core::Result<void> add_service_signer(const CertificateRecord& c, const ServiceSignerRecord& s,
                                          const core::AuditEvent& e) override {
        if (auto r = m_certificates->add_certificate(c, e); !r)
            return r;
        std::lock_guard lock(m_mutex);
        m_signers.push_back(s);
        return {};
    }
    core::Result<std::vector<ServiceSignerRecord>> service_signers(std::string_view ca,
                                                                   ServicePurpose p) override {
        std::lock_guard lock(m_mutex);
        std::vector<ServiceSignerRecord> out;
        for (const auto& s : m_signers)
            if (s.ca == ca && s.purpose == p)
                out.push_back(s);
        std::sort(out.begin(), out.end(),
                  [](auto& a, auto& b) { return a.not_after > b.not_after; });
        return out;
    }

  private:
    MemoryRepository* m_certificates;
    std::mutex m_mutex;
    std::vector<ServiceSignerRecord> m_signers;
};

inline core::TimePoint utc(const char* text) {
    core::TimePoint t{};
    EXPECT_TRUE(core::parse_utc(text, t)) << text;
    return t;
}

// A root and an issuing CA in one suite, stored in `repo`, their keys in `keys`.
struct TestHierarchy {
    CaRecord root;
    CaRecord issuing;
    crypto::X509Ptr root_cert;
    crypto::X509Ptr issuing_cert;
};

inline TestHierarchy make_test_hierarchy(crypto::KeyAlgorithm alg, const std::string& name,
                                         CertificateRepository& repo, MemoryKeyStore& keys,
                                         const core::Clock& clock) {
    auto root_key = crypto::SoftKey::generate(alg);
    auto issuing_key = crypto::SoftKey::generate(alg);
    EXPECT_TRUE(root_key && issuing_key);
    auto made = make_hierarchy({name, alg, "eseal test", 20, 10, "http://ca.test"}, *root_key,
                               *issuing_key, repo, clock);
    EXPECT_TRUE(made) << made.error().describe();
    made->root.record.key_ref = keys.add(std::move(*root_key), name + "-root");
    made->issuing.record.key_ref = keys.add(std::move(*issuing_key), name);
    EXPECT_TRUE(repo.add_ca(made->root.record, made->root.certificate, {}));
    EXPECT_TRUE(repo.add_ca(made->issuing.record, made->issuing.certificate, {}));
    TestHierarchy h{made->root.record, made->issuing.record, nullptr, nullptr};
    h.root_cert = std::move(*parse_certificate(h.root.certificate));
    h.issuing_cert = std::move(*parse_certificate(h.issuing.certificate));
    return h;
}

// An organization certificate issued by the CA; returns its record.
inline CertificateRecord issue_test_certificate(const CaRecord& ca, CertificateRepository& repo,
                                                KeyStore& keys, const core::Clock& clock,
                                                const std::string& credit_code) {
    auto signer = keys.open_key(ca.key_ref);
    EXPECT_TRUE(signer);
    auto authority = CertificateAuthority::open(ca, std::move(*signer), repo, clock);
    EXPECT_TRUE(authority) << authority.error().describe();
    auto key = crypto::SoftKey::generate(ca.algorithm);
    const auto csr = make_csr(*key, org_subject(credit_code));
    auto rec = authority->issue({core::to_bytes(csr), Profile::organization, 1, {}, "test", std::nullopt});
    EXPECT_TRUE(rec) << rec.error().describe();
    return *rec;
}

// Valid credit codes for test certificates: "9135010000000000" + n + check character.
inline std::string test_credit_code(int n) {
    std::string first17 = "91350100M0001" + std::string(4 - std::to_string(n % 10000).size(), '0') +
                          std::to_string(n % 10000);
    return first17 + credit_code_check_char(first17);
}

}  // namespace eseal::pki::testing
