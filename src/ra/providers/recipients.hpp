#pragma once
// Checks on where a message goes and what it says, before anything is "sent": a bad phone
// number is an error the outbox shows, never a message that silently goes nowhere.
#include <cstddef>
#include <optional>
#include <string_view>

namespace eseal::ra::providers {

// A mainland China mobile number: 11 digits, 1[3-9]xxxxxxxxx (MIIT numbering plan), no prefix.
[[nodiscard]] bool is_mainland_mobile(std::string_view phone) noexcept;
// A practical check of an address for delivery (RFC 5321 §4.5.3.1 lengths: local part ≤ 64,
// whole ≤ 254): one '@', a dot-separated domain of letters, digits and hyphens, no spaces.
[[nodiscard]] bool is_email_address(std::string_view address) noexcept;
// Characters (Unicode code points) in UTF-8 text; nullopt if it is not valid UTF-8.
[[nodiscard]] std::optional<std::size_t> utf8_length(std::string_view text) noexcept;
// Segments an SMS of `characters` takes, with Chinese text (UCS-2, 3GPP TS 23.038): one of up to
// 70 characters, or, concatenated, 67 per segment (the user data header takes the rest,
// 3GPP TS 23.040 §9.2.3.24.1). Operators bill per segment.
[[nodiscard]] std::size_t sms_segments(std::size_t characters) noexcept;

}  // namespace eseal::ra::providers
