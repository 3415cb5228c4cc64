#include "core/error.hpp"

namespace eseal::core {

std::string_view to_string(Errc kind) noexcept {
    switch (kind) {
        case Errc::invalid_input: return "invalid input";
        case Errc::not_found: return "not found";
        case Errc::already_exists: return "already exists";
        case Errc::conflict: return "conflict";
        case Errc::permission_denied: return "permission denied";
        case Errc::unsupported: return "unsupported";
        case Errc::crypto: return "cryptographic failure";
        case Errc::io: return "I/O error";
        case Errc::storage: return "storage error";
        case Errc::internal: return "internal error";
    }
    return "unknown";
}

std::string Error::describe() const {
    std::string out = code + ": " + message;
    for (const auto& p : problems) {
        out += "\n  - " + p.code + ": " + p.message;
        if (!p.field.empty()) out += " [" + p.field + "]";
    }
    return out;
}

}  // namespace eseal::core
