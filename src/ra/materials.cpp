#include "ra/materials.hpp"

#include <algorithm>
#include <array>

namespace eseal::ra {
namespace {

bool starts_with(core::ByteView data, std::initializer_list<unsigned char> prefix) {
    return data.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), data.begin());
}

}  // namespace

core::Result<std::string> sniff_material_type(core::ByteView head) {
    if (starts_with(head, {0xFF, 0xD8, 0xFF})) return std::string("image/jpeg");
    if (starts_with(head, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return std::string("image/png");
    if (starts_with(head, {'%', 'P', 'D', 'F', '-'})) return std::string("application/pdf");
    std::string looks_like;
    if (starts_with(head, {'M', 'Z'})) looks_like = "a Windows executable";
    else if (starts_with(head, {0x7F, 'E', 'L', 'F'})) looks_like = "an ELF executable";
    else if (starts_with(head, {'#', '!'})) looks_like = "a script";
    else if (starts_with(head, {'P', 'K', 0x03, 0x04})) looks_like = "a ZIP archive";
    else if (starts_with(head, {0xCF, 0xFA, 0xED, 0xFE}) || starts_with(head, {0xFE, 0xED, 0xFA, 0xCF}))
        looks_like = "a Mach-O executable";
    else if (head.empty()) looks_like = "empty";
    std::string message = "only JPEG, PNG and PDF files are accepted";
    if (!looks_like.empty()) message += "; this file is " + looks_like;
    return core::fail(core::Errc::invalid_input, "material.type_refused", message,
                      {{"material.type_refused", message, "file"}});
}

std::string clean_file_name(std::string_view name) {
    const auto slash = name.find_last_of("/\\");
    if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < name.size() && chars < 100; ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (c < 0x20 || c == 0x7F || c == '"') continue;
        if ((c & 0xC0) != 0x80) ++chars;
        out.push_back(static_cast<char>(c));
    }
    // Do not end inside a multi-byte character.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) {
        std::size_t start = out.size() - 1;
        while (start > 0 && (static_cast<unsigned char>(out[start]) & 0xC0) == 0x80) --start;
        const auto lead = static_cast<unsigned char>(out[start]);
        const std::size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (out.size() - start == len) break;
        out.resize(start);
    }
    return out.empty() ? std::string("upload") : out;
}

}  // namespace eseal::ra
