#pragma once
// token::TokenRecord <-> the `tokens` and `token_certificates` tables (migrations/0002_tokens.sql).
#include <optional>
#include <string_view>
#include <vector>

#include "store/database.hpp"
#include "token/ports.hpp"

namespace eseal::store {

// A serial already present gives Errc::already_exists, code "token.duplicate".
[[nodiscard]] core::Result<void> insert_token(Database& db, const token::TokenRecord& t);
// not_found ("token.unknown") if the serial is not stored.
[[nodiscard]] core::Result<void> update_token_row(Database& db, const token::TokenRecord& t);
[[nodiscard]] core::Result<void> insert_token_certificate(Database& db, std::string_view token_serial,
                                                          const token::TokenCertificate& c);
[[nodiscard]] core::Result<void> set_token_state(Database& db, std::string_view serial, token::TokenState state,
                                                 core::TimePoint at);
[[nodiscard]] core::Result<std::optional<token::TokenRecord>> select_token(Database& db, std::string_view serial);
// Oldest first; all states when `state` is empty.
[[nodiscard]] core::Result<std::vector<token::TokenRecord>> select_tokens(Database& db,
                                                                         std::optional<token::TokenState> state);

}  // namespace eseal::store
