#pragma once
// A small synchronous HTTP/1.1 client (Boost.Beast, plain TCP) for what the server itself sends:
// the sandboxes' callbacks to our own callback URLs. One connection per request
// (Connection: close), one deadline over connect, write and read, a cap on the response body.
// No TLS: real providers' HTTPS APIs need a client that verifies their certificates, and this is
// not it.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "ra/providers/api_transport.hpp"

namespace eseal::server {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpClientOptions {
    std::chrono::milliseconds timeout{10'000};  // the whole exchange
    std::size_t body_limit = 1024 * 1024;       // bytes of response body
};

struct HttpReply {
    int status = 0;
    std::string body;
};

struct HttpUrl {
    std::string host;
    std::string port;    // "80" when not given
    std::string target;  // path and query, "/" when empty
};

// "http://host[:port][/path][?query]"; unsupported "http.scheme" for https and anything else,
// invalid_input "http.url" for a malformed one.
[[nodiscard]] core::Result<HttpUrl> parse_http_url(std::string_view url);

// Errors: those of parse_http_url; io "http.resolve", "http.connect", "http.write", "http.read";
// io "http.timeout" when the deadline passes; io "http.body_limit" for a longer response.
[[nodiscard]] core::Result<HttpReply> http_post(const std::string& url, const HeaderList& headers,
                                                const std::string& body,
                                                const HttpClientOptions& options = {});

// A GET (e.g. a CRL from its distribution point, RFC 5280 §4.2.1.13); errors as http_post's.
[[nodiscard]] core::Result<HttpReply> http_get(const std::string& url,
                                               const HttpClientOptions& options = {});

struct DeliveryOptions {
    // Waits between attempts: the first attempt is at once, then one retry after each of these
    // (like the providers' own schedules: WeChat Pay 15s/15s/30s/3m/…, Alipay 4m/10m/10m/1h/…,
    // shortened for development).
    std::vector<std::chrono::milliseconds> backoff{std::chrono::seconds{1}, std::chrono::seconds{5},
                                                   std::chrono::seconds{30}};
    HttpClientOptions http;
    std::size_t history = 200;  // finished deliveries kept for outcomes()
};

struct DeliveryOutcome {
    std::string url;
    int attempts = 0;
    int last_status = 0;  // 0: no HTTP answer
    std::string last_error;
    bool delivered = false;  // a 2xx answer
};

// Delivers the sandboxes' callbacks as the real services do: a POST from a background thread,
// retried on a non-2xx answer or no answer, with back-off, until it succeeds or the schedule runs
// out (then it is logged and kept in outcomes()). Retries of one callback do not hold up others.
class SandboxDelivery {
  public:
    explicit SandboxDelivery(DeliveryOptions options = {});
    ~SandboxDelivery();  // stops; callbacks still waiting for a retry are dropped (and logged)
    SandboxDelivery(const SandboxDelivery&) = delete;
    SandboxDelivery& operator=(const SandboxDelivery&) = delete;

    void deliver_async(std::string url, HeaderList headers, std::string body);
    void deliver_async(const ra::providers::Callback& callback);
    // Blocks until nothing is queued, waiting or in flight.
    void wait_idle();
    // Finished deliveries, oldest first.
    [[nodiscard]] std::vector<DeliveryOutcome> outcomes() const;

  private:
    struct Job {
        std::string url;
        HeaderList headers;
        std::string body;
        std::chrono::steady_clock::time_point due;
        DeliveryOutcome outcome;
    };
    void run();

    DeliveryOptions m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<Job> m_pending;
    int m_in_flight = 0;
    bool m_stopping = false;
    std::deque<DeliveryOutcome> m_finished;
    std::thread m_thread;  // last: started once everything above exists
};

}  // namespace eseal::server
