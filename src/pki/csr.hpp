#pragma once
// PKCS#10 certification requests (RFC 2986).
#include "core/bytes.hpp"
#include "crypto/ossl.hpp"
#include "crypto/signer.hpp"

namespace eseal::pki {

// Reads a CSR, PEM ("CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST") or DER.
[[nodiscard]] core::Result<crypto::X509ReqPtr> parse_csr(core::ByteView data);

// A CSR for the signer's key with this subject, signed by the signer (wherever its key lives:
// this is how a key generated on a token asks for its certificate).
[[nodiscard]] core::Result<core::Bytes> make_csr(const X509_NAME* subject, const crypto::Signer& signer);

// Whether the CSR is signed by the key it carries (RFC 2986 §3 proof of possession). SM2 CSRs
// are checked with the ID 1234567812345678.
[[nodiscard]] bool csr_signature_valid(X509_REQ* csr);

}  // namespace eseal::pki
