// `eseal serve`: the HTTP server with the public revocation and time endpoints.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "server/http_server.hpp"
#include "server/revocation_endpoints.hpp"

namespace eseal::cli {
namespace {

struct ServeOptions {
    std::string listen = "127.0.0.1:8080";
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::size_t body_limit = 64 * 1024;
    std::size_t header_limit = 8 * 1024;
    bool no_access_log = false;
};

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
    auto hall = server::HallServices::open(store, p.clock(), p.hall_settings(listen_url));
    if (!hall)
        return report(hall.error());
    (*hall)->add_routes(router);
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
    serve->add_flag("--no-access-log", o->no_access_log,
                    "no log line per request (for benchmarks)");
    serve->callback([&, o] { selected = [&, o] { return do_serve(platform, *o); }; });
}

}  // namespace eseal::cli
