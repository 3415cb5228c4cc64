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
        c.hall_public_url = t["hall"]["public_url"].value_or(c.hall_public_url);
        c.hall_upload_limit_mb = t["hall"]["upload_limit_mb"].value_or(c.hall_upload_limit_mb);
        c.hall_dev_endpoints = t["hall"]["dev_endpoints"].value_or(c.hall_dev_endpoints);
        c.hall_secure_cookies = t["hall"]["secure_cookies"].value_or(c.hall_secure_cookies);
        c.hall_catalogue = t["hall"]["catalogue"].value_or(c.hall_catalogue);
        c.hall_service_points = t["hall"]["service_points"].value_or(c.hall_service_points);
        c.hall_calendar = t["hall"]["calendar"].value_or(c.hall_calendar);
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
    if (c.hall_upload_limit_mb < 1 || c.hall_upload_limit_mb > 1024)
        return core::fail(core::Errc::invalid_input, "config.upload_limit", "[hall] upload_limit_mb must be 1 to 1024");
    return c;
}

}  // namespace eseal::app
