#pragma once
// eseal.toml in the home directory. Every key is optional; missing ones take these defaults.
//
//   [pki]
//   public_base_url = "http://localhost:8080"   # CRL and OCSP URLs put into certificates
//   organization = "eseal"                        # O of the CA certificates
//   [ca]
//   passphrase_file = "secrets/ca-passphrase"     # relative to the home; ESEAL_CA_PASSPHRASE wins
//   [crl]
//   period_hours = 24                             # nextUpdate - thisUpdate; remade at half of it
//   [ocsp]
//   validity_minutes = 60                         # nextUpdate - thisUpdate of OCSP answers
//   [tsa]
//   policy = "2.25.60325442585266553787173988324821111041"  # TSA policy OID (see pki/tsa.hpp)
//   ca = ""                                       # issuing CA behind /tsa ("": the first one)
//   accuracy_ms = 1000                            # the accuracy stated in time-stamps
//   [hall]
//   public_url = ""            # where providers call back ("": http://<the --listen address>)
//   upload_limit_mb = 10       # largest material upload
//   dev_endpoints = true       # /api/v1/dev/messages and /sandbox/ pages (sandbox providers)
//   secure_cookies = false     # true behind TLS
//   catalogue = ""             # JSON file of fees and materials ("": the guide's)
//   service_points = ""        # JSON file of service points ("": the guide's nine)
//   calendar = ""              # working-day calendar file ("": built-in 2025-2027)
#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace eseal::app {

struct Config {
    std::string public_base_url = "http://localhost:8080";
    std::string organization = "eseal";
    std::filesystem::path passphrase_file = "secrets/ca-passphrase";
    int crl_period_hours = 24;
    int ocsp_validity_minutes = 60;
    std::string tsa_policy;  // "": pki::kDefaultTsaPolicy
    std::string tsa_ca;
    int tsa_accuracy_ms = 1000;
    std::string hall_public_url;
    int hall_upload_limit_mb = 10;
    bool hall_dev_endpoints = true;
    bool hall_secure_cookies = false;
    std::string hall_catalogue;
    std::string hall_service_points;
    std::string hall_calendar;
};

// Reads home/eseal.toml if present; a file that does not parse is an error naming line and column.
[[nodiscard]] core::Result<Config> load_config(const std::filesystem::path& home);

}  // namespace eseal::app
