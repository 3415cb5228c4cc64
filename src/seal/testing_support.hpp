#pragma once
// Test-only: a CA hierarchy in memory that issues the seal maker's and the signers' certificates.
#include <gtest/gtest.h>

#include <optional>

#include "crypto/soft_key.hpp"
#include "pki/authority.hpp"
#include "pki/hierarchy.hpp"
#include "pki/testing_support.hpp"
#include "seal/trust.hpp"

namespace eseal::seal::testing {

inline core::TimePoint at(const char* text) {
    core::TimePoint t;
    EXPECT_TRUE(core::parse_utc(text, t)) << text;
    return t;
}

struct Party {
    crypto::SoftKey key;
    core::Bytes certificate;  // DER
};

// A root and an issuing CA (in memory) whose clock the test moves.
struct TestPki {
    crypto::KeyAlgorithm algorithm;
    pki::testing::MemoryRepository repository;
    core::ManualClock clock{at("2026-11-25T10:00:00Z")};
    std::optional<pki::NewHierarchy> hierarchy;
    std::optional<pki::CertificateAuthority> ca;

    explicit TestPki(crypto::KeyAlgorithm alg = crypto::KeyAlgorithm::sm2,
                     const char* name = "test")
        : algorithm(alg) {
        auto root_key = crypto::SoftKey::generate(alg);
        auto issuing_key = crypto::SoftKey::generate(alg);
        auto made = pki::make_hierarchy({name, alg, "eseal test", 20, 10, "http://ca.test"},
                                        *root_key, *issuing_key, repository, clock);
        EXPECT_TRUE(made) << made.error().describe();
        hierarchy.emplace(std::move(*made));
        (void)repository.add_ca(hierarchy->root.record, hierarchy->root.certificate, {});
        (void)repository.add_ca(hierarchy->issuing.record, hierarchy->issuing.certificate, {});
        auto opened = pki::CertificateAuthority::open(
            hierarchy->issuing.record, std::make_unique<crypto::SoftKey>(std::move(*issuing_key)),
            repository, clock);
        EXPECT_TRUE(opened) << opened.error().describe();
        ca.emplace(std::move(*opened));
    }

    // An organization certificate (profile org) with a new key, valid `years` from the clock's now.
    Party issue(int years = 3) {
        auto key = crypto::SoftKey::generate(algorithm);
        EXPECT_TRUE(key);
        const auto csr = pki::testing::make_csr(*key, pki::testing::org_subject());
        auto rec = ca->issue({core::to_bytes(csr), pki::Profile::organization, years, {}, "test", std::nullopt});
        EXPECT_TRUE(rec) << rec.error().describe();
        return {std::move(*key), rec->der};
    }

    [[nodiscard]] TrustStore trust() const {
        return {{hierarchy->root.record.certificate}, {hierarchy->issuing.record.certificate}};
    }
};

}  // namespace eseal::seal::testing
