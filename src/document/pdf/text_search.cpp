#include "document/pdf/text_search.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace eseal::document::pdf {
namespace {

constexpr double kMmPerPoint = 25.4 / 72.0;

std::u32string utf32(const std::string& utf8) {
    std::u32string out;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        char32_t cp = 0;
        int len = 1;
        if (b < 0x80)
            cp = b;
        else if ((b >> 5) == 0x6) {
            cp = b & 0x1F;
            len = 2;
        } else if ((b >> 4) == 0xE) {
            cp = b & 0x0F;
            len = 3;
        } else {
            cp = b & 0x07;
            len = 4;
        }
        for (int k = 1; k < len && i + static_cast<std::size_t>(k) < utf8.size(); ++k)
            cp = (cp << 6) |
                 (static_cast<unsigned char>(utf8[i + static_cast<std::size_t>(k)]) & 0x3F);
        i += static_cast<std::size_t>(len);
        out.push_back(cp);
    }
    return out;
}

bool is_space(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == 0x3000;
}

}  // namespace

core::Result<TextHit> find_text(const std::filesystem::path& file, const std::string& keyword,
                                int first_page) {
    std::u32string needle;
    for (char32_t c : utf32(keyword))
        if (!is_space(c))
            needle.push_back(c);
    if (needle.empty())
        return core::fail(core::Errc::invalid_input, "pdf.keyword_empty", "the keyword is empty");
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(file.string()));
    if (!doc || doc->is_locked())
        return core::fail(core::Errc::invalid_input, "pdf.malformed",
                          "poppler cannot read " + file.string());
    const int pages = doc->pages();
    for (int p = std::max(1, first_page); p <= pages; ++p) {
        std::unique_ptr<poppler::page> page(doc->create_page(p - 1));
        if (!page)
            continue;
        // The glyphs of the page in poppler's reading order, each with its box (top-left origin,
        // points, as text_list gives them).
        std::u32string glyphs;
        std::vector<poppler::rectf> boxes;
        for (const auto& box : page->text_list()) {
            const auto bytes = box.text().to_utf8();
            const std::u32string text = utf32(std::string(bytes.begin(), bytes.end()));
            for (std::size_t i = 0; i < text.size(); ++i) {
                if (is_space(text[i]))
                    continue;
                glyphs.push_back(text[i]);
                boxes.push_back(box.char_bbox(i));
            }
        }
        const auto at = glyphs.find(needle);
        if (at == std::u32string::npos)
            continue;
        double left = 1e9, top = 1e9, right = -1e9, bottom = -1e9;
        for (std::size_t i = at; i < at + needle.size(); ++i) {
            left = std::min(left, boxes[i].left());
            top = std::min(top, boxes[i].top());
            right = std::max(right, boxes[i].right());
            bottom = std::max(bottom, boxes[i].bottom());
        }
        return TextHit{p, (left + right) / 2 * kMmPerPoint, (top + bottom) / 2 * kMmPerPoint};
    }
    return core::fail(core::Errc::not_found, "pdf.keyword_not_found",
                      "\"" + keyword + "\" is not in the text of pages " +
                          std::to_string(std::max(1, first_page)) + " to " + std::to_string(pages) +
                          " (a scanned page has no text to search)");
}

}  // namespace eseal::document::pdf
