#include <gtest/gtest.h>

#include "store/sqlite_store.hpp"
#include "store/test_support.hpp"

namespace eseal::store {
namespace {

using namespace test_support;

class TokenInventoryTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = SqliteStore::open(m_dir.path() / "t.db");
        ASSERT_TRUE(opened) << opened.error().describe();
        m_store = std::move(*opened);
        m_ca = sample_ca("issuing");
        ASSERT_TRUE(m_store->add_ca(m_ca, ca_certificate(m_ca), sample_event("ca.init", "ca:issuing")));
    }
    token::TokenRecord token(const std::string& serial) {
        return {serial, "pkcs11", "/usr/lib/softhsm/libsofthsm2.so", "Ukey", token::TokenState::in_stock,
                core::Bytes{1, 2, 3}, day(2026, 11, 1), day(2026, 11, 1), {}};
    }
    TempDir m_dir;
    std::unique_ptr<SqliteStore> m_store;
    pki::CaRecord m_ca;
};

TEST_F(TokenInventoryTest, AddFindUpdateAndLink) {
    ASSERT_TRUE(m_store->add_token(token("T1"), sample_event("token.init", "token:T1")));
    auto dup = m_store->add_token(token("T1"), sample_event("token.init", "token:T1"));
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, "token.duplicate");

    auto cert = sample_certificate("abc1", "issuing");
    ASSERT_TRUE(m_store->add_certificate(cert, sample_event("certificate.issue", "certificate:abc1")));
    ASSERT_TRUE(m_store->link_certificate("T1", {"abc1", "00ff", day(2026, 11, 2)}, token::TokenState::active,
                                          day(2026, 11, 2), sample_event("token.enroll", "token:T1")));
    auto found = m_store->find_token("T1");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->state, token::TokenState::active);
    ASSERT_EQ((*found)->certificates.size(), 1u);
    EXPECT_EQ((*found)->certificates[0].certificate_serial, "abc1");
    EXPECT_EQ((*found)->certificates[0].key_id, "00ff");
    EXPECT_EQ((*found)->so_pin_sealed, (core::Bytes{1, 2, 3}));

    auto locked = **found;
    locked.state = token::TokenState::locked;
    ASSERT_TRUE(m_store->update_token(locked, sample_event("token.lock", "token:T1")));
    auto only_locked = m_store->list_tokens(token::TokenState::locked);
    ASSERT_TRUE(only_locked);
    ASSERT_EQ(only_locked->size(), 1u);
    EXPECT_EQ(only_locked->front().certificates.size(), 1u);
    EXPECT_TRUE(m_store->verify_audit()->ok());
}

TEST_F(TokenInventoryTest, UnknownTokensAndCertificatesChangeNothing) {
    auto missing = m_store->update_token(token("nope"), sample_event("x", "token:nope"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "token.unknown");
    ASSERT_TRUE(m_store->add_token(token("T2"), sample_event("token.init", "token:T2")));
    const auto events_before = m_store->audit_events(0)->size();
    auto bad_link = m_store->link_certificate("T2", {"no-such-cert", "01", day(2026, 11, 2)}, token::TokenState::active,
                                              day(2026, 11, 2), sample_event("token.enroll", "token:T2"));
    ASSERT_FALSE(bad_link);
    EXPECT_EQ(bad_link.error().code, "token.link_unknown");
    EXPECT_EQ((*m_store->find_token("T2"))->state, token::TokenState::in_stock);
    EXPECT_EQ(m_store->audit_events(0)->size(), events_before);
}

}  // namespace
}  // namespace eseal::store
