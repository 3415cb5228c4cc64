#include "server/static_files.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <system_error>

namespace eseal::server {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},  // RFC 9239
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/vnd.microsoft.icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".txt", "text/plain; charset=utf-8"},
    {".pdf", "application/pdf"},
    {".wasm", "application/wasm"},
}};

// Paths the server answers itself: a miss there is a real 404, never the app.
constexpr std::array<std::string_view, 5> kServerPrefixes{"/api/", "/sandbox/", "/crl/", "/ocsp",
                                                          "/tsa"};

bool is_server_path(std::string_view path) {
    for (auto prefix : kServerPrefixes)
        if (path.starts_with(prefix) ||
            path == prefix.substr(0, prefix.size() - (prefix.ends_with('/') ? 1 : 0)))
            return true;
    return false;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::optional<std::string> read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

Response file_response(const fs::path& file, const std::string& content, bool hashed_asset) {
    Response r;
    r.status = 200;
    r.content_type = std::string(static_content_type(file.filename().string()));
    r.body = content;
    // Vite names built assets by content hash, so they never change under one name (RFC 8246).
    r.set("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
    r.set("X-Content-Type-Options", "nosniff");
    std::error_code ec;
    const auto written = fs::last_write_time(file, ec);
    if (!ec) {
        const auto sys = std::chrono::file_clock::to_sys(written);
        r.set("Last-Modified", http_date(std::chrono::system_clock::to_time_t(sys)));
    }
    return r;
}

}  // namespace

std::string_view static_content_type(std::string_view file_name) noexcept {
    const auto dot = file_name.rfind('.');
    if (dot == std::string_view::npos)
        return "application/octet-stream";
    const auto ext = lower(file_name.substr(dot));
    for (const auto& [e, type] : kTypes)
        if (e == ext)
            return type;
    return "application/octet-stream";
}

std::optional<fs::path> static_file_for(const fs::path& root, std::string_view url_path) {
    const auto decoded = percent_decode(url_path);
    if (!decoded || decoded->empty() || decoded->front() != '/')
        return std::nullopt;
    fs::path rel;
    std::string_view rest = std::string_view(*decoded).substr(1);
    if (rest.empty())
        return root / "index.html";
    for (;;) {
        const auto slash = rest.find('/');
        const auto seg = rest.substr(0, slash);
        if (seg.empty() || seg == "." || seg == ".." || seg.find('\\') != std::string_view::npos ||
            seg.find('\0') != std::string_view::npos)
            return std::nullopt;
        rel /= std::string(seg);
        if (slash == std::string_view::npos)
            break;
        rest.remove_prefix(slash + 1);
    }
    // Symlinks are followed only while they stay inside root.
    std::error_code ec;
    const auto base = fs::weakly_canonical(root, ec);
    if (ec)
        return std::nullopt;
    const auto full = fs::weakly_canonical(base / rel, ec);
    if (ec)
        return std::nullopt;
    const auto [end, _] = std::mismatch(base.begin(), base.end(), full.begin(), full.end());
    if (end != base.end())
        return std::nullopt;
    return full;
}

Response serve_static(const fs::path& root, const Request& request) {
    if (is_server_path(request.path))
        return text_response(404);
    const auto file = static_file_for(root, request.path);
    if (!file)
        return text_response(404);
    std::error_code ec;
    if (fs::is_regular_file(*file, ec)) {
        if (auto content = read_file(*file))
            return file_response(*file, *content, request.path.starts_with("/assets/"));
        return text_response(404);
    }
    // The app's own routes (/applications/A123, /staff) have no extension: the app handles them.
    const auto last = request.path.substr(request.path.rfind('/') + 1);
    if (last.find('.') != std::string::npos)
        return text_response(404);
    const auto index = root / "index.html";
    if (auto content = read_file(index))
        return file_response(index, *content, false);
    return text_response(404, "the web app is not built (cd web && npm ci && npm run build)");
}

void add_static_routes(Router& router, fs::path root) {
    router.add("GET", "/{path...}",
               [root = std::move(root)](const Request& request, const Captures&) {
                   return serve_static(root, request);
               });
}

}  // namespace eseal::server
