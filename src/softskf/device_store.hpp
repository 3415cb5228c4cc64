#pragma once
// A device is a directory: device.json holds the state, device.lock is the flock(2) target (the
// state file itself is replaced on every write, so it cannot carry the lock). Every SKF call that
// touches the state runs as one transaction: the in-process mutex of the device, then the file
// lock (shared to read, exclusive to change), then a fresh read of device.json, so that several
// processes using one device see each other's changes (the PIN retry counters above all).
// Writes go to device.json.tmp, are fsync'ed, renamed over device.json, and the directory is
// fsync'ed.
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "device_state.hpp"
#include "skf.h"

namespace eseal::softskf {

inline constexpr std::string_view kStateFile = "device.json";
inline constexpr std::string_view kLockFile = "device.lock";
inline constexpr std::string_view kRootEnv = "ESEAL_SOFTSKF_DIR";
inline constexpr std::string_view kDefaultRootUnderHome = ".eseal-softskf";
// The capacity the token reports and enforces (DEVINFO TotalSpace; SAR_NO_ROOM beyond).
inline constexpr std::size_t kTotalSpace = 1U << 20;

// ESEAL_SOFTSKF_DIR, else $HOME/.eseal-softskf; nullopt if neither is set.
[[nodiscard]] std::optional<std::filesystem::path> device_root();

// Device names: 1-64 characters of [A-Za-z0-9._-], not starting with '.'.
[[nodiscard]] bool valid_device_name(std::string_view name);

// The names of the devices under `root`, sorted.
[[nodiscard]] std::vector<std::string> list_devices(const std::filesystem::path& root);

// Makes a new device directory holding `state` (for eseal-softskf-admin; SKF has no such call).
// Fails with SAR_FILE_ALREADY_EXIST if a device is already there.
[[nodiscard]] ULONG create_device(const std::filesystem::path& dir, const DeviceState& state);

enum class LockMode { shared, exclusive };

class DeviceStore;

class Transaction {
  public:
    Transaction(const DeviceStore& store, DeviceState& state, LockMode mode)
        : m_store(store), m_state(state), m_mode(mode) {}
    [[nodiscard]] DeviceState& state() { return m_state; }
    // Writes the state now, atomically; SAR_NO_ROOM if it would exceed kTotalSpace.
    [[nodiscard]] ULONG save();

  private:
    const DeviceStore& m_store;
    DeviceState& m_state;
    LockMode m_mode;
};

class DeviceStore {
  public:
    // One store per device directory per process, shared by every connection to it.
    [[nodiscard]] static std::shared_ptr<DeviceStore> for_directory(
        const std::filesystem::path& dir);

    explicit DeviceStore(std::filesystem::path dir) : m_dir(std::move(dir)) {}

    // Guards the device's state and every session object of the device.
    [[nodiscard]] std::mutex& mutex() const { return m_mutex; }

    // Runs f(Transaction&) -> ULONG under the mutex and the file lock, on freshly read state.
    template <class F>
    ULONG transact(LockMode mode, F&& f) const {
        const std::lock_guard guard(m_mutex);
        auto lock = lock_file(mode);
        if (!lock.first)
            return lock.second;
        std::optional<DeviceState> state;
        if (const ULONG rc = load(state); rc != SAR_OK)
            return rc;
        Transaction tx(*this, *state, mode);
        return std::forward<F>(f)(tx);
    }

    // Writes the first state of a new device; SAR_FILE_ALREADY_EXIST if there is one.
    [[nodiscard]] ULONG create(const DeviceState& state) const;

  private:
    friend class Transaction;
    [[nodiscard]] ULONG write(const DeviceState& state) const;
    class FileLock;
    [[nodiscard]] std::pair<std::shared_ptr<FileLock>, ULONG> lock_file(LockMode mode) const;
    [[nodiscard]] ULONG load(std::optional<DeviceState>& out) const;

    std::filesystem::path m_dir;
    mutable std::mutex m_mutex;
};

}  // namespace eseal::softskf
