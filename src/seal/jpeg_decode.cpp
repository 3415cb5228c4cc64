#include "seal/jpeg_decode.hpp"

#include <csetjmp>
#include <cstdio>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

namespace eseal::seal {
namespace {

constexpr long kMaxPixels = 64L * 1024 * 1024;

// libjpeg reports fatal errors through error_exit, which must not return: it jumps back to the
// decoder, which then owns nothing that needs a destructor (only the C structure, destroyed there).
struct ErrorManager {
    jpeg_error_mgr base;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void on_error(j_common_ptr info) {
    auto* err = reinterpret_cast<ErrorManager*>(info->err);
    info->err->format_message(info, err->message);
    std::longjmp(err->jump, 1);
}

// Decodes into `out` (already sized by the caller after the header is read); returns false with
// the message in err->message on failure.
bool decode(core::ByteView data, RgbImage& out, ErrorManager& err) {
    jpeg_decompress_struct info{};
    info.err = jpeg_std_error(&err.base);
    err.base.error_exit = on_error;
    if (setjmp(err.jump) != 0) {
        jpeg_destroy_decompress(&info);
        return false;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data.data(), static_cast<unsigned long>(data.size()));
    jpeg_read_header(&info, TRUE);
    info.out_color_space = JCS_RGB;
    jpeg_start_decompress(&info);
    if (static_cast<long>(info.output_width) * info.output_height > kMaxPixels ||
        info.output_components != 3) {
        std::snprintf(err.message, sizeof err.message, "image too large or not colour/grey");
        jpeg_destroy_decompress(&info);
        return false;
    }
    out.width = static_cast<int>(info.output_width);
    out.height = static_cast<int>(info.output_height);
    out.rgb.resize(static_cast<std::size_t>(out.width) * out.height * 3);
    while (info.output_scanline < info.output_height) {
        JSAMPROW row =
            out.rgb.data() + static_cast<std::size_t>(info.output_scanline) * out.width * 3;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    return true;
}

}  // namespace

bool is_jpeg(core::ByteView data) noexcept {
    return data.size() > 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;
}

core::Result<RgbImage> decode_jpeg(core::ByteView data) {
    RgbImage out;
    ErrorManager err{};
    if (!decode(data, out, err))
        return core::fail(core::Errc::invalid_input, "image.scan_unreadable",
                          std::string("the JPEG cannot be decoded: ") + err.message);
    return out;
}

}  // namespace eseal::seal
