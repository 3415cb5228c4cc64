#include "handles.hpp"

namespace eseal::softskf {

HandleTable& HandleTable::instance() {
    static HandleTable table;
    return table;
}

void* HandleTable::add(Object object, const void* parent) {
    const std::lock_guard guard(m_mutex);
    m_next += 0x10;
    m_entries.emplace(m_next, Entry{std::move(object), key(parent)});
    // A handle is a number the caller hands back, never a pointer we follow.
    return reinterpret_cast<void*>(m_next);  // NOLINT(performance-no-int-to-ptr)
}

void HandleTable::remove_tree(std::uintptr_t root) {
    std::vector<std::uintptr_t> pending{root};
    while (!pending.empty()) {
        const std::uintptr_t current = pending.back();
        pending.pop_back();
        for (const auto& [handle, entry] : m_entries) {
            if (entry.parent == current)
                pending.push_back(handle);
        }
        m_entries.erase(current);
    }
}

}  // namespace eseal::softskf
