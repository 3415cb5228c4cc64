#include "server/http.hpp"

#include <array>
#include <ctime>
#include <optional>

namespace eseal::server {

std::string_view Request::header(std::string_view name) const noexcept {
    for (const auto& [n, v] : headers)
        if (n == name)
            return v;
    return {};
}

std::string_view reason_phrase(int status) noexcept {
    switch (status) {
        case 200:
            return "OK";
        case 204:
            return "No Content";
        case 304:
            return "Not Modified";
        case 400:
            return "Bad Request";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 411:
            return "Length Required";
        case 413:
            return "Content Too Large";
        case 415:
            return "Unsupported Media Type";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "";
    }
}

Response text_response(int status, std::string_view text) {
    Response r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::to_string(status) + " " + std::string(reason_phrase(status));
    if (!text.empty())
        r.body += ": " + std::string(text);
    r.body += "\n";
    return r;
}

std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size())
            return std::nullopt;  // "%" needs two hex digits after it
        const int hi = hex(text[i + 1]);
        const int lo = hex(text[i + 2]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

std::string http_date(std::time_t t) {
    // Answers served from a cache carry the same few dates over and over: keep the last ones.
    thread_local std::array<std::pair<std::time_t, std::string>, 8> recent{};
    thread_local std::size_t next = 0;
    for (const auto& [when, text] : recent)
        if (when == t && !text.empty())
            return text;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    const auto n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    recent[next] = {t, std::string(buf, n)};
    next = (next + 1) % recent.size();
    return {buf, n};
}

}  // namespace eseal::server
