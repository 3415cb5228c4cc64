#pragma once
// A small router: method + path pattern → handler. Patterns are matched segment by segment on the
// raw (not percent-decoded) path:
//   "/crl/{name}.crl"   a capture with a literal prefix and/or suffix inside one segment
//   "/ocsp/{request...}" a tail capture: the rest of the path, slashes included (it may be empty)
// Captures are raw too; a handler decodes what it takes. A path that matches no route is 404; one
// that matches with another method is 405 with Allow. HEAD is served by the GET route, body-less.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "server/http.hpp"

namespace eseal::server {

using Captures = std::map<std::string, std::string, std::less<>>;
using Handler = std::function<Response(const Request&, const Captures&)>;

class Router {
  public:
    // Throws std::invalid_argument for a malformed pattern (a programming error, found at
    // start-up).
    Router& add(std::string method, std::string_view pattern, Handler handler);
    [[nodiscard]] Response route(const Request& request) const;

    // For tests: whether the path matches a pattern, and what it captured.
    [[nodiscard]] static bool match(std::string_view pattern, std::string_view path,
                                    Captures& captures);

  private:
    struct Route {
        std::string method;
        std::string pattern;
        Handler handler;
    };
    std::vector<Route> m_routes;
};

}  // namespace eseal::server
