#include "seal/text_runs.hpp"

#include <algorithm>
#include <cmath>

namespace eseal::seal::text {
namespace {

constexpr double kCondenseStep = 0.05;
constexpr double kShrink = 0.96;

// Yields the (em, condense) pairs to try: narrower first, then smaller.
template <class Try>
std::optional<Run> search(const Sizing& s, Try&& attempt) {
    double em = s.em;
    double condense = s.condense;
    while (em >= s.min_em) {
        if (auto run = attempt(em, condense))
            return run;
        if (condense - kCondenseStep >= s.min_condense - 1e-9)
            condense -= kCondenseStep;
        else
            em *= kShrink;
    }
    return std::nullopt;
}

bool inside(const GlyphBox& box, const ArcSpec& arc) {
    for (const auto& p : layout::corners(box)) {
        const double x = (p.x - arc.cx) / arc.avail_a, y = (p.y - arc.cy) / arc.avail_b;
        if (x * x + y * y > 1.0 + 1e-9)
            return false;
    }
    return true;
}

}  // namespace

std::optional<Run> fit_arc(std::string_view text, glyphs::Face face, const Sizing& sizing,
                           const ArcSpec& spec) {
    const auto measured = glyphs::measure_all(text, face);
    if (measured.empty())
        return Run{};
    return search(sizing, [&](double em, double condense) -> std::optional<Run> {
        std::vector<layout::BoxSize> sizes;
        double h = 0, w = 0;
        for (const auto& g : measured) {
            sizes.push_back(glyphs::box_size(g, em, condense));
            h = std::max(h, sizes.back().height), w = std::max(w, sizes.back().width);
        }
        // The centre curve: far enough in that the outer corners of a box clear the limit.
        layout::Arc arc{spec.cx, spec.cy,
                        std::sqrt(spec.avail_a * spec.avail_a - w * w / 4) - h / 2,
                        std::sqrt(spec.avail_b * spec.avail_b - w * w / 4) - h / 2, spec.side};
        for (int tries = 0; tries < 40 && arc.a > h && arc.b > h; ++tries) {
            auto boxes = layout::place_spread(sizes, arc, spec.min_gap, spec.max_gap_per_em * em,
                                              spec.target_span, spec.max_span);
            if (!boxes)
                return std::nullopt;
            if (std::all_of(boxes->begin(), boxes->end(),
                            [&](const GlyphBox& b) { return inside(b, spec); }))
                return Run{measured, std::move(*boxes), em, condense};
            arc.a -= 0.05, arc.b -= 0.05;  // an ellipse's offset curve is not an ellipse: step in
        }
        return std::nullopt;
    });
}

std::optional<Run> fit_line(std::string_view text, glyphs::Face face, const Sizing& sizing,
                            double cx, double cy, double max_width, double gap) {
    const auto measured = glyphs::measure_all(text, face);
    if (measured.empty())
        return Run{};
    return search(sizing, [&](double em, double condense) -> std::optional<Run> {
        std::vector<layout::BoxSize> sizes;
        double total = gap * static_cast<double>(measured.size() - 1);
        for (const auto& g : measured) {
            sizes.push_back(glyphs::box_size(g, em, condense));
            total += sizes.back().width;
        }
        if (total > max_width)
            return std::nullopt;
        Run run{measured, {}, em, condense};
        double x = cx - total / 2;
        for (const auto& s : sizes) {
            run.boxes.push_back({x + s.width / 2, cy, 0, s.width, s.height});
            x += s.width + gap;
        }
        return run;
    });
}

void draw(cairo_t* cr, const Run& run) {
    for (std::size_t i = 0; i < run.glyphs.size(); ++i)
        glyphs::draw(cr, run.glyphs[i], run.boxes[i], run.em, run.condense);
}

}  // namespace eseal::seal::text
