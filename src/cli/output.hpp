#pragma once
#include <string>

#include "core/error.hpp"

namespace eseal::cli {

// Exit codes: 0 done, 1 refused or failed (the message says why), 2 usage error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;

// "error: message" and one line per problem, on stderr; returns kExitFailed.
int report(const core::Error& error);

[[nodiscard]] core::Result<std::string> read_file(const std::string& path, std::size_t max_bytes);
[[nodiscard]] core::Result<void> write_file(const std::string& path, std::string_view data);

}  // namespace eseal::cli
