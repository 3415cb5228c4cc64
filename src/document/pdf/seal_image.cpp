#include "document/pdf/seal_image.hpp"

#include <cairo.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace eseal::document::pdf {
namespace {

struct PngSource {
    core::ByteView data;
    std::size_t pos = 0;
};

cairo_status_t read_png(void* closure, unsigned char* out, unsigned int length) {
    auto* src = static_cast<PngSource*>(closure);
    if (src->pos + length > src->data.size())
        return CAIRO_STATUS_READ_ERROR;
    std::memcpy(out, src->data.data() + src->pos, length);
    src->pos += length;
    return CAIRO_STATUS_SUCCESS;
}

core::Result<core::Bytes> deflate(const core::Bytes& raw) {
    uLongf n = compressBound(static_cast<uLong>(raw.size()));
    core::Bytes out(n);
    if (compress2(out.data(), &n, raw.data(), static_cast<uLong>(raw.size()), Z_BEST_COMPRESSION) !=
        Z_OK)
        return core::fail(core::Errc::internal, "pdf.deflate", "zlib compress2 failed");
    out.resize(n);
    return out;
}

cairo_status_t write_png(void* closure, const unsigned char* data, unsigned int length) {
    auto* out = static_cast<core::Bytes*>(closure);
    out->insert(out->end(), data, data + length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

core::Result<core::Bytes> png_from_samples(int width, int height, int components,
                                           core::ByteView samples, core::ByteView alpha) {
    const auto w = static_cast<std::size_t>(std::max(width, 0));
    const auto h = static_cast<std::size_t>(std::max(height, 0));
    if (w == 0 || h == 0 || (components != 1 && components != 3) ||
        samples.size() < w * h * static_cast<std::size_t>(components) ||
        (!alpha.empty() && alpha.size() < w * h))
        return core::fail(core::Errc::invalid_input, "pdf.image",
                          "the image's samples do not fill its width and height");
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height), cairo_surface_destroy);
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        return core::fail(core::Errc::internal, "pdf.image", "cairo cannot make the surface");
    cairo_surface_flush(surface.get());
    unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    for (std::size_t y = 0; y < h; ++y) {
        auto* row = reinterpret_cast<std::uint32_t*>(data + y * static_cast<std::size_t>(stride));
        for (std::size_t x = 0; x < w; ++x) {
            const std::size_t i = y * w + x;
            const unsigned a = alpha.empty() ? 0xFF : alpha[i];
            unsigned c[3];
            for (int k = 0; k < 3; ++k)
                c[k] = samples[i * static_cast<std::size_t>(components) +
                               static_cast<std::size_t>(components == 3 ? k : 0)];
            for (auto& v : c) v = (v * a + 127) / 255;  // cairo wants premultiplied ARGB
            row[x] = (a << 24) | (c[0] << 16) | (c[1] << 8) | c[2];
        }
    }
    cairo_surface_mark_dirty(surface.get());
    core::Bytes png;
    if (cairo_surface_write_to_png_stream(surface.get(), write_png, &png) != CAIRO_STATUS_SUCCESS)
        return core::fail(core::Errc::internal, "pdf.image", "cairo cannot write the PNG");
    return png;
}

core::Result<PdfImage> pdf_image_from_png(core::ByteView png) {
    static constexpr std::uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (png.size() < 8 || std::memcmp(png.data(), kSignature, 8) != 0)
        return core::fail(core::Errc::invalid_input, "seal.picture",
                          "the seal's picture is not a PNG");
    PngSource src{png};
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
        cairo_image_surface_create_from_png_stream(read_png, &src), cairo_surface_destroy);
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        return core::fail(core::Errc::invalid_input, "seal.picture",
                          std::string("the seal's PNG does not decode: ") +
                              cairo_status_to_string(cairo_surface_status(surface.get())));
    cairo_surface_t* s = cairo_image_surface_get_format(surface.get()) == CAIRO_FORMAT_ARGB32 ||
                                 cairo_image_surface_get_format(surface.get()) == CAIRO_FORMAT_RGB24
                             ? surface.get()
                             : nullptr;
    if (s == nullptr)
        return core::fail(core::Errc::unsupported, "seal.picture",
                          "the seal's PNG has an unusual pixel format");
    cairo_surface_flush(s);
    PdfImage img;
    img.width = cairo_image_surface_get_width(s);
    img.height = cairo_image_surface_get_height(s);
    if (img.width <= 0 || img.height <= 0)
        return core::fail(core::Errc::invalid_input, "seal.picture", "the seal's PNG is empty");
    const bool has_alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
    const int stride = cairo_image_surface_get_stride(s);
    const unsigned char* data = cairo_image_surface_get_data(s);
    const auto w = static_cast<std::size_t>(img.width);
    const auto h = static_cast<std::size_t>(img.height);
    core::Bytes rgb(w * h * 3), alpha(w * h);
    for (std::size_t y = 0; y < h; ++y) {
        const auto* row =
            reinterpret_cast<const std::uint32_t*>(data + y * static_cast<std::size_t>(stride));
        for (std::size_t x = 0; x < w; ++x) {
            const std::uint32_t px = row[x];  // cairo: native-endian 0xAARRGGBB, premultiplied
            const unsigned a = has_alpha ? (px >> 24) & 0xFF : 0xFF;
            unsigned c[3] = {(px >> 16) & 0xFF, (px >> 8) & 0xFF, px & 0xFF};
            for (auto& v : c) v = a == 0 ? 0 : std::min(255u, (v * 255 + a / 2) / a);
            std::uint8_t* out = &rgb[(y * w + x) * 3];
            out[0] = static_cast<std::uint8_t>(c[0]);
            out[1] = static_cast<std::uint8_t>(c[1]);
            out[2] = static_cast<std::uint8_t>(c[2]);
            alpha[y * w + x] = static_cast<std::uint8_t>(a);
        }
    }
    auto r = deflate(rgb);
    if (!r)
        return std::unexpected(r.error());
    auto m = deflate(alpha);
    if (!m)
        return std::unexpected(m.error());
    img.rgb_flate = std::move(*r);
    img.alpha_flate = std::move(*m);
    return img;
}

}  // namespace eseal::document::pdf
