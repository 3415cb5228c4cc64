// The invoice seal (发票专用章), after the tax administration's pattern: an oval 40 x 30 mm with a
// 1 mm border, the taxpayer's name along the upper arc, the taxpayer number (纳税人识别号) across
// the middle in a plain sans face, 发票专用章 below it. Measures scale with the size.
#include <numbers>

#include "seal/canvas.hpp"
#include "seal/image.hpp"
#include "seal/text_checks.hpp"
#include "seal/text_runs.hpp"

namespace eseal::seal {

core::Result<SealImage> render_oval_seal(const OvalSealSpec& spec) {
    constexpr double kPi = std::numbers::pi;
    std::vector<core::Problem> problems;
    checks::name(spec.name, 1, 40, problems);
    checks::taxpayer_number(spec.taxpayer_number, problems);
    checks::name(spec.purpose, 1, 8, problems);
    if (spec.width_mm < 30 || spec.width_mm > 60 || spec.height_mm < 20 ||
        spec.height_mm > spec.width_mm)
        problems.push_back(
            {"image.size", "an oval seal is 30 to 60 mm wide and no taller than wide", "size"});
    if (auto ok = checks::verdict(std::move(problems)); !ok)
        return std::unexpected(ok.error());

    const double w = spec.width_mm, h = spec.height_mm, k = std::min(w / 40.0, h / 30.0);
    const double cx = w / 2, cy = h / 2;
    const double border = 1.0 * k;
    const double outer_a = cx - 0.1 * k, outer_b = cy - 0.1 * k;
    const double avail_a = outer_a - border - 0.6 * k, avail_b = outer_b - border - 0.6 * k;
    const double n = static_cast<double>(glyphs::characters(spec.name).size());

    // The name keeps to the upper 170° of the oval; only a very long one runs further down the
    // sides.
    std::optional<text::Run> name;
    for (const double max_deg : {170.0, 210.0}) {
        name = text::fit_arc(spec.name, glyphs::Face::serif_bold, {4.4 * k, 1.6 * k, 0.85, 0.55},
                             {cx, cy, avail_a, avail_b, layout::ArcSide::upper, 0.2 * k, 0.4,
                              std::min(max_deg, 60 + 12 * n) * kPi / 180, max_deg * kPi / 180});
        if (name)
            break;
    }
    if (!name)
        return core::fail(core::Errc::invalid_input, "image.name_unfit",
                          "the name does not fit on the seal");
    auto number = text::fit_line(spec.taxpayer_number, glyphs::Face::sans_bold,
                                 {3.4 * k, 2.0 * k, 0.9, 0.6}, cx, cy + 1.0 * k, 24.0 * k, 0.1 * k);
    auto purpose =
        text::fit_line(spec.purpose, glyphs::Face::serif_bold, {4.2 * k, 2.6 * k, 0.9, 0.6}, cx,
                       cy + 8.0 * k, 17.0 * k, 0.2 * k);
    if (!number || !purpose)
        return core::fail(core::Errc::invalid_input, "image.text_unfit",
                          "the taxpayer number does not fit");

    auto image = canvas::paint(w, h, spec.dpi, [&](cairo_t* cr) {
        canvas::use_seal_red(cr);
        cairo_save(cr);
        cairo_translate(cr, cx, cy);
        cairo_scale(cr, 1.0, (outer_b - border / 2) / (outer_a - border / 2));
        cairo_arc(cr, 0, 0, outer_a - border / 2, 0, 2 * kPi);
        cairo_restore(cr);  // the stroke is drawn unscaled, so the border is equally wide all round
        cairo_set_line_width(cr, border);
        cairo_stroke(cr);
        text::draw(cr, *name);
        text::draw(cr, *number);
        text::draw(cr, *purpose);
    });
    if (!image)
        return image;
    for (const auto* run : {&*name, &*number, &*purpose})
        image->glyphs.insert(image->glyphs.end(), run->boxes.begin(), run->boxes.end());
    return image;
}

}  // namespace eseal::seal
