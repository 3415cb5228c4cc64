#include "token/ukey_service.hpp"

namespace eseal::token {

core::Result<void> check_new_pin(const core::SecureString& pin) {
    if (pin.size() < 6 || pin.size() > 8 || pin.view().find_first_not_of("0123456789") != std::string_view::npos)
        return core::fail(core::Errc::invalid_input, "token.pin_format", "the new PIN must be 6 to 8 digits");
    return {};
}

core::Result<void> check_no_valid_certificate(const TokenRecord& token, pki::CertificateRepository& certs,
                                              core::TimePoint now) {
    for (const auto& c : token.certificates) {
        auto cert = certs.find_certificate(c.certificate_serial);
        if (!cert) return std::unexpected(cert.error());
        if (*cert && (*cert)->status == pki::CertificateStatus::valid && (*cert)->not_after > now)
            return core::fail(core::Errc::conflict, "token.holds_valid_certificate",
                              "token " + token.serial + " holds certificate " + c.certificate_serial +
                                  ", which is still valid: revoke it first (eseal ca revoke)");
    }
    return {};
}

}  // namespace eseal::token
