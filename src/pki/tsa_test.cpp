#include "pki/tsa.hpp"

#include <gtest/gtest.h>
#include <openssl/ts.h>

#include <set>

#include "crypto/digest.hpp"
#include "pki/revocation_testing.hpp"

namespace eseal::pki {
namespace {

using namespace testing;
using TsReqPtr = std::unique_ptr<TS_REQ, crypto::Free<TS_REQ_free>>;

struct TsaWorld {
    MemoryRepository repo;
    MemoryKeyStore keys;
    MemoryServiceSigners signers{repo};
    core::ManualClock clock{utc("2026-03-01T08:00:00Z")};
    TestHierarchy h;
    std::optional<TimeStampAuthority> tsa;

    explicit TsaWorld(crypto::KeyAlgorithm alg) {
        h = make_test_hierarchy(alg, "tsa", repo, keys, clock);
        ServiceSignerContext ctx{repo, signers, keys, clock, {}};
        auto s = ensure_service_signer(ctx, h.issuing.name, ServicePurpose::tsa, "test");
        EXPECT_TRUE(s) << s.error().describe();
        tsa.emplace(std::move(*s), clock, TsaSettings{});
    }
};

struct RequestOptions {
    int md_nid = NID_sha256;
    std::size_t imprint_size = 32;
    std::optional<long> nonce = 0x1234567;
    bool cert_req = true;
    std::string policy;
    bool extension = false;
};

core::Bytes make_request(const RequestOptions& o) {
    TsReqPtr req(TS_REQ_new());
    TS_REQ_set_version(req.get(), 1);
    std::unique_ptr<TS_MSG_IMPRINT, crypto::Free<TS_MSG_IMPRINT_free>> imprint(
        TS_MSG_IMPRINT_new());
    crypto::X509AlgorPtr alg(X509_ALGOR_new());
    X509_ALGOR_set0(alg.get(), OBJ_nid2obj(o.md_nid), V_ASN1_NULL, nullptr);
    TS_MSG_IMPRINT_set_algo(imprint.get(), alg.get());
    const auto digest = crypto::random_bytes(o.imprint_size);
    TS_MSG_IMPRINT_set_msg(imprint.get(), const_cast<unsigned char*>(digest.data()),
                           static_cast<int>(digest.size()));
    TS_REQ_set_msg_imprint(req.get(), imprint.get());
    if (o.nonce) {
        crypto::Asn1IntegerPtr n(ASN1_INTEGER_new());
        ASN1_INTEGER_set(n.get(), *o.nonce);
        TS_REQ_set_nonce(req.get(), n.get());
    }
    TS_REQ_set_cert_req(req.get(), o.cert_req ? 1 : 0);
    if (!o.policy.empty()) {
        crypto::Asn1ObjectPtr p(OBJ_txt2obj(o.policy.c_str(), 1));
        TS_REQ_set_policy_id(req.get(), p.get());
    }
    if (o.extension) {
        crypto::Asn1OctetStringPtr v(ASN1_OCTET_STRING_new());
        ASN1_OCTET_STRING_set(v.get(), reinterpret_cast<const unsigned char*>("x"), 1);
        crypto::X509ExtPtr ext(
            X509_EXTENSION_create_by_NID(nullptr, NID_id_pkix_OCSP_Nonce, 0, v.get()));
        TS_REQ_add_ext(req.get(), ext.get(), -1);
    }
    return crypto::to_der(req.get(), i2d_TS_REQ);
}

class TsaAlgorithms : public ::testing::TestWithParam<crypto::KeyAlgorithm> {};

TEST_P(TsaAlgorithms, GrantsAVerifiableTokenThatEchoesTheNonce) {
    TsaWorld w(GetParam());
    RequestOptions o;
    if (GetParam() == crypto::KeyAlgorithm::sm2)
        o.md_nid = NID_sm3;
    const auto request = make_request(o);
    const auto reply = w.tsa->respond(request);
    ASSERT_TRUE(reply.granted) << (reply.failure ? to_string(*reply.failure) : "");
    auto info = verify_timestamp(reply.der, w.tsa->signer().certificate.get());
    ASSERT_TRUE(info) << info.error().describe();
    EXPECT_EQ(info->policy, kDefaultTsaPolicy);
    EXPECT_EQ(info->gen_time, w.clock.now());
    EXPECT_EQ(info->nonce, "1234567");
    EXPECT_EQ(info->imprint_nid, o.md_nid);
    EXPECT_EQ(info->serial, reply.serial);
    EXPECT_TRUE(info->certificate_included);

    // Another certificate does not verify it; the TSA certificate is a proper one.
    EXPECT_FALSE(verify_timestamp(reply.der, w.h.issuing_cert.get()));
    X509* cert = w.tsa->signer().certificate.get();
    const int eku = X509_get_ext_by_NID(cert, NID_ext_key_usage, -1);
    ASSERT_GE(eku, 0);
    EXPECT_TRUE(X509_EXTENSION_get_critical(X509_get_ext(cert, eku))) << "RFC 3161 §2.3: critical";
    EXPECT_EQ(X509_get_extended_key_usage(cert), static_cast<uint32_t>(XKU_TIMESTAMP));

    // OpenSSL's own verification (what `openssl ts -verify` does) for ECDSA and RSA.
    if (GetParam() != crypto::KeyAlgorithm::sm2) {
        const unsigned char* p = reply.der.data();
        std::unique_ptr<TS_RESP, crypto::Free<TS_RESP_free>> resp(
            d2i_TS_RESP(nullptr, &p, static_cast<long>(reply.der.size())));
        ASSERT_TRUE(resp);
        const unsigned char* q = request.data();
        TsReqPtr req(d2i_TS_REQ(nullptr, &q, static_cast<long>(request.size())));
        std::unique_ptr<TS_VERIFY_CTX, crypto::Free<TS_VERIFY_CTX_free>> ctx(
            TS_REQ_to_TS_VERIFY_CTX(req.get(), nullptr));
        X509_STORE* store = X509_STORE_new();
        X509_STORE_add_cert(store, w.h.root_cert.get());
        TS_VERIFY_CTX_set_store(ctx.get(), store);
        STACK_OF(X509)* untrusted = sk_X509_new_null();
        sk_X509_push(untrusted, X509_dup(w.h.issuing_cert.get()));
        TS_VERIFY_CTS_set_certs(ctx.get(), untrusted);
        TS_VERIFY_CTX_add_flags(ctx.get(), TS_VFY_SIGNATURE);
        EXPECT_EQ(TS_RESP_verify_response(ctx.get(), resp.get()), 1) << crypto::openssl_errors();
    }

    // Without certReq the certificate is left out; serials never repeat.
    o.cert_req = false;
    std::set<std::string> serials;
    for (int i = 0; i < 50; ++i) {
        auto r = w.tsa->respond(make_request(o));
        ASSERT_TRUE(r.granted);
        serials.insert(r.serial);
        if (i == 0) {
            auto without = verify_timestamp(r.der, w.tsa->signer().certificate.get());
            ASSERT_TRUE(without);
            EXPECT_FALSE(without->certificate_included);
        }
    }
    EXPECT_EQ(serials.size(), 50u);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, TsaAlgorithms,
                         ::testing::Values(crypto::KeyAlgorithm::sm2,
                                           crypto::KeyAlgorithm::ecdsa_p256,
                                           crypto::KeyAlgorithm::rsa2048),
                         [](const auto& p) {
                             return p.param == crypto::KeyAlgorithm::ecdsa_p256
                                        ? std::string("ecdsa")
                                        : std::string(crypto::to_string(p.param));
                         });

TEST(TsaRejects, EachFaultWithItsFailureInfo) {
    TsaWorld w(crypto::KeyAlgorithm::ecdsa_p256);
    const auto failure = [&](core::ByteView req) {
        auto r = w.tsa->respond(req);
        EXPECT_FALSE(r.granted);
        // Every rejection is a TimeStampResp OpenSSL can read.
        const unsigned char* p = r.der.data();
        std::unique_ptr<TS_RESP, crypto::Free<TS_RESP_free>> resp(
            d2i_TS_RESP(nullptr, &p, static_cast<long>(r.der.size())));
        EXPECT_TRUE(resp);
        if (resp) {
            EXPECT_EQ(
                ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp.get()))),
                2);
        }
        return r.failure.value_or(TsaFailure::system_failure);
    };
    EXPECT_EQ(failure({}), TsaFailure::bad_data_format);
    EXPECT_EQ(failure(core::as_bytes("not a request")), TsaFailure::bad_data_format);
    auto good = make_request({});
    EXPECT_EQ(failure(core::ByteView(good).first(good.size() - 1)), TsaFailure::bad_data_format);
    const auto with = [](auto change) {
        RequestOptions o;
        change(o);
        return make_request(o);
    };
    EXPECT_EQ(failure(with([](auto& o) { o.md_nid = NID_sha1, o.imprint_size = 20; })),
              TsaFailure::bad_alg);
    EXPECT_EQ(failure(with([](auto& o) { o.imprint_size = 20; })), TsaFailure::bad_data_format);
    EXPECT_EQ(failure(with([](auto& o) { o.policy = "1.2.3.4"; })), TsaFailure::unaccepted_policy);
    EXPECT_EQ(failure(with([](auto& o) { o.extension = true; })), TsaFailure::unaccepted_extension);
    EXPECT_TRUE(
        w.tsa->respond(with([](auto& o) { o.policy = std::string(kDefaultTsaPolicy); })).granted);
    EXPECT_TRUE(
        w.tsa->respond(with([](auto& o) { o.md_nid = NID_sha512, o.imprint_size = 64; })).granted);
}

}  // namespace
}  // namespace eseal::pki

namespace eseal::pki {
namespace {

TEST(TsaPolicy, MustBeADottedOid) {
    EXPECT_TRUE(check_tsa_policy(std::string(kDefaultTsaPolicy)));
    EXPECT_TRUE(check_tsa_policy("1.3.6.1.4.1.99999.1.2"));
    EXPECT_FALSE(check_tsa_policy(""));
    EXPECT_FALSE(check_tsa_policy("commonName"));
    EXPECT_FALSE(check_tsa_policy("1.2.x"));
}

}  // namespace
}  // namespace eseal::pki
