#include "pki/ocsp.hpp"

#include <gtest/gtest.h>
#include <openssl/ocsp.h>

#include "pki/ocsp_responder.hpp"
#include "pki/revocation_testing.hpp"

namespace eseal::pki {
namespace {

using namespace testing;
using OcspRequestPtr = std::unique_ptr<OCSP_REQUEST, crypto::Free<OCSP_REQUEST_free>>;

struct OcspWorld {
    MemoryRepository repo;
    MemoryKeyStore keys;
    MemoryServiceSigners signers{repo};
    core::ManualClock clock{utc("2026-03-01T08:00:00Z")};
    TestHierarchy h;
    CertificateRecord good;
    CertificateRecord revoked;
    std::optional<OcspResponder> responder;

    explicit OcspWorld(crypto::KeyAlgorithm alg) {
        h = make_test_hierarchy(alg, "ocsp", repo, keys, clock);
        good = issue_test_certificate(h.issuing, repo, keys, clock, test_credit_code(1));
        // A revoked row as the store would hold it (the memory repository has no revoke).
        revoked = issue_test_certificate(h.issuing, repo, keys, clock, test_credit_code(2));
        revoked.serial = "5eed";
        revoked.key_sha256 = "other";
        revoked.status = CertificateStatus::revoked;
        revoked.revoked_at = utc("2026-02-28T10:00:00Z");
        revoked.revocation_reason = "keyCompromise";
        EXPECT_TRUE(repo.add_certificate(revoked, {}));
        responder.emplace(repo, clock, OcspSettings{std::chrono::hours{1}, 100});
        ServiceSignerContext ctx{repo, signers, keys, clock, {}};
        for (const auto* ca : {&h.root, &h.issuing}) {
            auto s = ensure_service_signer(ctx, ca->name, ServicePurpose::ocsp, "test");
            EXPECT_TRUE(s) << s.error().describe();
            responder->add_issuer(*ca, std::move(*s));
        }
    }

    OCSP_CERTID* id_for(const std::string& serial_hex, const EVP_MD* md = EVP_sha1()) const {
        BIGNUM* bn = nullptr;
        BN_hex2bn(&bn, serial_hex.c_str());
        crypto::Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn, nullptr));
        BN_free(bn);
        return OCSP_cert_id_new(md, X509_get_subject_name(h.issuing_cert.get()),
                                X509_get0_pubkey_bitstr(h.issuing_cert.get()), serial.get());
    }
};

core::Bytes encode(OCSP_REQUEST* req) {
    return crypto::to_der(req, i2d_OCSP_REQUEST);
}

class OcspBoth : public ::testing::TestWithParam<crypto::KeyAlgorithm> {};

TEST_P(OcspBoth, GoodRevokedUnknownInOneRequestWithNonce) {
    OcspWorld s(GetParam());
    OcspRequestPtr req(OCSP_REQUEST_new());
    OCSP_request_add0_id(req.get(), s.id_for(s.good.serial));
    OCSP_request_add0_id(req.get(), s.id_for(s.revoked.serial, EVP_sha256()));
    OCSP_request_add0_id(req.get(), s.id_for("123456789abcdef"));
    ASSERT_EQ(OCSP_request_add1_nonce(req.get(), nullptr, 16), 1);
    const auto der = encode(req.get());

    const auto answer = s.responder->respond(der);
    ASSERT_EQ(answer.status, OcspResponseStatus::successful);
    EXPECT_FALSE(answer.cacheable) << "a nonce makes an answer unique";
    auto info = verify_ocsp_response(*answer.der, s.h.issuing_cert.get());
    ASSERT_TRUE(info) << info.error().describe();
    ASSERT_EQ(info->responses.size(), 3u);
    EXPECT_EQ(info->responses[0].serial, s.good.serial);
    EXPECT_EQ(info->responses[0].status, CertStatus::good);
    EXPECT_EQ(info->responses[1].status, CertStatus::revoked);
    EXPECT_EQ(info->responses[1].revoked_at, utc("2026-02-28T10:00:00Z"));
    EXPECT_EQ(info->responses[1].reason, RevocationReason::key_compromise);
    EXPECT_EQ(info->responses[2].status, CertStatus::unknown);
    EXPECT_EQ(info->responses[0].this_update, s.clock.now());
    EXPECT_EQ(info->responses[0].next_update, s.clock.now() + std::chrono::hours{1});
    ASSERT_TRUE(info->nonce_extension);
    auto parsed = parse_ocsp_request(der);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*info->nonce_extension, *parsed->nonce_extension)
        << "the nonce is echoed (RFC 6960 §4.4.1)";
    EXPECT_NE(info->responder_serial, s.h.issuing.serial) << "signed by the delegated responder";

    // OpenSSL checks the ECDSA response itself: signature, delegation, nonce.
    if (GetParam() != crypto::KeyAlgorithm::sm2) {
        const unsigned char* p = answer.der->data();
        std::unique_ptr<OCSP_RESPONSE, crypto::Free<OCSP_RESPONSE_free>> resp(
            d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(answer.der->size())));
        ASSERT_TRUE(resp);
        std::unique_ptr<OCSP_BASICRESP, crypto::Free<OCSP_BASICRESP_free>> bs(
            OCSP_response_get1_basic(resp.get()));
        ASSERT_TRUE(bs);
        crypto::X509StorePtr store(X509_STORE_new());
        X509_STORE_add_cert(store.get(), s.h.root_cert.get());
        crypto::X509StackPtr chain(sk_X509_new_null());
        sk_X509_push(chain.get(), X509_dup(s.h.issuing_cert.get()));
        EXPECT_EQ(OCSP_basic_verify(bs.get(), chain.get(), store.get(), 0), 1);
        EXPECT_EQ(OCSP_check_nonce(req.get(), bs.get()), 1);
    }
}

TEST_P(OcspBoth, AnswersWithoutNonceArePreSignedAndRefreshedAtHalfLife) {
    OcspWorld s(GetParam());
    OcspRequestPtr req(OCSP_REQUEST_new());
    OCSP_request_add0_id(req.get(), s.id_for(s.good.serial));
    const auto der = encode(req.get());
    const auto first = s.responder->respond(der);
    ASSERT_EQ(first.status, OcspResponseStatus::successful);
    EXPECT_TRUE(first.cacheable);
    EXPECT_FALSE(first.etag.empty());
    const auto second = s.responder->respond(der);
    EXPECT_EQ(first.der.get(), second.der.get()) << "the same pre-signed bytes";
    EXPECT_EQ(s.responder->cached(), 1u);

    s.clock.advance(std::chrono::minutes{31});  // past half of the one-hour validity
    EXPECT_EQ(s.responder->refresh(), 1u);
    const auto third = s.responder->respond(der);
    EXPECT_NE(third.der.get(), first.der.get());
    EXPECT_EQ(third.produced_at, s.clock.now());

    // Unknown serials are answered, and never kept.
    OcspRequestPtr unknown(OCSP_REQUEST_new());
    OCSP_request_add0_id(unknown.get(), s.id_for("abcdef"));
    const auto u = s.responder->respond(encode(unknown.get()));
    EXPECT_EQ(u.status, OcspResponseStatus::successful);
    EXPECT_FALSE(u.cacheable);
    EXPECT_EQ(s.responder->cached(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, OcspBoth,
                         ::testing::Values(crypto::KeyAlgorithm::sm2,
                                           crypto::KeyAlgorithm::ecdsa_p256),
                         [](const auto& p) {
                             return p.param == crypto::KeyAlgorithm::sm2 ? "sm2" : "ecdsa";
                         });

TEST(OcspRequests, MalformedTooManyBadNonceUnknownIssuerAndMixedIssuers) {
    OcspWorld s(crypto::KeyAlgorithm::ecdsa_p256);
    const auto status = [&](core::ByteView der) { return s.responder->respond(der).status; };
    EXPECT_EQ(status({}), OcspResponseStatus::malformed_request);
    EXPECT_EQ(status(core::as_bytes("GET / HTTP/1.1")), OcspResponseStatus::malformed_request);

    OcspRequestPtr one(OCSP_REQUEST_new());
    OCSP_request_add0_id(one.get(), s.id_for(s.good.serial));
    auto der = encode(one.get());
    EXPECT_EQ(status(core::ByteView(der).first(der.size() - 3)),
              OcspResponseStatus::malformed_request)
        << "truncated";
    auto trailing = der;
    trailing.push_back(0);
    EXPECT_EQ(status(trailing), OcspResponseStatus::malformed_request) << "bytes after the request";

    OcspRequestPtr many(OCSP_REQUEST_new());
    for (std::size_t i = 0; i <= kMaxOcspRequests; ++i)
        OCSP_request_add0_id(many.get(), s.id_for(s.good.serial));
    EXPECT_EQ(status(encode(many.get())), OcspResponseStatus::malformed_request);

    OcspRequestPtr long_nonce(OCSP_REQUEST_new());
    OCSP_request_add0_id(long_nonce.get(), s.id_for(s.good.serial));
    OCSP_request_add1_nonce(long_nonce.get(), nullptr, 33);
    EXPECT_EQ(status(encode(long_nonce.get())), OcspResponseStatus::malformed_request)
        << "RFC 8954: at most 32";

    OcspRequestPtr empty(OCSP_REQUEST_new());
    EXPECT_EQ(status(encode(empty.get())), OcspResponseStatus::malformed_request) << "no CertID";

    // Another hierarchy's issuer: not ours to answer.
    MemoryRepository other_repo;
    MemoryKeyStore other_keys;
    auto other = make_test_hierarchy(crypto::KeyAlgorithm::ecdsa_p256, "other", other_repo,
                                     other_keys, s.clock);
    crypto::Asn1IntegerPtr serial(ASN1_INTEGER_new());
    ASN1_INTEGER_set(serial.get(), 5);
    OcspRequestPtr foreign(OCSP_REQUEST_new());
    OCSP_request_add0_id(
        foreign.get(),
        OCSP_cert_id_new(EVP_sha1(), X509_get_subject_name(other.issuing_cert.get()),
                         X509_get0_pubkey_bitstr(other.issuing_cert.get()), serial.get()));
    EXPECT_EQ(status(encode(foreign.get())), OcspResponseStatus::unauthorized);

    // Root and issuing CA in one request: two different responders would have to sign.
    OcspRequestPtr mixed(OCSP_REQUEST_new());
    OCSP_request_add0_id(mixed.get(), s.id_for(s.good.serial));
    OCSP_request_add0_id(mixed.get(),
                         OCSP_cert_to_id(EVP_sha1(), s.h.issuing_cert.get(), s.h.root_cert.get()));
    EXPECT_EQ(status(encode(mixed.get())), OcspResponseStatus::unauthorized);

    // The issuing CA's own certificate, asked of the root's responder: good.
    OcspRequestPtr ca(OCSP_REQUEST_new());
    OCSP_request_add0_id(
        ca.get(), OCSP_cert_to_id(EVP_sha256(), s.h.issuing_cert.get(), s.h.root_cert.get()));
    const auto answer = s.responder->respond(encode(ca.get()));
    ASSERT_EQ(answer.status, OcspResponseStatus::successful);
    auto info = verify_ocsp_response(*answer.der, s.h.root_cert.get());
    ASSERT_TRUE(info) << info.error().describe();
    EXPECT_EQ(info->responses.at(0).status, CertStatus::good);

    // Error answers are bare OCSPResponses that OpenSSL reads.
    const auto err = ocsp_error_response(OcspResponseStatus::unauthorized);
    const unsigned char* p = err.data();
    std::unique_ptr<OCSP_RESPONSE, crypto::Free<OCSP_RESPONSE_free>> resp(
        d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(err.size())));
    ASSERT_TRUE(resp);
    EXPECT_EQ(OCSP_response_status(resp.get()), OCSP_RESPONSE_STATUS_UNAUTHORIZED);
}

TEST(OcspSigner, DelegatedResponderCertificateProfile) {
    OcspWorld s(crypto::KeyAlgorithm::sm2);
    ServiceSignerContext ctx{s.repo, s.signers, s.keys, s.clock, {}};
    auto signer = ensure_service_signer(ctx, s.h.issuing.name, ServicePurpose::ocsp, "test");
    ASSERT_TRUE(signer);
    X509* cert = signer->certificate.get();
    EXPECT_NE(X509_get_extended_key_usage(cert) & XKU_OCSP_SIGN, 0u);
    EXPECT_GE(X509_get_ext_by_NID(cert, NID_id_pkix_OCSP_noCheck, -1), 0);
    EXPECT_EQ(to_time_point(X509_get0_notAfter(cert)), s.clock.now() + std::chrono::days{365});
    auto again = ensure_service_signer(ctx, s.h.issuing.name, ServicePurpose::ocsp, "test");
    EXPECT_EQ(again->record.certificate_serial, signer->record.certificate_serial)
        << "reused while valid";
    s.clock.advance(std::chrono::days{340});
    auto renewed = ensure_service_signer(ctx, s.h.issuing.name, ServicePurpose::ocsp, "test");
    EXPECT_NE(renewed->record.certificate_serial, signer->record.certificate_serial)
        << "renewed 30 days before its end";
    auto stored = s.repo.find_certificate(renewed->record.certificate_serial);
    ASSERT_TRUE(stored && *stored);
    EXPECT_EQ((*stored)->profile, "ocsp-signer");
}

}  // namespace
}  // namespace eseal::pki
