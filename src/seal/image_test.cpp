#include "seal/image.hpp"

#include <cairo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <numbers>

namespace eseal::seal {
namespace {

// --- reading the PNG back, as a user of the picture would -----------------------------------

struct Pixels {
    int width = 0, height = 0;
    std::vector<std::uint32_t> argb;  // premultiplied, cairo's layout
    [[nodiscard]] std::uint32_t at(int x, int y) const {
        return argb[static_cast<std::size_t>(y) * width + x];
    }
    [[nodiscard]] int alpha(int x, int y) const { return static_cast<int>(at(x, y) >> 24); }
};

struct Reader {
    const core::Bytes* data;
    std::size_t at = 0;
};

cairo_status_t read_chunk(void* closure, unsigned char* out, unsigned int n) {
    auto* r = static_cast<Reader*>(closure);
    if (r->data->size() - r->at < n)
        return CAIRO_STATUS_READ_ERROR;
    std::memcpy(out, r->data->data() + r->at, n);
    r->at += n;
    return CAIRO_STATUS_SUCCESS;
}

Pixels read_png(const core::Bytes& png) {
    Reader r{&png};
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> s(
        cairo_image_surface_create_from_png_stream(read_chunk, &r), cairo_surface_destroy);
    EXPECT_EQ(cairo_surface_status(s.get()), CAIRO_STATUS_SUCCESS);
    EXPECT_EQ(cairo_image_surface_get_format(s.get()), CAIRO_FORMAT_ARGB32);
    Pixels p{cairo_image_surface_get_width(s.get()), cairo_image_surface_get_height(s.get()), {}};
    const auto* base = cairo_image_surface_get_data(s.get());
    const int stride = cairo_image_surface_get_stride(s.get());
    for (int y = 0; y < p.height; ++y)
        for (int x = 0; x < p.width; ++x) {
            std::uint32_t v;
            std::memcpy(&v, base + y * stride + x * 4, 4);
            p.argb.push_back(v);
        }
    return p;
}

// Every pixel is transparent or seal red; anti-aliased edges have partial alpha, same colour.
void expect_only_red(const Pixels& p) {
    int red = 0, off = 0;
    for (auto v : p.argb) {
        const int a = static_cast<int>(v >> 24);
        if (a == 0)
            continue;
        ++red;
        if (a < 64)
            continue;  // too faint for the colour to be measured after premultiplying
        const int r = static_cast<int>((v >> 16) & 0xFF) * 255 / a;
        const int g = static_cast<int>((v >> 8) & 0xFF) * 255 / a;
        const int b = static_cast<int>(v & 0xFF) * 255 / a;
        if (std::abs(r - kSealRed[0]) > 8 || g > 8 || std::abs(b - kSealRed[2]) > 8)
            ++off;
    }
    EXPECT_GT(red, 1000);
    EXPECT_EQ(off, 0);
}

bool inside_mm(const Pixels& p, const SealImage& img, double cx_mm, double cy_mm, double r_min,
               double r_max, int x, int y) {
    const double mm_per_px = img.width_mm / p.width;
    const double dx = (x + 0.5) * mm_per_px - cx_mm, dy = (y + 0.5) * mm_per_px - cy_mm;
    const double r = std::hypot(dx, dy);
    return r >= r_min && r <= r_max;
}

// Our own separating-axis test for two turned rectangles (independent of arc_layout's).
bool boxes_overlap(const GlyphBox& a, const GlyphBox& b) {
    auto pts = [](const GlyphBox& g) {
        std::vector<std::pair<double, double>> out;
        for (auto [sx, sy] : {std::pair{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}) {
            const double lx = sx * g.width / 2, ly = sy * g.height / 2;
            out.emplace_back(g.cx + lx * std::cos(g.angle) - ly * std::sin(g.angle),
                             g.cy + lx * std::sin(g.angle) + ly * std::cos(g.angle));
        }
        return out;
    };
    const auto pa = pts(a), pb = pts(b);
    for (const auto* poly : {&pa, &pb})
        for (std::size_t i = 0; i < 4; ++i) {
            const auto [x1, y1] = (*poly)[i];
            const auto [x2, y2] = (*poly)[(i + 1) % 4];
            const double nx = y2 - y1, ny = x1 - x2;  // edge normal
            double amin = 1e9, amax = -1e9, bmin = 1e9, bmax = -1e9;
            for (auto [x, y] : pa)
                amin = std::min(amin, x * nx + y * ny), amax = std::max(amax, x * nx + y * ny);
            for (auto [x, y] : pb)
                bmin = std::min(bmin, x * nx + y * ny), bmax = std::max(bmax, x * nx + y * ny);
            if (amax <= bmin + 1e-9 || bmax <= amin + 1e-9)
                return false;
        }
    return true;
}

void expect_no_overlap(const std::vector<GlyphBox>& boxes) {
    for (std::size_t i = 0; i < boxes.size(); ++i)
        for (std::size_t j = i + 1; j < boxes.size(); ++j)
            EXPECT_FALSE(boxes_overlap(boxes[i], boxes[j])) << "boxes " << i << " and " << j;
}

void expect_inside_circle(const std::vector<GlyphBox>& boxes, double c, double radius) {
    for (const auto& g : boxes)
        for (auto [sx, sy] : {std::pair{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}) {
            const double lx = sx * g.width / 2, ly = sy * g.height / 2;
            const double x = g.cx + lx * std::cos(g.angle) - ly * std::sin(g.angle) - c;
            const double y = g.cy + lx * std::sin(g.angle) + ly * std::cos(g.angle) - c;
            EXPECT_LE(std::hypot(x, y), radius);
        }
}

std::string fourty_characters() {
    std::string s;
    const char* chars[] = {"深", "圳", "市", "示", "例", "科", "技", "有", "限", "公", "司"};
    for (int i = 0; i < 40; ++i) s += chars[i % 11];
    return s;
}

TEST(SealImage, RoundSealIsRedOnTransparentAt300Dpi) {
    auto img = render_round_seal({"深圳市示例科技有限公司", "合同专用章", "4403050012345"});
    ASSERT_TRUE(img) << img.error().describe();
    EXPECT_EQ(img->width_mm, 42);
    EXPECT_EQ(img->height_mm, 42);
    EXPECT_EQ(img->dpi, 300);
    const auto p = read_png(img->png);
    EXPECT_EQ(p.width, 496);  // 42 mm at 300 dpi
    EXPECT_EQ(p.height, 496);
    expect_only_red(p);
    EXPECT_EQ(p.alpha(0, 0), 0);  // corners outside the ring are transparent
    EXPECT_EQ(p.alpha(p.width - 1, p.height - 1), 0);
    // The pHYs chunk says 300 dpi (11811 pixels per metre).
    const std::string png(img->png.begin(), img->png.end());
    const auto phys = png.find("pHYs");
    ASSERT_NE(phys, std::string::npos);
    EXPECT_EQ(static_cast<unsigned char>(png[phys + 6]), 0x2E);
    EXPECT_EQ(static_cast<unsigned char>(png[phys + 7]), 0x23);
    // 11 name characters, 5 of the purpose, 13 digits of the code.
    EXPECT_EQ(img->glyphs.size(), 29u);
}

TEST(SealImage, RingAndStarAreMirrorSymmetric) {
    auto img = render_round_seal({"深圳市示例科技有限公司", "", "4403050012345"});
    ASSERT_TRUE(img);
    const auto p = read_png(img->png);
    const double c = 21, star = 7.3, ring_in = img->ring_inner_radius_mm;
    int compared = 0, different = 0;
    for (int y = 0; y < p.height; ++y)
        for (int x = 0; x < p.width / 2; ++x) {
            const bool region = inside_mm(p, *img, c, c, 0, star, x, y) ||
                                inside_mm(p, *img, c, c, ring_in, 21, x, y);
            if (!region)
                continue;
            ++compared;
            if (std::abs(p.alpha(x, y) - p.alpha(p.width - 1 - x, y)) > 64)
                ++different;
        }
    EXPECT_GT(compared, 10000);
    EXPECT_LT(different, compared / 200) << different << " of " << compared;
}

TEST(SealImage, TextStaysInsideTheRing) {
    auto img = render_round_seal({"深圳市示例科技有限公司", "财务专用章", "4403050012345"});
    ASSERT_TRUE(img);
    expect_inside_circle(img->glyphs, 21, img->ring_inner_radius_mm);
    expect_no_overlap(img->glyphs);
    const auto p = read_png(img->png);
    for (int y = 0; y < p.height; ++y)
        for (int x = 0; x < p.width; ++x)
            if (p.alpha(x, y) != 0) {
                ASSERT_TRUE(inside_mm(p, *img, 21, 21, 0, 21.05, x, y)) << x << "," << y;
            }
}

TEST(SealImage, FortyCharacterNameFitsWithoutOverlap) {
    for (const char* code : {"", "4403050012345"}) {
        auto img = render_round_seal({fourty_characters(), "合同专用章", code});
        ASSERT_TRUE(img) << img.error().describe();
        EXPECT_GE(img->glyphs.size(), 40u);
        expect_no_overlap(img->glyphs);
        expect_inside_circle(img->glyphs, 21, img->ring_inner_radius_mm);
        expect_only_red(read_png(img->png));
    }
}

TEST(SealImage, ShortNamesAreSpreadOut) {
    auto img = render_round_seal({"示例公司", "", ""});
    ASSERT_TRUE(img);
    ASSERT_EQ(img->glyphs.size(), 4u);
    // From the first character's centre to the last's, at least 120° of the arc.
    const auto angle = [](const GlyphBox& g) { return std::atan2(g.cx - 21, 21 - g.cy); };
    EXPECT_GT(angle(img->glyphs[3]) - angle(img->glyphs[0]), 120 * std::numbers::pi / 180);
    // Symmetric about the vertical axis.
    EXPECT_NEAR(angle(img->glyphs[3]), -angle(img->glyphs[0]), 1e-3);
}

TEST(SealImage, BadTextIsRefused) {
    auto long_name = render_round_seal({fourty_characters() + "印", "", ""});
    ASSERT_FALSE(long_name);
    EXPECT_EQ(long_name.error().code, "image.name_too_long");
    auto bad_code = render_round_seal({"示例", "", "123"});
    ASSERT_FALSE(bad_code);
    EXPECT_EQ(bad_code.error().code, "image.code_invalid");
    auto both = render_round_seal({"", "", "12345678901234"});
    ASSERT_FALSE(both);
    EXPECT_EQ(both.error().problems.size(), 2u);
    RoundSealSpec low{"示例", "", ""};
    low.dpi = 150;
    EXPECT_EQ(render_round_seal(low).error().code, "image.dpi");
}

TEST(SealImage, SvgIsSizedInMillimetres) {
    auto img = render_round_seal({"示例科技有限公司", "", ""});
    ASSERT_TRUE(img);
    EXPECT_NE(img->svg.find("<svg"), std::string::npos);
    EXPECT_NE(img->svg.find("width=\"42mm\""), std::string::npos) << img->svg.substr(0, 300);
    EXPECT_NE(img->svg.find("height=\"42mm\""), std::string::npos);
}

TEST(SealImage, OvalInvoiceSeal) {
    auto img = render_oval_seal({"深圳市示例科技有限公司", "91440300MA5G000000"});
    ASSERT_TRUE(img) << img.error().describe();
    const auto p = read_png(img->png);
    EXPECT_EQ(p.width, 472);   // 40 mm
    EXPECT_EQ(p.height, 354);  // 30 mm
    expect_only_red(p);
    expect_no_overlap(img->glyphs);
    EXPECT_EQ(img->glyphs.size(), 11u + 18u + 5u);
    auto long_name = render_oval_seal({fourty_characters(), "91440300MA5G000000"});
    ASSERT_TRUE(long_name) << long_name.error().describe();
    expect_no_overlap(long_name->glyphs);
    EXPECT_EQ(render_oval_seal({"示例", "123"}).error().code, "image.taxpayer_invalid");
}

TEST(SealImage, SquareNameSeal) {
    for (const char* name : {"张三", "欧阳娜娜", "李小龙"}) {
        auto img = render_square_seal({name});
        ASSERT_TRUE(img) << img.error().describe();
        const auto p = read_png(img->png);
        EXPECT_EQ(p.width, 236);  // 20 mm
        expect_only_red(p);
        expect_no_overlap(img->glyphs);
    }
    EXPECT_EQ(render_square_seal({"张"}).error().code, "image.name_too_short");
    EXPECT_EQ(render_square_seal({"张三李四王"}).error().code, "image.name_too_long");
}

TEST(SealImage, EachKindHasItsPicture) {
    for (auto kind : {SealKind::official, SealKind::contract, SealKind::finance}) {
        auto img = render_seal({kind, "深圳市示例科技有限公司", "4403050012345", ""});
        ASSERT_TRUE(img) << img.error().describe();
        EXPECT_EQ(img->width_mm, 42);
    }
    auto invoice =
        render_seal({SealKind::invoice, "深圳市示例科技有限公司", "", "91440300MA5G000000"});
    ASSERT_TRUE(invoice) << invoice.error().describe();
    EXPECT_EQ(invoice->height_mm, 30);
    auto rep = render_seal({SealKind::legal_representative, "张三", "", ""});
    ASSERT_TRUE(rep);
    EXPECT_EQ(rep->width_mm, 20);
    EXPECT_EQ(
        render_seal({SealKind::legal_representative, "张三", "4403050012345", ""}).error().code,
        "image.option_unused");
}

}  // namespace
}  // namespace eseal::seal
