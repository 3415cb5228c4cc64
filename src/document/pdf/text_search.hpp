#pragma once
// Finding where a piece of text is printed, for `--keyword` placement: poppler-cpp lays out the
// page's text (its text_list, one box per word with a box per glyph) and the keyword is matched
// against the glyphs in reading order, spaces ignored (so it may span words, and CJK text, which
// poppler often splits per character, is found as written).
#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace eseal::document::pdf {

struct TextHit {
    int page = 0;     // 1-based
    double x_mm = 0;  // centre of the hit, from the page's left edge
    double y_mm = 0;  // centre of the hit, from the page's top edge
};

// The first occurrence from `first_page` on. Errors: not_found "pdf.keyword_not_found" (naming the
// keyword and the pages searched); invalid_input "pdf.malformed" when poppler cannot read the file.
[[nodiscard]] core::Result<TextHit> find_text(const std::filesystem::path& file,
                                              const std::string& keyword, int first_page = 1);

}  // namespace eseal::document::pdf
