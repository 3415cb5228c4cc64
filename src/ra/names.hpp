#pragma once
// A two-way table between enum values and their stable names (the API's and the store's words).
#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace eseal::ra::detail {

template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

template <class E, std::size_t N>
[[nodiscard]] constexpr std::string_view name_of(const NameTable<E, N>& table, E value) noexcept {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return "?";
}

template <class E, std::size_t N>
[[nodiscard]] constexpr std::optional<E> value_of(const NameTable<E, N>& table,
                                                  std::string_view name) noexcept {
    for (const auto& [v, n] : table)
        if (n == name) return v;
    return std::nullopt;
}

}  // namespace eseal::ra::detail
