// `eseal ukey bind`: the customer's "desktop edition" binding their Ukey to a seal on the seal
// platform (guide §2, §7.6; ra/seal_binding.hpp; docs/seals.md). Order matters: the Ukey is opened
// and the PIN checked first, so a wrong PIN fails at the token and nothing is sent; then the
// server's challenge, the face check (a URL to open on the phone), the signature on the token,
// and the certificate + signature posted back.
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/bytes.hpp"
#include "core/secure_string.hpp"
#include "ra/seal_binding_client.hpp"
#include "server/http_client.hpp"

namespace eseal::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

struct BindOptions {
    std::string server;  // http://host:port
    std::string seal;
    std::string driver = "pkcs11";
    std::string module;
    std::string token;
    std::string key_id;
    std::string phone;
    int wait_seconds = 300;
};

struct Reply {
    int status = 0;
    std::string body;
    std::string set_cookie;
    [[nodiscard]] json json_body() const {
        auto j = json::parse(body, nullptr, false);
        return j.is_discarded() ? json::object() : j;
    }
};

// A session with the seal platform: the cookie and the CSRF token, like the browser's.
class Client {
  public:
    explicit Client(server::HttpUrl base) : m_base(std::move(base)) {}

    core::Result<Reply> send(http::verb method, const std::string& path,
                             const std::string& body = {}) {
        try {
            boost::asio::io_context io;
            boost::asio::ip::tcp::resolver resolver(io);
            beast::tcp_stream stream(io);
            stream.expires_after(std::chrono::seconds(30));
            stream.connect(resolver.resolve(m_base.host, m_base.port));
            http::request<http::string_body> req{method, path, 11};
            req.set(http::field::host, m_base.host);
            req.set(http::field::user_agent, "eseal-ukey-bind");
            if (!m_cookie.empty())
                req.set(http::field::cookie, "eseal_session=" + m_cookie);
            if (!m_csrf.empty() && method != http::verb::get)
                req.set("X-CSRF-Token", m_csrf);
            if (method != http::verb::get) {
                req.set(http::field::content_type, "application/json");
                req.body() = body;
                req.prepare_payload();
            }
            http::write(stream, req);
            beast::flat_buffer buffer;
            http::response_parser<http::string_body> parser;
            parser.body_limit(1024 * 1024);
            http::read(stream, buffer, parser);
            auto res = parser.release();
            Reply r{static_cast<int>(res.result_int()), res.body(),
                    std::string(res[http::field::set_cookie])};
            beast::error_code ec;
            stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
            return r;
        } catch (const std::exception& e) {
            return core::fail(core::Errc::io, "http.exchange",
                              "talking to " + m_base.host + ":" + m_base.port + ": " + e.what());
        }
    }
    core::Result<Reply> get(const std::string& path) { return send(http::verb::get, path); }
    core::Result<Reply> post(const std::string& path, const json& body) {
        return send(http::verb::post, path, body.dump());
    }

    std::string m_cookie;
    std::string m_csrf;

  private:
    server::HttpUrl m_base;
};

// The server's problem details as an error: code, detail and every problem.
core::Error problem(const Reply& r, const std::string& doing) {
    const auto j = r.json_body();
    core::Error e{core::Errc::permission_denied,
                  j.value("code", "http." + std::to_string(r.status)),
                  doing + ": " + j.value("detail", "HTTP " + std::to_string(r.status)),
                  {}};
    if (j.contains("problems") && j["problems"].is_array())
        for (const auto& p : j["problems"])
            e.problems.push_back(
                {p.value("code", ""), p.value("message", ""), p.value("field", "")});
    return e;
}

core::Result<core::SecureString> secret(const char* env, const char* prompt) {
    if (const char* v = std::getenv(env); v != nullptr && *v != '\0')
        return core::SecureString(v);
    if (::isatty(STDIN_FILENO)) {
        const char* typed = ::getpass((std::string(prompt) + ": ").c_str());  // no echo
        if (typed != nullptr && *typed != '\0')
            return core::SecureString(typed);
    }
    return core::fail(
        core::Errc::invalid_input, "pin.missing",
        std::string("give the ") + prompt + " in $" + env + " or type it at the prompt");
}

// The session: $ESEAL_SESSION (the cookie from a browser), or a login by SMS code to --phone.
core::Result<void> log_in(Client& client, const BindOptions& o) {
    if (const char* cookie = std::getenv("ESEAL_SESSION"); cookie != nullptr && *cookie != '\0') {
        client.m_cookie = cookie;
    } else {
        if (o.phone.empty())
            return core::fail(
                core::Errc::invalid_input, "session.missing",
                "give --phone to log in by SMS code, or the session cookie in $ESEAL_SESSION");
        auto sent = client.post("/api/v1/auth/sms-code", {{"phone", o.phone}});
        if (!sent)
            return std::unexpected(sent.error());
        if (sent->status != 202)
            return std::unexpected(problem(*sent, "asking for an SMS code"));
        std::string code;
        if (const char* c = std::getenv("ESEAL_SMS_CODE"); c != nullptr && *c != '\0') {
            code = c;
        } else {
            std::cerr << "SMS code sent to " << o.phone << "; type it: " << std::flush;
            if (!std::getline(std::cin, code))
                return core::fail(core::Errc::invalid_input, "login.no_code", "no SMS code given");
        }
        auto login = client.post("/api/v1/auth/login", {{"phone", o.phone}, {"code", code}});
        if (!login)
            return std::unexpected(login.error());
        if (login->status != 200)
            return std::unexpected(problem(*login, "logging in"));
        const auto& sc = login->set_cookie;
        const auto eq = sc.find('=');
        client.m_cookie = sc.substr(eq + 1, sc.find(';') - eq - 1);
    }
    auto me = client.get("/api/v1/me");
    if (!me)
        return std::unexpected(me.error());
    if (me->status != 200)
        return std::unexpected(problem(*me, "reading the session"));
    client.m_csrf = me->json_body().value("csrf_token", "");
    return {};
}

int do_bind(const BindOptions& o) {
    auto base = server::parse_http_url(o.server);
    if (!base)
        return report(base.error());
    if (o.driver != "pkcs11" && o.driver != "skf")
        return report(
            {core::Errc::invalid_input, "ukey.driver_unknown", "--driver is pkcs11 or skf", {}});

    // 1. The Ukey and its PIN, before anything goes to the server.
    auto pin = secret("ESEAL_PIN", "Ukey user PIN");
    if (!pin)
        return report(pin.error());
    const std::string module = o.module.empty() ? default_token_module(o.driver) : o.module;
    auto ukey = o.driver == "skf" ? ra::open_skf_ukey(module, o.token, *pin, o.key_id)
                                  : ra::open_pkcs11_ukey(module, o.token, *pin, o.key_id);
    if (!ukey) {
        std::cerr << "the Ukey refused: nothing was sent to the server\n";
        return report(ukey.error());
    }

    // 2. The session, the challenge and the face check.
    Client client(*base);
    if (auto r = log_in(client, o); !r)
        return report(r.error());
    const std::string seal_path = "/api/v1/seals/" + o.seal;
    auto started = client.post(seal_path + "/bindings", json::object());
    if (!started)
        return report(started.error());
    if (started->status != 201)
        return report(problem(*started, "starting the binding"));
    auto binding = started->json_body();
    const std::string binding_path = seal_path + "/bindings/" + binding.value("id", "");
    std::cout << "face check: open this link on your phone (or scan " << o.server << binding_path
              << "/qr.png):\n  " << binding["identity_check"].value("url", "") << "\n"
              << "challenge expires at " << binding.value("expires_at", "") << std::endl;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(o.wait_seconds);
    for (;;) {
        auto now = client.get(binding_path);
        if (!now)
            return report(now.error());
        if (now->status != 200)
            return report(problem(*now, "reading the binding"));
        const auto status = now->json_body()["identity_check"].value("status", "");
        if (status == "passed")
            break;
        if (status == "failed") {
            // Refused by the server too (with the reason), so the challenge is spent and logged.
            std::cerr << "the face check failed: "
                      << now->json_body()["identity_check"].value("detail", "") << "\n";
            break;
        }
        if (std::chrono::steady_clock::now() > deadline)
            return report({core::Errc::io,
                           "binding.face_check_timeout",
                           "the face check was not done in time; run bind again",
                           {}});
        std::this_thread::sleep_for(std::chrono::seconds(2));
    }

    // 3. The token signs the server's message; certificate and signature go back.
    auto signature = ukey->signer->sign(core::as_bytes(binding.value("message", "")));
    if (!signature)
        return report(signature.error());
    auto done = client.post(binding_path + "/complete",
                            {{"certificate", core::base64_encode(ukey->certificate)},
                             {"signature", core::base64_encode(*signature)}});
    if (!done)
        return report(done.error());
    if (done->status != 200)
        return report(problem(*done, "binding refused"));
    const auto seal = done->json_body();
    std::cout << "bound: seal " << seal.value("id", "") << " (" << seal.value("name", "")
              << ") now lists " << seal["bound_certificates"].size()
              << " certificate(s); the re-made seal is at " << o.server << seal.value("esl", "")
              << "\n";
    return kExitOk;
}

}  // namespace

void add_ukey_commands(CLI::App& app, PlatformHandle& platform, Handler& selected) {
    auto* cmd =
        app.add_subcommand("ukey", "the customer's Ukey and the seal platform (desktop edition)");
    cmd->require_subcommand(1);
    auto o = std::make_shared<BindOptions>();
    auto* bind = cmd->add_subcommand("bind",
                                     "bind this Ukey to a seal: PIN (typed without echo, or "
                                     "$ESEAL_PIN), the server's challenge signed on the token, "
                                     "face check (guide §7.6)");
    bind->add_option("--server", o->server, "the seal platform, http://host:port")->required();
    bind->add_option("--seal", o->seal, "the seal's id (esID)")->required();
    bind->add_option("--token", o->token, "the Ukey's serial number")->required();
    bind->add_option("--driver", o->driver, "pkcs11 (PKCS#11 module) or skf (GM/T 0016 library)")
        ->capture_default_str();
    bind->add_option("--module", o->module,
                     "the PKCS#11 module or SKF library (default: the driver's)");
    bind->add_option("--key-id", o->key_id,
                     "which certificate, when the Ukey holds several: hex CKA_ID (pkcs11) or "
                     "container name (skf)");
    bind->add_option("--phone", o->phone,
                     "log in by SMS code to this mobile (else the cookie in $ESEAL_SESSION)");
    bind->add_option("--wait", o->wait_seconds, "seconds to wait for the face check")
        ->capture_default_str();
    bind->callback([&selected, o] { selected = [o] { return do_bind(*o); }; });
    add_ukey_agent_command(*cmd, platform, selected);
}

}  // namespace eseal::cli
