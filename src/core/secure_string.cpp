#include "core/secure_string.hpp"

#include <cstring>

namespace eseal::core {

void secure_wipe(void* data, std::size_t size) noexcept {
    if (data != nullptr && size > 0) explicit_bzero(data, size);  // not elided by the optimizer
}

}  // namespace eseal::core
