#pragma once
// SKF handles are opaque values looked up in one table, never pointers that are dereferenced:
// a stale or made-up handle is found missing and answered with SAR_INVALIDHANDLEERR.
// Handles form a tree (device -> applications, hashes, keys; application -> containers);
// removing one removes its descendants, as SKF_DisConnectDev and SKF_CloseApplication invalidate
// what was opened through them. Values are never reused within a process.
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <variant>
#include <vector>

#include "sessions.hpp"
#include "symmetric.hpp"

namespace eseal::softskf {

class HandleTable {
  public:
    using Object = std::variant<std::shared_ptr<DeviceSession>, std::shared_ptr<AppSession>,
                                std::shared_ptr<ContainerSession>, std::shared_ptr<HashSession>,
                                std::shared_ptr<KeySession>>;

    [[nodiscard]] static HandleTable& instance();

    // `parent` is null for a device connection.
    [[nodiscard]] void* add(Object object, const void* parent);

    template <class T>
    [[nodiscard]] std::shared_ptr<T> get(const void* handle) const {
        const std::lock_guard guard(m_mutex);
        const auto it = m_entries.find(key(handle));
        if (it == m_entries.end())
            return nullptr;
        const auto* object = std::get_if<std::shared_ptr<T>>(&it->second.object);
        return object == nullptr ? nullptr : *object;
    }

    // Removes the handle and its descendants if the handle holds a T; false if it does not.
    template <class T>
    [[nodiscard]] bool remove(const void* handle) {
        const std::lock_guard guard(m_mutex);
        const auto it = m_entries.find(key(handle));
        if (it == m_entries.end() || !std::holds_alternative<std::shared_ptr<T>>(it->second.object))
            return false;
        remove_tree(key(handle));
        return true;
    }

  private:
    struct Entry {
        Object object;
        std::uintptr_t parent;
    };
    static std::uintptr_t key(const void* handle) noexcept {
        return reinterpret_cast<std::uintptr_t>(handle);
    }
    void remove_tree(std::uintptr_t root);

    mutable std::mutex m_mutex;
    std::unordered_map<std::uintptr_t, Entry> m_entries;
    std::uintptr_t m_next = 0x5EA1'0000;
};

}  // namespace eseal::softskf
