// `eseal ukey agent`: the customer's local "Ukey middleware". A web page cannot reach a USB key,
// so, as Chinese CA platforms do, a small HTTP server on 127.0.0.1 stands between the seal
// platform's page and the Ukey: the page sends it the PDF, the seal (.esl, from the platform), the
// placement and the PIN; the key on the Ukey signs (the same PAdES signer as `eseal pdf sign`)
// and the signed PDF comes back to the page. The PIN goes page → agent over loopback only, never
// to the platform, and is never logged.
//
// Browser rules it follows: CORS (Fetch standard §3.2) only for the origins given, a 403 for any
// other Origin; preflights answered, with Private Network Access's
// Access-Control-Allow-Private-Network (WICG PNA §3.3) so that a public page may call a loopback
// server; the Host header must name the loopback (a DNS-rebinding page cannot pass as local).
// Problems are RFC 9457 JSON with a stable code.
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/bytes.hpp"
#include "core/secure_string.hpp"
#include "crypto/digest.hpp"
#include "document/pdf/pdf_sign.hpp"
#include "document/pdf/text_search.hpp"
#include "pki/x509.hpp"
#include "ra/seal_binding_client.hpp"
#include "seal/seseal.hpp"
#include "server/api_support.hpp"
#include "server/http_server.hpp"
#include "token/pkcs11.hpp"
#include "token/pkcs11_keys.hpp"
#include "token/skf_service.hpp"

namespace eseal::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using server::Captures;
using server::Request;
using server::Response;

constexpr const char* kAgentVersion = "1";
constexpr std::size_t kMaxPdfBytes = 100 * 1024 * 1024;  // decoded; more is 413
constexpr std::size_t kMaxSealBytes = 16 * 1024 * 1024;
// The JSON body carries the PDF in base64 (4/3 of it) and the seal beside it.
constexpr std::size_t kBodyLimit = kMaxPdfBytes / 3 * 4 + 2 * kMaxSealBytes + 64 * 1024;

struct AgentOptions {
    int port = 17380;
    std::string port_file;
    std::vector<std::string> origins;
    std::string driver = "pkcs11";
    std::string module;
};

Response problem(int status, std::string code, std::string detail, json extra = json::object()) {
    json body = {{"type", "about:blank"},
                 {"title", std::string(server::reason_phrase(status))},
                 {"status", status},
                 {"detail", std::move(detail)},
                 {"code", std::move(code)}};
    body.update(extra);
    Response r;
    r.status = status;
    r.content_type = "application/problem+json";
    r.body = body.dump();
    return r;
}

// An origin as browsers send it: scheme://host[:port], no path, no trailing slash.
std::string normalize_origin(std::string o) {
    while (!o.empty() && o.back() == '/') o.pop_back();
    return o;
}

class Agent {
  public:
    Agent(AgentOptions o) : m_o(std::move(o)) {
        for (auto& origin : m_o.origins) origin = normalize_origin(origin);
        if (m_o.module.empty())
            m_o.module = default_token_module(m_o.driver);
    }

    void bind_port(std::uint16_t port) { m_port = port; }

    void add_routes(server::Router& router) {
        router.add("GET", "/v1/status", guarded([this](const Request&) { return status(); }));
        router.add("POST", "/v1/pdf/sign", guarded([this](const Request& r) { return sign(r); }));
        for (const char* path : {"/v1/status", "/v1/pdf/sign"})
            router.add("OPTIONS", path,
                       [this](const Request& r, const Captures&) { return preflight(r); });
    }

  private:
    [[nodiscard]] bool allowed(std::string_view origin) const {
        return std::find(m_o.origins.begin(), m_o.origins.end(), origin) != m_o.origins.end();
    }

    // Host names the loopback and this port: a rebound DNS name does not (DNS rebinding).
    [[nodiscard]] bool local_host(std::string_view host) const {
        const std::string port = ":" + std::to_string(m_port);
        for (const char* name : {"127.0.0.1", "localhost", "[::1]"})
            if (host == std::string(name) + port || host == name)
                return true;
        return false;
    }

    std::optional<Response> refuse(const Request& req) const {
        if (!local_host(req.header("host")))
            return problem(403, "agent.host_refused",
                           "the agent answers only requests addressed to 127.0.0.1 or localhost");
        const auto origin = req.header("origin");
        if (!origin.empty() && !allowed(origin))
            return problem(403, "agent.origin_refused",
                           "this agent does not serve pages from " + std::string(origin) +
                               "; start it with --origin " + std::string(origin) +
                               " if you trust that site with your Ukey");
        return std::nullopt;
    }

    void cors(const Request& req, Response& res) const {
        const auto origin = req.header("origin");
        if (origin.empty() || !allowed(origin))
            return;
        res.set("Access-Control-Allow-Origin", std::string(origin));
        res.set("Vary", "Origin");
        res.set("Access-Control-Expose-Headers", "X-Eseal-Field, X-Eseal-Sha256");
    }

    server::Handler guarded(std::function<Response(const Request&)> fn) {
        return [this, fn = std::move(fn)](const Request& req, const Captures&) {
            auto refused = refuse(req);
            Response res = refused ? std::move(*refused) : fn(req);
            cors(req, res);
            return res;
        };
    }

    // Fetch standard §3.2.3 (CORS-preflight) and Private Network Access §3.3.
    Response preflight(const Request& req) const {
        if (auto refused = refuse(req))
            return *refused;
        const auto origin = req.header("origin");
        if (origin.empty())
            return problem(400, "agent.not_preflight", "an OPTIONS request without an Origin");
        Response res;
        res.status = 204;
        res.set("Access-Control-Allow-Origin", std::string(origin));
        res.set("Vary", "Origin");
        res.set("Access-Control-Allow-Methods", "GET, POST");
        res.set("Access-Control-Allow-Headers", "Content-Type");
        res.set("Access-Control-Max-Age", "600");
        if (req.header("access-control-request-private-network") == "true")
            res.set("Access-Control-Allow-Private-Network", "true");
        return res;
    }

    // The tokens present and what is on each, without a PIN (public objects only).
    Response status() {
        std::lock_guard lock(m_token_mutex);
        json tokens = json::array();
        json out = {{"agent", "eseal-ukey-agent"},
                    {"version", kAgentVersion},
                    {"driver", m_o.driver},
                    {"module", m_o.module}};
        auto listed = m_o.driver == "skf" ? skf_tokens() : pkcs11_tokens();
        if (!listed) {
            out["tokens"] = tokens;
            out["error"] = {{"code", listed.error().code}, {"detail", listed.error().message}};
            return server::json_response(200, out);
        }
        out["tokens"] = std::move(*listed);
        return server::json_response(200, out);
    }

    static json certificate_json(const core::Bytes& der) {
        auto cert = pki::parse_certificate(der);
        if (!cert)
            return nullptr;
        return {
            {"subject", pki::name_rfc2253(X509_get_subject_name(cert->get()))},
            {"organization",
             pki::name_entry(X509_get_subject_name(cert->get()), NID_organizationName)},
            {"serial", pki::serial_hex(cert->get())},
            {"not_after", core::format_utc(pki::to_time_point(X509_get0_notAfter(cert->get())))},
            {"sha256", core::hex_encode(crypto::sha256(der))}};
    }

    core::Result<json> pkcs11_tokens() {
        auto module = token::Module::load(m_o.module);
        if (!module)
            return std::unexpected(module.error());
        auto infos = (*module)->tokens();
        if (!infos)
            return std::unexpected(infos.error());
        json out = json::array();
        for (const auto& t : *infos) {
            if (!t.initialized())
                continue;
            json j = {{"serial", t.serial},
                      {"label", t.label},
                      {"driver", "pkcs11"},
                      {"pin_locked", t.user_pin_locked()},
                      {"pin_warning", t.user_pin_warning()},
                      {"has_key", false},
                      {"certificate", nullptr}};
            auto session = token::Session::open(*module, t.slot, token::SessionMode::read_only);
            if (session) {
                auto objects = token::list_objects(*session);
                if (objects) {
                    const token::TokenObject* cert = nullptr;
                    for (const auto& o : *objects)
                        if (o.kind == "certificate" && !o.value.empty())
                            cert = &o;
                    if (cert != nullptr) {
                        j["certificate"] = certificate_json(cert->value);
                        j["key_id"] = core::hex_encode(cert->id);
                        // A private key is seen only after login; its public half beside the
                        // certificate (same CKA_ID) shows the pair is there.
                        for (const auto& o : *objects)
                            if ((o.kind == "public key" || o.kind == "private key") &&
                                o.id == cert->id)
                                j["has_key"] = true;
                    }
                }
            }
            out.push_back(std::move(j));
        }
        return out;
    }

    core::Result<json> skf_tokens();

    // The .esl's certList binds this certificate (GB/T 38540-2020 §6.1: itself or its hash).
    static bool seal_binds(const seal::Seal& s, const core::Bytes& cert) {
        for (const auto& c : s.property.certificates)
            if (c == cert)
                return true;
        for (const auto& d : s.property.cert_digests)
            if (d.value == crypto::sm3(cert) || d.value == crypto::sha256(cert))
                return true;
        return false;
    }

    Response sign(const Request& req) {
        auto body = server::json_body(req);
        if (!body)
            return server::problem_response(body.error());
        server::JsonReader r(*body);
        const auto pdf_b64 = r.text("pdf", true);
        const auto seal_b64 = r.text("seal", true);
        const auto serial = r.text("token", true);
        const auto key_id = r.text("key_id");
        const auto keyword = r.text("keyword");
        const auto reason = r.text("reason");
        const auto location = r.text("location");
        const core::SecureString pin(r.text("pin", true));
        int page = 1;
        double x = -1, y = -1;
        const auto number = [&](const char* key, double& out) {
            if (!body->contains(key))
                return;
            if ((*body)[key].is_number())
                out = (*body)[key].get<double>();
            else
                r.problems().push_back({"request.type", "must be a number", key});
        };
        if (body->contains("page")) {
            if ((*body)["page"].is_number_integer() && (*body)["page"].get<int>() >= 1)
                page = (*body)["page"].get<int>();
            else
                r.problems().push_back({"request.type", "a page number from 1", "page"});
        }
        number("x_mm", x);
        number("y_mm", y);
        if (keyword.empty() && (x < 0 || y < 0))
            r.problems().push_back({"agent.placement",
                                    "say where the seal goes: x_mm and y_mm (>= 0, the seal's "
                                    "centre from the page's top-left corner), or keyword",
                                    "x_mm"});
        if (!r.problems().empty())
            return server::problem_response({core::Errc::invalid_input, "request.invalid",
                                             "the request has errors", r.problems()});
        auto pdf = core::base64_decode(pdf_b64);
        auto seal_der = core::base64_decode(seal_b64);
        if (!pdf || !seal_der)
            return problem(422, "request.base64_invalid", "pdf and seal must be base64");
        if (pdf->size() > kMaxPdfBytes)
            return problem(413, "agent.pdf_too_large",
                           "the PDF is over " + std::to_string(kMaxPdfBytes / 1024 / 1024) + " MB");
        auto seal = seal::parse_seal(*seal_der);
        if (!seal)
            return problem(422, seal.error().code, "the seal (.esl): " + seal.error().message);
        if (seal->picture.type != "PNG")
            return problem(422, "seal.picture",
                           "the seal's picture is " + seal->picture.type +
                               "; PDF sealing needs a PNG picture");
        const std::string pdf_sha = core::hex_encode(crypto::sha256(*pdf));

        // A private directory for the input and the output, removed whatever happens.
        std::string dir_template = (fs::temp_directory_path() / "eseal-agent-XXXXXX").string();
        if (::mkdtemp(dir_template.data()) == nullptr)
            return problem(500, "agent.temp", "cannot make a temporary directory");
        struct RemoveDir {
            fs::path dir;
            ~RemoveDir() {
                std::error_code ec;
                fs::remove_all(dir, ec);
            }
        } cleanup{dir_template};
        const fs::path in = cleanup.dir / "in.pdf", out = cleanup.dir / "out.pdf";
        {
            std::ofstream f(in, std::ios::binary);
            f.write(reinterpret_cast<const char*>(pdf->data()),
                    static_cast<std::streamsize>(pdf->size()));
            if (!f)
                return problem(500, "agent.temp", "cannot write the PDF to a temporary file");
        }
        if (!keyword.empty()) {
            auto hit = document::pdf::find_text(in, keyword, page);
            if (!hit)
                return server::problem_response(hit.error());
            page = hit->page;
            x = hit->x_mm;
            y = hit->y_mm;
        }

        std::lock_guard lock(m_token_mutex);
        auto ukey = m_o.driver == "skf" ? ra::open_skf_ukey(m_o.module, serial, pin, key_id)
                                        : ra::open_pkcs11_ukey(m_o.module, serial, pin, key_id);
        if (!ukey) {
            spdlog::warn("sign refused by the Ukey {}: {}", serial, ukey.error().code);
            return token_problem(ukey.error(), serial);
        }
        if (!seal_binds(*seal, ukey->certificate))
            return problem(422, "agent.seal_not_bound",
                           "the certificate on Ukey " + serial + " is not one the seal " +
                               seal->es_id +
                               " binds (GB/T 38540 certList): bind this Ukey to the seal on the "
                               "platform first, then download the seal again");
        document::pdf::SignRequest request;
        request.input = in;
        request.output = out;
        request.picture = {seal->picture.data, static_cast<double>(seal->picture.width_mm),
                           static_cast<double>(seal->picture.height_mm)};
        request.placement = {page, x, y, document::pdf::Layout::single};
        request.signer_certificate = ukey->certificate;
        request.signing_time = core::SystemClock().now();
        request.reason = reason;
        request.location = location;
        auto result = document::pdf::sign_pdf(request, *ukey->signer);
        if (!result)
            return server::problem_response(result.error());
        std::ifstream f(out, std::ios::binary);
        std::string signed_pdf{std::istreambuf_iterator<char>(f), {}};
        const std::string out_sha = core::hex_encode(crypto::sha256(core::as_bytes(signed_pdf)));
        // One line per signature: what was signed, never the PIN.
        spdlog::info(
            "signed a PDF of {} bytes (sha256 {}) with seal {} on page {} at ({:.1f}, {:.1f}) mm, "
            "Ukey {}: field {}, {} bytes (sha256 {})",
            pdf->size(), pdf_sha, seal->es_id, page, x, y, serial, result->field_name,
            signed_pdf.size(), out_sha);
        Response res;
        res.content_type = "application/pdf";
        res.body = std::move(signed_pdf);
        res.set("X-Eseal-Field", result->field_name);
        res.set("X-Eseal-Sha256", out_sha);
        res.set("Cache-Control", "no-store");
        return res;
    }

    // A wrong PIN: 403 token.pin_incorrect, with what the token says of the tries left; a locked
    // one: 403 token.pin_locked; an absent token: 404.
    Response token_problem(const core::Error& e, const std::string& serial) {
        json extra = json::object();
        if (e.code == "token.pin_incorrect" || e.code == "token.pin_locked") {
            if (m_o.driver != "skf") {
                if (auto module = token::Module::load(m_o.module))
                    if (auto info = (*module)->find_token(serial)) {
                        extra["pin_warning"] = info->user_pin_warning();
                        extra["pin_locked"] = info->user_pin_locked();
                    }
            }
            return problem(403, e.code, e.message, extra);
        }
        if (e.code == "token.absent" || e.kind == core::Errc::not_found)
            return problem(404, e.code, e.message);
        return server::problem_response(e);
    }

    AgentOptions m_o;
    std::uint16_t m_port = 0;
    std::mutex m_token_mutex;  // one token operation at a time
};

// GM/T 0016: the devices and their containers (ra::ClientSkf: no inventory on this machine).
core::Result<json> Agent::skf_tokens() {
    auto client = ra::ClientSkf::open(m_o.module);
    if (!client)
        return std::unexpected(client.error());
    token::SkfService& skf = (*client)->service();
    auto present = skf.present();
    if (!present)
        return std::unexpected(present.error());
    json out = json::array();
    for (const auto& t : *present) {
        if (t.serial.empty())
            continue;
        json j = {{"serial", t.serial},         {"label", t.label},  {"driver", "skf"},
                  {"pin_locked", t.pin_locked}, {"pin_warning", ""}, {"has_key", false},
                  {"certificate", nullptr}};
        if (auto objects = skf.objects(t.serial, nullptr))
            for (const auto& o : *objects) {
                if (o.kind == "certificate" && !o.value.empty()) {
                    j["certificate"] = certificate_json(o.value);
                    j["key_id"] = o.label;
                }
                if (o.kind.find("key") != std::string::npos || o.kind == "container")
                    j["has_key"] = true;
            }
        out.push_back(std::move(j));
    }
    return out;
}

// [hall] public_url of <home>/eseal.toml, if there is one: the platform's page is the origin to
// serve by default.
std::string configured_origin(const fs::path& home) {
    const auto file = home / "eseal.toml";
    std::error_code ec;
    if (!fs::exists(file, ec))
        return {};
    try {
        const toml::table t = toml::parse_file(file.string());
        return normalize_origin(t["hall"]["public_url"].value_or(std::string()));
    } catch (const toml::parse_error&) {
        return {};
    }
}

int run_agent(AgentOptions o, const fs::path& home) {
    if (o.origins.empty())
        if (auto origin = configured_origin(home); !origin.empty())
            o.origins.push_back(origin);
    for (const auto& origin : o.origins)
        if (!(origin.starts_with("http://") || origin.starts_with("https://")) ||
            normalize_origin(origin).find('/', origin.find("//") + 2) != std::string::npos)
            return report({core::Errc::invalid_input,
                           "agent.origin_invalid",
                           "--origin wants scheme://host[:port], not '" + origin + "'",
                           {}});
    Agent agent(o);
    server::Router router;
    agent.add_routes(router);
    server::ServerOptions options;
    options.address = "127.0.0.1";  // loopback only, whatever is asked
    options.port = static_cast<std::uint16_t>(o.port);
    options.threads = 1;
    options.body_limit = kBodyLimit;
    options.read_timeout = std::chrono::milliseconds(120'000);
    server::HttpServer http(router, options);
    if (auto r = http.bind(); !r)
        return report(r.error());
    agent.bind_port(http.port());
    if (auto r = http.start(); !r)
        return report(r.error());
    http.stop_on_signals();
    if (!o.port_file.empty()) {
        const fs::path tmp = o.port_file + ".tmp";
        std::ofstream(tmp) << http.port() << "\n";
        std::error_code ec;
        fs::rename(tmp, o.port_file, ec);
        if (ec)
            spdlog::error("cannot write the port to {}: {}", o.port_file, ec.message());
    }
    spdlog::info(
        "Ukey agent on http://127.0.0.1:{} ({} driver, {}); pages allowed: {}", http.port(),
        o.driver, o.module.empty() ? default_token_module(o.driver) : o.module,
        o.origins.empty() ? std::string("none (no cross-origin page may call it)") : [&] {
            std::string s;
            for (const auto& x : o.origins) s += (s.empty() ? "" : ", ") + x;
            return s;
        }());
    http.wait();
    return kExitOk;
}

}  // namespace

void add_ukey_agent_command(CLI::App& ukey, PlatformHandle& platform, Handler& selected) {
    auto o = std::make_shared<AgentOptions>();
    auto* cmd = ukey.add_subcommand(
        "agent",
        "the local Ukey middleware for the seal platform's web page: an HTTP server on "
        "127.0.0.1 only. GET /v1/status lists the Ukeys present (serial, label, certificate); "
        "POST /v1/pdf/sign {pdf, seal, page, x_mm, y_mm | keyword, token, pin} (JSON, base64 "
        "files; PDF up to 100 MB) stamps the PDF with the seal, signed by the key on the Ukey "
        "(as `eseal pdf sign`), and answers the signed PDF. The Ukey's certificate must be one "
        "the seal binds. Only the pages of the --origin sites may call it (CORS; others get "
        "403); the PIN stays between the page and this agent and is never logged. Stop with "
        "Ctrl-C.");
    cmd->add_option("--port", o->port, "the port on 127.0.0.1 (0: any free port)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    cmd->add_option("--port-file", o->port_file,
                    "write the port here once listening (for scripts using --port 0)");
    cmd->add_option("--origin", o->origins,
                    "a site whose pages may use this agent, e.g. https://seal.example.cn "
                    "(repeatable; default: [hall] public_url of <home>/eseal.toml, else none)");
    cmd->add_option("--driver", o->driver, "pkcs11 (PKCS#11 module) or skf (GM/T 0016 library)")
        ->check(CLI::IsMember({"pkcs11", "skf"}))
        ->capture_default_str();
    cmd->add_option("--module", o->module,
                    "the PKCS#11 module or SKF library (default $ESEAL_PKCS11_MODULE or SoftHSM2; "
                    "$ESEAL_SKF_MODULE or eseal's soft token)");
    cmd->callback([&selected, &platform, o] {
        selected = [&platform, o] { return run_agent(*o, platform.options().home); };
    });
}

}  // namespace eseal::cli
