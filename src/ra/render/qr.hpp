#pragma once
// QR codes (ISO/IEC 18004) for the online business hall: the application id on the generated
// form, links for the applicant's phone. Encoded with libqrencode at error-correction level M in
// 8-bit byte mode, so any UTF-8 text or URL is carried byte for byte.
#include <cairo.h>

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace eseal::ra {

// Byte-mode capacity of version 40 at level M (ISO/IEC 18004:2015 Table 7).
inline constexpr std::size_t kQrMaxBytes = 2331;
// The quiet zone the standard asks for (ISO/IEC 18004:2015 §5.3.8), in modules.
inline constexpr int kQrQuietZone = 4;

// The module grid of one symbol, without quiet zone.
class QrMatrix {
  public:
    QrMatrix(int width, std::vector<std::uint8_t> dark) : m_width(width), m_dark(std::move(dark)) {}
    [[nodiscard]] int width() const noexcept { return m_width; }  // modules per side: 21 + 4(v-1)
    [[nodiscard]] bool dark(int x, int y) const noexcept {
        return m_dark[static_cast<std::size_t>(y) * m_width + x] != 0;
    }

  private:
    int m_width;
    std::vector<std::uint8_t> m_dark;  // row-major, 1 = dark
};

// Errors (invalid_input): "qr.empty", "qr.too_long" (more than kQrMaxBytes).
[[nodiscard]] core::Result<QrMatrix> encode_qr(std::string_view text);

// Paints the symbol with its quiet zone as a square of `side` user units whose top-left corner is
// (x, y): white background, dark modules filled as one path (no seams between modules).
void draw_qr(cairo_t* cr, const QrMatrix& qr, double x, double y, double side,
             int margin_modules = kQrQuietZone);

// A PNG, black on white, `module_px` pixels per module and `margin_modules` of quiet zone on each
// side. Errors: those of encode_qr, "qr.bad_size" (module_px outside 1..32, margin outside 0..16,
// or an image side above 4096 px).
[[nodiscard]] core::Result<core::Bytes> render_qr_png(std::string_view text, int module_px = 8,
                                                      int margin_modules = kQrQuietZone);

}  // namespace eseal::ra
