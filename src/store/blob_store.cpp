#include "store/blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <system_error>
#include <utility>

#include "crypto/digest.hpp"

namespace eseal::store {
namespace {

constexpr mode_t kFileMode = 0600;
constexpr mode_t kDirMode = 0700;
constexpr std::size_t kIdLength = 64;
constexpr std::size_t kChunk = 64 * 1024;

// A file descriptor closed exactly once, on every return path.
class Fd {
  public:
    explicit Fd(int fd) noexcept : m_fd(fd) {}
    ~Fd() {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&&) = delete;
    Fd& operator=(Fd&&) = delete;

    [[nodiscard]] int get() const noexcept { return m_fd; }
    [[nodiscard]] bool ok() const noexcept { return m_fd >= 0; }
    // close() reports write-back errors on some file systems, so a file being stored is closed
    // explicitly and checked.
    [[nodiscard]] bool close() noexcept { return ::close(std::exchange(m_fd, -1)) == 0; }

  private:
    int m_fd;
};

std::unexpected<core::Error> io_error(std::string_view what, const std::filesystem::path& path,
                                      int error = errno) {
    return core::fail(core::Errc::io, "blob.io",
                      std::string(what) + " " + path.string() + ": " +
                          std::error_code(error, std::generic_category()).message());
}

// True if this call created the directory.
core::Result<bool> make_dir(const std::filesystem::path& dir) {
    if (::mkdir(dir.c_str(), kDirMode) == 0)
        return true;
    if (errno != EEXIST)
        return io_error("cannot create", dir);
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return io_error("not a directory:", dir, ENOTDIR);
    return false;
}

// Makes a new or renamed entry in the directory durable (rename(2) alone is not).
core::Result<void> sync_dir(const std::filesystem::path& dir) {
    const Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.ok() || ::fsync(fd.get()) != 0)
        return io_error("cannot sync", dir);
    return {};
}

core::Result<void> write_all(int fd, core::ByteView data, const std::filesystem::path& path) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_error("cannot write", path);
        data = data.subspan(static_cast<std::size_t>(n));
    }
    return {};
}

bool entry_exists(const std::filesystem::path& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

std::unexpected<core::Error> bad_id(std::string_view id) {
    return core::fail(core::Errc::invalid_input, "blob.bad_id",
                      "a blob id is 64 lowercase hex digits (SHA-256); got " +
                          std::to_string(id.size()) + " characters");
}

}  // namespace

bool FileBlobStore::valid_id(std::string_view id) noexcept {
    if (id.size() != kIdLength)
        return false;
    for (const char c : id) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

core::Result<std::unique_ptr<FileBlobStore>> FileBlobStore::open(const std::filesystem::path& dir) {
    if (dir.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(dir.parent_path(), ec);
        if (ec)
            return io_error("cannot create", dir.parent_path(), ec.value());
    }
    if (auto r = make_dir(dir); !r)
        return std::unexpected(std::move(r.error()));
    if (auto r = make_dir(dir / "tmp"); !r)
        return std::unexpected(std::move(r.error()));
    return std::unique_ptr<FileBlobStore>(new FileBlobStore(dir));
}

std::filesystem::path FileBlobStore::location(std::string_view id) const {
    return m_dir / id.substr(0, 2) / id.substr(2, 2) / id;
}

core::Result<std::filesystem::path> FileBlobStore::temp_path() {
    // 128 random bits: a name nobody else picks. Not created here: the caller creates it with
    // O_EXCL (and 0600), which also catches the impossible clash.
    return m_dir / "tmp" / (core::hex_encode(crypto::random_bytes(16)) + ".part");
}

core::Result<void> FileBlobStore::install(const std::filesystem::path& file, std::string_view id) {
    const auto target = location(id);
    if (entry_exists(target)) {  // the same content is already stored
        if (::unlink(file.c_str()) != 0)
            return io_error("cannot remove", file);
        return {};
    }
    const auto outer = target.parent_path().parent_path();
    auto made_outer = make_dir(outer);
    if (!made_outer)
        return std::unexpected(std::move(made_outer.error()));
    auto made_inner = make_dir(target.parent_path());
    if (!made_inner)
        return std::unexpected(std::move(made_inner.error()));
    if (::rename(file.c_str(), target.c_str()) != 0)
        return io_error("cannot move " + file.string() + " to", target);
    if (auto r = sync_dir(target.parent_path()); !r)
        return r;
    if (*made_inner) {
        if (auto r = sync_dir(outer); !r)
            return r;
    }
    if (*made_outer)
        return sync_dir(m_dir);
    return {};
}

core::Result<void> FileBlobStore::adopt(const std::filesystem::path& file,
                                        const std::string& sha256_hex) {
    if (!valid_id(sha256_hex))
        return bad_id(sha256_hex);
    Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.ok())
        return io_error("cannot open", file);
    // The key is checked, not trusted: a blob stored under the wrong hash could never be found
    // by its content again, and would be served for someone else's.
    crypto::Hasher hasher(crypto::DigestAlgorithm::sha256);
    std::array<std::uint8_t, kChunk> buffer{};
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_error("cannot read", file);
        if (n == 0)
            break;
        hasher.update(core::ByteView(buffer.data(), static_cast<std::size_t>(n)));
    }
    if (core::hex_encode(hasher.finish()) != sha256_hex) {
        return core::fail(core::Errc::invalid_input, "blob.hash_mismatch",
                          file.string() + " does not have SHA-256 " + sha256_hex);
    }
    if (::fchmod(fd.get(), kFileMode) != 0 || ::fsync(fd.get()) != 0)
        return io_error("cannot sync", file);
    if (!fd.close())
        return io_error("cannot close", file);
    return install(file, sha256_hex);
}

core::Result<std::string> FileBlobStore::put(core::ByteView content) {
    std::string id = core::hex_encode(crypto::sha256(content));
    if (entry_exists(location(id)))
        return id;
    auto temp = temp_path();
    if (!temp)
        return std::unexpected(std::move(temp.error()));
    Fd fd(::open(temp->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode));
    if (!fd.ok())
        return io_error("cannot create", *temp);
    auto written = [&]() -> core::Result<void> {
        if (auto r = write_all(fd.get(), content, *temp); !r)
            return r;
        if (::fsync(fd.get()) != 0)
            return io_error("cannot sync", *temp);
        if (!fd.close())
            return io_error("cannot close", *temp);
        return install(*temp, id);
    }();
    if (!written) {
        ::unlink(temp->c_str());  // ours; best effort: a leftover in tmp/ only wastes space
        return std::unexpected(std::move(written.error()));
    }
    return id;
}

core::Result<std::filesystem::path> FileBlobStore::path_of(const std::string& id) {
    if (!valid_id(id))
        return bad_id(id);
    auto path = location(id);
    if (!entry_exists(path))
        return core::fail(core::Errc::not_found, "blob.unknown", "no blob " + id);
    return path;
}

core::Result<core::Bytes> FileBlobStore::read(const std::string& id) {
    if (!valid_id(id))
        return bad_id(id);
    const auto path = location(id);
    const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.ok() && errno == ENOENT)
        return core::fail(core::Errc::not_found, "blob.unknown", "no blob " + id);
    if (!fd.ok())
        return io_error("cannot open", path);
    core::Bytes out;
    std::array<std::uint8_t, kChunk> buffer{};
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_error("cannot read", path);
        if (n == 0)
            return out;
        out.insert(out.end(), buffer.data(), buffer.data() + n);
    }
}

}  // namespace eseal::store
