#include "device_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>

namespace eseal::softskf {
namespace {

namespace fs = std::filesystem;

// An owned file descriptor.
class Fd {
  public:
    explicit Fd(int fd = -1) noexcept : m_fd(fd) {}
    Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            m_fd = std::exchange(other.m_fd, -1);
        }
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }

    [[nodiscard]] int get() const noexcept { return m_fd; }
    [[nodiscard]] bool valid() const noexcept { return m_fd >= 0; }
    // close(2) reports deferred write errors; the caller of a write must see them.
    [[nodiscard]] bool close() noexcept {
        const int rc = ::close(std::exchange(m_fd, -1));
        return rc == 0;
    }

  private:
    void reset() noexcept {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
    int m_fd;
};

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool fsync_directory(const fs::path& dir) {
    const Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    return fd.valid() && ::fsync(fd.get()) == 0;
}

ULONG write_atomically(const fs::path& dir, std::string_view content) {
    const fs::path target = dir / kStateFile;
    fs::path temp = target;
    temp += ".tmp";
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd.valid())
        return errno == ENOENT ? SAR_DEVICE_REMOVED : SAR_WRITEFILEERR;
    if (!write_all(fd.get(), content) || ::fsync(fd.get()) != 0 || !fd.close()) {
        ::unlink(temp.c_str());
        return SAR_WRITEFILEERR;
    }
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        ::unlink(temp.c_str());
        return SAR_WRITEFILEERR;
    }
    return fsync_directory(dir) ? SAR_OK : SAR_WRITEFILEERR;
}

}  // namespace

class DeviceStore::FileLock {
  public:
    explicit FileLock(Fd fd) : m_fd(std::move(fd)) {}
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    FileLock(FileLock&&) = delete;
    FileLock& operator=(FileLock&&) = delete;
    ~FileLock() { ::flock(m_fd.get(), LOCK_UN); }

  private:
    Fd m_fd;
};

std::optional<fs::path> device_root() {
    if (const char* dir = std::getenv(std::string(kRootEnv).c_str()); dir != nullptr && *dir)
        return fs::path(dir);
    if (const char* home = std::getenv("HOME"); home != nullptr && *home)
        return fs::path(home) / kDefaultRootUnderHome;
    return std::nullopt;
}

bool valid_device_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || name.front() == '.')
        return false;
    return std::ranges::all_of(name, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

std::vector<std::string> list_devices(const fs::path& root) {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        std::error_code stat_ec;
        if (valid_device_name(name) && fs::is_regular_file(it->path() / kStateFile, stat_ec))
            names.push_back(name);
    }
    std::ranges::sort(names);
    return names;
}

ULONG create_device(const fs::path& dir, const DeviceState& state) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return SAR_WRITEFILEERR;
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    return DeviceStore::for_directory(dir)->create(state);
}

std::shared_ptr<DeviceStore> DeviceStore::for_directory(const fs::path& dir) {
    static std::mutex registry_mutex;
    static std::map<std::string, std::weak_ptr<DeviceStore>> registry;
    std::error_code ec;
    fs::path key = fs::weakly_canonical(dir, ec);
    if (ec)
        key = dir;
    const std::lock_guard guard(registry_mutex);
    auto& slot = registry[key.string()];
    auto store = slot.lock();
    if (!store) {
        store = std::make_shared<DeviceStore>(key);
        slot = store;
    }
    return store;
}

std::pair<std::shared_ptr<DeviceStore::FileLock>, ULONG> DeviceStore::lock_file(
    LockMode mode) const {
    Fd fd(::open((m_dir / kLockFile).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!fd.valid())
        return {nullptr, errno == ENOENT ? SAR_DEVICE_REMOVED : SAR_FILEERR};
    const int operation = mode == LockMode::exclusive ? LOCK_EX : LOCK_SH;
    int rc = 0;
    while ((rc = ::flock(fd.get(), operation)) != 0 && errno == EINTR) {
    }
    if (rc != 0)
        return {nullptr, SAR_FILEERR};
    return {std::make_shared<FileLock>(std::move(fd)), SAR_OK};
}

ULONG DeviceStore::load(std::optional<DeviceState>& out) const {
    const Fd fd(::open((m_dir / kStateFile).c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid())
        return errno == ENOENT ? SAR_DEVICE_REMOVED : SAR_READFILEERR;
    std::string text;
    char buffer[8192];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return SAR_READFILEERR;
        if (n == 0)
            break;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > 2 * kTotalSpace)
            return SAR_FILEERR;
    }
    out = parse_state(text);
    return out ? SAR_OK : SAR_FILEERR;
}

ULONG DeviceStore::create(const DeviceState& state) const {
    const std::lock_guard guard(m_mutex);
    const auto lock = lock_file(LockMode::exclusive);
    if (!lock.first)
        return lock.second;
    std::error_code ec;
    if (fs::exists(m_dir / kStateFile, ec) || ec)
        return SAR_FILE_ALREADY_EXIST;
    return write(state);
}

ULONG DeviceStore::write(const DeviceState& state) const {
    const std::string text = serialize(state);
    if (text.size() > kTotalSpace)
        return SAR_NO_ROOM;
    return write_atomically(m_dir, text);
}

ULONG Transaction::save() {
    // A shared lock must never write: that would race with another reader-turned-writer.
    if (m_mode != LockMode::exclusive)
        return SAR_FAIL;
    return m_store.write(m_state);
}

}  // namespace eseal::softskf
