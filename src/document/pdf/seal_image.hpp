#pragma once
// The seal picture as PDF image data (ISO 32000-1 §8.9.5): 8-bit DeviceRGB samples and, as a soft
// mask (§11.6.5.3), the 8-bit DeviceGray alpha, both Flate-compressed, so the seal stays
// transparent over the page.
#include "core/bytes.hpp"
#include "core/error.hpp"

namespace eseal::document::pdf {

struct PdfImage {
    int width = 0;  // pixels
    int height = 0;
    core::Bytes rgb_flate;
    core::Bytes alpha_flate;
};

// Decodes a PNG (any colour type: cairo converts it to premultiplied ARGB, which is undone here).
// Errors: invalid_input "seal.picture" when it is not a PNG or is empty.
[[nodiscard]] core::Result<PdfImage> pdf_image_from_png(core::ByteView png);

// The reverse, for showing a signature's seal (pdf verify): decoded 8-bit samples, `components`
// 1 (DeviceGray) or 3 (DeviceRGB) per pixel, and an optional 8-bit alpha (an /SMask of the same
// size; empty: opaque), as a PNG. Errors: invalid_input "pdf.image" when the sizes disagree.
[[nodiscard]] core::Result<core::Bytes> png_from_samples(int width, int height, int components,
                                                         core::ByteView samples,
                                                         core::ByteView alpha);

}  // namespace eseal::document::pdf
