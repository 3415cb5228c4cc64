#include "pki/crl.hpp"

#include <gtest/gtest.h>
#include <openssl/x509.h>

#include "pki/revocation_testing.hpp"

namespace eseal::pki {
namespace {

using namespace testing;

TEST(RevocationReason, ParsesRfcNamesAndRefusesHoldAndRemove) {
    EXPECT_EQ(parse_revocation_reason("keyCompromise"), RevocationReason::key_compromise);
    EXPECT_EQ(parse_revocation_reason("KEYCOMPROMISE"), RevocationReason::key_compromise);
    EXPECT_EQ(parse_revocation_reason("cACompromise"), RevocationReason::ca_compromise);
    EXPECT_EQ(parse_revocation_reason("aACompromise"), RevocationReason::aa_compromise);
    EXPECT_FALSE(parse_revocation_reason("stolen"));
    EXPECT_EQ(static_cast<int>(*parse_revocation_reason("privilegeWithdrawn")), 9);
    for (auto r : {RevocationReason::unspecified, RevocationReason::key_compromise,
                   RevocationReason::superseded, RevocationReason::cessation_of_operation,
                   RevocationReason::privilege_withdrawn})
        EXPECT_TRUE(check_revocation_reason(r)) << to_string(r);
    auto hold = check_revocation_reason(RevocationReason::certificate_hold);
    ASSERT_FALSE(hold);
    EXPECT_EQ(hold.error().code, "revocation.reason");
    EXPECT_FALSE(check_revocation_reason(RevocationReason::remove_from_crl));
    for (int code = 0; code <= 10; ++code)
        if (auto r = revocation_reason_from_code(code)) {
            EXPECT_EQ(parse_revocation_reason(to_string(*r)), r);
        }
}

class CrlBuild : public ::testing::TestWithParam<crypto::KeyAlgorithm> {};

TEST_P(CrlBuild, SignsEntriesWithReasonsAndVerifies) {
    MemoryRepository repo;
    MemoryKeyStore keys;
    core::ManualClock clock{utc("2026-03-01T08:00:00Z")};
    auto h = make_test_hierarchy(GetParam(), "crl", repo, keys, clock);
    const std::vector<RevokedCertificate> entries = {
        {"1a2b3c", utc("2026-02-01T00:00:00Z"), RevocationReason::key_compromise,
         utc("2026-01-30T00:00:00Z")},
        {"ff00000000000000000000000000000001",
         utc("2026-02-02T00:00:00Z"),
         RevocationReason::unspecified,
         {}},
        {"7", utc("2026-02-03T00:00:00Z"), RevocationReason::superseded, {}},
        {"80", utc("2051-02-03T04:05:06Z"), RevocationReason::aa_compromise,
         utc("2050-12-31T23:59:59Z")},
    };
    auto signer = keys.open_key(h.issuing.key_ref);
    auto der = build_crl(
        {h.issuing_cert.get(), 42, clock.now(), clock.now() + std::chrono::hours{24}, entries},
        **signer);
    ASSERT_TRUE(der) << der.error().describe();

    auto info = verify_crl(*der, h.issuing_cert.get());
    ASSERT_TRUE(info) << info.error().describe();
    EXPECT_EQ(info->number, 42);
    EXPECT_EQ(info->this_update, clock.now());
    EXPECT_EQ(info->next_update, clock.now() + std::chrono::hours{24});
    ASSERT_EQ(info->entries.size(), 4u);
    EXPECT_EQ(info->entries[0].serial, "1a2b3c");
    EXPECT_EQ(info->entries[0].reason, RevocationReason::key_compromise);
    EXPECT_EQ(info->entries[0].invalidity_date, utc("2026-01-30T00:00:00Z"));
    EXPECT_EQ(info->entries[1].serial, "ff00000000000000000000000000000001");
    EXPECT_FALSE(info->entries[1].reason) << "unspecified is left out (RFC 5280 §5.3.1)";
    EXPECT_FALSE(info->entries[1].invalidity_date);
    EXPECT_EQ(info->entries[2].reason, RevocationReason::superseded);
    EXPECT_EQ(info->entries[3].serial, "80") << "high bit set: a 0x00 keeps it positive";
    EXPECT_EQ(info->entries[3].revoked_at, utc("2051-02-03T04:05:06Z"))
        << "GeneralizedTime after 2049";
    EXPECT_EQ(info->entries[3].reason, RevocationReason::aa_compromise);
    EXPECT_EQ(info->entries[3].invalidity_date, utc("2050-12-31T23:59:59Z"));

    // Not from the root; and a flipped bit in the signed part is caught.
    EXPECT_FALSE(verify_crl(*der, h.root_cert.get()));
    auto tampered = *der;
    tampered[tampered.size() / 2] ^= 0x01;
    EXPECT_FALSE(verify_crl(tampered, h.issuing_cert.get()));

    // OpenSSL reads the same CRL, and checks ECDSA and RSA signatures itself.
    const unsigned char* p = der->data();
    std::unique_ptr<X509_CRL, crypto::Free<X509_CRL_free>> crl(
        d2i_X509_CRL(nullptr, &p, static_cast<long>(der->size())));
    ASSERT_TRUE(crl);
    EXPECT_EQ(X509_CRL_get_version(crl.get()), X509_CRL_VERSION_2);
    EXPECT_GE(X509_CRL_get_ext_by_NID(crl.get(), NID_authority_key_identifier, -1), 0);
    if (GetParam() != crypto::KeyAlgorithm::sm2) {
        EXPECT_EQ(X509_CRL_verify(crl.get(), X509_get0_pubkey(h.issuing_cert.get())), 1);
    }
}

TEST_P(CrlBuild, EmptyCrlHasNoRevokedList) {
    MemoryRepository repo;
    MemoryKeyStore keys;
    core::ManualClock clock{utc("2026-03-01T08:00:00Z")};
    auto h = make_test_hierarchy(GetParam(), "empty", repo, keys, clock);
    auto signer = keys.open_key(h.root.key_ref);
    auto der = build_crl(
        {h.root_cert.get(), 1, clock.now(), clock.now() + std::chrono::hours{1}, {}}, **signer);
    ASSERT_TRUE(der) << der.error().describe();
    auto info = verify_crl(*der, h.root_cert.get());
    ASSERT_TRUE(info) << info.error().describe();
    EXPECT_EQ(info->number, 1);
    EXPECT_TRUE(info->entries.empty());
}

INSTANTIATE_TEST_SUITE_P(Algorithms, CrlBuild,
                         ::testing::Values(crypto::KeyAlgorithm::sm2,
                                           crypto::KeyAlgorithm::ecdsa_p256,
                                           crypto::KeyAlgorithm::rsa2048),
                         [](const auto& p) {
                             return p.param == crypto::KeyAlgorithm::ecdsa_p256
                                        ? std::string("ecdsa")
                                        : std::string(crypto::to_string(p.param));
                         });

TEST(CrlVerify, RejectsGarbage) {
    MemoryRepository repo;
    MemoryKeyStore keys;
    core::ManualClock clock{utc("2026-03-01T08:00:00Z")};
    auto h = make_test_hierarchy(crypto::KeyAlgorithm::ecdsa_p256, "g", repo, keys, clock);
    for (const std::string& junk : std::vector<std::string>{
             "", "0", std::string("\x30\x03\x02\x01\x01", 5), std::string(1000, 'x')})
        EXPECT_FALSE(verify_crl(core::as_bytes(junk), h.issuing_cert.get()));
}

}  // namespace
}  // namespace eseal::pki
