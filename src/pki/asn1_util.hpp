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
// From stored lowercase hex; null if it is not hex.
[[nodiscard]] crypto::Asn1IntegerPtr integer_from_hex(const std::string& hex);
// DER of an OBJECT IDENTIFIER known to OpenSSL by NID, or given in dotted form.
[[nodiscard]] core::Bytes oid_der(int nid);
[[nodiscard]] core::Bytes oid_der(const std::string& dotted);
// DER GeneralizedTime "YYYYMMDDHHMMSSZ" (RFC 5280 §4.1.2.5.2: no fractions).
[[nodiscard]] core::Bytes generalized_time_der(core::TimePoint t);
[[nodiscard]] std::time_t to_time_t(core::TimePoint t);

}  // namespace eseal::pki
