#include "server/http_client.hpp"

// Boost 1.74's Asio uses std::exchange in its coroutine support without including <utility>.
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <charconv>

namespace eseal::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::redirect_error;
using asio::use_awaitable;

core::Result<HttpReply> io_error(std::string code, std::string what, const beast::error_code& ec) {
    if (ec == beast::error::timeout)
        return core::fail(core::Errc::io, "http.timeout", what + ": timed out");
    return core::fail(core::Errc::io, std::move(code), what + ": " + ec.message());
}

asio::awaitable<void> exchange(const HttpUrl& url, http::request<http::string_body>& request,
                               const HttpClientOptions& options, core::Result<HttpReply>& out) {
    const auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    beast::tcp_stream stream(executor);
    beast::error_code ec;
    const std::string where = url.host + ":" + url.port;
    // One deadline over the whole exchange: the stream's timer covers connect, write and read.
    stream.expires_after(options.timeout);
    const auto endpoints =
        co_await resolver.async_resolve(url.host, url.port, redirect_error(use_awaitable, ec));
    if (ec) {
        out = io_error("http.resolve", "cannot resolve " + url.host, ec);
        co_return;
    }
    co_await stream.async_connect(endpoints, redirect_error(use_awaitable, ec));
    if (ec) {
        out = io_error("http.connect", "cannot connect to " + where, ec);
        co_return;
    }
    co_await http::async_write(stream, request, redirect_error(use_awaitable, ec));
    if (ec) {
        out = io_error("http.write", "cannot send to " + where, ec);
        co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(options.body_limit);
    // The head first, and the declared length checked here: Beast 1.74's eager parse (what
    // async_read does) drops the body_limit error when the head and body arrive in one buffer.
    co_await http::async_read_header(stream, buffer, parser, redirect_error(use_awaitable, ec));
    if (!ec && parser.content_length() && *parser.content_length() > options.body_limit)
        ec = http::error::body_limit;
    if (!ec && !parser.is_done())
        co_await http::async_read(stream, buffer, parser, redirect_error(use_awaitable, ec));
    if (ec == http::error::body_limit) {
        out = core::fail(
            core::Errc::io, "http.body_limit",
            where + " answered with more than " + std::to_string(options.body_limit) + " bytes");
        co_return;
    }
    if (ec) {
        out = io_error("http.read", "no answer from " + where, ec);
        co_return;
    }
    auto& response = parser.get();
    out = HttpReply{static_cast<int>(response.result_int()), std::move(response.body())};
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);  // the answer is in; errors moot
}

bool is_2xx(int status) {
    return status >= 200 && status <= 299;
}

}  // namespace

core::Result<HttpUrl> parse_http_url(std::string_view url) {
    const auto malformed = [&] {
        return core::fail(core::Errc::invalid_input, "http.url",
                          "not an http://host[:port]/path URL: " + std::string(url.substr(0, 200)));
    };
    constexpr std::string_view kScheme = "http://";
    if (url.size() < kScheme.size() ||
        !std::equal(kScheme.begin(), kScheme.end(), url.begin(), [](char a, char b) {
            return a == std::tolower(static_cast<unsigned char>(b));
        })) {
        if (url.find("://") != std::string_view::npos)
            return core::fail(core::Errc::unsupported, "http.scheme",
                              "only plain http:// URLs are supported here");
        return malformed();
    }
    std::string_view rest = url.substr(kScheme.size());
    const auto path_at = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, path_at);
    std::string_view target =
        path_at == std::string_view::npos ? std::string_view{} : rest.substr(path_at);
    if (const auto hash = target.find('#'); hash != std::string_view::npos)
        target = target.substr(0, hash);
    if (authority.empty() || authority.find('@') != std::string_view::npos)
        return malformed();
    HttpUrl out;
    std::string_view port;
    if (authority.front() == '[') {  // RFC 3986 §3.2.2 IP-literal
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            return malformed();
        out.host = std::string(authority.substr(1, close - 1));
        const auto after = authority.substr(close + 1);
        if (!after.empty() && after.front() != ':')
            return malformed();
        if (!after.empty())
            port = after.substr(1);
    } else {
        const auto colon = authority.rfind(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos)
            port = authority.substr(colon + 1);
    }
    if (out.host.empty())
        return malformed();
    if (port.empty()) {
        out.port = "80";
    } else {
        unsigned value = 0;
        const auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc{} || p != port.data() + port.size() || value == 0 || value > 65535)
            return malformed();
        out.port = std::string(port);
    }
    out.target = target.empty() ? "/" : std::string(target);
    if (out.target.front() == '?')
        out.target.insert(0, "/");
    return out;
}

core::Result<HttpReply> http_post(const std::string& url, const HeaderList& headers,
                                  const std::string& body, const HttpClientOptions& options) {
    auto parsed = parse_http_url(url);
    if (!parsed)
        return std::unexpected(parsed.error());
    http::request<http::string_body> request{http::verb::post, parsed->target, 11};
    request.set(http::field::host,
                parsed->port == "80" ? parsed->host : parsed->host + ":" + parsed->port);
    request.set(http::field::user_agent, "eseal-sandbox");
    for (const auto& [name, value] : headers) {
        if (value.find_first_of("\r\n") != std::string::npos)
            return core::fail(core::Errc::invalid_input, "http.header",
                              "a line break in header " + name);
        request.set(name, value);
    }
    request.set(http::field::connection, "close");
    request.body() = body;
    request.prepare_payload();

    core::Result<HttpReply> out =
        core::fail(core::Errc::io, "http.timeout", "no answer from " + url + " in time");
    asio::io_context ioc{1};
    asio::co_spawn(ioc, exchange(*parsed, request, options, out), asio::detached);
    // The stream's timer bounds connect, write and read; this bounds name resolution too.
    ioc.run_for(options.timeout + std::chrono::seconds{1});
    return out;
}

core::Result<HttpReply> http_get(const std::string& url, const HttpClientOptions& options) {
    auto parsed = parse_http_url(url);
    if (!parsed)
        return std::unexpected(parsed.error());
    http::request<http::string_body> request{http::verb::get, parsed->target, 11};
    request.set(http::field::host,
                parsed->port == "80" ? parsed->host : parsed->host + ":" + parsed->port);
    request.set(http::field::user_agent, "eseal");
    request.set(http::field::connection, "close");
    core::Result<HttpReply> out =
        core::fail(core::Errc::io, "http.timeout", "no answer from " + url + " in time");
    asio::io_context ioc{1};
    asio::co_spawn(ioc, exchange(*parsed, request, options, out), asio::detached);
    ioc.run_for(options.timeout + std::chrono::seconds{1});
    return out;
}

SandboxDelivery::SandboxDelivery(DeliveryOptions options)
    : m_options(std::move(options)), m_thread([this] { run(); }) {}

SandboxDelivery::~SandboxDelivery() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        for (const auto& job : m_pending)
            spdlog::warn("sandbox delivery to {} dropped at shutdown after {} attempt(s)", job.url,
                         job.outcome.attempts);
    }
    m_changed.notify_all();
    m_thread.join();
}

void SandboxDelivery::deliver_async(std::string url, HeaderList headers, std::string body) {
    {
        std::lock_guard lock(m_mutex);
        Job job{std::move(url),
                std::move(headers),
                std::move(body),
                std::chrono::steady_clock::now(),
                {}};
        job.outcome.url = job.url;
        m_pending.push_back(std::move(job));
    }
    m_changed.notify_all();
}

void SandboxDelivery::deliver_async(const ra::providers::Callback& callback) {
    deliver_async(callback.url, HeaderList(callback.headers.begin(), callback.headers.end()),
                  callback.body);
}

void SandboxDelivery::wait_idle() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_stopping || (m_pending.empty() && m_in_flight == 0); });
}

std::vector<DeliveryOutcome> SandboxDelivery::outcomes() const {
    std::lock_guard lock(m_mutex);
    return {m_finished.begin(), m_finished.end()};
}

void SandboxDelivery::run() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (m_pending.empty()) {
            m_changed.wait(lock);
            continue;
        }
        // The job due first, so one callback's back-off does not hold up the others.
        const auto next = std::ranges::min_element(m_pending, {}, &Job::due);
        if (next->due > std::chrono::steady_clock::now()) {
            m_changed.wait_until(lock, next->due);
            continue;
        }
        Job job = std::move(*next);
        m_pending.erase(next);
        ++m_in_flight;
        lock.unlock();
        const auto reply = http_post(job.url, job.headers, job.body, m_options.http);
        lock.lock();
        --m_in_flight;
        auto& o = job.outcome;
        ++o.attempts;
        o.last_status = reply ? reply->status : 0;
        o.last_error = reply
                           ? (is_2xx(reply->status) ? "" : "HTTP " + std::to_string(reply->status))
                           : reply.error().describe();
        o.delivered = reply && is_2xx(reply->status);
        const auto retries_done = static_cast<std::size_t>(o.attempts - 1);
        if (!o.delivered && retries_done < m_options.backoff.size()) {
            job.due = std::chrono::steady_clock::now() + m_options.backoff[retries_done];
            m_pending.push_back(std::move(job));
        } else {
            if (!o.delivered)
                spdlog::warn("sandbox delivery to {} gave up after {} attempt(s): {}", o.url,
                             o.attempts, o.last_error);
            m_finished.push_back(std::move(o));
            while (m_finished.size() > m_options.history) m_finished.pop_front();
        }
        m_changed.notify_all();
    }
}

}  // namespace eseal::server
