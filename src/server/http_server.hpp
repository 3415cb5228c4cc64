#pragma once
// The HTTP/1.1 server: Boost.Beast on Asio with C++20 coroutines, one io_context and one thread
// per core, each with its own listening socket on the same port (SO_REUSEPORT: the kernel spreads
// connections, so no lock is shared between cores on the request path). Limits on header and
// body size (431, 413), timeouts for reading a request and for idle keep-alive connections, an
// access log line per request, and a graceful stop (SIGTERM/SIGINT or stop()): no new
// connections, requests in flight are answered, idle connections closed.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "server/router.hpp"

namespace eseal::server {

enum class AccessLog { on, off };

struct ServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: any free port (see HttpServer::port)
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::size_t header_limit = 8 * 1024;  // bytes of request line and headers: more is 431
    std::size_t body_limit = 64 * 1024;   // bytes of body: more is 413
    std::chrono::milliseconds read_timeout{
        10'000};  // to receive a whole request once it began: 408
    std::chrono::milliseconds upload_timeout{
        600'000};  // to receive an upload route's body (Router::add_upload)
    std::chrono::milliseconds idle_timeout{
        30'000};  // a keep-alive connection waiting for a request
    std::chrono::milliseconds shutdown_grace{5'000};  // requests in flight get this long on stop
    AccessLog access_log = AccessLog::on;
};

class HttpServer {
  public:
    HttpServer(const Router& router, ServerOptions options);
    ~HttpServer();  // stops and joins
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds the listening sockets (connections queue until start), so the port is known before
    // the routes that need it (callback URLs) are made. start() binds if this was not called.
    [[nodiscard]] core::Result<void> bind();
    // Binds and starts serving on the worker threads; returns once the port is bound.
    [[nodiscard]] core::Result<void> start();
    [[nodiscard]] std::uint16_t port() const noexcept;
    // Makes SIGINT and SIGTERM call stop().
    void stop_on_signals();
    // Graceful stop; returns at once, wait() joins. Safe from any thread, more than once.
    void stop();
    // Blocks until every worker has finished.
    void wait();

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace eseal::server
