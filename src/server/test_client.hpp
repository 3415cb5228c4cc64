#pragma once
// Test-only: a raw TCP client, so server tests can send exactly the bytes they mean (oversized,
// truncated, garbage) and read whatever comes back, without an HTTP library smoothing it over.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace eseal::server::testing {

class RawClient {
  public:
    explicit RawClient(std::uint16_t port,
                       std::chrono::milliseconds timeout = std::chrono::seconds{5}) {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{static_cast<time_t>(timeout.count() / 1000),
                   static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~RawClient() {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    [[nodiscard]] bool connected() const { return m_connected; }
    bool send(std::string_view data) {
        while (!data.empty()) {
            const auto n = ::send(m_fd, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    void shutdown_send() { ::shutdown(m_fd, SHUT_WR); }
    // Everything until the peer closes (or the receive timeout passes: then timed_out()).
    std::string read_all() {
        std::string out;
        char buf[16384];
        for (;;) {
            const auto n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n < 0) {
                m_timed_out = errno == EAGAIN || errno == EWOULDBLOCK;
                return out;
            }
            if (n == 0)
                return out;
            out.append(buf, static_cast<std::size_t>(n));
        }
    }
    // One response with a Content-Length body (keep-alive connections stay open). Bytes of
    // the next response that came in the same read are kept for the next call (pipelining).
    std::string read_response() {
        std::string out = std::move(m_pending);
        m_pending.clear();
        char buf[16384];
        for (;;) {
            const auto head_end = out.find("\r\n\r\n");
            if (head_end != std::string::npos) {
                std::size_t length = 0;
                const auto at = out.find("Content-Length: ");
                if (at != std::string::npos && at < head_end)
                    length = std::stoul(out.substr(at + 16));
                if (out.size() >= head_end + 4 + length) {
                    m_pending = out.substr(head_end + 4 + length);
                    return out.substr(0, head_end + 4 + length);
                }
            }
            const auto n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0) {
                m_timed_out = n < 0;
                return out;
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
    }
    [[nodiscard]] bool timed_out() const { return m_timed_out; }

  private:
    int m_fd = -1;
    std::string m_pending;
    bool m_connected = false;
    bool m_timed_out = false;
};

inline int status_of(const std::string& response) {
    if (response.size() < 12 || !response.starts_with("HTTP/1.1 "))
        return 0;
    return std::stoi(response.substr(9, 3));
}

}  // namespace eseal::server::testing
