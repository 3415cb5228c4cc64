#include "server/router.hpp"

#include <gtest/gtest.h>

namespace eseal::server {
namespace {

TEST(Router, MatchesLiteralsCapturesAffixesAndTails) {
    Captures c;
    EXPECT_TRUE(Router::match("/crl/{ca}.crl", "/crl/gm.crl", c));
    EXPECT_EQ(c.at("ca"), "gm");
    EXPECT_TRUE(Router::match("/crl/{ca}.crl", "/crl/gm-root.v2.crl", c));
    EXPECT_EQ(c.at("ca"), "gm-root.v2");
    EXPECT_FALSE(Router::match("/crl/{ca}.crl", "/crl/.crl", c)) << "a capture is never empty";
    EXPECT_FALSE(Router::match("/crl/{ca}.crl", "/crl/gm.pem", c));
    EXPECT_FALSE(Router::match("/crl/{ca}.crl", "/crl/a/b.crl", c)) << "one segment only";
    EXPECT_FALSE(Router::match("/crl/{ca}.crl", "/crl", c));
    EXPECT_TRUE(Router::match("/ocsp/{req...}", "/ocsp/MEIw%2FQDA/x+y==", c));
    EXPECT_EQ(c.at("req"), "MEIw%2FQDA/x+y==");
    EXPECT_TRUE(Router::match("/ocsp/{req...}", "/ocsp/", c));
    EXPECT_EQ(c.at("req"), "");
    EXPECT_FALSE(Router::match("/ocsp/{req...}", "/ocsp", c));
    EXPECT_TRUE(Router::match("/ocsp", "/ocsp", c));
    EXPECT_FALSE(Router::match("/ocsp", "/ocsp/", c));
    EXPECT_FALSE(Router::match("/ocsp", "ocsp", c));
    EXPECT_TRUE(Router::match("/a/{x}/b/{y}", "/a/1/b/2", c));
    EXPECT_EQ(c.at("x"), "1");
    EXPECT_EQ(c.at("y"), "2");
    EXPECT_FALSE(Router::match("/a/{x}/b/{y}", "/a/1/b/2/", c));
}

TEST(Router, RoutesByMethodWith404405AndHead) {
    Router r;
    r.add("GET", "/crl/{ca}.crl", [](const Request&, const Captures& c) {
        Response res;
        res.body = "crl of " + c.at("ca");
        return res;
    });
    r.add("POST", "/ocsp", [](const Request& req, const Captures&) {
        Response res;
        res.body = "ocsp " + req.body;
        return res;
    });
    const auto call = [&](std::string method, std::string path, std::string body = {}) {
        Request req;
        req.method = std::move(method);
        req.path = std::move(path);
        req.body = std::move(body);
        return r.route(req);
    };
    EXPECT_EQ(call("GET", "/crl/x.crl").body, "crl of x");
    EXPECT_EQ(call("POST", "/ocsp", "abc").body, "ocsp abc");
    EXPECT_EQ(call("GET", "/nothing").status, 404);
    auto wrong = call("DELETE", "/crl/x.crl");
    EXPECT_EQ(wrong.status, 405);
    ASSERT_FALSE(wrong.headers.empty());
    EXPECT_EQ(wrong.headers.back().second, "GET, HEAD");
    auto head = call("HEAD", "/crl/x.crl");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.headers.back(), (std::pair<std::string, std::string>{"Content-Length", "8"}));
    EXPECT_THROW(r.add("GET", "/a/{rest...}/b", {}), std::invalid_argument);
    EXPECT_THROW(r.add("GET", "no-slash", {}), std::invalid_argument);
    EXPECT_THROW(r.add("GET", "/{}", {}), std::invalid_argument);
}

TEST(Http, PercentDecodingAndDates) {
    EXPECT_EQ(percent_decode("MEIw%2Fab%2B%3d"), "MEIw/ab+=");
    EXPECT_EQ(percent_decode("a+b"), "a+b");
    EXPECT_FALSE(percent_decode("%"));
    EXPECT_FALSE(percent_decode("%4"));
    EXPECT_FALSE(percent_decode("%zz"));
    EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
}

}  // namespace
}  // namespace eseal::server
