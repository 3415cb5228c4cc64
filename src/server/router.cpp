#include "server/router.hpp"

#include <stdexcept>

namespace eseal::server {
namespace {

// Splits "/a/b/c" into "a", "b", "c" (a leading '/' is required of both patterns and paths).
std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty() || path.front() != '/')
        return out;
    path.remove_prefix(1);
    for (;;) {
        const auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos)
            return out;
        path.remove_prefix(slash + 1);
    }
}

struct Capture {
    std::string_view prefix, name, suffix;
    bool tail = false;
};

std::optional<Capture> capture_of(std::string_view segment) {
    const auto open = segment.find('{');
    if (open == std::string_view::npos)
        return std::nullopt;
    const auto close = segment.find('}', open);
    if (close == std::string_view::npos)
        throw std::invalid_argument("unclosed '{' in route segment");
    Capture c{segment.substr(0, open), segment.substr(open + 1, close - open - 1),
              segment.substr(close + 1)};
    if (c.name.ends_with("...")) {
        c.tail = true;
        c.name.remove_suffix(3);
    }
    if (c.name.empty())
        throw std::invalid_argument("empty capture name in route segment");
    return c;
}

void check_pattern(std::string_view pattern) {
    if (pattern.empty() || pattern.front() != '/')
        throw std::invalid_argument("a route pattern starts with '/'");
    const auto parts = segments(pattern);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        auto c = capture_of(parts[i]);
        if (c && c->tail && (i + 1 != parts.size() || !c->suffix.empty()))
            throw std::invalid_argument("a tail capture {name...} ends the pattern");
    }
}

}  // namespace

bool Router::match(std::string_view pattern, std::string_view path, Captures& captures) {
    captures.clear();
    const auto want = segments(pattern);
    if (path.empty() || path.front() != '/')
        return false;
    std::string_view rest = path.substr(1);
    for (std::size_t i = 0; i < want.size(); ++i) {
        const auto c = capture_of(want[i]);
        if (c && c->tail) {
            if (!rest.starts_with(c->prefix))
                return false;
            captures.emplace(std::string(c->name), std::string(rest.substr(c->prefix.size())));
            return true;
        }
        const auto slash = rest.find('/');
        const std::string_view seg = rest.substr(0, slash);
        const bool last = i + 1 == want.size();
        if (last != (slash == std::string_view::npos))
            return false;
        if (!c) {
            if (seg != want[i])
                return false;
        } else {
            if (seg.size() < c->prefix.size() + c->suffix.size() + 1 ||
                !seg.starts_with(c->prefix) || !seg.ends_with(c->suffix))
                return false;
            captures.emplace(
                std::string(c->name),
                std::string(seg.substr(c->prefix.size(),
                                       seg.size() - c->prefix.size() - c->suffix.size())));
        }
        if (!last)
            rest.remove_prefix(slash + 1);
    }
    return true;
}

Router& Router::add(std::string method, std::string_view pattern, Handler handler) {
    check_pattern(pattern);
    m_routes.push_back({std::move(method), std::string(pattern), std::move(handler), std::nullopt});
    return *this;
}

Router& Router::add_upload(std::string method, std::string_view pattern, UploadSpec spec, Handler handler) {
    check_pattern(pattern);
    if (!spec.temp_file || spec.limit == 0)
        throw std::invalid_argument("an upload route needs a limit and a place for its files");
    m_routes.push_back({std::move(method), std::string(pattern), std::move(handler), std::move(spec)});
    return *this;
}

const UploadSpec* Router::upload_spec(std::string_view method, std::string_view path) const {
    Captures captures;
    for (const auto& r : m_routes)
        if (r.method == method && match(r.pattern, path, captures)) return r.upload ? &*r.upload : nullptr;
    return nullptr;
}

Response Router::route(const Request& request) const {
    Captures captures;
    std::string allow;
    const bool head = request.method == "HEAD";
    for (const auto& r : m_routes) {
        if (!match(r.pattern, request.path, captures))
            continue;
        if (r.method == request.method || (head && r.method == "GET")) {
            Response response = r.handler(request, captures);
            if (head) {  // RFC 9110 §9.3.2: the GET headers, no content
                response.set("Content-Length", std::to_string(response.body.size()));
                response.body.clear();
            }
            return response;
        }
        if (allow.find(r.method) == std::string::npos)
            allow += (allow.empty() ? "" : ", ") + r.method;
    }
    if (allow.empty())
        return text_response(404);
    if (allow.find("GET") != std::string::npos)
        allow += ", HEAD";
    auto r = text_response(405);
    r.set("Allow", allow);
    return r;
}

}  // namespace eseal::server
