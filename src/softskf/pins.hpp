#pragma once
// PINs and the application's data key (GM/T 0016-2012 §7.2): checking a PIN against its retry
// counter, setting a PIN (which re-seals the data key under it), making a new application.
#include <string>
#include <string_view>

#include "device_state.hpp"
#include "device_store.hpp"
#include "skf.h"

namespace eseal::softskf {

inline constexpr std::size_t kMinPinLength = 6;
inline constexpr std::size_t kMaxPinLength = 16;
inline constexpr ULONG kMaxRetryLimit = 15;  // a counter per PIN, 1..15 as on smart cards

// SAR_PIN_LEN_RANGE unless 6..16 bytes.
[[nodiscard]] ULONG check_pin_format(std::string_view pin);

struct PinCheck {
    ULONG rc = SAR_FAIL;
    ULONG remaining = 0;  // tries left after this one
    SecureBytes dek;      // on SAR_OK
};

// Checks `pin` for `role`. The counter is decremented and written before the PIN is checked and
// reset after a correct one, so that a process killed mid-check cannot get a free try. A wrong
// PIN gives SAR_PIN_INCORRECT, or SAR_PIN_LOCKED when it used the last try; a PIN at zero tries
// gives SAR_PIN_LOCKED without being checked.
[[nodiscard]] PinCheck check_pin(Transaction& tx, Application& app, PinRole role,
                                 std::string_view pin);

// Gives `role` a new PIN and seals `dek` under it; the counter is full again.
[[nodiscard]] ULONG set_pin(Application& app, PinRole role, std::string_view pin, ByteView dek,
                            bool is_default);

struct NewApplication {
    std::string name;
    std::string_view admin_pin;
    ULONG admin_retries = 0;
    std::string_view user_pin;
    ULONG user_retries = 0;
    ULONG create_file_rights = 0;
};

// A new application with a fresh data key sealed under both PINs.
[[nodiscard]] ULONG make_application(const NewApplication& spec, Application& out);

// A fresh random identifier (16 random bytes, hex).
[[nodiscard]] std::optional<std::string> random_id();

}  // namespace eseal::softskf
