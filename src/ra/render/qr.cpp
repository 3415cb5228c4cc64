#include "ra/render/qr.hpp"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <string>

#include "ra/render/cairo_handles.hpp"

namespace eseal::ra {
namespace {

using QrCodePtr = std::unique_ptr<QRcode, render::Free<QRcode_free>>;

constexpr int kMaxModulePx = 32;
constexpr int kMaxMargin = 16;
constexpr int kMaxImageSide = 4096;

}  // namespace

core::Result<QrMatrix> encode_qr(std::string_view text) {
    if (text.empty())
        return core::fail(core::Errc::invalid_input, "qr.empty", "nothing to encode");
    if (text.size() > kQrMaxBytes)
        return core::fail(core::Errc::invalid_input, "qr.too_long",
                          std::to_string(text.size()) +
                              " bytes; a QR code at level M holds at most " +
                              std::to_string(kQrMaxBytes));
    // QRcode_encodeData: byte mode for the whole input (QRcode_encodeString would switch to kanji
    // or alphanumeric segments), smallest version that fits (0).
    errno = 0;
    QrCodePtr code(QRcode_encodeData(static_cast<int>(text.size()),
                                     reinterpret_cast<const unsigned char*>(text.data()), 0,
                                     QR_ECLEVEL_M));
    if (!code) {
        if (errno == ERANGE)
            return core::fail(core::Errc::invalid_input, "qr.too_long",
                              "the text does not fit in a QR code at level M");
        return core::fail(core::Errc::internal, "qr.encode", "libqrencode failed to encode");
    }
    const int width = code->width;
    std::vector<std::uint8_t> dark(static_cast<std::size_t>(width) * width);
    // libqrencode: bit 0 of each byte is the module colour (1 = dark); the other bits are metadata.
    for (std::size_t i = 0; i < dark.size(); ++i) dark[i] = code->data[i] & 1U;
    return QrMatrix(width, std::move(dark));
}

void draw_qr(cairo_t* cr, const QrMatrix& qr, double x, double y, double side, int margin_modules) {
    const double module = side / (qr.width() + 2 * margin_modules);
    const double x0 = x + margin_modules * module;
    const double y0 = y + margin_modules * module;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, side, side);
    cairo_fill(cr);
    // Every module rectangle is wound the same way, so the non-zero rule fills their union.
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    for (int row = 0; row < qr.width(); ++row)
        for (int col = 0; col < qr.width(); ++col)
            if (qr.dark(col, row))
                cairo_rectangle(cr, x0 + col * module, y0 + row * module, module, module);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_fill(cr);
    cairo_restore(cr);
}

core::Result<core::Bytes> render_qr_png(std::string_view text, int module_px, int margin_modules) {
    if (module_px < 1 || module_px > kMaxModulePx || margin_modules < 0 ||
        margin_modules > kMaxMargin)
        return core::fail(core::Errc::invalid_input, "qr.bad_size",
                          "module size must be 1.." + std::to_string(kMaxModulePx) +
                              " px and the margin 0.." + std::to_string(kMaxMargin) + " modules");
    auto qr = encode_qr(text);
    if (!qr)
        return std::unexpected(std::move(qr.error()));
    const int side = (qr->width() + 2 * margin_modules) * module_px;
    if (side > kMaxImageSide)
        return core::fail(core::Errc::invalid_input, "qr.bad_size",
                          "the image would be " + std::to_string(side) + " px wide; at most " +
                              std::to_string(kMaxImageSide));

    render::SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side));
    if (auto ok = render::check_cairo(cairo_surface_status(surface.get()), "qr image"); !ok)
        return std::unexpected(std::move(ok.error()));
    {
        render::CairoPtr cr(cairo_create(surface.get()));
        // Whole-pixel modules: no anti-aliased grey edges for a scanner to guess about.
        cairo_set_antialias(cr.get(), CAIRO_ANTIALIAS_NONE);
        draw_qr(cr.get(), *qr, 0, 0, side, margin_modules);
        if (auto ok = render::check_cairo(cairo_status(cr.get()), "qr drawing"); !ok)
            return std::unexpected(std::move(ok.error()));
    }
    core::Bytes png;
    if (auto ok = render::check_cairo(
            cairo_surface_write_to_png_stream(surface.get(), render::append_to_bytes, &png),
            "qr png");
        !ok)
        return std::unexpected(std::move(ok.error()));
    return png;
}

}  // namespace eseal::ra
