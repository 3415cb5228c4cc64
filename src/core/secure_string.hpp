#pragma once
// Secrets (PINs, passphrases) in memory that is wiped when released (STYLE: "PINs live in
// zeroizing strings"). Move-only, so a secret is never silently duplicated.
#include <cstddef>
#include <string>
#include <string_view>

namespace eseal::core {

void secure_wipe(void* data, std::size_t size) noexcept;

class SecureString {
public:
    SecureString() = default;
    explicit SecureString(std::string_view s) : m_data(s) {}
    ~SecureString() { clear(); }
    SecureString(const SecureString&) = delete;
    SecureString& operator=(const SecureString&) = delete;
    SecureString(SecureString&& other) noexcept : m_data(std::move(other.m_data)) { other.clear(); }
    SecureString& operator=(SecureString&& other) noexcept {
        if (this != &other) {
            clear();
            m_data = std::move(other.m_data);
            other.clear();
        }
        return *this;
    }

    [[nodiscard]] std::string_view view() const noexcept { return m_data; }
    [[nodiscard]] const char* c_str() const noexcept { return m_data.c_str(); }
    [[nodiscard]] std::size_t size() const noexcept { return m_data.size(); }
    [[nodiscard]] bool empty() const noexcept { return m_data.empty(); }
    void clear() noexcept {
        secure_wipe(m_data.data(), m_data.capacity());
        m_data.clear();
    }

private:
    std::string m_data;
};

}  // namespace eseal::core
