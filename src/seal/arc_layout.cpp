#include "seal/arc_layout.hpp"

#include <cmath>

namespace eseal::seal::layout {
namespace {

constexpr double kCoarseStep = 0.01;  // radians
constexpr double kFineStep = 0.0005;

// Walks from t0, each box at the first t where it clears the previous one. Returns the last t.
double walk(const std::vector<BoxSize>& sizes, const Arc& arc, double gap, double t0,
            std::vector<GlyphBox>& out) {
    out.clear();
    double t = t0;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (i == 0) {
            out.push_back(box_at(arc, t, sizes[0]));
            continue;
        }
        const GlyphBox& prev = out.back();
        double step_t = t;
        while (overlap(prev, box_at(arc, step_t, sizes[i]), gap) && step_t < t + 3.2)
            step_t += kCoarseStep;
        step_t -= kCoarseStep;
        while (overlap(prev, box_at(arc, step_t, sizes[i]), gap) && step_t < t + 3.2)
            step_t += kFineStep;
        t = step_t;
        out.push_back(box_at(arc, t, sizes[i]));
    }
    return t;
}

double t_of(const GlyphBox& box, const Arc& arc) {
    const double x = (box.cx - arc.cx) / arc.a;
    const double y = (box.cy - arc.cy) / arc.b;
    return arc.side == ArcSide::upper ? std::atan2(x, -y) : std::atan2(x, y);
}

}  // namespace

GlyphBox box_at(const Arc& arc, double t, BoxSize size) {
    const double s = std::sin(t), c = std::cos(t);
    GlyphBox box;
    box.width = size.width;
    box.height = size.height;
    box.cx = arc.cx + arc.a * s;
    if (arc.side == ArcSide::upper) {
        box.cy = arc.cy - arc.b * c;
        // The outward normal (gradient of x²/a² + y²/b²) is where the character's top points.
        const double nx = s / arc.a, ny = -c / arc.b;
        box.angle = std::atan2(nx, -ny);
    } else {
        box.cy = arc.cy + arc.b * c;
        const double nx = s / arc.a, ny = c / arc.b;  // where the character's bottom points
        box.angle = std::atan2(-nx, ny);
    }
    return box;
}

std::array<Point, 4> corners(const GlyphBox& b) {
    const double c = std::cos(b.angle), s = std::sin(b.angle);
    const double hw = b.width / 2, hh = b.height / 2;
    std::array<Point, 4> out;
    const double local[4][2] = {{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}};
    for (int i = 0; i < 4; ++i)
        out[i] = {b.cx + local[i][0] * c - local[i][1] * s,
                  b.cy + local[i][0] * s + local[i][1] * c};
    return out;
}

bool overlap(const GlyphBox& a, const GlyphBox& b, double gap) {
    const auto ca = corners(a), cb = corners(b);
    for (const GlyphBox* box : {&a, &b}) {
        const double axes[2][2] = {{std::cos(box->angle), std::sin(box->angle)},
                                   {-std::sin(box->angle), std::cos(box->angle)}};
        for (const auto& ax : axes) {
            double amin = 1e9, amax = -1e9, bmin = 1e9, bmax = -1e9;
            for (const auto& p : ca) {
                const double d = p.x * ax[0] + p.y * ax[1];
                amin = std::min(amin, d), amax = std::max(amax, d);
            }
            for (const auto& p : cb) {
                const double d = p.x * ax[0] + p.y * ax[1];
                bmin = std::min(bmin, d), bmax = std::max(bmax, d);
            }
            if (amax + gap <= bmin || bmax + gap <= amin)
                return false;
        }
    }
    return true;
}

double span_of(const std::vector<GlyphBox>& boxes, const Arc& arc) {
    if (boxes.size() < 2)
        return 0;
    return t_of(boxes.back(), arc) - t_of(boxes.front(), arc);
}

std::optional<std::vector<GlyphBox>> place(const std::vector<BoxSize>& sizes, const Arc& arc,
                                           double gap, double max_span) {
    std::vector<GlyphBox> boxes;
    if (sizes.empty())
        return boxes;
    double t0 = 0;
    double last = walk(sizes, arc, gap, t0, boxes);
    if (last - t0 > max_span)
        return std::nullopt;
    // Centre the run on t = 0; on an ellipse the span shifts a little with the start, so repeat.
    for (int i = 0; i < 4; ++i) {
        t0 -= (t0 + last) / 2;
        last = walk(sizes, arc, gap, t0, boxes);
        if (std::abs(t0 + last) < 1e-4)
            break;
    }
    if (last - t0 > max_span)
        return std::nullopt;
    return boxes;
}

std::optional<std::vector<GlyphBox>> place_spread(const std::vector<BoxSize>& sizes, const Arc& arc,
                                                  double min_gap, double max_gap,
                                                  double target_span, double max_span) {
    auto tight = place(sizes, arc, min_gap, max_span);
    if (!tight || sizes.size() < 2 || span_of(*tight, arc) >= target_span)
        return tight;
    const double limit = std::min(target_span, max_span);
    if (auto widest = place(sizes, arc, max_gap, limit))
        return widest;
    // The widest gap that keeps the run within the target.
    double lo = min_gap, hi = max_gap;
    auto best = std::move(*tight);
    for (int i = 0; i < 16; ++i) {
        const double mid = (lo + hi) / 2;
        if (auto run = place(sizes, arc, mid, limit)) {
            best = std::move(*run);
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return best;
}

}  // namespace eseal::seal::layout
