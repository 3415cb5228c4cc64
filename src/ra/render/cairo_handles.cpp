#include "ra/render/cairo_handles.hpp"

#include <new>

namespace eseal::ra::render {

cairo_status_t append_to_bytes(void* closure, const unsigned char* data,
                               unsigned int length) noexcept {
    try {
        auto* out = static_cast<core::Bytes*>(closure);
        out->insert(out->end(), data, data + length);
        return CAIRO_STATUS_SUCCESS;
    } catch (const std::bad_alloc&) {
        return CAIRO_STATUS_NO_MEMORY;
    } catch (...) {
        return CAIRO_STATUS_WRITE_ERROR;
    }
}

core::Result<void> check_cairo(cairo_status_t status, std::string what) {
    if (status == CAIRO_STATUS_SUCCESS)
        return {};
    return core::fail(core::Errc::internal, "render.cairo",
                      std::move(what) + ": " + cairo_status_to_string(status));
}

}  // namespace eseal::ra::render
