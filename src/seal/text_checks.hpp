#pragma once
// Checks on what goes onto a seal picture (internal): every fault is a Problem, so a request with
// several is answered at once.
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace eseal::seal::checks {

void name(std::string_view text, std::size_t min_chars, std::size_t max_chars,
          std::vector<core::Problem>& out);
// The 13-digit seal code (印章编码) on organization seals.
void seal_code(std::string_view code, std::vector<core::Problem>& out);
// 纳税人识别号: the 18-character unified social credit code, or an older 15/17/20-character number.
void taxpayer_number(std::string_view number, std::vector<core::Problem>& out);

[[nodiscard]] core::Result<void> verdict(std::vector<core::Problem> problems);

}  // namespace eseal::seal::checks
