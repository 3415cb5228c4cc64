#pragma once
// A paragraph of text laid out by pango at a fixed width: it wraps (between words, or between
// characters where a word or a run of Chinese is wider than the box), so it never runs past its
// right edge and its height says how much room it needs.
#include <string_view>

#include "ra/render/cairo_handles.hpp"
#include "ra/render/outline_fonts.hpp"

namespace eseal::ra::render {

struct Font {
    const char* family;  // "Noto Sans CJK SC"
    double size;         // points; the context's resolution is 72 dpi, so also user units
    PangoWeight weight = PANGO_WEIGHT_NORMAL;
};

// A pango context for `cr` at 72 dpi with metric hinting off, so that measurements are in PDF
// points and do not depend on the output device.
[[nodiscard]] PangoContextPtr make_text_context(cairo_t* cr);

enum class Align { left, center };

class TextBox {
  public:
    TextBox(PangoContext* context, std::string_view text, const Font& font, double width,
            Align align = Align::left);

    [[nodiscard]] double height() const noexcept { return m_height; }
    [[nodiscard]] double width() const noexcept { return m_width; }  // of the widest line
    // Characters the fonts have no glyph for (they would print as boxes).
    [[nodiscard]] int unknown_glyphs() const noexcept;
    // Top-left corner of the box at (x, y), in the current source colour.
    void draw(cairo_t* cr, OutlineFonts& fonts, double x, double y) const;

  private:
    LayoutPtr m_layout;
    double m_height = 0;
    double m_width = 0;
};

}  // namespace eseal::ra::render
