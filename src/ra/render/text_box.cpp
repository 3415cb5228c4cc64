#include "ra/render/text_box.hpp"

namespace eseal::ra::render {

PangoContextPtr make_text_context(cairo_t* cr) {
    PangoContextPtr context(pango_cairo_create_context(cr));
    pango_cairo_context_set_resolution(context.get(), 72.0);
    FontOptionsPtr options(cairo_font_options_create());
    cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context.get(), options.get());
    return context;
}

TextBox::TextBox(PangoContext* context, std::string_view text, const Font& font, double width,
                 Align align)
    : m_layout(pango_layout_new(context)) {
    FontDescriptionPtr description(pango_font_description_new());
    pango_font_description_set_family(description.get(), font.family);
    pango_font_description_set_size(description.get(), pango_units_from_double(font.size));
    pango_font_description_set_weight(description.get(), font.weight);
    PangoLayout* layout = m_layout.get();
    pango_layout_set_font_description(layout, description.get());
    pango_layout_set_width(layout, pango_units_from_double(width));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout,
                               align == Align::center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
    // Plain text, never markup: what the applicant typed cannot change the form's styling.
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
    PangoRectangle logical;
    pango_layout_get_extents(layout, nullptr, &logical);
    m_height = pango_units_to_double(logical.height);
    m_width = pango_units_to_double(logical.width);
}

int TextBox::unknown_glyphs() const noexcept {
    return pango_layout_get_unknown_glyphs_count(m_layout.get());
}

void TextBox::draw(cairo_t* cr, OutlineFonts& fonts, double x, double y) const {
    fonts.show_layout(cr, m_layout.get(), x, y);
}

}  // namespace eseal::ra::render
