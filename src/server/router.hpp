#pragma once
// A small router: method + path pattern → handler. Patterns are matched segment by segment on the
// raw (not percent-decoded) path:
//   "/crl/{name}.crl"   a capture with a literal prefix and/or suffix inside one segment
//   "/ocsp/{request...}" a tail capture: the rest of the path, slashes included (it may be empty)
// Captures are raw too; a handler decodes what it takes. A path that matches no route is 404; one
// that matches with another method is 405 with Allow. HEAD is served by the GET route, body-less.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "server/http.hpp"

namespace eseal::server {

using Captures = std::map<std::string, std::string, std::less<>>;
using Handler = std::function<Response(const Request&, const Captures&)>;

// How an upload route takes its body: streamed to a fresh file (never held in memory), cut off
// with 413 past `limit` bytes, the partial file removed.
struct UploadSpec {
    std::uint64_t limit = 0;
    std::function<core::Result<std::filesystem::path>()> temp_file;
};

class Router {
  public:
    // Throws std::invalid_argument for a malformed pattern (a programming error, found at
    // start-up).
    Router& add(std::string method, std::string_view pattern, Handler handler);
    // A route whose body the server streams to a file (Request::upload).
    Router& add_upload(std::string method, std::string_view pattern, UploadSpec spec, Handler handler);
    // The upload spec of the route this request would reach, if it is an upload route.
    [[nodiscard]] const UploadSpec* upload_spec(std::string_view method, std::string_view path) const;
    [[nodiscard]] Response route(const Request& request) const;

    // Every route as (method, pattern), in the order added: for the API description's tests.
    [[nodiscard]] std::vector<std::pair<std::string, std::string>> routes() const {
        std::vector<std::pair<std::string, std::string>> out;
        for (const auto& r : m_routes) out.emplace_back(r.method, r.pattern);
        return out;
    }

    // For tests: whether the path matches a pattern, and what it captured.
    [[nodiscard]] static bool match(std::string_view pattern, std::string_view path,
                                    Captures& captures);

  private:
    struct Route {
        std::string method;
        std::string pattern;
        Handler handler;
        std::optional<UploadSpec> upload;
    };
    std::vector<Route> m_routes;
};

}  // namespace eseal::server
