#include "pki/ports.hpp"

namespace eseal::pki {

std::string_view to_string(CertificateStatus s) noexcept {
    return s == CertificateStatus::valid ? "valid" : "revoked";
}

std::optional<CertificateStatus> parse_certificate_status(std::string_view s) noexcept {
    if (s == "valid") return CertificateStatus::valid;
    if (s == "revoked") return CertificateStatus::revoked;
    return std::nullopt;
}

}  // namespace eseal::pki
