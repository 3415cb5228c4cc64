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
        c.crl_period_hours = t["crl"]["period_hours"].value_or(c.crl_period_hours);
        c.ocsp_validity_minutes = t["ocsp"]["validity_minutes"].value_or(c.ocsp_validity_minutes);
        c.tsa_policy = t["tsa"]["policy"].value_or(c.tsa_policy);
        c.tsa_ca = t["tsa"]["ca"].value_or(c.tsa_ca);
        c.tsa_accuracy_ms = t["tsa"]["accuracy_ms"].value_or(c.tsa_accuracy_ms);
    } catch (const toml::parse_error& e) {
        return core::fail(core::Errc::invalid_input, "config.parse",
                          file.string() + ":" + std::to_string(e.source().begin.line) + ":" +
                              std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
    }
    while (!c.public_base_url.empty() && c.public_base_url.back() == '/') c.public_base_url.pop_back();
    if (c.crl_period_hours < 1 || c.crl_period_hours > 24 * 366)
        return core::fail(core::Errc::invalid_input, "config.crl_period", "[crl] period_hours must be 1 to 8784");
    if (c.ocsp_validity_minutes < 1 || c.ocsp_validity_minutes > 7 * 24 * 60)
        return core::fail(core::Errc::invalid_input, "config.ocsp_validity", "[ocsp] validity_minutes must be 1 to 10080");
    if (c.tsa_accuracy_ms < 0 || c.tsa_accuracy_ms > 60'000)
        return core::fail(core::Errc::invalid_input, "config.tsa_accuracy", "[tsa] accuracy_ms must be 0 to 60000");
    return c;
}

}  // namespace eseal::app
