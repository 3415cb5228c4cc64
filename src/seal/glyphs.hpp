#pragma once
// Characters measured and drawn one at a time with pango (internal to the seal pictures), so each
// can be placed and turned on its own. Metrics are taken at a large size with hinting off and
// scaled, so they are the same at every size and on every surface (PNG or SVG).
#include <cairo.h>

#include <string>
#include <string_view>
#include <vector>

#include "seal/arc_layout.hpp"

namespace eseal::seal::glyphs {

enum class Face { serif_bold, sans_bold };

// Per 1 unit of font size (the em).
struct Glyph {
    std::string text;  // one character, UTF-8
    Face face = Face::serif_bold;
    double advance = 0;
    double ink_x = 0, ink_y = 0, ink_width = 0, ink_height = 0;  // relative to the layout origin
};

// Splits UTF-8 text into characters (code points).
[[nodiscard]] std::vector<std::string> characters(std::string_view utf8);

[[nodiscard]] Glyph measure(const std::string& character, Face face);
[[nodiscard]] std::vector<Glyph> measure_all(std::string_view text, Face face);

// The box that holds the glyph's ink at font size `em`, condensed horizontally by `condense`.
[[nodiscard]] layout::BoxSize box_size(const Glyph& g, double em, double condense);

// Draws the glyph with its ink centred in the box (which box_size gave), scaled to the box:
// x by box.width / box_size.width (the condensing), y by box.height / ink height.
void draw(cairo_t* cr, const Glyph& g, const GlyphBox& box, double em, double condense);
// Draws the glyph's ink stretched to fill the box (square name seals).
void draw_filling(cairo_t* cr, const Glyph& g, const GlyphBox& box);

}  // namespace eseal::seal::glyphs
