#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace eseal::cli {
namespace {

int do_verify(PlatformHandle& handle) {
    auto platform = handle.get();
    if (!platform) return report(platform.error());
    auto r = (*platform)->store().verify_audit();
    if (!r) return report(r.error());
    if (r->ok()) {
        std::cout << "audit log intact: " << r->events << " events, hash chain verified\n";
        return kExitOk;
    }
    std::cout << "audit log TAMPERED: " << r->breaks.size() << " problem(s) in " << r->events << " events\n";
    for (const auto& b : r->breaks) std::cout << "  event " << b.id << ": " << b.problem << "\n";
    return kExitFailed;
}

int do_list(PlatformHandle& handle, std::size_t limit) {
    auto platform = handle.get();
    if (!platform) return report(platform.error());
    auto rows = (*platform)->store().audit_events(limit);
    if (!rows) return report(rows.error());
    for (const auto& e : *rows)
        std::cout << e.id << "  " << core::format_utc(e.event.at) << "  " << e.event.actor << "  " << e.event.action
                  << "  " << e.event.object << "  " << e.event.detail << "\n";
    return kExitOk;
}

}  // namespace

void add_audit_commands(CLI::App& app, PlatformHandle& platform, Handler& selected) {
    auto* audit = app.add_subcommand("audit", "the hash-chained audit log");
    audit->require_subcommand(1);
    audit->add_subcommand("verify", "check the hash chain: reports every edited, inserted or deleted event")
        ->callback([&] { selected = [&] { return do_verify(platform); }; });
    auto limit = std::make_shared<std::size_t>(50);
    auto* list = audit->add_subcommand("list", "show the latest events, oldest first");
    list->add_option("--limit", *limit, "how many")->capture_default_str();
    list->callback([&, limit] { selected = [&, limit] { return do_list(platform, *limit); }; });
}

}  // namespace eseal::cli
