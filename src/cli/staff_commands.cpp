// `eseal staff …`: CA staff accounts (ra/staff.hpp): add one with its roles, list them.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/secure_string.hpp"
#include "ra/staff.hpp"

namespace eseal::cli {
namespace {

// $ESEAL_STAFF_PASSWORD, else a prompt without echo (typed twice), else a line of stdin.
core::Result<core::SecureString> read_password() {
    if (const char* env = std::getenv("ESEAL_STAFF_PASSWORD"); env != nullptr && *env != '\0') return core::SecureString(env);
    if (::isatty(STDIN_FILENO)) {
        const char* typed = ::getpass("password: ");
        if (typed == nullptr) return core::fail(core::Errc::invalid_input, "staff.password_missing", "no password typed");
        core::SecureString first(typed);
        const char* again = ::getpass("password again: ");
        if (again == nullptr || first.view() != std::string_view(again))
            return core::fail(core::Errc::invalid_input, "staff.password_mismatch", "the two passwords differ");
        return first;
    }
    std::string line;
    if (!std::getline(std::cin, line))
        return core::fail(core::Errc::invalid_input, "staff.password_missing",
                          "give the password in $ESEAL_STAFF_PASSWORD, at the prompt or on stdin");
    core::SecureString pw(line);
    core::secure_wipe(line.data(), line.size());
    return pw;
}

struct AddOptions {
    std::string login;
    std::string name;
    std::vector<std::string> roles;
};

int do_add(PlatformHandle& handle, const AddOptions& o) {
    std::vector<ra::Role> roles;
    for (const auto& name : o.roles) {
        auto role = ra::parse_role(name);
        if (!role) return report({core::Errc::invalid_input, "staff.role_unknown", "unknown role " + name, {}});
        roles.push_back(*role);
    }
    auto password = read_password();
    if (!password) return report(password.error());
    auto platform = handle.get();
    if (!platform) return report(platform.error());
    const core::SystemClock clock;
    ra::StaffService staff((*platform)->store(), clock);
    auto added = staff.add(o.login, o.name, roles, *password, "cli");
    if (!added) return report(added.error());
    std::cout << "staff " << added->login << " added (id " << added->id << ")\n";
    return kExitOk;
}

int do_list(PlatformHandle& handle) {
    auto platform = handle.get();
    if (!platform) return report(platform.error());
    const core::SystemClock clock;
    ra::StaffService staff((*platform)->store(), clock);
    auto all = staff.list();
    if (!all) return report(all.error());
    for (const auto& a : *all) {
        std::string roles;
        for (auto r : a.roles) roles += (roles.empty() ? "" : ",") + std::string(ra::to_string(r));
        std::cout << a.login << "\t" << a.display_name << "\t" << roles;
        if (a.locked_until) std::cout << "\tlocked until " << core::format_utc(*a.locked_until);
        std::cout << "\n";
    }
    return kExitOk;
}

}  // namespace

void add_staff_commands(CLI::App& app, PlatformHandle& platform, Handler& selected) {
    auto* staff = app.add_subcommand("staff", "CA staff accounts: passwords (argon2id), roles, lockout");
    staff->require_subcommand(1);
    auto add = std::make_shared<AddOptions>();
    std::vector<std::string> role_names;
    for (auto r : ra::all_roles()) role_names.emplace_back(ra::to_string(r));
    auto* c_add = staff->add_subcommand(
        "add", "add a staff account (password from $ESEAL_STAFF_PASSWORD, a prompt, or a line of stdin)");
    c_add->add_option("login", add->login, "login: 3-32 of a-z 0-9 . _ -")->required();
    c_add->add_option("--name", add->name, "display name")->required();
    c_add->add_option("--role", add->roles, "a role (repeat for several)")->required()->check(CLI::IsMember(role_names));
    c_add->callback([&, add] { selected = [&, add] { return do_add(platform, *add); }; });
    auto* c_list = staff->add_subcommand("list", "list staff accounts with their roles");
    c_list->callback([&] { selected = [&] { return do_list(platform); }; });
}

}  // namespace eseal::cli
