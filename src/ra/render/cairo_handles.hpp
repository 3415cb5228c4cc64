#pragma once
// One owning pointer per cairo / pango type (BoringSSL base.h style), and the cairo write callback
// that collects a surface's output (PDF or PNG) into memory. Cairo and pango objects are reference
// counted; the pointer owns exactly one reference and drops it on every path out.
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace eseal::ra::render {

template <auto F>
struct Free {
    void operator()(auto* p) const noexcept { F(p); }
};

using SurfacePtr = std::unique_ptr<cairo_surface_t, Free<cairo_surface_destroy>>;
using CairoPtr = std::unique_ptr<cairo_t, Free<cairo_destroy>>;
using FontOptionsPtr = std::unique_ptr<cairo_font_options_t, Free<cairo_font_options_destroy>>;
using PangoContextPtr = std::unique_ptr<PangoContext, Free<g_object_unref>>;
using LayoutPtr = std::unique_ptr<PangoLayout, Free<g_object_unref>>;
using FontDescriptionPtr = std::unique_ptr<PangoFontDescription, Free<pango_font_description_free>>;

// cairo_write_func_t appending to a core::Bytes passed as the closure. Never lets an exception
// through cairo's C frames: an allocation failure becomes CAIRO_STATUS_NO_MEMORY.
cairo_status_t append_to_bytes(void* closure, const unsigned char* data,
                               unsigned int length) noexcept;

// The error for a cairo failure, or success when `status` is CAIRO_STATUS_SUCCESS.
[[nodiscard]] core::Result<void> check_cairo(cairo_status_t status, std::string what);

}  // namespace eseal::ra::render
