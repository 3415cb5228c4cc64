#include "seal/canvas.hpp"

#include <cairo-svg.h>

#include <array>
#include <memory>

namespace eseal::seal::canvas {
namespace {

template <auto F>
struct Free {
    void operator()(auto* p) const noexcept { F(p); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, Free<cairo_surface_destroy>>;
using CairoPtr = std::unique_ptr<cairo_t, Free<cairo_destroy>>;

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    auto* out = static_cast<std::string*>(closure);
    out->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

std::uint32_t crc32(const std::uint8_t* data, std::size_t n) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i) c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void put32(core::Bytes& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// PNG 1.2 §4.2.4.2: pHYs = pixels per metre in x and y, unit 1 (metre); it must precede IDAT, so
// it goes straight after IHDR (8-byte signature + 25-byte IHDR chunk).
core::Bytes with_phys(core::Bytes png, int dpi) {
    constexpr std::size_t kAfterIhdr = 8 + 25;
    if (png.size() < kAfterIhdr)
        return png;
    const auto ppm = static_cast<std::uint32_t>(dpi / 0.0254 + 0.5);
    core::Bytes chunk;
    put32(chunk, 9);
    const std::size_t type_at = chunk.size();
    for (char c : std::string_view("pHYs")) chunk.push_back(static_cast<std::uint8_t>(c));
    put32(chunk, ppm);
    put32(chunk, ppm);
    chunk.push_back(1);
    put32(chunk, crc32(chunk.data() + type_at, chunk.size() - type_at));
    png.insert(png.begin() + kAfterIhdr, chunk.begin(), chunk.end());
    return png;
}

}  // namespace

void use_seal_red(cairo_t* cr) {
    cairo_set_source_rgb(cr, kSealRed[0] / 255.0, kSealRed[1] / 255.0, kSealRed[2] / 255.0);
}

core::Result<core::Bytes> encode_png(cairo_surface_t* surface, int dpi) {
    std::string data;
    if (cairo_surface_write_to_png_stream(surface, append, &data) != CAIRO_STATUS_SUCCESS)
        return core::fail(core::Errc::internal, "image.encode", "cannot encode the PNG");
    return with_phys(core::to_bytes(data), dpi);
}

core::Result<SealImage> paint(double width_mm, double height_mm, int dpi, const Painter& painter) {
    if (dpi < kMinDpi || dpi > 2400)
        return core::fail(core::Errc::invalid_input, "image.dpi",
                          "the resolution must be " + std::to_string(kMinDpi) + " to 2400 dpi");
    SealImage image;
    image.width_mm = width_mm;
    image.height_mm = height_mm;
    image.dpi = dpi;
    image.width_px = pixels(width_mm, dpi);
    image.height_px = pixels(height_mm, dpi);

    SurfacePtr raster(
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, image.width_px, image.height_px));
    CairoPtr cr(cairo_create(raster.get()));
    cairo_scale(cr.get(), image.width_px / width_mm, image.height_px / height_mm);
    painter(cr.get());
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
        return core::fail(core::Errc::internal, "image.draw",
                          cairo_status_to_string(cairo_status(cr.get())));
    cr.reset();
    cairo_surface_flush(raster.get());
    auto png = encode_png(raster.get(), dpi);
    if (!png)
        return std::unexpected(png.error());
    image.png = std::move(*png);

    // The SVG's user unit is the millimetre, and width/height say "mm".
    SurfacePtr vector(cairo_svg_surface_create_for_stream(append, &image.svg, width_mm, height_mm));
    cairo_svg_surface_set_document_unit(vector.get(), CAIRO_SVG_UNIT_MM);
    CairoPtr vcr(cairo_create(vector.get()));
    painter(vcr.get());
    vcr.reset();
    cairo_surface_finish(vector.get());
    if (cairo_surface_status(vector.get()) != CAIRO_STATUS_SUCCESS)
        return core::fail(core::Errc::internal, "image.svg", "cannot write the SVG");
    return image;
}

}  // namespace eseal::seal::canvas
