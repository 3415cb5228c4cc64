#include "seal/glyphs.hpp"

#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>

namespace eseal::seal::glyphs {
namespace {

constexpr double kMeasureSize = 100.0;  // user units; metrics are divided by it

template <auto F>
struct Free {
    void operator()(auto* p) const noexcept { F(p); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, Free<g_object_unref>>;
using FontDescPtr = std::unique_ptr<PangoFontDescription, Free<pango_font_description_free>>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, Free<cairo_surface_destroy>>;
using CairoPtr = std::unique_ptr<cairo_t, Free<cairo_destroy>>;
using FontOptionsPtr = std::unique_ptr<cairo_font_options_t, Free<cairo_font_options_destroy>>;

const char* family_of(Face f) {
    return f == Face::serif_bold ? "Noto Serif CJK SC Bold" : "Noto Sans CJK SC Bold";
}

// A layout of one character at the measuring size, with hinting off so that metrics scale.
LayoutPtr make_layout(cairo_t* cr, const std::string& text, Face face) {
    LayoutPtr layout(pango_cairo_create_layout(cr));
    PangoContext* ctx = pango_layout_get_context(layout.get());
    FontOptionsPtr options(cairo_font_options_create());
    cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(options.get(), CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ctx, options.get());
    pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_layout_context_changed(layout.get());
    FontDescPtr desc(pango_font_description_from_string(family_of(face)));
    pango_font_description_set_absolute_size(desc.get(), kMeasureSize * PANGO_SCALE);
    pango_layout_set_font_description(layout.get(), desc.get());
    pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
    return layout;
}

cairo_t* scratch() {
    // One measuring context per thread: the surface is never drawn on.
    thread_local SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1));
    thread_local CairoPtr cr(cairo_create(surface.get()));
    return cr.get();
}

// Draws the layout so that its ink box maps onto `box` (centred, scaled by sx, sy).
void show(cairo_t* cr, const Glyph& g, const GlyphBox& box, double sx, double sy) {
    cairo_save(cr);
    cairo_translate(cr, box.cx, box.cy);
    cairo_rotate(cr, box.angle);
    cairo_scale(cr, sx / kMeasureSize, sy / kMeasureSize);
    const double ink_cx = (g.ink_x + g.ink_width / 2) * kMeasureSize;
    const double ink_cy = (g.ink_y + g.ink_height / 2) * kMeasureSize;
    cairo_translate(cr, -ink_cx, -ink_cy);
    cairo_move_to(cr, 0, 0);
    auto layout = make_layout(cr, g.text, g.face);
    pango_cairo_update_layout(cr, layout.get());
    pango_cairo_show_layout(cr, layout.get());
    cairo_restore(cr);
}

}  // namespace

std::vector<std::string> characters(std::string_view utf8) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        const std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        out.emplace_back(utf8.substr(i, len));
        i += len;
    }
    return out;
}

Glyph measure(const std::string& character, Face face) {
    auto layout = make_layout(scratch(), character, face);
    PangoRectangle ink{}, logical{};
    pango_layout_get_extents(layout.get(), &ink, &logical);
    const double unit = PANGO_SCALE * kMeasureSize;
    Glyph g;
    g.text = character;
    g.face = face;
    g.advance = logical.width / unit;
    g.ink_x = ink.x / unit;
    g.ink_y = ink.y / unit;
    g.ink_width = ink.width / unit;
    g.ink_height = ink.height / unit;
    if (g.ink_width <= 0 || g.ink_height <= 0) {  // a space: no ink, keep its advance
        g.ink_x = 0, g.ink_width = g.advance;
        g.ink_y = 0, g.ink_height = 0;
    }
    return g;
}

std::vector<Glyph> measure_all(std::string_view text, Face face) {
    std::vector<Glyph> out;
    for (const auto& c : characters(text)) out.push_back(measure(c, face));
    return out;
}

layout::BoxSize box_size(const Glyph& g, double em, double condense) {
    // Wide enough for the advance (the character's own spacing) and the ink; one em tall, or the
    // ink's height where a glyph reaches beyond the em box.
    return {std::max(g.advance, g.ink_width) * em * condense, std::max(1.0, g.ink_height) * em};
}

void draw(cairo_t* cr, const Glyph& g, const GlyphBox& box, double em, double condense) {
    if (g.ink_height <= 0)
        return;
    show(cr, g, box, em * condense, em);
}

void draw_filling(cairo_t* cr, const Glyph& g, const GlyphBox& box) {
    if (g.ink_height <= 0 || g.ink_width <= 0)
        return;
    show(cr, g, box, box.width / g.ink_width, box.height / g.ink_height);
}

}  // namespace eseal::seal::glyphs
