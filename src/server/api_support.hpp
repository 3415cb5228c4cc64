#pragma once
// The JSON API's plumbing (DESIGN §7): JSON answers, RFC 9457 problem details with a stable
// `code`, the mapping of domain errors to HTTP statuses (here and nowhere else), request bodies,
// cookies and query parameters.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "server/http.hpp"

namespace eseal::server {

[[nodiscard]] Response json_response(int status, const nlohmann::json& body);
// RFC 9457 application/problem+json: type, title, status, detail, code, and `problems` (one per
// faulty field) when the error carries them.
[[nodiscard]] Response problem_response(const core::Error& error);
[[nodiscard]] Response problem_response(int status, std::string code, std::string detail);
[[nodiscard]] int status_of(const core::Error& error) noexcept;

// The body as a JSON object; a clear error for a wrong media type or malformed JSON.
[[nodiscard]] core::Result<nlohmann::json> json_body(const Request& request);

// A cookie's value from the Cookie header (RFC 6265 §5.4), "" if absent.
[[nodiscard]] std::string cookie_value(const Request& request, std::string_view name);
// A query parameter, percent-decoded ('+' as space, as forms send it); nullopt if absent.
[[nodiscard]] std::optional<std::string> query_param(const Request& request, std::string_view name);
// The client's address without the port (for rate limits and consent records).
[[nodiscard]] std::string client_address(const Request& request);

// Reads fields of a JSON object, collecting every type error as a Problem on its path.
class JsonReader {
  public:
    JsonReader(const nlohmann::json& object, std::string prefix = {}) : m_object(object), m_prefix(std::move(prefix)) {}
    std::string text(std::string_view key, bool required = false);
    int integer(std::string_view key, int fallback);
    std::int64_t integer64(std::string_view key, std::int64_t fallback);
    [[nodiscard]] const nlohmann::json* object(std::string_view key);
    [[nodiscard]] std::vector<core::Problem>& problems() { return *m_problems; }
    void share(std::vector<core::Problem>& sink) { m_problems = &sink; }
    [[nodiscard]] std::string path(std::string_view key) const;

  private:
    const nlohmann::json& m_object;
    std::string m_prefix;
    std::vector<core::Problem> m_own;
    std::vector<core::Problem>* m_problems = &m_own;
};

}  // namespace eseal::server
