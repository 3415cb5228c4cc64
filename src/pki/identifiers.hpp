#pragma once
// Chinese identifiers that go into certificates, checked by their check characters.
#include <optional>
#include <string_view>

#include "core/error.hpp"

namespace eseal::pki {

// Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from
// "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z), the last a check character (§4.3).
// Returns nullopt when valid, else what is wrong (code "credit_code.*").
[[nodiscard]] std::optional<core::Problem> check_credit_code(std::string_view code);

// Resident identity card number (公民身份号码), GB 11643-1999: 6-digit address code, 8-digit
// birth date, 3-digit sequence, check digit 0-9 or X (ISO 7064 MOD 11-2).
[[nodiscard]] std::optional<core::Problem> check_resident_id(std::string_view id);

// The check characters, for making valid test data and for messages.
[[nodiscard]] char credit_code_check_char(std::string_view first17);
[[nodiscard]] char resident_id_check_char(std::string_view first17);

}  // namespace eseal::pki
