#pragma once
// The PDF syntax eseal reads and writes without an object parser (ISO 32000-1): the file's tail
// (startxref and the style of the last cross-reference section, §7.5.5), dates (§7.9.4) and text
// strings (§7.9.2). No qpdf here, so that this compiles anywhere (the fuzz build too).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace eseal::document::pdf {

enum class XrefStyle { table, stream };

struct PdfTail {
    std::uint64_t size = 0;       // bytes in the file
    std::uint64_t startxref = 0;  // offset of the last cross-reference section
    XrefStyle style = XrefStyle::table;
    bool ends_with_newline = false;
};

// Reads the file's last 1024 bytes and the start of its last xref section (ISO 32000-1 §7.5.5).
// Errors: io "pdf.open"; invalid_input "pdf.malformed".
[[nodiscard]] core::Result<PdfTail> read_tail(const std::filesystem::path& file);

// "D:YYYYMMDDHHmmSS+00'00'" (ISO 32000-1 §7.9.4).
[[nodiscard]] std::string pdf_date(std::int64_t unix_seconds);
[[nodiscard]] std::optional<std::int64_t> parse_pdf_date(std::string_view text);

// "(text)" with the characters §7.3.4.2 requires escaped; non-ASCII text as UTF-16BE with a BOM.
[[nodiscard]] std::string pdf_text_string(std::string_view utf8);

}  // namespace eseal::document::pdf
