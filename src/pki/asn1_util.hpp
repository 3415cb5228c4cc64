#pragma once
// Small conversions between eseal's values and OpenSSL's ASN.1 ones, shared by the CRL, OCSP and
// time-stamp code.
#include <string>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "crypto/ossl.hpp"

namespace eseal::pki {

// Lowercase hex without leading zeros, as serials are stored; "" for a zero or negative integer.
[[nodiscard]] std::string integer_hex(const ASN1_INTEGER* i);
// DER of an OBJECT IDENTIFIER known to OpenSSL.
[[nodiscard]] core::Bytes oid_der(int nid);
// DER GeneralizedTime "YYYYMMDDHHMMSSZ" (RFC 5280 §4.1.2.5.2: no fractions).
[[nodiscard]] core::Bytes generalized_time_der(core::TimePoint t);
[[nodiscard]] std::time_t to_time_t(core::TimePoint t);

}  // namespace eseal::pki
