#include "cli/output.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace eseal::cli {

int report(const core::Error& error) {
    std::cerr << "error: " << error.message << " [" << error.code << "]\n";
    for (const auto& p : error.problems) {
        std::cerr << "  - " << p.message;
        if (!p.field.empty()) std::cerr << " (" << p.field << ")";
        std::cerr << " [" << p.code << "]\n";
    }
    return kExitFailed;
}

core::Result<std::string> read_file(const std::string& path, std::size_t max_bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::fail(core::Errc::not_found, "file.missing", "cannot open " + path);
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(in.tellg());
    if (size > max_bytes)
        return core::fail(core::Errc::invalid_input, "file.too_large",
                          path + " has " + std::to_string(size) + " bytes; at most " + std::to_string(max_bytes) + " are read");
    in.seekg(0);
    std::string data(size, '\0');
    in.read(data.data(), static_cast<std::streamsize>(size));
    return data;
}

core::Result<void> write_file(const std::string& path, std::string_view data) {
    if (path == "-") {
        std::cout << data;
        return {};
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << data;
    out.close();
    if (!out) return core::fail(core::Errc::io, "file.write", "cannot write " + path);
    return {};
}

}  // namespace eseal::cli
