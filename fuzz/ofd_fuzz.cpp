// libFuzzer target for the OFD reader and verifier (outside input: any .ofd someone sends).
// Two input shapes, so that the fuzzer reaches the XML as well as the zip layer:
//   "PK..."   a zip, read with document::ofd::read_package (limits lowered to keep runs fast);
//   other     records { u8 name length, name, u32 little-endian data length, data }..., each an
//             entry of the package, bypassing the zip (seeds: fuzz/corpus/ofd/*.rec).
// Then read_documents and verify_package (no trust anchors) run over it. Nothing may crash, leak
// or read out of bounds; what the reader accepts must hold together (entry names are clean).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "document/ofd/package.hpp"
#include "document/ofd/verify.hpp"

namespace ofd = eseal::document::ofd;

namespace {

std::optional<ofd::Package> records(const std::uint8_t* data, std::size_t size) {
    ofd::Package p;
    std::size_t at = 0;
    while (at < size) {
        const std::size_t name_len = data[at++];
        if (at + name_len + 4 > size)
            return std::nullopt;
        std::string name(reinterpret_cast<const char*>(data + at), name_len);
        at += name_len;
        std::size_t len = data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) |
                          (static_cast<std::size_t>(data[at + 3]) << 24);
        at += 4;
        len = std::min(len, size - at);
        if (ofd::entry_name_problem(name))  // the zip layer refuses these; see the other shape
            return std::nullopt;
        p.put(name, eseal::core::Bytes(data + at, data + at + len));
        at += len;
    }
    return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::optional<ofd::Package> package;
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        auto p = ofd::read_package({data, size}, {.max_entries = 64,
                                                  .max_entry_bytes = 1 << 20,
                                                  .max_total_bytes = 4 << 20,
                                                  .max_name_bytes = 256});
        if (!p)
            return 0;
        for (const auto& e : p->entries())
            if (ofd::entry_name_problem(e.name))
                std::abort();  // the reader let an unsafe name through
        package = std::move(*p);
    } else {
        package = records(data, size);
    }
    if (!package)
        return 0;
    const eseal::seal::TrustStore no_anchors;
    auto report = ofd::verify_package(*package, no_anchors, eseal::core::TimePoint{});
    if (report && report->ok())
        std::abort();  // nothing can be valid without a trust anchor
    return 0;
}
