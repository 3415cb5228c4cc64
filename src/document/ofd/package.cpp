#include "document/ofd/package.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <unordered_set>

namespace eseal::document::ofd {
namespace {

struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;
struct ZipFileCloser {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileCloser>;

std::string strip_slash(std::string_view p) {
    return std::string(p.starts_with('/') ? p.substr(1) : p);
}

std::string mib(std::size_t n) {
    return std::to_string(n >> 20) + " MiB";
}

core::Problem problem(std::string code, std::string message, std::string entry) {
    return {std::move(code), std::move(message), std::move(entry)};
}

}  // namespace

const Entry* Package::find(std::string_view path) const {
    const auto it = m_index.find(strip_slash(path));
    return it == m_index.end() ? nullptr : &m_entries[it->second];
}

void Package::put(std::string name, core::Bytes data) {
    name = strip_slash(name);
    if (const auto it = m_index.find(name); it != m_index.end()) {
        m_entries[it->second].data = std::move(data);
        return;
    }
    m_index.emplace(name, m_entries.size());
    m_entries.push_back({std::move(name), std::move(data)});
}

std::optional<std::string> entry_name_problem(std::string_view name, std::size_t max_bytes) {
    if (name.empty())
        return "an empty name";
    if (name.size() > max_bytes)
        return "a name longer than " + std::to_string(max_bytes) + " bytes";
    if (name.starts_with('/'))
        return "an absolute path";
    if (name.size() > 1 && name[1] == ':')
        return "a drive letter";
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7F)
            return "a control character";
        if (c == '\\')
            return "a backslash";
    }
    std::size_t start = 0;
    while (start <= name.size()) {
        const auto end = std::min(name.find('/', start), name.size());
        const auto seg = name.substr(start, end - start);
        if (seg == "..")
            return "a \"..\" segment (path traversal)";
        if (seg == ".")
            return "a \".\" segment";
        if (seg.empty() && end != name.size())
            return "an empty segment (\"//\")";
        start = end + 1;
    }
    return std::nullopt;
}

core::Result<Package> read_package(core::ByteView bytes, const PackageLimits& limits) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (src == nullptr) {
        zip_error_fini(&err);
        return core::fail(core::Errc::internal, "ofd.zip_invalid", "cannot read the zip");
    }
    ZipPtr za(zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err));
    if (!za) {
        const bool duplicate = zip_error_code_zip(&err) == ZIP_ER_EXISTS;
        const std::string why = zip_error_strerror(&err);
        zip_source_free(src);
        zip_error_fini(&err);
        if (duplicate)  // libzip refuses a central directory naming an entry twice
            return core::fail(
                core::Errc::invalid_input, "ofd.package_invalid", "the OFD package is refused",
                {problem("ofd.entry_duplicate", "the zip lists the same entry name twice", "")});
        return core::fail(core::Errc::invalid_input, "ofd.zip_invalid",
                          "not an OFD package: the zip container is unreadable (" + why + ")");
    }
    zip_error_fini(&err);

    const auto count = zip_get_num_entries(za.get(), 0);
    if (count < 0 || static_cast<std::size_t>(count) > limits.max_entries)
        return core::fail(core::Errc::invalid_input, "ofd.too_many_entries",
                          "the package has " + std::to_string(count) + " entries; at most " +
                              std::to_string(limits.max_entries) + " are accepted");

    // First the central directory: names and declared sizes, every problem at once, before any
    // byte is decompressed.
    std::vector<core::Problem> problems;
    std::vector<std::pair<zip_uint64_t, zip_stat_t>> files;
    std::unordered_set<std::string> seen;
    std::size_t declared_total = 0;
    for (zip_int64_t i = 0; i < count; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(za.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 ||
            (st.valid & ZIP_STAT_NAME) == 0 || (st.valid & ZIP_STAT_SIZE) == 0) {
            problems.push_back(
                problem("ofd.zip_invalid", "entry " + std::to_string(i) + " cannot be read", ""));
            continue;
        }
        std::string name = st.name;
        if (name.ends_with('/') && st.size == 0) {  // a directory entry carries nothing
            name.pop_back();
            if (auto why = entry_name_problem(name, limits.max_name_bytes); why && !name.empty())
                problems.push_back(problem("ofd.entry_name_invalid",
                                           "entry \"" + std::string(st.name) + "\" has " + *why,
                                           st.name));
            continue;
        }
        if (auto why = entry_name_problem(name, limits.max_name_bytes)) {
            problems.push_back(
                problem("ofd.entry_name_invalid", "entry \"" + name + "\" has " + *why, name));
            continue;
        }
        if (!seen.insert(name).second) {
            problems.push_back(problem("ofd.entry_duplicate",
                                       "entry \"" + name + "\" appears more than once", name));
            continue;
        }
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && st.encryption_method != ZIP_EM_NONE) {
            problems.push_back(
                problem("ofd.entry_encrypted", "entry \"" + name + "\" is encrypted", name));
            continue;
        }
        if (st.size > limits.max_entry_bytes) {
            problems.push_back(problem("ofd.entry_too_large",
                                       "entry \"" + name + "\" declares " +
                                           std::to_string(st.size) + " bytes; at most " +
                                           mib(limits.max_entry_bytes) + " are accepted",
                                       name));
            continue;
        }
        declared_total += st.size;
        files.emplace_back(static_cast<zip_uint64_t>(i), st);
    }
    if (declared_total > limits.max_total_bytes)
        problems.push_back(problem("ofd.package_too_large",
                                   "the entries declare " + std::to_string(declared_total) +
                                       " bytes uncompressed; at most " +
                                       mib(limits.max_total_bytes) + " are accepted",
                                   ""));
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "ofd.package_invalid",
                          "the OFD package is refused", std::move(problems));

    // Then the data, each entry bounded by its declared size (a zip bomb that lies about its
    // sizes is cut off there and reported).
    Package package;
    std::size_t real_total = 0;
    std::vector<std::uint8_t> chunk(1 << 16);
    for (const auto& [index, st] : files) {
        const std::string name = st.name;
        ZipFilePtr f(zip_fopen_index(za.get(), index, 0));
        if (!f) {
            problems.push_back(problem(
                "ofd.zip_invalid",
                "entry \"" + name + "\" cannot be opened (" + zip_strerror(za.get()) + ")", name));
            continue;
        }
        core::Bytes data;
        data.reserve(static_cast<std::size_t>(st.size));
        bool failed = false;
        for (;;) {
            const auto n = zip_fread(f.get(), chunk.data(), chunk.size());
            if (n < 0) {
                problems.push_back(problem(
                    "ofd.zip_invalid",
                    "entry \"" + name + "\" is corrupt (" + zip_file_strerror(f.get()) + ")",
                    name));
                failed = true;
                break;
            }
            if (n == 0)
                break;
            data.insert(data.end(), chunk.begin(), chunk.begin() + n);
            real_total += static_cast<std::size_t>(n);
            if (data.size() > st.size || real_total > limits.max_total_bytes)
                break;
        }
        if (failed)
            continue;
        if (data.size() != st.size) {
            problems.push_back(problem(
                "ofd.entry_size_mismatch",
                "entry \"" + name + "\" declares " + std::to_string(st.size) + " bytes but holds " +
                    (data.size() > st.size ? "more" : std::to_string(data.size())),
                name));
            continue;
        }
        if (real_total > limits.max_total_bytes) {
            problems.push_back(problem(
                "ofd.package_too_large",
                "the entries hold more than " + mib(limits.max_total_bytes) + " uncompressed", ""));
            break;
        }
        package.put(name, std::move(data));
    }
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "ofd.package_invalid",
                          "the OFD package is refused", std::move(problems));
    return package;
}

core::Result<Package> read_package_file(const std::filesystem::path& path,
                                        const PackageLimits& limits) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return core::fail(core::Errc::not_found, "file.missing", "cannot open " + path.string());
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(in.tellg());
    if (size > limits.max_total_bytes)
        return core::fail(core::Errc::invalid_input, "ofd.package_too_large",
                          path.string() + " has " + std::to_string(size) + " bytes; at most " +
                              mib(limits.max_total_bytes) + " are read");
    in.seekg(0);
    core::Bytes data(size);
    in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(size));
    if (!in)
        return core::fail(core::Errc::io, "file.read", "cannot read " + path.string());
    auto p = read_package(data, limits);
    if (!p)
        p.error().message = path.string() + ": " + p.error().message;
    return p;
}

core::Result<void> write_package_file(const Package& package, const std::filesystem::path& path) {
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::string tmpl = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
        return core::fail(core::Errc::io, "ofd.write_failed",
                          "cannot create a file in " + dir.string());
    ::close(fd);
    const std::filesystem::path tmp = tmpl;
    const auto failed = [&](const std::string& why) -> core::Result<void> {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        return core::fail(core::Errc::io, "ofd.write_failed",
                          "cannot write " + path.string() + ": " + why);
    };
    int zerr = 0;
    zip_t* za = zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (za == nullptr)
        return failed("zip_open error " + std::to_string(zerr));
    for (const auto& e : package.entries()) {
        zip_source_t* s = zip_source_buffer(za, e.data.data(), e.data.size(), 0);
        if (s == nullptr || zip_file_add(za, e.name.c_str(), s, ZIP_FL_ENC_UTF_8) < 0) {
            const std::string why = zip_strerror(za);
            if (s != nullptr)
                zip_source_free(s);
            zip_discard(za);
            return failed(why);
        }
    }
    if (zip_close(za) != 0) {
        const std::string why = zip_strerror(za);
        zip_discard(za);
        return failed(why);
    }
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::chmod(tmp.c_str(), 0666 & ~mask);
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec)
        return failed(ec.message());
    return {};
}

std::string parent_of(std::string_view path) {
    const auto p = strip_slash(path);
    const auto slash = p.rfind('/');
    return slash == std::string::npos ? std::string() : p.substr(0, slash);
}

std::optional<std::string> resolve_loc(std::string_view referring_file, std::string_view loc) {
    if (loc.empty())
        return std::nullopt;
    std::vector<std::string> segments;
    std::string joined = loc.starts_with('/') ? std::string(loc.substr(1))
                                              : parent_of(referring_file) + "/" + std::string(loc);
    std::size_t start = 0;
    while (start <= joined.size()) {
        const auto end = std::min(joined.find('/', start), joined.size());
        const auto seg = joined.substr(start, end - start);
        if (seg == "..") {
            if (segments.empty())
                return std::nullopt;
            segments.pop_back();
        } else if (!seg.empty() && seg != ".") {
            segments.push_back(seg);
        }
        start = end + 1;
    }
    if (segments.empty())
        return std::nullopt;
    std::string out;
    for (const auto& s : segments) out += (out.empty() ? "" : "/") + s;
    return out;
}

}  // namespace eseal::document::ofd
