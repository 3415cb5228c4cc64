#pragma once
// The X.509 v3 extensions of eseal's profiles (RFC 5280 §4.2).
#include <string>

#include "core/error.hpp"
#include "crypto/ossl.hpp"

namespace eseal::pki {

// Adds an extension from OpenSSL's configuration syntax ("critical,CA:TRUE"); issuer may be null
// for a self-signed certificate (then the certificate is its own issuer).
[[nodiscard]] core::Result<void> add_extension(X509* cert, X509* issuer, int nid, const std::string& value);

// GM/T 0015-2012 IdentifyCode extension (1.2.156.10260.4.1.1): the holder's resident ID number,
// as residenterCardNumber [0] PrintableString, non-critical.
[[nodiscard]] core::Result<void> add_identify_code(X509* cert, const std::string& resident_id);
[[nodiscard]] std::string identify_code_of(const X509* cert);  // "" if absent

inline constexpr const char* kIdentifyCodeOid = "1.2.156.10260.4.1.1";

}  // namespace eseal::pki
