#pragma once
// application/x-www-form-urlencoded (WHATWG URL Standard §5): "a=1&b=x+y%2Bz". Unlike a path's
// percent-encoding, '+' is a space here, which is why this does not reuse server's decoder.
#include <map>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace eseal::ra::providers {

// Names sorted (std::map): what signature strings that sort parameters by name need.
using FormFields = std::map<std::string, std::string, std::less<>>;

// Errc::invalid_input "form.malformed" for a bad %-escape, an empty name or a repeated name (no
// service we read sends one, and silently keeping one of two values could hide a forgery).
[[nodiscard]] core::Result<FormFields> parse_form(std::string_view body);
// Encodes every byte except ALPHA / DIGIT / "*-._" (the Standard's urlencoded byte set); ' ' as
// '+'.
[[nodiscard]] std::string form_encode(std::string_view value);
[[nodiscard]] std::string encode_form(const FormFields& fields);

}  // namespace eseal::ra::providers
