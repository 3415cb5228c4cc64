#pragma once
// Placing characters along the arc of a circle or an ellipse (pure geometry, millimetres, y down):
// each character gets a box, turned to follow the arc; the angle a character takes comes from its
// box's width (its advance), and each box is put at the first place along the arc where it clears
// the one before by `gap` — so boxes never overlap, whatever the font or the curvature.
#include <array>
#include <optional>
#include <vector>

#include "seal/image.hpp"

namespace eseal::seal::layout {

struct BoxSize {
    double width = 0;
    double height = 0;
};

enum class ArcSide {
    upper,  // read left to right, clockwise over the top; tops of the characters point outwards
    lower,  // read left to right, anticlockwise under the bottom; bottoms point outwards
};

// The curve through the box centres: x = cx + a·sin t, y = cy ∓ b·cos t, with t = 0 at the top
// (upper) or at the bottom (lower), growing in reading order.
struct Arc {
    double cx = 0, cy = 0, a = 0, b = 0;
    ArcSide side = ArcSide::upper;
};

struct Point {
    double x = 0, y = 0;
};

[[nodiscard]] GlyphBox box_at(const Arc& arc, double t, BoxSize size);
[[nodiscard]] std::array<Point, 4> corners(const GlyphBox& box);
// Separating-axis test on two turned rectangles: true when no axis separates them by `gap`.
[[nodiscard]] bool overlap(const GlyphBox& a, const GlyphBox& b, double gap = 0);

// The boxes, in order, centred on t = 0, each clear of the one before by `gap`; nullopt when
// they need more than `max_span` (radians of t).
[[nodiscard]] std::optional<std::vector<GlyphBox>> place(const std::vector<BoxSize>& sizes,
                                                         const Arc& arc, double gap,
                                                         double max_span);

// As place(), but spaced out (gap up to `max_gap`) until the run spans `target_span` when the
// characters are few.
[[nodiscard]] std::optional<std::vector<GlyphBox>> place_spread(const std::vector<BoxSize>& sizes,
                                                                const Arc& arc, double min_gap,
                                                                double max_gap, double target_span,
                                                                double max_span);

// The t span of a placed run (from the first centre to the last).
[[nodiscard]] double span_of(const std::vector<GlyphBox>& boxes, const Arc& arc);

}  // namespace eseal::seal::layout
