// The public endpoints over real HTTP on port 0, backed by a real store: CRL with caching
// headers, OCSP by POST and GET with the pre-signed path, a revocation seen through the journal,
// time-stamps, and bad input on every endpoint answered by the protocol's error or a 4xx.
#include "server/revocation_endpoints.hpp"

#include <gtest/gtest.h>
#include <openssl/ocsp.h>
#include <openssl/ts.h>

#include "pki/revocation_testing.hpp"
#include "server/http_server.hpp"
#include "server/test_client.hpp"
#include "store/sqlite_store.hpp"
#include "store/test_support.hpp"

namespace eseal::server {
namespace {

using pki::testing::utc;
using testing::RawClient;
using testing::status_of;

std::string body_of(const std::string& response) {
    const auto at = response.find("\r\n\r\n");
    return at == std::string::npos ? std::string{} : response.substr(at + 4);
}

std::string header_of(const std::string& response, const std::string& name) {
    const auto at = response.find("\r\n" + name + ": ");
    if (at == std::string::npos)
        return {};
    const auto start = at + name.size() + 4;
    return response.substr(start, response.find("\r\n", start) - start);
}

class Endpoints : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened = store::SqliteStore::open(m_dir.path() / "eseal.db");
        ASSERT_TRUE(opened) << opened.error().describe();
        m_store = std::move(*opened);
        m_h = pki::testing::make_test_hierarchy(crypto::KeyAlgorithm::ecdsa_p256, "web", *m_store,
                                                m_keys, m_clock);
        m_leaf = pki::testing::issue_test_certificate(m_h.issuing, *m_store, m_keys, m_clock,
                                                      pki::testing::test_credit_code(7));
        auto services =
            RevocationServices::open({*m_store, *m_store, *m_store, m_keys, m_clock}, {});
        ASSERT_TRUE(services) << services.error().describe();
        m_services = std::move(*services);
        add_revocation_routes(m_router, *m_services);
        ServerOptions o;
        o.port = 0;
        o.threads = 2;
        o.access_log = AccessLog::off;
        o.body_limit = 16 * 1024;
        m_server = std::make_unique<HttpServer>(m_router, o);
        ASSERT_TRUE(m_server->start());
    }

    std::string http(const std::string& method, const std::string& target,
                     const std::string& content_type = {}, const std::string& body = {}) {
        RawClient c(m_server->port());
        std::string req =
            method + " " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n";
        if (!content_type.empty())
            req += "Content-Type: " + content_type + "\r\n";
        if (method == "POST")
            req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        c.send(req + "\r\n" + body);
        return c.read_all();
    }
    std::string ocsp_request(bool nonce) {
        auto leaf = pki::parse_certificate(m_leaf.der);
        std::unique_ptr<OCSP_REQUEST, crypto::Free<OCSP_REQUEST_free>> req(OCSP_REQUEST_new());
        OCSP_request_add0_id(req.get(),
                             OCSP_cert_to_id(EVP_sha1(), leaf->get(), m_h.issuing_cert.get()));
        if (nonce)
            OCSP_request_add1_nonce(req.get(), nullptr, 16);
        const auto der = crypto::to_der(req.get(), i2d_OCSP_REQUEST);
        return {der.begin(), der.end()};
    }
    pki::OcspResponseInfo verify(const std::string& der) {
        auto info = pki::verify_ocsp_response(core::as_bytes(der), m_h.issuing_cert.get());
        EXPECT_TRUE(info) << info.error().describe();
        return info.value_or(pki::OcspResponseInfo{});
    }

    store::test_support::TempDir m_dir;
    core::ManualClock m_clock{utc("2026-03-01T08:00:00Z")};
    pki::testing::MemoryKeyStore m_keys;
    std::unique_ptr<store::SqliteStore> m_store;
    pki::testing::TestHierarchy m_h;
    pki::CertificateRecord m_leaf;
    std::unique_ptr<RevocationServices> m_services;
    Router m_router;
    std::unique_ptr<HttpServer> m_server;
};

TEST_F(Endpoints, CrlWithCachingHeaders) {
    auto r = http("GET", "/crl/web.crl");
    ASSERT_EQ(status_of(r), 200) << r;
    EXPECT_EQ(header_of(r, "Content-Type"), "application/pkix-crl");
    EXPECT_EQ(header_of(r, "Cache-Control"),
              "max-age=86400, public, no-transform, must-revalidate");
    EXPECT_EQ(header_of(r, "ETag"), "\"web-1\"");
    EXPECT_EQ(header_of(r, "Last-Modified"), "Sun, 01 Mar 2026 08:00:00 GMT");
    auto info = pki::verify_crl(core::as_bytes(body_of(r)), m_h.issuing_cert.get());
    ASSERT_TRUE(info) << info.error().describe();
    EXPECT_EQ(info->number, 1);
    EXPECT_TRUE(pki::verify_crl(core::as_bytes(body_of(http("GET", "/crl/web-root.crl"))),
                                m_h.root_cert.get()));
    EXPECT_EQ(status_of(http("GET", "/crl/nobody.crl")), 404);

    RawClient c(m_server->port());
    c.send("GET /crl/web.crl HTTP/1.1\r\nIf-None-Match: \"web-1\"\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_of(c.read_all()), 304);
}

TEST_F(Endpoints, OcspPostGetPreSignedAndRevocationThroughTheJournal) {
    const auto plain = ocsp_request(false);
    auto post = http("POST", "/ocsp", "application/ocsp-request", plain);
    ASSERT_EQ(status_of(post), 200);
    EXPECT_EQ(header_of(post, "Content-Type"), "application/ocsp-response");
    EXPECT_EQ(verify(body_of(post)).responses.at(0).status, pki::CertStatus::good);

    // GET: base64 of the DER, URL-encoded (RFC 6960 Appendix A.1); cacheable headers.
    std::string b64 = core::base64_encode(core::as_bytes(plain));
    std::string encoded;
    for (char ch : b64)
        encoded += ch == '/' ? "%2F" : ch == '+' ? "%2B" : ch == '=' ? "%3D" : std::string(1, ch);
    auto get = http("GET", "/ocsp/" + encoded);
    ASSERT_EQ(status_of(get), 200);
    EXPECT_EQ(header_of(get, "Cache-Control"),
              "max-age=3600, public, no-transform, must-revalidate");
    EXPECT_FALSE(header_of(get, "ETag").empty());
    EXPECT_EQ(body_of(get), body_of(post)) << "the same pre-signed answer";
    EXPECT_EQ(body_of(http("GET", "/ocsp/" + b64)), body_of(post))
        << "unencoded base64 with '/' works too";

    // With a nonce: signed on the spot, echoed, not cacheable.
    const auto with_nonce = ocsp_request(true);
    auto n = http("POST", "/ocsp", "application/ocsp-request", with_nonce);
    EXPECT_TRUE(verify(body_of(n)).nonce_extension);
    EXPECT_NE(body_of(n), body_of(post));

    // Revoked in the store (as `eseal ca revoke` does from another process), seen via the journal.
    m_clock.advance(std::chrono::minutes{1});
    ASSERT_TRUE(pki::revoke_certificate(*m_store, *m_store,
                                        {m_leaf.serial, pki::RevocationReason::superseded, {}, {}},
                                        "test", m_clock));
    m_services->maintain();
    auto after = verify(body_of(http("GET", "/ocsp/" + encoded)));
    EXPECT_EQ(after.responses.at(0).status, pki::CertStatus::revoked);
    EXPECT_EQ(after.responses.at(0).reason, pki::RevocationReason::superseded);
    auto crl = pki::verify_crl(core::as_bytes(body_of(http("GET", "/crl/web.crl"))),
                               m_h.issuing_cert.get());
    ASSERT_TRUE(crl);
    EXPECT_EQ(crl->number, 2);
    ASSERT_EQ(crl->entries.size(), 1u);
    EXPECT_EQ(crl->entries[0].serial, m_leaf.serial);
}

TEST_F(Endpoints, TimeStamps) {
    std::unique_ptr<TS_REQ, crypto::Free<TS_REQ_free>> req(TS_REQ_new());
    TS_REQ_set_version(req.get(), 1);
    std::unique_ptr<TS_MSG_IMPRINT, crypto::Free<TS_MSG_IMPRINT_free>> imprint(
        TS_MSG_IMPRINT_new());
    crypto::X509AlgorPtr alg(X509_ALGOR_new());
    X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
    TS_MSG_IMPRINT_set_algo(imprint.get(), alg.get());
    auto digest = crypto::sha256(core::as_bytes("document"));
    TS_MSG_IMPRINT_set_msg(imprint.get(), digest.data(), static_cast<int>(digest.size()));
    TS_REQ_set_msg_imprint(req.get(), imprint.get());
    TS_REQ_set_cert_req(req.get(), 1);
    const auto der = crypto::to_der(req.get(), i2d_TS_REQ);
    auto r =
        http("POST", "/tsa", "application/timestamp-query", std::string(der.begin(), der.end()));
    ASSERT_EQ(status_of(r), 200);
    EXPECT_EQ(header_of(r, "Content-Type"), "application/timestamp-reply");
    const auto* tsa = m_services->tsa();
    ASSERT_NE(tsa, nullptr);
    auto info = pki::verify_timestamp(core::as_bytes(body_of(r)), tsa->signer().certificate.get());
    ASSERT_TRUE(info) << info.error().describe();
    EXPECT_EQ(info->imprint, digest);
    EXPECT_EQ(status_of(http("POST", "/tsa/web", "application/timestamp-query",
                             std::string(der.begin(), der.end()))),
              200);
    EXPECT_EQ(status_of(http("POST", "/tsa/web-root", "application/timestamp-query", "x")), 404)
        << "a root has no TSA";
}

TEST_F(Endpoints, BadInputOnEveryEndpoint) {
    const auto valid = ocsp_request(false);
    const auto ocsp_status = [&](const std::string& response) {
        EXPECT_EQ(status_of(response), 200);
        auto info =
            pki::verify_ocsp_response(core::as_bytes(body_of(response)), m_h.issuing_cert.get());
        return info ? info->status : pki::OcspResponseStatus::internal_error;
    };
    // OCSP: the protocol's malformedRequest for what is not a request.
    EXPECT_EQ(ocsp_status(http("POST", "/ocsp", "application/ocsp-request", "")),
              pki::OcspResponseStatus::malformed_request);
    EXPECT_EQ(ocsp_status(http("POST", "/ocsp", "application/ocsp-request", "garbage")),
              pki::OcspResponseStatus::malformed_request);
    EXPECT_EQ(ocsp_status(http("POST", "/ocsp", "application/ocsp-request",
                               valid.substr(0, valid.size() / 2))),
              pki::OcspResponseStatus::malformed_request);
    EXPECT_EQ(ocsp_status(http("GET", "/ocsp/")), pki::OcspResponseStatus::malformed_request);
    EXPECT_EQ(ocsp_status(http("GET", "/ocsp/%%%")), pki::OcspResponseStatus::malformed_request);
    EXPECT_EQ(ocsp_status(http("GET", "/ocsp/bm90IGFuIE9DU1AgcmVxdWVzdA==")),
              pki::OcspResponseStatus::malformed_request);
    // ... and HTTP errors for what is not the protocol at all.
    EXPECT_EQ(status_of(http("POST", "/ocsp", "text/plain", valid)), 415);
    EXPECT_EQ(status_of(http("POST", "/ocsp", "application/ocsp-request", std::string(20000, 'x'))),
              413);
    EXPECT_EQ(status_of(http("PUT", "/ocsp")), 405);
    // TSA: a rejection with failInfo for what is not a request; 415 and 413 as above.
    for (const std::string& junk :
         {std::string(""), std::string("garbage"), std::string("\x30\x80", 2)}) {
        auto r = http("POST", "/tsa", "application/timestamp-query", junk);
        ASSERT_EQ(status_of(r), 200);
        const auto body = body_of(r);
        const unsigned char* p = reinterpret_cast<const unsigned char*>(body.data());
        std::unique_ptr<TS_RESP, crypto::Free<TS_RESP_free>> resp(
            d2i_TS_RESP(nullptr, &p, static_cast<long>(body.size())));
        ASSERT_TRUE(resp);
        EXPECT_EQ(ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp.get()))),
                  2);
    }
    EXPECT_EQ(status_of(http("POST", "/tsa", "application/json", "{}")), 415);
    EXPECT_EQ(
        status_of(http("POST", "/tsa", "application/timestamp-query", std::string(20000, 'x'))),
        413);
    // CRL: names that are not CAs, odd paths.
    EXPECT_EQ(status_of(http("GET", "/crl/..%2F..%2Fetc%2Fpasswd.crl")), 404);
    EXPECT_EQ(status_of(http("GET", "/crl/")), 404);
    EXPECT_EQ(status_of(http("POST", "/crl/web.crl", "application/pkix-crl", "x")), 405);
    // Still serving.
    EXPECT_EQ(status_of(http("GET", "/crl/web.crl")), 200);
}

}  // namespace
}  // namespace eseal::server
