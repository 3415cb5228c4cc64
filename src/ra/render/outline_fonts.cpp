#include "ra/render/outline_fonts.hpp"

#include <algorithm>
#include <vector>

namespace eseal::ra::render {
namespace {

const cairo_user_data_key_t kInnerFace{};

// Paints one glyph of the underlying face at 1 em, unhinted: the outline as designed.
cairo_status_t render_outline(cairo_scaled_font_t* scaled_font, unsigned long glyph, cairo_t* cr,
                              cairo_text_extents_t* extents) {
    auto* inner = static_cast<cairo_font_face_t*>(
        cairo_font_face_get_user_data(cairo_scaled_font_get_font_face(scaled_font), &kInnerFace));
    if (inner == nullptr)
        return CAIRO_STATUS_USER_FONT_ERROR;
    FontOptionsPtr options(cairo_font_options_create());
    cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, options.get());
    cairo_set_font_face(cr, inner);
    cairo_set_font_size(cr, 1.0);
    const cairo_glyph_t g{glyph, 0, 0};
    cairo_glyph_extents(cr, &g, 1, extents);
    cairo_glyph_path(cr, &g, 1);
    cairo_fill(cr);
    return cairo_status(cr);
}

// Glyph ids of a run that draw nothing (a line break) or that the font lacks.
bool drawable(PangoGlyph g) noexcept {
    return g != PANGO_GLYPH_EMPTY && (g & PANGO_GLYPH_UNKNOWN_FLAG) == 0;
}

}  // namespace

cairo_font_face_t* OutlineFonts::outline_face(cairo_font_face_t* inner) {
    auto it = m_faces.find(inner);
    if (it != m_faces.end())
        return it->second.get();
    FontFacePtr face(cairo_user_font_face_create());
    cairo_user_font_face_set_render_glyph_func(face.get(), render_outline);
    // The user face holds a reference to the underlying face for as long as it lives.
    const auto release = [](void* p) {
        cairo_font_face_destroy(static_cast<cairo_font_face_t*>(p));
    };
    if (cairo_font_face_set_user_data(face.get(), &kInnerFace, cairo_font_face_reference(inner),
                                      release) != CAIRO_STATUS_SUCCESS)
        cairo_font_face_destroy(inner);  // not stored; render_outline then reports an error
    return m_faces.emplace(inner, std::move(face)).first->second.get();
}

void OutlineFonts::show_layout(cairo_t* cr, PangoLayout* layout, double x, double y) {
    const char* text = pango_layout_get_text(layout);
    std::unique_ptr<PangoLayoutIter, Free<pango_layout_iter_free>> iter(
        pango_layout_get_iter(layout));
    std::vector<cairo_glyph_t> glyphs;
    std::vector<cairo_text_cluster_t> clusters;
    cairo_save(cr);
    do {
        PangoLayoutRun* run = pango_layout_iter_get_run_readonly(iter.get());
        if (run == nullptr)
            continue;  // the end of a line
        PangoRectangle logical;
        pango_layout_iter_get_run_extents(iter.get(), nullptr, &logical);
        const double baseline =
            y + pango_units_to_double(pango_layout_iter_get_baseline(iter.get()));
        const PangoItem* item = run->item;
        const PangoGlyphString* gs = run->glyphs;

        // Glyphs, placed where pango put them.
        glyphs.clear();
        double pen = x + pango_units_to_double(logical.x);
        for (int i = 0; i < gs->num_glyphs; ++i) {
            const PangoGlyphInfo& info = gs->glyphs[i];
            if (drawable(info.glyph))
                glyphs.push_back({info.glyph, pen + pango_units_to_double(info.geometry.x_offset),
                                  baseline + pango_units_to_double(info.geometry.y_offset)});
            pen += pango_units_to_double(info.geometry.width);
        }

        // Clusters, in glyph order: the bytes of text each group of glyphs stands for. A cluster
        // starts where log_clusters changes; its bytes run to the next larger cluster start.
        clusters.clear();
        const bool backward = (item->analysis.level % 2) != 0;  // right-to-left: glyphs reversed
        for (int i = 0; i < gs->num_glyphs;) {
            const int start = gs->log_clusters[i];
            int n = 0;
            int j = i;
            for (; j < gs->num_glyphs && gs->log_clusters[j] == start; ++j)
                n += drawable(gs->glyphs[j].glyph) ? 1 : 0;
            int end = item->length;
            for (int k = 0; k < gs->num_glyphs; ++k)
                if (gs->log_clusters[k] > start)
                    end = std::min(end, gs->log_clusters[k]);
            clusters.push_back({end - start, n});
            i = j;
        }
        if (backward)
            std::reverse(clusters.begin(), clusters.end());

        auto* font = PANGO_CAIRO_FONT(item->analysis.font);
        cairo_scaled_font_t* inner = pango_cairo_font_get_scaled_font(font);
        cairo_matrix_t font_matrix;
        cairo_scaled_font_get_font_matrix(inner, &font_matrix);
        cairo_set_font_face(cr, outline_face(cairo_scaled_font_get_font_face(inner)));
        cairo_set_font_matrix(cr, &font_matrix);
        cairo_show_text_glyphs(cr, text + item->offset, item->length, glyphs.data(),
                               static_cast<int>(glyphs.size()), clusters.data(),
                               static_cast<int>(clusters.size()),
                               backward ? CAIRO_TEXT_CLUSTER_FLAG_BACKWARD
                                        : static_cast<cairo_text_cluster_flags_t>(0));
    } while (pango_layout_iter_next_run(iter.get()));
    cairo_restore(cr);
}

}  // namespace eseal::ra::render
