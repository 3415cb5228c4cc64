// `eseal serve`: the HTTP server with the public revocation and time endpoints.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/signing_options.hpp"
#include "ra/seals.hpp"
#include "server/http_server.hpp"
#include "server/revocation_endpoints.hpp"
#include "server/static_files.hpp"

namespace eseal::cli {
namespace {

struct ServeOptions {
    std::string listen = "127.0.0.1:8080";
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::size_t body_limit = 64 * 1024;
    std::size_t header_limit = 8 * 1024;
    bool no_access_log = false;
    std::string web;  // the built web app; "" = found beside the binary or the working directory
    // The platform's seal maker (GB/T 38540: the maker's unit certificate and key); "" = HOME's
    // seal-maker.key and seal-maker.pem when both exist.
    std::string seal_maker_key, seal_maker_cert;
};

// Seal requests need the maker's key; without one they are refused (seal.maker_missing), said once here.
core::Result<void> load_seal_maker(server::HallServices& hall, const std::filesystem::path& home,
                                   const ServeOptions& o) {
    std::string key = o.seal_maker_key, cert = o.seal_maker_cert;
    if (key.empty() && cert.empty() && std::filesystem::exists(home / "seal-maker.key") &&
        std::filesystem::exists(home / "seal-maker.pem")) {
        key = (home / "seal-maker.key").string();
        cert = (home / "seal-maker.pem").string();
    }
    if (key.empty() != cert.empty())
        return core::fail(core::Errc::invalid_input, "serve.seal_maker",
                          "give both --seal-maker-key and --seal-maker-cert, or neither");
    if (key.empty()) {
        spdlog::warn("no seal maker (--seal-maker-key/--seal-maker-cert or HOME/seal-maker.key + .pem): "
                     "seal requests will be refused with seal.maker_missing");
        return {};
    }
    auto signer = read_soft_key(key);
    if (!signer)
        return std::unexpected(signer.error());
    auto certs = read_certificates(cert);
    if (!certs)
        return std::unexpected(certs.error());
    if (certs->empty())
        return core::fail(core::Errc::invalid_input, "serve.seal_maker", cert + " holds no certificate");
    hall.seals().set_maker({std::make_unique<crypto::SoftKey>(std::move(*signer)), certs->front()});
    spdlog::info("seal maker: {} ({})", cert, key);
    return {};
}

// The first web/dist/index.html up from the binary's directory (build/PRESET/src/app/eseal in a
// checkout), then up from the working directory; else web/dist (its 404 says how to build it).
std::filesystem::path default_web_dir() {
    std::error_code ec;
    for (auto start : {std::filesystem::read_symlink("/proc/self/exe", ec).parent_path(),
                       std::filesystem::current_path(ec)}) {
        for (auto dir = start; !dir.empty(); dir = dir.parent_path()) {
            if (std::filesystem::is_regular_file(dir / "web" / "dist" / "index.html", ec))
                return dir / "web" / "dist";
            if (dir == dir.parent_path())
                break;
        }
    }
    return std::filesystem::current_path(ec) / "web" / "dist";
}

// "127.0.0.1:8080", "[::1]:8080", ":8080" (all IPv4 interfaces).
core::Result<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos)
        return core::fail(core::Errc::invalid_input, "serve.listen",
                          "--listen takes ADDRESS:PORT, not " + text);
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty())
        host = "0.0.0.0";
    unsigned long port = 0;
    try {
        std::size_t used = 0;
        port = std::stoul(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1)
            throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
        return core::fail(core::Errc::invalid_input, "serve.listen",
                          "not a port: " + text.substr(colon + 1));
    }
    if (port > 65535)
        return core::fail(core::Errc::invalid_input, "serve.listen",
                          "port out of range: " + std::to_string(port));
    return std::pair{host, static_cast<std::uint16_t>(port)};
}

int do_serve(PlatformHandle& handle, const ServeOptions& o) {
    auto listen = parse_listen(o.listen);
    if (!listen)
        return report(listen.error());
    auto platform = handle.get();
    if (!platform)
        return report(platform.error());
    auto& p = **platform;
    auto& store = p.store();
    auto services = server::RevocationServices::open(
        {store, store, store, p.key_store(), p.clock()}, p.revocation_settings());
    if (!services)
        return report(services.error());

    server::Router router;
    server::add_revocation_routes(router, **services);
    server::ServerOptions options;
    options.address = listen->first;
    options.port = listen->second;
    options.threads = o.threads;
    options.body_limit = o.body_limit;
    options.header_limit = o.header_limit;
    options.access_log = o.no_access_log ? server::AccessLog::off : server::AccessLog::on;
    server::HttpServer http(router, options);
    if (auto r = http.bind(); !r)
        return report(r.error());
    const bool v6 = options.address.find(':') != std::string::npos;
    const std::string host = options.address == "0.0.0.0" ? "127.0.0.1" : options.address;
    const std::string listen_url =
        "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(http.port());
    auto hall_settings = p.hall_settings(listen_url);
    // Issuance onto Ukeys (issue 7): the product's CAs and the token drivers of this platform.
    hall_settings.issuance = server::issuance_tools(
        store, [&p](std::string_view ca) { return p.certificate_authority(ca); },
        [&p](const std::string& driver) { return p.ukey_service(driver, default_token_module(driver)); });
    auto hall = server::HallServices::open(store, p.clock(), std::move(hall_settings));
    if (!hall)
        return report(hall.error());
    if (auto m = load_seal_maker(**hall, p.home(), o); !m)
        return report(m.error());
    (*hall)->add_routes(router);
    const std::filesystem::path web =
        o.web.empty() ? default_web_dir() : std::filesystem::path(o.web);
    server::add_static_routes(router, web);  // last: every other route wins
    spdlog::info("web app from {}", web.string());
    if (auto r = http.start(); !r)
        return report(r.error());
    http.stop_on_signals();
    (*services)->start();
    // Tests read the port from this line (--listen 127.0.0.1:0).
    std::cout << "listening on " << (v6 ? "[" : "") << options.address << (v6 ? "]" : "") << ":"
              << http.port() << std::endl;
    http.wait();
    spdlog::info("stopped");
    return kExitOk;
}

}  // namespace

void add_serve_commands(CLI::App& app, PlatformHandle& platform, Handler& selected) {
    auto o = std::make_shared<ServeOptions>();
    auto* serve = app.add_subcommand(
        "serve", "serve the online business hall API (/api/v1, described at /api/v1/openapi.json), CRLs "
        "(/crl/NAME.crl), OCSP (/ocsp) and time-stamps (/tsa) over HTTP");
    serve->add_option("--listen", o->listen, "ADDRESS:PORT; port 0 takes a free port and prints it")
        ->capture_default_str();
    serve->add_option("--threads", o->threads, "I/O threads (one io_context each)")
        ->capture_default_str();
    serve->add_option("--body-limit", o->body_limit, "largest request body in bytes (413 above)")
        ->capture_default_str();
    serve
        ->add_option("--header-limit", o->header_limit, "largest request head in bytes (431 above)")
        ->capture_default_str();
    serve->add_option(
        "--web", o->web,
        "the built web app to serve from / (default: web/dist found up from the binary)");
    serve->add_option("--seal-maker-key", o->seal_maker_key,
                      "the seal maker's private key, PEM (encrypted: $ESEAL_KEY_PASSPHRASE); default "
                      "HOME/seal-maker.key");
    serve->add_option("--seal-maker-cert", o->seal_maker_cert,
                      "the seal maker's certificate (an org certificate of the platform operator); "
                      "default HOME/seal-maker.pem");
    serve->add_flag("--no-access-log", o->no_access_log,
                    "no log line per request (for benchmarks)");
    serve->callback([&, o] { selected = [&, o] { return do_serve(platform, *o); }; });
}

}  // namespace eseal::cli
