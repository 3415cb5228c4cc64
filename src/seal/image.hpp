#pragma once
// Seal pictures (印模), drawn with cairo + pango in a CJK font (Noto Serif/Sans CJK SC), seal red
// on transparent, as PNG (at 300 dpi or more, with the dpi in its pHYs chunk) and SVG, with the
// physical size in millimetres that SES_ESPictureInfo records (GB/T 38540-2020 §6.1).
//   round: organization seals (公章 and the 专用章 for contracts, finance): ring, five-pointed
//   star,
//          the name along the upper arc, the purpose under the star, the 13-digit seal code along
//          the lower arc;
//   oval:  the invoice seal (发票专用章, 40 x 30 mm): the name along the upper arc, the taxpayer
//          number across the middle, 发票专用章 below;
//   square: the legal representative's name seal (e.g. 张三印).
// Or a scan of a physical seal, made transparent and seal red.
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "seal/seal_type.hpp"

namespace eseal::seal {

// Seal red (印泥红), #E60012.
inline constexpr std::uint8_t kSealRed[3] = {0xE6, 0x00, 0x12};
inline constexpr int kMinDpi = 300;

// One placed character: the box that holds its ink, centred at (cx, cy) millimetres from the
// picture's top-left corner and turned `angle` radians clockwise. Tests check boxes never overlap.
struct GlyphBox {
    double cx = 0, cy = 0, angle = 0, width = 0, height = 0;
};

struct SealImage {
    core::Bytes png;
    std::string svg;  // empty for an imported scan
    double width_mm = 0;
    double height_mm = 0;
    int width_px = 0;
    int height_px = 0;
    int dpi = 0;
    std::vector<GlyphBox> glyphs;     // the drawn characters (name, purpose, code, number)
    double ring_inner_radius_mm = 0;  // round seals: the text stays inside this circle
};

struct RoundSealSpec {
    std::string name;     // along the upper arc, 1 to 40 characters
    std::string purpose;  // under the star; empty for the official seal
    std::string code;     // empty, or the 13-digit seal code along the lower arc
    double diameter_mm = 42;
    int dpi = kMinDpi;
};

struct OvalSealSpec {
    std::string name;
    std::string taxpayer_number;  // 纳税人识别号, 15 to 20 letters and digits
    std::string purpose = "发票专用章";
    double width_mm = 40;
    double height_mm = 30;
    int dpi = kMinDpi;
};

struct SquareSealSpec {
    std::string name;  // 2 to 4 characters; 印 is added
    double size_mm = 20;
    int dpi = kMinDpi;
};

// Errors: Errc::invalid_input with a code per fault ("image.name_too_long", "image.code_invalid",
// "image.taxpayer_invalid", "image.dpi", ...).
[[nodiscard]] core::Result<SealImage> render_round_seal(const RoundSealSpec& spec);
[[nodiscard]] core::Result<SealImage> render_oval_seal(const OvalSealSpec& spec);
[[nodiscard]] core::Result<SealImage> render_square_seal(const SquareSealSpec& spec);

// The picture for a kind of seal, at its usual size: what `eseal seal make` draws.
struct SealDesign {
    SealKind kind = SealKind::official;
    std::string name;
    std::string code;      // round seals
    std::string taxpayer;  // the invoice seal
    int dpi = kMinDpi;
};
[[nodiscard]] core::Result<SealImage> render_seal(const SealDesign& design);

// A scan of a physical seal (PNG; JPEG through libjpeg): near-white background made
// transparent, the rest turned seal red with its darkness as alpha, cropped to the seal. The
// physical width is the caller's (the scan does not know it); the height follows the aspect.
[[nodiscard]] core::Result<SealImage> import_seal_scan(core::ByteView file, double width_mm);

}  // namespace eseal::seal
