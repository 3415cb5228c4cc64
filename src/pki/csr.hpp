#pragma once
// PKCS#10 certification requests (RFC 2986).
#include "core/bytes.hpp"
#include "crypto/ossl.hpp"

namespace eseal::pki {

// Reads a CSR, PEM ("CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST") or DER.
[[nodiscard]] core::Result<crypto::X509ReqPtr> parse_csr(core::ByteView data);

// Whether the CSR is signed by the key it carries (RFC 2986 §3 proof of possession). SM2 CSRs
// are checked with the ID 1234567812345678.
[[nodiscard]] bool csr_signature_valid(X509_REQ* csr);

}  // namespace eseal::pki
