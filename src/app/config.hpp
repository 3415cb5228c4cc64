#pragma once
// eseal.toml in the home directory. Every key is optional; missing ones take these defaults.
//
//   [pki]
//   public_base_url = "http://localhost:8080"   # CRL and OCSP URLs put into certificates
//   organization = "eseal"                        # O of the CA certificates
//   [ca]
//   passphrase_file = "secrets/ca-passphrase"     # relative to the home; ESEAL_CA_PASSPHRASE wins
#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace eseal::app {

struct Config {
    std::string public_base_url = "http://localhost:8080";
    std::string organization = "eseal";
    std::filesystem::path passphrase_file = "secrets/ca-passphrase";
};

// Reads home/eseal.toml if present; a file that does not parse is an error naming line and column.
[[nodiscard]] core::Result<Config> load_config(const std::filesystem::path& home);

}  // namespace eseal::app
