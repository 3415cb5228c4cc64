#include "app/config.hpp"

#include <toml++/toml.h>

namespace eseal::app {

core::Result<Config> load_config(const std::filesystem::path& home) {
    Config c;
    const auto file = home / "eseal.toml";
    if (!std::filesystem::exists(file)) return c;
    try {
        const toml::table t = toml::parse_file(file.string());
        c.public_base_url = t["pki"]["public_base_url"].value_or(c.public_base_url);
        c.organization = t["pki"]["organization"].value_or(c.organization);
        c.passphrase_file = t["ca"]["passphrase_file"].value_or(c.passphrase_file.string());
    } catch (const toml::parse_error& e) {
        return core::fail(core::Errc::invalid_input, "config.parse",
                          file.string() + ":" + std::to_string(e.source().begin.line) + ":" +
                              std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
    }
    while (!c.public_base_url.empty() && c.public_base_url.back() == '/') c.public_base_url.pop_back();
    return c;
}

}  // namespace eseal::app
