#pragma once
// Runs of characters on a seal (internal to the seal pictures): along an arc (the name, the seal
// code) or on a straight line (the purpose, the taxpayer number). A run that does not fit is first
// condensed (narrower characters, as seal engravers do), then set smaller, never overlapped.
#include <cairo.h>

#include <optional>
#include <string_view>
#include <vector>

#include "seal/glyphs.hpp"

namespace eseal::seal::text {

struct Run {
    std::vector<glyphs::Glyph> glyphs;
    std::vector<GlyphBox> boxes;
    double em = 0;
    double condense = 1;
};

struct Sizing {
    double em = 0;        // start size, mm
    double min_em = 0;    // smallest acceptable
    double condense = 1;  // start width factor
    double min_condense = 1;
};

struct ArcSpec {
    double cx = 0, cy = 0;
    double avail_a = 0,
           avail_b = 0;  // every box corner stays inside this ellipse (a circle if equal)
    layout::ArcSide side = layout::ArcSide::upper;
    double min_gap = 0;         // mm between boxes
    double max_gap_per_em = 0;  // spacing out short runs: at most this many ems between boxes
    double target_span = 0;     // radians a short run is spread to
    double max_span = 0;        // radians the run may take
};

[[nodiscard]] std::optional<Run> fit_arc(std::string_view text, glyphs::Face face,
                                         const Sizing& sizing, const ArcSpec& arc);

// Centred on (cx, cy), left to right, at most max_width wide.
[[nodiscard]] std::optional<Run> fit_line(std::string_view text, glyphs::Face face,
                                          const Sizing& sizing, double cx, double cy,
                                          double max_width, double gap);

void draw(cairo_t* cr, const Run& run);

}  // namespace eseal::seal::text
