// The client against our own server on port 0: answers, each failure with its own code, and the
// sandbox delivery's retries.
#include "server/http_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "server/http_server.hpp"

namespace eseal::server {
namespace {

using namespace std::chrono_literals;

template <class T>
std::string code_of(const core::Result<T>& r) {
    return r ? std::string("(ok)") : r.error().code;
}

class HttpClientTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_router.add("POST", "/echo", [](const Request& r, const Captures&) {
            Response res;
            res.status = 201;
            res.content_type = "text/plain";
            res.body = std::string(r.header("x-test")) + "|" +
                       std::string(r.header("content-type")) + "|" + r.body;
            return res;
        });
        m_router.add("POST", "/slow", [](const Request&, const Captures&) {
            std::this_thread::sleep_for(800ms);
            return text_response(200, "late");
        });
        m_router.add("POST", "/big", [](const Request&, const Captures&) {
            return text_response(200, std::string(4000, 'x'));
        });
        // Fails the first two times, as a server that is starting up would.
        m_router.add("POST", "/flaky", [this](const Request& r, const Captures&) {
            if (++m_flaky_calls <= 2)
                return text_response(503);
            m_flaky_body = r.body;
            return text_response(200, "ok");
        });
        m_router.add("POST", "/broken", [this](const Request&, const Captures&) {
            ++m_broken_calls;
            return text_response(500);
        });
        m_router.add("POST", "/good", [this](const Request&, const Captures&) {
            ++m_good_calls;
            return text_response(200, "ok");
        });
        ServerOptions o;
        o.port = 0;
        o.threads = 2;
        o.access_log = AccessLog::off;
        m_server = std::make_unique<HttpServer>(m_router, o);
        auto started = m_server->start();
        ASSERT_TRUE(started) << started.error().describe();
    }
    std::string url(std::string_view path) const {
        return "http://127.0.0.1:" + std::to_string(m_server->port()) + std::string(path);
    }

    Router m_router;
    std::unique_ptr<HttpServer> m_server;
    std::atomic<int> m_flaky_calls{0};
    std::atomic<int> m_broken_calls{0};
    std::atomic<int> m_good_calls{0};
    std::string m_flaky_body;
};

TEST(HttpUrl, ParsesPlainHttpOnly) {
    auto u = parse_http_url("http://127.0.0.1:8080/api/v1/payments/wechat/notify?x=1#frag");
    ASSERT_TRUE(u) << u.error().describe();
    EXPECT_EQ(u->host, "127.0.0.1");
    EXPECT_EQ(u->port, "8080");
    EXPECT_EQ(u->target, "/api/v1/payments/wechat/notify?x=1");
    u = parse_http_url("HTTP://example.com");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->port, "80");
    EXPECT_EQ(u->target, "/");
    u = parse_http_url("http://[::1]:9000?q");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->host, "::1");
    EXPECT_EQ(u->target, "/?q");
    EXPECT_EQ(code_of(parse_http_url("https://api.mch.weixin.qq.com/v3")), "http.scheme");
    EXPECT_EQ(code_of(parse_http_url("ftp://example.com/")), "http.scheme");
    for (const char* bad : {"", "example.com/x", "http://", "http://:80/", "http://h:0/",
                            "http://h:99999/", "http://h:8x/", "http://user@h/", "http://[::1/"})
        EXPECT_EQ(code_of(parse_http_url(bad)), "http.url") << bad;
}

TEST_F(HttpClientTest, PostsAndReadsTheAnswer) {
    auto r = http_post(url("/echo"), {{"x-test", "yes"}, {"content-type", "application/json"}},
                       R"({"a":"支付"})");
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(r->body, R"(yes|application/json|{"a":"支付"})");
    r = http_post(url("/nowhere"), {}, "");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << "an HTTP error status is an answer, not a failure";
}

TEST_F(HttpClientTest, EachFailureHasItsOwnCode) {
    HttpClientOptions quick;
    quick.timeout = 200ms;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(code_of(http_post(url("/slow"), {}, "", quick)), "http.timeout");
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    HttpClientOptions small;
    small.body_limit = 1000;
    EXPECT_EQ(code_of(http_post(url("/big"), {}, "", small)), "http.body_limit");
    EXPECT_EQ(code_of(http_post(url("/echo"), {{"x-test", "a\r\nInjected: 1"}}, "")),
              "http.header");
    EXPECT_EQ(code_of(http_post("https://127.0.0.1/", {}, "")), "http.scheme");
    const std::string gone = url("/echo");
    m_server->stop();
    m_server->wait();
    EXPECT_EQ(code_of(http_post(gone, {}, "")), "http.connect");
}

TEST_F(HttpClientTest, DeliveryRetriesUntilAccepted) {
    DeliveryOptions o;
    o.backoff = {20ms, 20ms, 20ms};
    SandboxDelivery delivery(o);
    ra::providers::Callback c{
        url("/flaky"), {{"content-type", "application/json"}}, R"({"id":"EV-1"})"};
    delivery.deliver_async(c);
    delivery.wait_idle();
    const auto outcomes = delivery.outcomes();
    ASSERT_EQ(outcomes.size(), 1u);
    EXPECT_TRUE(outcomes[0].delivered);
    EXPECT_EQ(outcomes[0].attempts, 3);
    EXPECT_EQ(outcomes[0].last_status, 200);
    EXPECT_EQ(m_flaky_calls, 3);
    EXPECT_EQ(m_flaky_body, R"({"id":"EV-1"})") << "every attempt sends the same body";
}

TEST_F(HttpClientTest, DeliveryGivesUpAfterItsScheduleAndReportsWhy) {
    DeliveryOptions o;
    o.backoff = {10ms, 10ms};
    o.http.timeout = 1s;
    SandboxDelivery delivery(o);
    delivery.deliver_async(url("/broken"), {}, "x");
    delivery.deliver_async("http://127.0.0.1:1/unreachable", {}, "x");
    delivery.wait_idle();
    const auto outcomes = delivery.outcomes();
    ASSERT_EQ(outcomes.size(), 2u);
    for (const auto& o2 : outcomes) {
        EXPECT_FALSE(o2.delivered);
        EXPECT_EQ(o2.attempts, 3);
        if (o2.url.ends_with("/broken")) {
            EXPECT_EQ(o2.last_status, 500);
        } else {
            EXPECT_EQ(o2.last_status, 0);
            EXPECT_NE(o2.last_error.find("http.connect"), std::string::npos) << o2.last_error;
        }
    }
    EXPECT_EQ(m_broken_calls, 3);
}

TEST_F(HttpClientTest, OneCallbacksBackOffDoesNotHoldUpAnother) {
    DeliveryOptions o;
    o.backoff = {3s};
    SandboxDelivery delivery(o);
    delivery.deliver_async(url("/broken"), {}, "x");
    delivery.deliver_async(url("/good"), {}, "y");
    for (int i = 0; i < 200 && m_good_calls == 0; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(m_good_calls, 1);
    EXPECT_EQ(m_broken_calls, 1) << "the broken one waits for its retry";
    delivery.wait_idle();
    EXPECT_EQ(m_broken_calls, 2);
}

}  // namespace
}  // namespace eseal::server
