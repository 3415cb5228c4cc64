// The server on port 0, in-process, fed raw bytes over a socket: limits, timeouts, garbage, and
// a graceful stop.
#include "server/http_server.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "server/test_client.hpp"

namespace eseal::server {
namespace {

using testing::RawClient;
using testing::status_of;

class ServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_router.add("GET", "/hello", [](const Request& r, const Captures&) {
            Response res;
            res.content_type = "text/plain";
            res.body = "hello " + std::string(r.header("x-name"));
            return res;
        });
        m_router.add("POST", "/echo", [](const Request& r, const Captures&) {
            Response res;
            res.body = r.body;
            return res;
        });
        m_router.add("GET", "/slow", [](const Request&, const Captures&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            Response res;
            res.body = "done";
            return res;
        });
        m_router.add("GET", "/throw", [](const Request&, const Captures&) -> Response {
            throw std::runtime_error("boom");
        });
    }
    void start(ServerOptions o = {}) {
        o.port = 0;
        o.threads = 2;
        o.access_log = AccessLog::off;
        m_server = std::make_unique<HttpServer>(m_router, o);
        auto r = m_server->start();
        ASSERT_TRUE(r) << r.error().describe();
        ASSERT_NE(m_server->port(), 0);
    }
    std::string exchange(std::string_view raw) {
        RawClient c(m_server->port());
        EXPECT_TRUE(c.connected());
        c.send(raw);
        return c.read_all();
    }

    Router m_router;
    std::unique_ptr<HttpServer> m_server;
};

TEST_F(ServerTest, AnswersAndKeepsConnectionsAlive) {
    start();
    RawClient c(m_server->port());
    ASSERT_TRUE(c.connected());
    c.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Name: a\r\n\r\n");
    auto first = c.read_response();
    EXPECT_EQ(status_of(first), 200);
    EXPECT_NE(first.find("hello a"), std::string::npos);
    EXPECT_NE(first.find("Date: "), std::string::npos);
    // Two pipelined requests on the same connection.
    c.send(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /hello "
        "HTTP/1.1\r\nHost: x\r\n\r\n");
    auto second = c.read_response();
    EXPECT_EQ(status_of(second), 200);
    EXPECT_TRUE(second.ends_with("abc"));
    EXPECT_EQ(status_of(c.read_response()), 200);
    EXPECT_EQ(status_of(exchange("GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n")), 404);
    EXPECT_EQ(status_of(exchange("PUT /hello HTTP/1.1\r\nConnection: close\r\n\r\n")), 405);
    EXPECT_EQ(status_of(exchange("GET /throw HTTP/1.1\r\nConnection: close\r\n\r\n")), 500);
    auto head = exchange("HEAD /hello HTTP/1.1\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_of(head), 200);
    EXPECT_NE(head.find("Content-Length: 6"), std::string::npos);
    EXPECT_TRUE(head.ends_with("\r\n\r\n")) << "no body after HEAD";
}

TEST_F(ServerTest, OversizedHeadIs431AndOversizedBodyIs413) {
    ServerOptions o;
    o.header_limit = 1024;
    o.body_limit = 4096;
    start(o);
    const std::string big_header =
        "GET /hello HTTP/1.1\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n";
    EXPECT_EQ(status_of(exchange(big_header)), 431);
    const std::string long_target = "GET /" + std::string(5000, 'a') + " HTTP/1.1\r\n\r\n";
    EXPECT_EQ(status_of(exchange(long_target)), 431);
    // Declared too large: refused before the body is read.
    EXPECT_EQ(status_of(exchange("POST /echo HTTP/1.1\r\nContent-Length: 100000000\r\n\r\n")), 413);
    // Sent too large in chunks (no length declared up front).
    std::string chunked = "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 5; ++i) chunked += "400\r\n" + std::string(1024, 'b') + "\r\n";
    chunked += "0\r\n\r\n";
    EXPECT_EQ(status_of(exchange(chunked)), 413);
    // At the limit is fine.
    const std::string ok_body(4096, 'c');
    auto ok = exchange("POST /echo HTTP/1.1\r\nConnection: close\r\nContent-Length: 4096\r\n\r\n" +
                       ok_body);
    EXPECT_EQ(status_of(ok), 200);
    EXPECT_TRUE(ok.ends_with(ok_body));
}

TEST_F(ServerTest, GarbageIs400AndTruncatedRequestsDoNotHang) {
    ServerOptions o;
    o.read_timeout = std::chrono::milliseconds(300);
    o.idle_timeout = std::chrono::milliseconds(300);
    start(o);
    for (const std::string& garbage : std::vector<std::string>{
             std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11),
             std::string("HELLO\r\n\r\n"), std::string("GET /hello HTTP/9.9\r\n\r\n"),
             std::string("GET /hello HTTP/1.1\r\nBad Header\r\n\r\n"),
             std::string("POST /echo HTTP/1.1\r\nContent-Length: -5\r\n\r\n"),
             std::string("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")}) {
        EXPECT_EQ(status_of(exchange(garbage)), 400) << garbage;
    }
    // A request cut short: the server gives up after the read timeout and closes.
    RawClient cut(m_server->port());
    cut.send("POST /echo HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly part");
    const auto start_time = std::chrono::steady_clock::now();
    const auto nothing = cut.read_all();
    EXPECT_FALSE(cut.timed_out()) << "the server closed the connection";
    EXPECT_LT(std::chrono::steady_clock::now() - start_time, std::chrono::seconds(3));
    // A client that connects and says nothing is closed after the idle timeout.
    RawClient silent(m_server->port());
    EXPECT_EQ(silent.read_all(), "");
    EXPECT_FALSE(silent.timed_out());
    // The server still answers afterwards.
    EXPECT_EQ(status_of(exchange("GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n")), 200);
}

TEST_F(ServerTest, StopFinishesRequestsInFlightAndClosesIdleConnections) {
    start();
    RawClient idle(m_server->port());
    idle.send("GET /hello HTTP/1.1\r\n\r\n");
    EXPECT_EQ(status_of(idle.read_response()), 200);  // now idle, kept alive
    RawClient busy(m_server->port());
    busy.send("GET /slow HTTP/1.1\r\n\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto t0 = std::chrono::steady_clock::now();
    m_server->stop();
    auto answer = busy.read_all();
    EXPECT_EQ(status_of(answer), 200) << "the request in flight is answered";
    EXPECT_NE(answer.find("Connection: close"), std::string::npos);
    EXPECT_EQ(idle.read_all(), "") << "the idle connection is closed";
    m_server->wait();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
    RawClient after(m_server->port());
    EXPECT_FALSE(after.connected()) << "no new connections";
}

}  // namespace
}  // namespace eseal::server
