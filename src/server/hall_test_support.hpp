#pragma once
// Test-only: the online hall on a real server (SQLite in a temporary directory, the sandboxes,
// port 0) and a small HTTP client that keeps the session cookie and CSRF token like a browser.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "crypto/digest.hpp"
#include "pki/identifiers.hpp"
#include "server/hall_services.hpp"
#include "server/http_server.hpp"
#include "server/test_client.hpp"
#include "store/sqlite_store.hpp"

namespace eseal::server::testing {

struct Reply {
    int status = 0;
    std::map<std::string, std::string> headers;  // lowercase names; the last of each
    std::string body;
    [[nodiscard]] nlohmann::json json() const {
        auto j = nlohmann::json::parse(body, nullptr, false);
        return j.is_discarded() ? nlohmann::json() : j;
    }
};

inline Reply parse_reply(const std::string& raw) {
    Reply r;
    r.status = status_of(raw);
    const auto head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos) return r;
    std::size_t at = raw.find("\r\n") + 2;
    while (at < head_end) {
        const auto end = raw.find("\r\n", at);
        const auto line = raw.substr(at, end - at);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string name = line.substr(0, colon);
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            r.headers[name] = line.substr(colon + 2);
        }
        at = end + 2;
    }
    r.body = raw.substr(head_end + 4);
    return r;
}

class Browser {
  public:
    explicit Browser(std::uint16_t port) : m_port(port) {}

    Reply send(const std::string& method, const std::string& target, const std::string& body = {},
               const std::string& content_type = "application/json", bool with_csrf = true) {
        RawClient client(m_port, std::chrono::seconds(20));
        std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        if (!m_cookie.empty()) req += "Cookie: eseal_session=" + m_cookie + "\r\n";
        if (with_csrf && !m_csrf.empty()) req += "X-CSRF-Token: " + m_csrf + "\r\n";
        if (!body.empty() || method == "POST" || method == "PUT")
            req += "Content-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
        req += "\r\n" + body;
        client.send(req);
        Reply r = parse_reply(client.read_all());
        if (auto it = r.headers.find("set-cookie"); it != r.headers.end()) {
            const auto& v = it->second;
            const auto eq = v.find('=');
            m_cookie = v.substr(eq + 1, v.find(';') - eq - 1);
            m_set_cookie = v;
        }
        return r;
    }
    Reply get(const std::string& target) { return send("GET", target); }
    Reply post(const std::string& target, const nlohmann::json& body = nlohmann::json::object()) {
        return send("POST", target, body.dump());
    }
    Reply put_json(const std::string& target, const nlohmann::json& body) { return send("PUT", target, body.dump()); }

    // Logs in with the code read from the sandbox SMS.
    void login(const std::string& phone) {
        ASSERT_EQ(post("/api/v1/auth/sms-code", {{"phone", phone}}).status, 202);
        const auto messages = get("/api/v1/dev/messages?to=" + phone).json()["messages"];
        ASSERT_FALSE(messages.empty());
        std::smatch m;
        const std::string text = messages[0]["body"].get<std::string>();
        ASSERT_TRUE(std::regex_search(text, m, std::regex("(\\d{6})")));
        auto reply = post("/api/v1/auth/login", {{"phone", phone}, {"code", m[1].str()}});
        ASSERT_EQ(reply.status, 200) << reply.body;
        m_csrf = reply.json()["csrf_token"];
    }

    std::string m_cookie;
    std::string m_csrf;
    std::string m_set_cookie;

  private:
    std::uint16_t m_port;
};

inline std::string credit_code(const std::string& first17 = "91440300MA5F00000") {
    return first17 + pki::credit_code_check_char(first17);
}
inline std::string resident_id(const std::string& first17 = "44030519900101123") {
    return first17 + pki::resident_id_check_char(first17);
}

// Content that passes as each type (magic numbers, not whole valid files).
inline std::string png_bytes() { return std::string("\x89PNG\r\n\x1a\n", 8) + std::string(2000, 'p'); }
inline std::string pdf_bytes() { return "%PDF-1.7\n% a scan\n" + std::string(3000, 'x'); }

class Hall {
  public:
    explicit Hall(std::uint64_t upload_limit = 10 * 1024 * 1024, std::function<void(HallSettings&)> configure = {})
        : m_dir(std::filesystem::temp_directory_path() / ("eseal-hall-" + core::hex_encode(crypto::random_bytes(8)))),
          m_clock(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())) {
        std::filesystem::create_directories(m_dir);
        auto store = store::SqliteStore::open(m_dir / "eseal.db");
        if (!store) throw std::runtime_error(store.error().describe());
        m_store = std::move(*store);
        ServerOptions options;
        options.port = 0;
        options.threads = 2;
        options.access_log = AccessLog::off;
        m_server = std::make_unique<HttpServer>(m_router, options);
        if (auto r = m_server->bind(); !r) throw std::runtime_error(r.error().describe());
        HallSettings settings;
        settings.public_url = "http://127.0.0.1:" + std::to_string(m_server->port());
        settings.blob_dir = m_dir / "blobs";
        settings.upload_limit = upload_limit;
        settings.dev_endpoints = true;
        settings.delivery.backoff = {std::chrono::milliseconds(100), std::chrono::milliseconds(300)};
        if (configure) configure(settings);
        auto hall = HallServices::open(*m_store, m_clock, settings);
        if (!hall) throw std::runtime_error(hall.error().describe());
        m_hall = std::move(*hall);
        m_hall->add_routes(m_router);
        if (auto r = m_server->start(); !r) throw std::runtime_error(r.error().describe());
    }
    ~Hall() {
        m_server->stop();
        m_server->wait();
        m_server.reset();
        m_hall.reset();
        m_store.reset();
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

    [[nodiscard]] std::uint16_t port() const { return m_server->port(); }
    [[nodiscard]] HallServices& services() { return *m_hall; }
    [[nodiscard]] store::SqliteStore& store() { return *m_store; }
    [[nodiscard]] core::ManualClock& clock() { return m_clock; }
    [[nodiscard]] const std::filesystem::path& dir() const { return m_dir; }

  private:
    std::filesystem::path m_dir;
    core::ManualClock m_clock;
    std::unique_ptr<store::SqliteStore> m_store;
    Router m_router;
    std::unique_ptr<HttpServer> m_server;
    std::unique_ptr<HallServices> m_hall;
};

// A one-page A4 PDF with a classic xref table (ISO 32000-1 §7.5.4).
inline std::string one_page_pdf() {
    std::string out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
    std::vector<std::size_t> off;
    const std::string text = "BT /F1 12 Tf 72 720 Td (Contract) Tj ET";
    for (const std::string& body :
         {std::string("<< /Type /Catalog /Pages 2 0 R >>"),
          std::string("<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>"),
          std::string("<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> "
                      "/Contents 4 0 R >>"),
          "<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "\nendstream",
          std::string("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")}) {
        off.push_back(out.size());
        out += std::to_string(off.size()) + " 0 obj\n" + body + "\nendobj\n";
    }
    const std::size_t xref = out.size();
    out += "xref\n0 6\n0000000000 65535 f\r\n";
    char line[24];
    for (auto o : off) {
        std::snprintf(line, sizeof line, "%010zu 00000 n\r\n", o);
        out += line;
    }
    return out + "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) +
           "\n%%EOF\n";
}

}  // namespace eseal::server::testing
