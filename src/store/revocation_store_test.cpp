// Revocation against the real store: the rules of revoke, the journal, CRL numbers, and the OCSP
// responder's pre-signed answers being signed again after a revocation.
#include <gtest/gtest.h>
#include <openssl/ocsp.h>

#include "pki/crl.hpp"
#include "pki/ocsp_responder.hpp"
#include "pki/revocation_testing.hpp"
#include "store/sqlite_store.hpp"
#include "store/test_support.hpp"

namespace eseal::store {
namespace {

using pki::testing::utc;

class RevocationStore : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened = SqliteStore::open(m_dir.path() / "eseal.db");
        ASSERT_TRUE(opened) << opened.error().describe();
        m_store = std::move(*opened);
        m_h = pki::testing::make_test_hierarchy(crypto::KeyAlgorithm::ecdsa_p256, "rv", *m_store,
                                                m_keys, m_clock);
        for (int i = 0; i < 3; ++i)
            m_certs.push_back(pki::testing::issue_test_certificate(
                m_h.issuing, *m_store, m_keys, m_clock, pki::testing::test_credit_code(i)));
    }

    core::Result<pki::CertificateRecord> revoke(const std::string& serial,
                                                pki::RevocationReason reason,
                                                std::optional<core::TimePoint> invalidity = {}) {
        return pki::revoke_certificate(*m_store, *m_store, {serial, reason, {}, invalidity}, "test",
                                       m_clock);
    }

    test_support::TempDir m_dir;
    core::ManualClock m_clock{utc("2026-03-01T08:00:00Z")};
    pki::testing::MemoryKeyStore m_keys;
    std::unique_ptr<SqliteStore> m_store;
    pki::testing::TestHierarchy m_h;
    std::vector<pki::CertificateRecord> m_certs;
};

TEST_F(RevocationStore, RevokesOnceWithTimeReasonAndAuditEvent) {
    const auto events_before = m_store->audit_events(0)->size();
    m_clock.advance(std::chrono::hours{2});
    auto r = revoke(m_certs[0].serial, pki::RevocationReason::key_compromise,
                    utc("2026-03-01T07:00:00Z"));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->status, pki::CertificateStatus::revoked);
    EXPECT_EQ(r->revoked_at, m_clock.now());
    EXPECT_EQ(r->revocation_reason, "keyCompromise");
    auto events = m_store->audit_events(0);
    ASSERT_EQ(events->size(), events_before + 1);
    EXPECT_EQ(events->back().event.action, "certificate.revoke");
    EXPECT_EQ(events->back().event.object, "certificate:" + m_certs[0].serial);
    EXPECT_TRUE(m_store->verify_audit()->ok());

    auto twice = revoke(m_certs[0].serial, pki::RevocationReason::superseded);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, "certificate.already_revoked");
    auto unknown = revoke("abcdef0123", pki::RevocationReason::unspecified);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "certificate.unknown");
    auto hold = revoke(m_certs[1].serial, pki::RevocationReason::certificate_hold);
    ASSERT_FALSE(hold);
    EXPECT_EQ(hold.error().code, "revocation.reason");
    auto future = revoke(m_certs[1].serial, pki::RevocationReason::key_compromise,
                         m_clock.now() + std::chrono::hours{1});
    ASSERT_FALSE(future);
    EXPECT_EQ(future.error().code, "revocation.invalidity_date");
    auto root = revoke(m_h.root.serial, pki::RevocationReason::ca_compromise);
    ASSERT_FALSE(root);
    EXPECT_EQ(root.error().code, "revocation.root");
    EXPECT_EQ(m_store->audit_events(0)->size(), events_before + 1) << "refusals change nothing";
    EXPECT_EQ((*m_store->find_certificate(m_certs[1].serial))->status,
              pki::CertificateStatus::valid);

    auto list = m_store->revoked_by(m_h.issuing.name);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->entries.size(), 1u);
    EXPECT_EQ(list->entries[0].invalidity_date, utc("2026-03-01T07:00:00Z"));
    EXPECT_EQ(list->revocation_seq, 1);
    auto changes = m_store->revocations_after(0, 10);
    ASSERT_EQ(changes->size(), 1u);
    EXPECT_EQ(changes->front().serial, m_certs[0].serial);
    EXPECT_EQ(changes->front().ca, m_h.issuing.name);
}

TEST_F(RevocationStore, CrlNumbersGrowAndARevocationMakesTheCrlDue) {
    pki::CrlPublisher crls(*m_store, *m_store, m_keys, m_clock, std::chrono::hours{24});
    EXPECT_TRUE(*crls.due(m_h.issuing.name)) << "no CRL yet";
    auto first = crls.current(m_h.issuing.name);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->number, 1);
    EXPECT_EQ(first->next_update, first->this_update + std::chrono::hours{24});
    EXPECT_FALSE(*crls.due(m_h.issuing.name));
    EXPECT_EQ(crls.current(m_h.issuing.name)->number, 1) << "still current";

    ASSERT_TRUE(revoke(m_certs[1].serial, pki::RevocationReason::superseded));
    EXPECT_TRUE(*crls.due(m_h.issuing.name)) << "misses a revocation";
    auto second = crls.current(m_h.issuing.name);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->number, 2);
    auto info = pki::verify_crl(second->der, m_h.issuing_cert.get());
    ASSERT_TRUE(info) << info.error().describe();
    EXPECT_EQ(info->number, 2);
    ASSERT_EQ(info->entries.size(), 1u);
    EXPECT_EQ(info->entries[0].serial, m_certs[1].serial);
    EXPECT_EQ(info->entries[0].reason, pki::RevocationReason::superseded);

    m_clock.advance(std::chrono::hours{12});  // half the period: remade
    EXPECT_TRUE(*crls.due(m_h.issuing.name));
    EXPECT_EQ(crls.current(m_h.issuing.name)->number, 3);
    EXPECT_EQ(crls.publish(m_h.issuing.name)->number, 4);

    // A number at or below the stored one is refused, so cRLNumber never goes back.
    pki::CrlRecord stale = *m_store->latest_crl(m_h.issuing.name, true).value();
    auto refused = m_store->store_crl(stale, {});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "crl.number_used");

    // The root's CRL covers the issuing CA.
    ASSERT_TRUE(revoke(m_h.issuing.serial, pki::RevocationReason::ca_compromise));
    auto root_crl = crls.current(m_h.root.name);
    ASSERT_TRUE(root_crl);
    auto root_info = pki::verify_crl(root_crl->der, m_h.root_cert.get());
    ASSERT_TRUE(root_info);
    ASSERT_EQ(root_info->entries.size(), 1u);
    EXPECT_EQ(root_info->entries[0].serial, m_h.issuing.serial);
    EXPECT_EQ(root_info->entries[0].reason, pki::RevocationReason::ca_compromise);
}

TEST_F(RevocationStore, PreSignedOcspAnswerIsSignedAgainAfterRevocation) {
    pki::OcspResponder responder(*m_store, m_clock, {});
    pki::ServiceSignerContext ctx{*m_store, *m_store, m_keys, m_clock, {}};
    auto signer =
        pki::ensure_service_signer(ctx, m_h.issuing.name, pki::ServicePurpose::ocsp, "test");
    ASSERT_TRUE(signer) << signer.error().describe();
    responder.add_issuer(m_h.issuing, std::move(*signer));
    EXPECT_EQ(m_store->service_signers(m_h.issuing.name, pki::ServicePurpose::ocsp)->size(), 1u);

    auto leaf = pki::parse_certificate(m_certs[2].der);
    std::unique_ptr<OCSP_REQUEST, crypto::Free<OCSP_REQUEST_free>> req(OCSP_REQUEST_new());
    OCSP_request_add0_id(req.get(),
                         OCSP_cert_to_id(EVP_sha1(), leaf->get(), m_h.issuing_cert.get()));
    const auto der = crypto::to_der(req.get(), i2d_OCSP_REQUEST);

    const auto before = responder.respond(der);
    ASSERT_TRUE(before.cacheable);
    EXPECT_EQ(responder.respond(der).der.get(), before.der.get());
    EXPECT_EQ(pki::verify_ocsp_response(*before.der, m_h.issuing_cert.get())->responses[0].status,
              pki::CertStatus::good);

    m_clock.advance(std::chrono::minutes{5});
    ASSERT_TRUE(revoke(m_certs[2].serial, pki::RevocationReason::key_compromise));
    responder.revoked(m_certs[2].serial);  // what the server does when it sees the journal row
    const auto after = responder.respond(der);
    ASSERT_TRUE(after.cacheable);
    EXPECT_NE(after.der.get(), before.der.get());
    EXPECT_EQ(responder.cached(), 1u);
    auto info = pki::verify_ocsp_response(*after.der, m_h.issuing_cert.get());
    ASSERT_TRUE(info);
    EXPECT_EQ(info->responses[0].status, pki::CertStatus::revoked);
    EXPECT_EQ(info->responses[0].reason, pki::RevocationReason::key_compromise);
    EXPECT_EQ(info->responses[0].revoked_at, m_clock.now());
}

}  // namespace
}  // namespace eseal::store
