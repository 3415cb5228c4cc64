#pragma once
// Alipay open API signatures, RSA2 = RSA-SHA256 (PKCS#1 v1.5), base64, over the "sign content":
// the parameters sorted by name, joined "k=v&k=v", with the values as they are (URL-decoded, not
// re-encoded), parameters with empty values left out. A request leaves out `sign`; an
// asynchronous notification leaves out `sign` and `sign_type`. A response is signed over the
// exact JSON text of its "<method>_response" member.
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "crypto/signer.hpp"
#include "ra/providers/form_urlencoded.hpp"

namespace eseal::ra::providers {

enum class AlipaySigned { request, notification };

[[nodiscard]] std::string alipay_sign_content(const FormFields& fields, AlipaySigned which);
[[nodiscard]] core::Result<std::string> alipay_sign(const crypto::Signer& signer,
                                                    std::string_view content);
// invalid_input "alipay.sign_malformed" (not base64), crypto "alipay.sign_invalid".
[[nodiscard]] core::Result<void> alipay_verify(core::ByteView public_key, std::string_view content,
                                               std::string_view sign);

// The raw text of the JSON object that is the value of `member` in `body` (strings and escapes
// respected), for checking a response signature over exactly the bytes Alipay signed; "" if
// there is none.
[[nodiscard]] std::string_view alipay_response_node(std::string_view body, std::string_view member);

}  // namespace eseal::ra::providers
