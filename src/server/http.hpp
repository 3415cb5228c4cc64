#pragma once
// The HTTP request and response as handlers see them: plain values, no Boost.Beast types, so
// handlers and their tests stay light and the transport can change. HTTP status codes live only
// in server/ (DESIGN §2).
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eseal::server {

// A body streamed to a file instead of memory (Router::add_upload): the handler owns the file
// and must move or remove it.
struct UploadedBody {
    std::filesystem::path file;
    std::uint64_t size = 0;
    std::string sha256_hex;  // computed while it was written
};

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // as sent: path and query
    std::string path;    // target up to '?', not percent-decoded
    std::string query;   // after '?', not decoded
    std::vector<std::pair<std::string, std::string>> headers;  // names in lowercase
    std::string body;
    std::string peer;  // "127.0.0.1:52100"
    std::optional<UploadedBody> upload;  // upload routes only; body is then empty

    // The first header with this (lowercase) name; "" if absent.
    [[nodiscard]] std::string_view header(std::string_view name) const noexcept;
};

struct Response {
    int status = 200;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    Response& set(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

// A short text/plain answer: "404 Not Found\n".
[[nodiscard]] Response text_response(int status, std::string_view text = {});
[[nodiscard]] std::string_view reason_phrase(int status) noexcept;

// RFC 3986 §2.1 percent-decoding; nullopt for a malformed escape. '+' stays '+' (it is not a
// space outside query strings, and is a base64 character).
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view text);

// RFC 9110 §5.6.7 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
[[nodiscard]] std::string http_date(std::time_t t);

}  // namespace eseal::server
