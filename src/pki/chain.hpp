#pragma once
// Certificate path validation (RFC 5280 §6) that handles SM2 at every level: each SM2 signature
// in the path is checked with the ID 1234567812345678, which `openssl verify` can only set on
// the leaf (openssl#23471).
#include <span>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/ossl.hpp"

namespace eseal::pki {

struct ChainResult {
    std::vector<core::Problem> problems;  // every problem found, with the depth in `field`
    std::vector<std::string> path;        // subjects from the leaf to the anchor
    [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

[[nodiscard]] ChainResult verify_chain(const X509* leaf, std::span<const X509* const> intermediates,
                                       std::span<const X509* const> anchors, core::TimePoint at);

}  // namespace eseal::pki
