#pragma once
// The web app (web/, built by Vite into web/dist) served by `eseal serve` from "/": files with
// their content types, index.html for the app's own paths (the single-page app routes in the
// browser), no way out of the directory, long caching for Vite's content-hashed assets
// (assets/NAME-HASH.js) and revalidation for the rest.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "server/http.hpp"
#include "server/router.hpp"

namespace eseal::server {

// The media type for a file name's extension; application/octet-stream when unknown.
[[nodiscard]] std::string_view static_content_type(std::string_view file_name) noexcept;

// The file under root that a URL path names, or nullopt for a path that is malformed (a bad
// percent escape, NUL, backslash) or leaves root ("..", "." or empty segments, a symlink out).
[[nodiscard]] std::optional<std::filesystem::path> static_file_for(
    const std::filesystem::path& root, std::string_view url_path);

// GET/HEAD: the file, or index.html for an app path (no extension in its last segment) that names
// no file; 404 for a missing file with an extension and for every path under the server's own
// prefixes (/api/, /sandbox/, /crl/, /ocsp, /tsa), which never fall back to the app.
[[nodiscard]] Response serve_static(const std::filesystem::path& root, const Request& request);

// Adds GET "/{path...}" serving root. Add it last: routes added before it win.
void add_static_routes(Router& router, std::filesystem::path root);

}  // namespace eseal::server
