#pragma once
// Uploaded materials (guide §4): what a file is, judged by its content, never by its name.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace eseal::ra {

// 10 MB per file unless configured otherwise.
inline constexpr std::int64_t kDefaultMaterialLimit = 10 * 1024 * 1024;

// Bytes needed at the start of a file to judge it.
inline constexpr std::size_t kSniffBytes = 16;

// "image/jpeg" (JFIF/Exif: FF D8 FF), "image/png" (the 8-byte signature, PNG §5.2),
// "application/pdf" (%PDF-, ISO 32000-1 §7.5.2); anything else is refused, and a recognisable
// executable or archive is named in the error so a disguised one is plain in the log.
[[nodiscard]] core::Result<std::string> sniff_material_type(core::ByteView head);

// A file name fit for display and a Content-Disposition header: no path, no control
// characters, at most 100 characters.
[[nodiscard]] std::string clean_file_name(std::string_view name);

}  // namespace eseal::ra
