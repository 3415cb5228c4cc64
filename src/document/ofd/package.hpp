#pragma once
// An OFD package (GB/T 33190-2016 §5: a zip container holding OFD.xml, the documents and their
// resources) read in full into memory, defensively: the zip comes from outside. Entry names are
// checked (no absolute paths, no "..", no duplicates), and decompression is bounded (entry count,
// each entry and the total against the declared sizes and the limits), so a zip bomb or a path
// traversal is refused with a problem naming the entry instead of being unpacked.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace eseal::document::ofd {

struct PackageLimits {
    std::size_t max_entries = 10'000;
    std::size_t max_entry_bytes = std::size_t{256} << 20;  // uncompressed, each
    std::size_t max_total_bytes = std::size_t{512} << 20;  // uncompressed, all entries
    std::size_t max_name_bytes = 1024;
};

struct Entry {
    std::string name;  // package path without a leading '/': "Doc_0/Document.xml"
    core::Bytes data;  // uncompressed
};

class Package {
  public:
    [[nodiscard]] const std::vector<Entry>& entries() const noexcept { return m_entries; }
    // The entry at a package path ("/Doc_0/Document.xml" or "Doc_0/Document.xml"), if any.
    [[nodiscard]] const Entry* find(std::string_view path) const;
    [[nodiscard]] bool contains(std::string_view path) const { return find(path) != nullptr; }
    // Adds an entry at the end, or replaces the data of the one with that name.
    void put(std::string name, core::Bytes data);

  private:
    std::vector<Entry> m_entries;
    std::unordered_map<std::string, std::size_t> m_index;  // name -> position in m_entries
};

// Reads a zip held in memory. Errors (Errc::invalid_input) list every bad entry at once:
// ofd.zip_invalid (not a zip / corrupt), ofd.too_many_entries, ofd.entry_name_invalid (absolute,
// "..", backslash, control characters, too long), ofd.entry_duplicate, ofd.entry_too_large and
// ofd.package_too_large (declared or real sizes above the limits), ofd.entry_size_mismatch (the
// data does not decompress to the declared size), ofd.entry_encrypted.
[[nodiscard]] core::Result<Package> read_package(core::ByteView zip,
                                                 const PackageLimits& limits = {});
[[nodiscard]] core::Result<Package> read_package_file(const std::filesystem::path& path,
                                                      const PackageLimits& limits = {});

// The package as a zip (deflated entries, in order).
[[nodiscard]] core::Result<core::Bytes> write_package(const Package& package);
// Writes the zip to a temporary file beside `path` and renames it over `path`: on any error
// nothing is left at `path` (ofd.write_failed).
[[nodiscard]] core::Result<void> write_package_file(const Package& package,
                                                    const std::filesystem::path& path);

// Why a zip entry name is not acceptable as an OFD package path, or nullopt when it is.
[[nodiscard]] std::optional<std::string> entry_name_problem(std::string_view name,
                                                            std::size_t max_bytes = 1024);

// Resolves an ST_Loc (GB/T 33190 §7.3.1 table 2: absolute from the package root when it starts
// with '/', else relative to the directory of the file that holds it) to a package path without
// a leading '/'. nullopt when it leaves the package ("..") or is empty.
[[nodiscard]] std::optional<std::string> resolve_loc(std::string_view referring_file,
                                                     std::string_view loc);

// The directory part of a package path ("Doc_0/Signs/Signatures.xml" -> "Doc_0/Signs").
[[nodiscard]] std::string parent_of(std::string_view path);

}  // namespace eseal::document::ofd
