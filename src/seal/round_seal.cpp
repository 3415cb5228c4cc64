// The round organization seal (公章 and the 专用章 drawn like it), after the usual engraving of
// a 42 mm company seal: a 1.2 mm ring, a five-pointed star of 14 mm in the centre, the name along
// the upper arc with its tops outward, the purpose under the star, the 13-digit seal code along
// the lower arc. Every measure scales with the diameter.
#include <cmath>
#include <numbers>

#include "seal/canvas.hpp"
#include "seal/image.hpp"
#include "seal/text_checks.hpp"
#include "seal/text_runs.hpp"

namespace eseal::seal {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double deg(double d) {
    return d * kPi / 180;
}

void draw_star(cairo_t* cr, double cx, double cy, double outer) {
    // A regular star: inner radius outer·sin 18° / sin 54° (= outer / φ²).
    const double inner = outer * std::sin(deg(18)) / std::sin(deg(54));
    for (int i = 0; i < 10; ++i) {
        const double a = -kPi / 2 + i * kPi / 5;
        const double r = i % 2 == 0 ? outer : inner;
        if (i == 0)
            cairo_move_to(cr, cx + r * std::cos(a), cy + r * std::sin(a));
        else
            cairo_line_to(cr, cx + r * std::cos(a), cy + r * std::sin(a));
    }
    cairo_close_path(cr);
    cairo_fill(cr);
}

// Largest angle from the bottom (lower runs) or top (upper runs) reached by any box corner.
double extent(const text::Run& run, double cx, double cy, layout::ArcSide side) {
    double m = 0;
    for (const auto& b : run.boxes)
        for (const auto& p : layout::corners(b)) {
            const double x = p.x - cx, y = p.y - cy;
            m = std::max(
                m, std::abs(side == layout::ArcSide::lower ? std::atan2(x, y) : std::atan2(x, -y)));
        }
    return m;
}

bool runs_overlap(const text::Run& a, const text::Run& b) {
    for (const auto& x : a.boxes)
        for (const auto& y : b.boxes)
            if (layout::overlap(x, y))
                return true;
    return false;
}

}  // namespace

core::Result<SealImage> render_round_seal(const RoundSealSpec& spec) {
    std::vector<core::Problem> problems;
    checks::name(spec.name, 1, 40, problems);
    checks::seal_code(spec.code, problems);
    if (spec.diameter_mm < 30 || spec.diameter_mm > 60)
        problems.push_back({"image.size", "a round seal is 30 to 60 mm across", "diameter"});
    if (auto ok = checks::verdict(std::move(problems)); !ok)
        return std::unexpected(ok.error());

    const double d = spec.diameter_mm, k = d / 42.0, c = d / 2;
    const double ring_width = 1.2 * k;
    const double ring_outer = c - 0.1 * k;
    const double ring_inner = ring_outer - ring_width;
    const double avail = ring_inner - 0.9 * k;

    std::optional<text::Run> code;
    double code_extent = 0;
    if (!spec.code.empty()) {
        code = text::fit_arc(
            spec.code, glyphs::Face::sans_bold, {2.6 * k, 1.6 * k, 1.0, 0.7},
            {c, c, avail, avail, layout::ArcSide::lower, 0.25 * k, 0.35, deg(84), deg(110)});
        if (!code)
            return core::fail(core::Errc::invalid_input, "image.code_unfit",
                              "the seal code does not fit");
        code_extent = extent(*code, c, c, layout::ArcSide::lower);
    }
    const double n = static_cast<double>(glyphs::characters(spec.name).size());
    const double clearance = deg(10);
    // Without a code the name may run further down the sides.
    double max_span = code ? 2 * (kPi - code_extent - clearance) - deg(16) : deg(270);
    std::optional<text::Run> name;
    for (int tries = 0; tries < 12; ++tries) {
        name = text::fit_arc(spec.name, glyphs::Face::serif_bold, {6.6 * k, 1.8 * k, 0.85, 0.55},
                             {c, c, avail, avail, layout::ArcSide::upper, 0.2 * k, 0.45,
                              std::min(max_span, deg(90 + 15 * n)), max_span});
        if (!name)
            break;
        const bool clear = !code || (extent(*name, c, c, layout::ArcSide::upper) <=
                                         kPi - code_extent - clearance &&
                                     !runs_overlap(*name, *code));
        if (clear)
            break;
        max_span -= deg(4);
        name.reset();
    }
    if (!name)
        return core::fail(
            core::Errc::invalid_input, "image.name_unfit",
            "the name does not fit on a " + std::to_string(static_cast<int>(d)) + " mm seal");

    const double star_outer = 7.0 * k;
    std::optional<text::Run> purpose;
    if (!spec.purpose.empty()) {
        purpose = text::fit_line(spec.purpose, glyphs::Face::serif_bold,
                                 {4.4 * k, 2.6 * k, 0.9, 0.6}, c, c + 10.0 * k, 16.0 * k, 0.2 * k);
        if (!purpose)
            return core::fail(core::Errc::invalid_input, "image.purpose_unfit",
                              "the purpose does not fit");
    }

    auto image = canvas::paint(d, d, spec.dpi, [&](cairo_t* cr) {
        canvas::use_seal_red(cr);
        cairo_set_line_width(cr, ring_width);
        cairo_arc(cr, c, c, ring_outer - ring_width / 2, 0, 2 * kPi);
        cairo_stroke(cr);
        draw_star(cr, c, c, star_outer);
        text::draw(cr, *name);
        if (code)
            text::draw(cr, *code);
        if (purpose)
            text::draw(cr, *purpose);
    });
    if (!image)
        return image;
    image->ring_inner_radius_mm = ring_inner;
    for (const auto* run : {&*name, code ? &*code : nullptr, purpose ? &*purpose : nullptr})
        if (run != nullptr)
            image->glyphs.insert(image->glyphs.end(), run->boxes.begin(), run->boxes.end());
    return image;
}

}  // namespace eseal::seal
