#include "token/ports.hpp"

namespace eseal::token {

std::string_view to_string(TokenState s) noexcept {
    switch (s) {
        case TokenState::in_stock: return "in_stock";
        case TokenState::active: return "active";
        case TokenState::locked: return "locked";
        case TokenState::lost: return "lost";
        case TokenState::retired: return "retired";
        case TokenState::failed: return "failed";
    }
    return "?";
}

std::optional<TokenState> parse_token_state(std::string_view s) noexcept {
    for (auto t : {TokenState::in_stock, TokenState::active, TokenState::locked, TokenState::lost, TokenState::retired,
                   TokenState::failed})
        if (to_string(t) == s) return t;
    return std::nullopt;
}

}  // namespace eseal::token
