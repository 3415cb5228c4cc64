#pragma once
// The outcome of verifying a seal or a seal signature: a value listing every problem found, each
// with a stable code ("seal.signature_invalid", "seal.expired", ...), not the first one only
// (STYLE: verification outcomes are values; errors are accumulated data).
#include <algorithm>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace eseal::seal {

struct Verification {
    std::vector<core::Problem> problems;
    [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
    [[nodiscard]] bool has(std::string_view code) const {
        return std::any_of(problems.begin(), problems.end(),
                           [&](const core::Problem& p) { return p.code == code; });
    }
    void add(std::string code, std::string message, std::string field = {}) {
        problems.push_back({std::move(code), std::move(message), std::move(field)});
    }
};

}  // namespace eseal::seal
