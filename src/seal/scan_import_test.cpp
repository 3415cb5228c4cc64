#include <cairo.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <memory>
// jpeglib.h needs FILE declared first.
#include <jpeglib.h>

#include "seal/image.hpp"

namespace eseal::seal {
namespace {

using SurfacePtr = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using CairoPtr = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

// A "scan": off-white paper, a stamped ring and star in a dull red, grey specks of paper texture.
SurfacePtr scanned_paper(int size) {
    SurfacePtr s(cairo_image_surface_create(CAIRO_FORMAT_RGB24, size, size), cairo_surface_destroy);
    CairoPtr cr(cairo_create(s.get()), cairo_destroy);
    cairo_set_source_rgb(cr.get(), 0.97, 0.96, 0.93);
    cairo_paint(cr.get());
    cairo_set_source_rgb(cr.get(), 0.88, 0.88, 0.88);
    for (int i = 0; i < 50; ++i) cairo_rectangle(cr.get(), (i * 37) % size, (i * 91) % size, 2, 2);
    cairo_fill(cr.get());
    cairo_set_source_rgb(cr.get(), 0.78, 0.12, 0.15);
    cairo_set_line_width(cr.get(), size / 30.0);
    cairo_arc(cr.get(), size / 2.0, size / 2.0, size * 0.3, 0, 6.2832);
    cairo_stroke(cr.get());
    cairo_rectangle(cr.get(), size * 0.45, size * 0.45, size * 0.1, size * 0.1);
    cairo_fill(cr.get());
    cairo_surface_flush(s.get());
    return s;
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int n) {
    static_cast<core::Bytes*>(closure)->insert(static_cast<core::Bytes*>(closure)->end(), data,
                                               data + n);
    return CAIRO_STATUS_SUCCESS;
}

core::Bytes png_of(cairo_surface_t* s) {
    core::Bytes out;
    cairo_surface_write_to_png_stream(s, append, &out);
    return out;
}

core::Bytes jpeg_of(cairo_surface_t* s) {
    const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    const int stride = cairo_image_surface_get_stride(s);
    const unsigned char* base = cairo_image_surface_get_data(s);
    jpeg_compress_struct info{};
    jpeg_error_mgr err{};
    info.err = jpeg_std_error(&err);
    jpeg_create_compress(&info);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&info, &buffer, &size);
    info.image_width = static_cast<JDIMENSION>(w);
    info.image_height = static_cast<JDIMENSION>(h);
    info.input_components = 3;
    info.in_color_space = JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, 90, TRUE);
    jpeg_start_compress(&info, TRUE);
    std::vector<unsigned char> row(static_cast<std::size_t>(w) * 3);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            std::uint32_t v;
            std::memcpy(&v, base + y * stride + x * 4, 4);
            row[x * 3] = static_cast<unsigned char>(v >> 16);
            row[x * 3 + 1] = static_cast<unsigned char>(v >> 8);
            row[x * 3 + 2] = static_cast<unsigned char>(v);
        }
        JSAMPROW r = row.data();
        jpeg_write_scanlines(&info, &r, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    core::Bytes out(buffer, buffer + size);
    std::free(buffer);
    return out;
}

struct Result {
    int width = 0, height = 0, transparent = 0, red = 0, off = 0;
    int corner_alpha = -1;
};

Result inspect(const core::Bytes& png) {
    std::size_t at = 0;
    auto reader = [](void* c, unsigned char* out, unsigned int n) -> cairo_status_t {
        auto* p = static_cast<std::pair<const core::Bytes*, std::size_t*>*>(c);
        if (p->first->size() - *p->second < n)
            return CAIRO_STATUS_READ_ERROR;
        std::memcpy(out, p->first->data() + *p->second, n);
        *p->second += n;
        return CAIRO_STATUS_SUCCESS;
    };
    std::pair<const core::Bytes*, std::size_t*> closure{&png, &at};
    SurfacePtr s(cairo_image_surface_create_from_png_stream(reader, &closure),
                 cairo_surface_destroy);
    EXPECT_EQ(cairo_surface_status(s.get()), CAIRO_STATUS_SUCCESS);
    Result r{cairo_image_surface_get_width(s.get()), cairo_image_surface_get_height(s.get())};
    const int stride = cairo_image_surface_get_stride(s.get());
    const unsigned char* base = cairo_image_surface_get_data(s.get());
    for (int y = 0; y < r.height; ++y)
        for (int x = 0; x < r.width; ++x) {
            std::uint32_t v;
            std::memcpy(&v, base + y * stride + x * 4, 4);
            const int a = static_cast<int>(v >> 24);
            if (x == 0 && y == 0)
                r.corner_alpha = a;
            if (a == 0) {
                ++r.transparent;
                continue;
            }
            ++r.red;
            if (a < 64)
                continue;
            const int red = static_cast<int>((v >> 16) & 0xFF) * 255 / a,
                      green = static_cast<int>((v >> 8) & 0xFF) * 255 / a;
            if (std::abs(red - kSealRed[0]) > 8 || green > 8)
                ++r.off;
        }
    return r;
}

TEST(SealScan, PngScanBecomesTransparentAndSealRed) {
    auto paper = scanned_paper(600);
    auto img = import_seal_scan(png_of(paper.get()), 30);  // 380 px over 30 mm: 321 dpi, kept as is
    ASSERT_TRUE(img) << img.error().describe();
    const auto r = inspect(img->png);
    EXPECT_EQ(r.off, 0);
    EXPECT_GT(r.red, 5000);
    EXPECT_EQ(r.corner_alpha, 0);  // paper outside the ring is gone
    // Cropped to the ink: the ring is 0.6 of the side plus its line width.
    EXPECT_NEAR(r.width, 600 * 0.6 + 20, 4);
    EXPECT_EQ(r.width, img->width_px);
    EXPECT_GE(img->dpi, 300);
    EXPECT_DOUBLE_EQ(img->width_mm, 30);
    EXPECT_NEAR(img->height_mm, 30, 0.5);
    EXPECT_TRUE(img->svg.empty());
}

TEST(SealScan, CoarseScansAreResampledTo300Dpi) {
    auto paper = scanned_paper(200);
    auto img = import_seal_scan(png_of(paper.get()), 42);
    ASSERT_TRUE(img) << img.error().describe();
    EXPECT_EQ(img->dpi, 300);
    EXPECT_EQ(img->width_px, 496);
    EXPECT_EQ(inspect(img->png).off, 0);
}

TEST(SealScan, JpegScan) {
    auto paper = scanned_paper(500);
    auto img = import_seal_scan(jpeg_of(paper.get()), 40);
    ASSERT_TRUE(img) << img.error().describe();
    const auto r = inspect(img->png);
    EXPECT_EQ(r.off, 0);
    EXPECT_GT(r.red, 3000);
    EXPECT_EQ(r.corner_alpha, 0);
}

TEST(SealScan, UnusableFilesAreRefusedWithAReason) {
    EXPECT_EQ(import_seal_scan(core::to_bytes("GIF89a......"), 42).error().code,
              "image.scan_unsupported");
    const core::Bytes broken_png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0};
    EXPECT_EQ(import_seal_scan(broken_png, 42).error().code, "image.scan_unreadable");
    const core::Bytes broken_jpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'};
    EXPECT_EQ(import_seal_scan(broken_jpeg, 42).error().code, "image.scan_unreadable");
    SurfacePtr blank(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 50, 50), cairo_surface_destroy);
    CairoPtr cr(cairo_create(blank.get()), cairo_destroy);
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    EXPECT_EQ(import_seal_scan(png_of(blank.get()), 42).error().code, "image.scan_empty");
}

}  // namespace
}  // namespace eseal::seal
