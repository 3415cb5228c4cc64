// A scan or photo of a stamped physical seal turned into a seal picture: the paper goes
// transparent, the ink becomes seal red with its strength as alpha, the picture is cropped to the
// ink and kept at 300 dpi or more for the physical width the caller gives.
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "seal/canvas.hpp"
#include "seal/image.hpp"
#include "seal/jpeg_decode.hpp"

namespace eseal::seal {
namespace {

template <auto F>
struct Free {
    void operator()(auto* p) const noexcept { F(p); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, Free<cairo_surface_destroy>>;
using CairoPtr = std::unique_ptr<cairo_t, Free<cairo_destroy>>;

// Ink strength from the colour: the paper is light in every channel; seal ink (red) and black
// ink are dark in green and blue. Below kPaper it is paper; from kPaper + kRamp on, full ink.
constexpr double kPaper = 0.25;
constexpr double kRamp = 0.6;
constexpr int kMaxSide = 8000;

struct Rgba {
    int width = 0, height = 0;
    std::vector<std::uint8_t> px;  // r, g, b, a (not premultiplied)
};

struct PngReader {
    core::ByteView data;
    std::size_t at = 0;
};

cairo_status_t read_png(void* closure, unsigned char* out, unsigned int length) {
    auto* r = static_cast<PngReader*>(closure);
    if (r->data.size() - r->at < length)
        return CAIRO_STATUS_READ_ERROR;
    std::memcpy(out, r->data.data() + r->at, length);
    r->at += length;
    return CAIRO_STATUS_SUCCESS;
}

core::Result<Rgba> decode_png(core::ByteView data) {
    PngReader reader{data, 0};
    SurfacePtr src(cairo_image_surface_create_from_png_stream(read_png, &reader));
    if (cairo_surface_status(src.get()) != CAIRO_STATUS_SUCCESS)
        return core::fail(core::Errc::invalid_input, "image.scan_unreadable",
                          "the PNG cannot be decoded");
    Rgba out{
        cairo_image_surface_get_width(src.get()), cairo_image_surface_get_height(src.get()), {}};
    if (out.width > kMaxSide || out.height > kMaxSide)
        return core::fail(core::Errc::invalid_input, "image.scan_too_large",
                          "the scan is larger than 8000 pixels");
    // Whatever the PNG's format, paint it onto ARGB32 to read one layout.
    SurfacePtr argb(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, out.width, out.height));
    CairoPtr cr(cairo_create(argb.get()));
    cairo_set_source_surface(cr.get(), src.get(), 0, 0);
    cairo_paint(cr.get());
    cr.reset();
    cairo_surface_flush(argb.get());
    const unsigned char* base = cairo_image_surface_get_data(argb.get());
    const int stride = cairo_image_surface_get_stride(argb.get());
    out.px.resize(static_cast<std::size_t>(out.width) * out.height * 4);
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x) {
            std::uint32_t v;
            std::memcpy(&v, base + y * stride + x * 4, 4);
            const std::uint32_t a = v >> 24;
            auto* p = &out.px[(static_cast<std::size_t>(y) * out.width + x) * 4];
            for (int ch = 0; ch < 3; ++ch) {
                const std::uint32_t c = (v >> (16 - 8 * ch)) & 0xFF;  // premultiplied R, G, B
                p[ch] = static_cast<std::uint8_t>(
                    a == 0 ? 255 : std::min<std::uint32_t>(255, c * 255 / a));
            }
            p[3] = static_cast<std::uint8_t>(a);
        }
    return out;
}

core::Result<Rgba> decode(core::ByteView data) {
    if (data.size() > 8 && data[0] == 0x89 && data[1] == 'P' && data[2] == 'N' && data[3] == 'G')
        return decode_png(data);
    if (is_jpeg(data)) {
        auto jpeg = decode_jpeg(data);
        if (!jpeg)
            return std::unexpected(jpeg.error());
        if (jpeg->width > kMaxSide || jpeg->height > kMaxSide)
            return core::fail(core::Errc::invalid_input, "image.scan_too_large",
                              "the scan is larger than 8000 pixels");
        Rgba out{jpeg->width, jpeg->height, {}};
        out.px.reserve(static_cast<std::size_t>(out.width) * out.height * 4);
        for (std::size_t i = 0; i < jpeg->rgb.size(); i += 3)
            out.px.insert(out.px.end(), {jpeg->rgb[i], jpeg->rgb[i + 1], jpeg->rgb[i + 2], 255});
        return out;
    }
    return core::fail(core::Errc::unsupported, "image.scan_unsupported",
                      "a seal scan must be a PNG or JPEG file");
}

std::uint8_t ink_alpha(const std::uint8_t* p) {
    const double ink = 1.0 - std::max(p[1], p[2]) / 255.0;
    const double a = std::clamp((ink - kPaper) / kRamp, 0.0, 1.0) * (p[3] / 255.0);
    return static_cast<std::uint8_t>(std::lround(a * 255));
}

}  // namespace

core::Result<SealImage> import_seal_scan(core::ByteView file, double width_mm) {
    if (width_mm < 10 || width_mm > 100)
        return core::fail(core::Errc::invalid_input, "image.size", "a seal is 10 to 100 mm wide");
    auto src = decode(file);
    if (!src)
        return std::unexpected(src.error());

    std::vector<std::uint8_t> alpha(static_cast<std::size_t>(src->width) * src->height);
    int x0 = src->width, y0 = src->height, x1 = -1, y1 = -1;
    for (int y = 0; y < src->height; ++y)
        for (int x = 0; x < src->width; ++x) {
            const std::size_t i = static_cast<std::size_t>(y) * src->width + x;
            alpha[i] = ink_alpha(&src->px[i * 4]);
            if (alpha[i] != 0)
                x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x),
                y1 = std::max(y1, y);
        }
    if (x1 < 0)
        return core::fail(core::Errc::invalid_input, "image.scan_empty",
                          "no seal ink found in the scan");
    const int w = x1 - x0 + 1, h = y1 - y0 + 1;

    SurfacePtr cropped(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h));
    unsigned char* base = cairo_image_surface_get_data(cropped.get());
    const int stride = cairo_image_surface_get_stride(cropped.get());
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const std::uint32_t a = alpha[static_cast<std::size_t>(y + y0) * src->width + x + x0];
            // Premultiplied seal red (cairo's ARGB32).
            const std::uint32_t v = (a << 24) | ((kSealRed[0] * a / 255) << 16) |
                                    ((kSealRed[1] * a / 255) << 8) | (kSealRed[2] * a / 255);
            std::memcpy(base + y * stride + x * 4, &v, 4);
        }
    cairo_surface_mark_dirty(cropped.get());

    SealImage image;
    image.width_mm = width_mm;
    image.height_mm = width_mm * h / w;
    const int dpi = static_cast<int>(w / (width_mm / 25.4));
    SurfacePtr out = std::move(cropped);
    image.dpi = dpi;
    if (dpi < kMinDpi) {  // too coarse for print: resample up to 300 dpi
        image.dpi = kMinDpi;
        const int ow = canvas::pixels(image.width_mm, kMinDpi),
                  oh = canvas::pixels(image.height_mm, kMinDpi);
        SurfacePtr up(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, ow, oh));
        CairoPtr cr(cairo_create(up.get()));
        cairo_scale(cr.get(), static_cast<double>(ow) / w, static_cast<double>(oh) / h);
        cairo_set_source_surface(cr.get(), out.get(), 0, 0);
        cairo_pattern_set_filter(cairo_get_source(cr.get()), CAIRO_FILTER_GOOD);
        cairo_paint(cr.get());
        cr.reset();
        out = std::move(up);
    }
    cairo_surface_flush(out.get());
    image.width_px = cairo_image_surface_get_width(out.get());
    image.height_px = cairo_image_surface_get_height(out.get());
    auto png = canvas::encode_png(out.get(), image.dpi);
    if (!png)
        return std::unexpected(png.error());
    image.png = std::move(*png);
    return image;
}

}  // namespace eseal::seal
