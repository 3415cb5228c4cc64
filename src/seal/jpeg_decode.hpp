#pragma once
// JPEG files (ITU T.81 / JFIF) decoded with libjpeg(-turbo), for scans of physical seals: cairo
// reads PNG only. Internal to seal.
#include <cstdint>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace eseal::seal {

struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;  // width * height * 3
};

[[nodiscard]] bool is_jpeg(core::ByteView data) noexcept;
// Errc::invalid_input "image.scan_unreadable" for a damaged file.
[[nodiscard]] core::Result<RgbImage> decode_jpeg(core::ByteView data);

}  // namespace eseal::seal
