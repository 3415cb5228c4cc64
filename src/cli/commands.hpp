#pragma once
// Each command group adds its subcommands to the app; handlers run after parsing.
#include <CLI/CLI.hpp>
#include <functional>

#include "cli/platform.hpp"

namespace eseal::cli {

// Opens the platform on first use, so that --help never touches the home directory.
class PlatformHandle {
public:
    PlatformHandle(const PlatformFactory& factory, const GlobalOptions& options)
        : m_factory(&factory), m_options(&options) {}
    [[nodiscard]] core::Result<Platform*> get();
    // The global options (--home), without opening the platform.
    [[nodiscard]] const GlobalOptions& options() const { return *m_options; }

private:
    const PlatformFactory* m_factory;
    const GlobalOptions* m_options;
    std::unique_ptr<Platform> m_platform;
};

// A handler returns the exit code.
using Handler = std::function<int()>;

void add_ca_commands(CLI::App& app, PlatformHandle& platform, Handler& selected);
void add_audit_commands(CLI::App& app, PlatformHandle& platform, Handler& selected);
void add_bench_commands(CLI::App& app, PlatformHandle& platform, Handler& selected);
void add_token_commands(CLI::App& app, PlatformHandle& platform, Handler& selected);
// `ca revoke` and `ca crl`; after add_ca_commands, whose `ca` they join.
void add_revocation_commands(CLI::App& app, PlatformHandle& platform, Handler& selected);
void add_staff_commands(CLI::App& app, PlatformHandle& platform, Handler& selected);
void add_serve_commands(CLI::App& app, PlatformHandle& platform, Handler& selected);
// `ukey agent` (ukey_agent.cpp), under the `ukey` command.
void add_ukey_agent_command(CLI::App& ukey, PlatformHandle& platform, Handler& selected);

}  // namespace eseal::cli
