#include "server/http_server.hpp"

// Boost 1.74's Asio uses std::exchange in its coroutine support without including <utility>.
#include <utility>

#include <spdlog/spdlog.h>

#include "core/bytes.hpp"
#include "crypto/digest.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <unordered_set>

namespace eseal::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::redirect_error;
using asio::use_awaitable;
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// A connection as the stopping code sees it: idle ones are closed at once, busy ones finish.
struct Connection {
    beast::tcp_stream* stream = nullptr;
    bool idle = true;
};

struct Worker {
    asio::io_context ioc{1};
    std::optional<tcp::acceptor> acceptor;
    std::unordered_set<Connection*> connections;  // touched only on this worker's thread
    std::thread thread;
};

// The Date header, formatted once a second per thread.
const std::string& date_now() {
    thread_local std::time_t last = 0;
    thread_local std::string text;
    const std::time_t now = std::time(nullptr);
    if (now != last) {
        last = now;
        text = http_date(now);
    }
    return text;
}

std::string lower(beast::string_view s) {
    std::string out(s.data(), s.size());
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

template <class Body>
Request head_of(const http::request<Body>& msg, const std::string& peer) {
    Request r;
    r.method = std::string(msg.method_string());
    r.target = std::string(msg.target());
    const auto q = r.target.find('?');
    r.path = r.target.substr(0, q);
    if (q != std::string::npos)
        r.query = r.target.substr(q + 1);
    for (const auto& f : msg)
        r.headers.emplace_back(lower(f.name_string()), std::string(f.value()));
    r.peer = peer;
    return r;
}

Request to_request(http::request<http::string_body>&& msg, const std::string& peer) {
    Request r = head_of(msg, peer);
    r.body = std::move(msg.body());
    return r;
}

// Where an upload's body went.
struct UploadRead {
    beast::error_code ec;
    bool too_large = false;
    std::optional<UploadedBody> body;
    std::optional<Request> head;
    bool keep_alive = false;
    std::string failure;  // the file could not be written: 500
};

// Streams the body of an upload route to a new file, hashing it on the way; past the limit the
// file is removed and the read stops (the caller answers 413 and closes).
awaitable<UploadRead> read_upload(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                  http::request_parser<http::string_body>& header_parser,
                                  const UploadSpec& spec, const std::string& peer) {
    UploadRead out;
    auto path = spec.temp_file();
    if (!path) {
        out.failure = path.error().describe();
        co_return out;
    }
    const int fd = ::open(path->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        out.failure = "cannot create " + path->string() + ": " + std::strerror(errno);
        co_return out;
    }
    http::request_parser<http::buffer_body> parser{std::move(header_parser)};
    parser.body_limit(spec.limit);
    crypto::Hasher hasher(crypto::DigestAlgorithm::sha256);
    std::vector<char> chunk(64 * 1024);
    std::uint64_t total = 0;
    while (!parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        co_await http::async_read_some(stream, buffer, parser, redirect_error(use_awaitable, out.ec));
        if (out.ec == http::error::need_buffer) out.ec = {};
        const std::size_t n = chunk.size() - parser.get().body().size;
        for (std::size_t done = 0; done < n && out.failure.empty();) {
            const auto w = ::write(fd, chunk.data() + done, n - done);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) out.failure = "cannot write " + path->string() + ": " + std::strerror(errno);
            else done += static_cast<std::size_t>(w);
        }
        hasher.update(core::ByteView(reinterpret_cast<const std::uint8_t*>(chunk.data()), n));
        total += n;
        if (out.ec || !out.failure.empty()) break;
    }
    const bool synced = out.failure.empty() && !out.ec && ::fsync(fd) == 0;
    ::close(fd);
    if (out.ec == http::error::body_limit) {
        out.ec = {};
        out.too_large = true;
    }
    if (out.ec || out.too_large || !out.failure.empty() || !synced) {
        std::error_code ignored;
        std::filesystem::remove(*path, ignored);
        if (!out.ec && !out.too_large && out.failure.empty()) out.failure = "cannot sync " + path->string();
        co_return out;
    }
    out.head = head_of(parser.get(), peer);
    out.keep_alive = parser.get().keep_alive();
    out.body = UploadedBody{*path, total, core::hex_encode(hasher.finish())};
    co_return out;
}

}  // namespace

struct HttpServer::Impl {
    const Router* router;
    ServerOptions options;
    std::vector<std::unique_ptr<Worker>> workers;
    std::atomic<bool> stopping{false};
    std::atomic<std::uint16_t> port{0};
    std::optional<asio::signal_set> signals;

    std::mutex done_mutex;
    std::condition_variable done_cv;
    std::size_t finished = 0;
    std::optional<std::chrono::steady_clock::time_point> stop_deadline;
    bool joined = false;

    awaitable<void> accept_loop(Worker& w);
    awaitable<void> session(Worker& w, tcp::socket socket);
    void log(const Request* req, std::string_view fallback_method, int status, std::size_t bytes,
             std::chrono::steady_clock::time_point start, const std::string& peer) const;
};

void HttpServer::Impl::log(const Request* req, std::string_view fallback_method, int status,
                           std::size_t bytes, std::chrono::steady_clock::time_point start,
                           const std::string& peer) const {
    if (options.access_log == AccessLog::off)
        return;
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    spdlog::info("access {} {} {} {} {}B {}us", peer,
                 req ? std::string_view(req->method) : fallback_method,
                 req ? std::string_view(req->target) : std::string_view("-"), status, bytes, us);
}

awaitable<void> HttpServer::Impl::accept_loop(Worker& w) {
    for (;;) {
        beast::error_code ec;
        tcp::socket socket = co_await w.acceptor->async_accept(redirect_error(use_awaitable, ec));
        if (ec) {
            if (stopping || ec == asio::error::operation_aborted || !w.acceptor->is_open())
                co_return;
            spdlog::warn("accept: {}", ec.message());  // EMFILE and the like: back off a little
            asio::steady_timer pause(w.ioc, std::chrono::milliseconds(50));
            co_await pause.async_wait(redirect_error(use_awaitable, ec));
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        asio::co_spawn(w.ioc, session(w, std::move(socket)), asio::detached);
    }
}

awaitable<void> HttpServer::Impl::session(Worker& w, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    Connection conn{&stream, true};
    w.connections.insert(&conn);
    struct Unregister {
        Worker& w;
        Connection* c;
        ~Unregister() { w.connections.erase(c); }
    } unregister{w, &conn};

    std::string peer = "-";
    {
        beast::error_code ec;
        const auto ep = stream.socket().remote_endpoint(ec);
        if (!ec)
            peer = ep.address().to_string() + ":" + std::to_string(ep.port());
    }
    beast::flat_buffer buffer;
    beast::error_code ec;
    try {
        for (;;) {
            if (stopping)
                break;
            conn.idle = true;
            if (buffer.size() == 0) {  // wait for the next request, up to the idle timeout
                stream.expires_after(options.idle_timeout);
                const std::size_t n = co_await stream.async_read_some(
                    buffer.prepare(4096), redirect_error(use_awaitable, ec));
                if (ec)
                    break;  // closed by the client, idle too long, or closed by stop()
                buffer.commit(n);
            }
            conn.idle = false;
            const auto start = std::chrono::steady_clock::now();
            http::request_parser<http::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
            // Set once the route is known (uploads differ). Not boost::none: Beast 1.74 compares
            // the Content-Length with the optional itself, and anything is greater than none.
            parser.body_limit(std::numeric_limits<std::uint64_t>::max());
            stream.expires_after(options.read_timeout);
            co_await http::async_read_header(stream, buffer, parser,
                                             redirect_error(use_awaitable, ec));
            const UploadSpec* upload = nullptr;
            std::uint64_t limit = options.body_limit;
            if (!ec) {
                const auto& target = parser.get().target();
                const auto path = std::string_view(target.data(), target.size()).substr(
                    0, std::string_view(target.data(), target.size()).find('?'));
                upload = router->upload_spec(
                    std::string_view(parser.get().method_string().data(), parser.get().method_string().size()), path);
                if (upload) limit = upload->limit;
                const auto length = parser.content_length();
                if (length && *length > limit) ec = http::error::body_limit;  // refused before reading
                else if (!upload) parser.body_limit(options.body_limit);
            }
            if (!ec && parser.get()[http::field::expect] == "100-continue" && !parser.is_done()) {
                http::response<http::empty_body> go{http::status::continue_, 11};
                co_await http::async_write(stream, go, redirect_error(use_awaitable, ec));
            }
            std::optional<UploadRead> uploaded;
            if (!ec && upload) {
                stream.expires_after(options.upload_timeout);
                uploaded = co_await read_upload(stream, buffer, parser, *upload, peer);
                ec = uploaded->ec;
                if (uploaded->too_large) ec = http::error::body_limit;
            } else if (!ec && !parser.is_done()) {
                co_await http::async_read(stream, buffer, parser,
                                          redirect_error(use_awaitable, ec));
            }

            Response response;
            std::optional<Request> request;
            bool keep_alive = false;
            if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
                ec == asio::error::eof || ec == asio::error::connection_reset ||
                ec == asio::error::operation_aborted) {
                break;  // nothing (whole) to answer, or the socket is already closed by its timer
            } else if (ec == http::error::header_limit) {
                response = text_response(431, "request line and headers exceed " +
                                                  std::to_string(options.header_limit) + " bytes");
            } else if (ec == http::error::body_limit) {
                response = text_response(413, "the body exceeds " + std::to_string(limit) + " bytes");
            } else if (ec) {
                if (ec.category() != http::make_error_code(http::error::bad_method).category())
                    break;  // a socket error, not a parse error
                response = text_response(400, ec.message());
            } else if (uploaded && !uploaded->failure.empty()) {
                spdlog::error("upload from {}: {}", peer, uploaded->failure);
                response = text_response(500, "the upload could not be stored");
            } else {
                if (uploaded) {
                    keep_alive = uploaded->keep_alive;
                    request = std::move(uploaded->head);
                    request->upload = std::move(uploaded->body);
                } else {
                    keep_alive = parser.get().keep_alive();
                    request = to_request(parser.release(), peer);
                }
                try {
                    response = router->route(*request);
                } catch (const std::exception& e) {
                    spdlog::error("handler for {} {} failed: {}", request->method, request->target,
                                  e.what());
                    response = text_response(500);
                }
                if (request->upload) {  // a handler that did not take the file: do not leave it
                    std::error_code ignored;
                    std::filesystem::remove(request->upload->file, ignored);
                }
            }
            keep_alive = keep_alive && !stopping;

            http::response<http::string_body> res{static_cast<http::status>(response.status), 11};
            res.set(http::field::server, "eseal");
            res.set(http::field::date, date_now());
            if (!response.content_type.empty())
                res.set(http::field::content_type, response.content_type);
            std::optional<std::uint64_t> head_length;
            for (auto& [name, value] : response.headers) {
                if (request && request->method == "HEAD" && lower(name) == "content-length") {
                    head_length = std::stoull(value);
                    continue;
                }
                res.set(name, value);
            }
            const std::size_t bytes = response.body.size();
            res.body() = std::move(response.body);
            res.keep_alive(keep_alive);
            if (head_length) {
                res.content_length(*head_length);
            } else {
                res.prepare_payload();
            }
            stream.expires_after(options.read_timeout);
            co_await http::async_write(stream, res, redirect_error(use_awaitable, ec));
            log(request ? &*request : nullptr, "-", response.status, bytes, start, peer);
            if (ec || !keep_alive)
                break;
        }
        // Half-close, then read and drop what the client still sends for a moment, so that an
        // error answer is not lost to a reset caused by unread bytes.
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream.expires_after(std::chrono::milliseconds(500));
        std::size_t drained = 0;
        while (!ec && drained < 256 * 1024) {
            buffer.consume(buffer.size());
            drained += co_await stream.async_read_some(buffer.prepare(16 * 1024),
                                                       redirect_error(use_awaitable, ec));
        }
    } catch (const std::exception& e) {
        spdlog::error("connection from {}: {}", peer, e.what());
    }
    stream.socket().close(ec);
}

HttpServer::HttpServer(const Router& router, ServerOptions options)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->router = &router;
    m_impl->options = std::move(options);
}

HttpServer::~HttpServer() {
    stop();
    wait();
}

core::Result<void> HttpServer::bind() {
    auto& impl = *m_impl;
    if (!impl.workers.empty()) return {};
    beast::error_code ec;
    const auto address = asio::ip::make_address(impl.options.address, ec);
    if (ec)
        return core::fail(core::Errc::invalid_input, "server.address",
                          "not an IP address: " + impl.options.address);
    tcp::endpoint endpoint(address, impl.options.port);
    const unsigned n = std::max(1u, impl.options.threads);
    for (unsigned i = 0; i < n; ++i) {
        auto w = std::make_unique<Worker>();
        w->acceptor.emplace(w->ioc);
        auto& a = *w->acceptor;
        a.open(endpoint.protocol(), ec);
        if (!ec)
            a.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec)
            a.set_option(reuse_port(true), ec);
        if (!ec)
            a.bind(endpoint, ec);
        if (!ec)
            a.listen(asio::socket_base::max_listen_connections, ec);
        if (ec)
            return core::fail(core::Errc::io, "server.listen",
                              "cannot listen on " + impl.options.address + ":" +
                                  std::to_string(endpoint.port()) + ": " + ec.message());
        if (i == 0) {  // port 0: the others join the port the first one got
            endpoint.port(a.local_endpoint().port());
            impl.port = endpoint.port();
        }
        impl.workers.push_back(std::move(w));
    }
    return {};
}

core::Result<void> HttpServer::start() {
    if (auto r = bind(); !r) return r;
    auto& impl = *m_impl;
    for (auto& w : impl.workers) {
        asio::co_spawn(w->ioc, impl.accept_loop(*w), asio::detached);
        Worker* worker = w.get();
        w->thread = std::thread([&impl, worker] {
            worker->ioc.run();
            {
                std::lock_guard lock(impl.done_mutex);
                ++impl.finished;
            }
            impl.done_cv.notify_all();
        });
    }
    return {};
}

std::uint16_t HttpServer::port() const noexcept {
    return m_impl->port;
}

void HttpServer::stop_on_signals() {
    auto& impl = *m_impl;
    if (impl.workers.empty())
        return;
    auto& ioc = impl.workers.front()->ioc;
    asio::post(ioc, [this, &impl, &ioc] {
        impl.signals.emplace(ioc, SIGINT, SIGTERM);
        impl.signals->async_wait([this](const beast::error_code& ec, int signal) {
            if (ec)
                return;
            spdlog::info("signal {}: stopping", signal);
            stop();
        });
    });
}

void HttpServer::stop() {
    auto& impl = *m_impl;
    if (impl.stopping.exchange(true))
        return;
    for (auto& w : impl.workers) {
        Worker* worker = w.get();
        asio::post(worker->ioc, [&impl, worker] {
            beast::error_code ec;
            worker->acceptor->close(ec);
            for (Connection* c : worker->connections)
                if (c->idle)
                    c->stream->socket().close(ec);  // busy ones close after their answer
            if (impl.signals && worker == impl.workers.front().get())
                impl.signals->cancel(ec);
        });
    }
    {
        std::lock_guard lock(impl.done_mutex);
        impl.stop_deadline = std::chrono::steady_clock::now() + impl.options.shutdown_grace;
    }
    impl.done_cv.notify_all();
}

void HttpServer::wait() {
    auto& impl = *m_impl;
    std::unique_lock lock(impl.done_mutex);
    if (impl.joined)
        return;
    bool forced = false;
    while (impl.finished < impl.workers.size()) {
        if (impl.stop_deadline && !forced) {
            if (!impl.done_cv.wait_until(lock, *impl.stop_deadline,
                                         [&] { return impl.finished == impl.workers.size(); })) {
                spdlog::warn(
                    "requests still running after the shutdown grace period: closing them");
                for (auto& w : impl.workers) w->ioc.stop();
                forced = true;
            }
        } else {
            impl.done_cv.wait(lock);
        }
    }
    impl.joined = true;
    lock.unlock();
    for (auto& w : impl.workers)
        if (w->thread.joinable())
            w->thread.join();
}

}  // namespace eseal::server
