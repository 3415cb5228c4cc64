#include <spdlog/spdlog.h>

#include <cstdlib>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "token/pkcs11.hpp"

namespace eseal::cli {

std::string default_token_module(const std::string& driver) {
    const char* env = std::getenv(driver == "skf" ? "ESEAL_SKF_MODULE" : "ESEAL_PKCS11_MODULE");
    if (env != nullptr && *env != '\0') return env;
    if (driver != "skf") return token::kDefaultPkcs11Module;
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    for (const char* rel : {"libeseal_softskf.so", "../softskf/libeseal_softskf.so", "../lib/libeseal_softskf.so"}) {
        const auto candidate = exe.parent_path() / rel;
        if (!ec && std::filesystem::exists(candidate)) return std::filesystem::weakly_canonical(candidate).string();
    }
    return "libeseal_softskf.so";
}

core::Result<Platform*> PlatformHandle::get() {
    if (!m_platform) {
        auto p = (*m_factory)(*m_options);
        if (!p) return std::unexpected(p.error());
        m_platform = std::move(*p);
    }
    return m_platform.get();
}

void add_seal_commands(CLI::App& app, PlatformHandle& platform, Handler& selected);  // seal_commands.cpp
void add_pdf_commands(CLI::App& app, PlatformHandle& platform, Handler& selected);  // pdf_commands.cpp
void add_ofd_commands(CLI::App& app, PlatformHandle& platform, Handler& selected);  // ofd_commands.cpp
void add_ukey_commands(CLI::App& app, PlatformHandle& platform, Handler& selected);  // ukey_commands.cpp

int run(int argc, char** argv, const PlatformFactory& open_platform) {
    CLI::App app{"eseal: certificate authority and electronic-seal platform"};
    app.require_subcommand(1);
    GlobalOptions options;
    const char* env_home = std::getenv("ESEAL_HOME");
    options.home = env_home != nullptr && *env_home != '\0' ? env_home : "./var";
    app.add_option("--home", options.home, "platform home: database, keys, configuration (default $ESEAL_HOME, else ./var)")
        ->capture_default_str();
    bool verbose = false;
    bool quiet = false;
    app.add_flag("-v,--verbose", verbose, "log more");
    app.add_flag("-q,--quiet", quiet, "log warnings and errors only");

    PlatformHandle platform(open_platform, options);
    Handler selected;
    add_ca_commands(app, platform, selected);
    add_revocation_commands(app, platform, selected);
    add_audit_commands(app, platform, selected);
    add_bench_commands(app, platform, selected);
    add_token_commands(app, platform, selected);
    add_staff_commands(app, platform, selected);
    add_seal_commands(app, platform, selected);
    add_pdf_commands(app, platform, selected);
    add_ofd_commands(app, platform, selected);
    add_ukey_commands(app, platform, selected);
    add_serve_commands(app, platform, selected);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    spdlog::set_level(quiet ? spdlog::level::warn : verbose ? spdlog::level::debug : spdlog::level::info);
    if (!selected) {
        std::cerr << app.help();
        return 2;
    }
    return selected();
}

}  // namespace eseal::cli
