#include "server/api_support.hpp"

namespace eseal::server {

Response json_response(int status, const nlohmann::json& body) {
    Response r;
    r.status = status;
    r.content_type = "application/json; charset=utf-8";
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    r.set("Cache-Control", "no-store");
    return r;
}

int status_of(const core::Error& error) noexcept {
    if (error.code == "login.rate_limited") return 429;
    switch (error.kind) {
        case core::Errc::invalid_input: return 422;
        case core::Errc::not_found: return 404;
        case core::Errc::already_exists: return 409;
        case core::Errc::conflict: return 409;
        case core::Errc::permission_denied: return error.code.starts_with("login.") || error.code == "staff.login_failed" || error.code == "staff.locked" ? 401 : 403;
        case core::Errc::unsupported: return 501;
        case core::Errc::crypto: return 400;
        case core::Errc::io:
        case core::Errc::storage:
        case core::Errc::internal: return 500;
    }
    return 500;
}

Response problem_response(const core::Error& error) {
    const int status = status_of(error);
    nlohmann::json body = {
        {"type", "urn:eseal:problem:" + error.code},
        {"title", std::string(reason_phrase(status))},
        {"status", status},
        {"code", error.code},
        // Server-side failures say what failed but not the internals.
        {"detail", status >= 500 ? std::string("the server could not complete the request (") + error.code + ")" : error.message},
    };
    if (!error.problems.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& p : error.problems) list.push_back({{"field", p.field}, {"code", p.code}, {"message", p.message}});
        body["problems"] = std::move(list);
    }
    Response r = json_response(status, body);
    r.content_type = "application/problem+json; charset=utf-8";
    return r;
}

Response problem_response(int status, std::string code, std::string detail) {
    core::Error e{core::Errc::invalid_input, std::move(code), std::move(detail), {}};
    Response r = problem_response(e);
    nlohmann::json body = nlohmann::json::parse(r.body);
    body["status"] = status;
    body["title"] = std::string(reason_phrase(status));
    r.status = status;
    r.body = body.dump();
    return r;
}

core::Result<nlohmann::json> json_body(const Request& request) {
    const auto type = request.header("content-type");
    if (!type.starts_with("application/json"))
        return core::fail(core::Errc::invalid_input, "request.media_type", "send the body as application/json");
    auto doc = nlohmann::json::parse(request.body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return core::fail(core::Errc::invalid_input, "request.json", "the body is not a JSON object");
    return doc;
}

std::string cookie_value(const Request& request, std::string_view name) {
    for (const auto& [key, value] : request.headers) {
        if (key != "cookie") continue;
        std::string_view rest = value;
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            std::string_view pair = rest.substr(0, semi);
            while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
            const auto eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
            if (semi == std::string_view::npos) break;
            rest.remove_prefix(semi + 1);
        }
    }
    return {};
}

std::optional<std::string> query_param(const Request& request, std::string_view name) {
    std::string_view rest = request.query;
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name) {
            std::string raw(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
            for (auto& c : raw)
                if (c == '+') c = ' ';
            return percent_decode(raw);
        }
        if (amp == std::string_view::npos) break;
        rest.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

std::string client_address(const Request& request) {
    const auto colon = request.peer.rfind(':');
    return colon == std::string::npos ? request.peer : request.peer.substr(0, colon);
}

std::string JsonReader::path(std::string_view key) const {
    return m_prefix.empty() ? std::string(key) : m_prefix + "." + std::string(key);
}

std::string JsonReader::text(std::string_view key, bool required) {
    const auto it = m_object.find(key);
    if (it == m_object.end() || it->is_null()) {
        if (required) m_problems->push_back({"field.required", "is required", path(key)});
        return {};
    }
    if (!it->is_string()) {
        m_problems->push_back({"field.type", "must be a string", path(key)});
        return {};
    }
    return it->get<std::string>();
}

std::int64_t JsonReader::integer64(std::string_view key, std::int64_t fallback) {
    const auto it = m_object.find(key);
    if (it == m_object.end() || it->is_null()) return fallback;
    if (!it->is_number_integer()) {
        m_problems->push_back({"field.type", "must be an integer", path(key)});
        return fallback;
    }
    return it->get<std::int64_t>();
}

int JsonReader::integer(std::string_view key, int fallback) {
    const auto v = integer64(key, fallback);
    if (v < -1'000'000 || v > 1'000'000) {
        m_problems->push_back({"field.range", "is out of range", path(key)});
        return fallback;
    }
    return static_cast<int>(v);
}

const nlohmann::json* JsonReader::object(std::string_view key) {
    const auto it = m_object.find(key);
    if (it == m_object.end() || it->is_null()) return nullptr;
    if (!it->is_object()) {
        m_problems->push_back({"field.type", "must be an object", path(key)});
        return nullptr;
    }
    return &*it;
}

}  // namespace eseal::server
