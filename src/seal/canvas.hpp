#pragma once
// One drawing, two outputs (internal to the seal pictures): a painter draws in millimetres with
// the origin at the top-left; the canvas runs it into a PNG at the requested dpi and into an SVG
// sized in millimetres.
#include <cairo.h>

#include <functional>

#include "core/error.hpp"
#include "seal/image.hpp"

namespace eseal::seal::canvas {

using Painter = std::function<void(cairo_t*)>;

[[nodiscard]] core::Result<SealImage> paint(double width_mm, double height_mm, int dpi,
                                            const Painter& painter);

void use_seal_red(cairo_t* cr);

// Encodes an ARGB32 image surface as PNG, with a pHYs chunk saying `dpi` (PNG 1.2 §4.2.4.2).
[[nodiscard]] core::Result<core::Bytes> encode_png(cairo_surface_t* surface, int dpi);

[[nodiscard]] inline int pixels(double mm, int dpi) {
    return static_cast<int>(mm / 25.4 * dpi + 0.5);
}

}  // namespace eseal::seal::canvas
