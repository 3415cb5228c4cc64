#pragma once
// The e-invoice as one A5-landscape PDF page, drawn with cairo and pango like the application
// form (Chinese text in Noto Sans CJK, kept as real text).
#include <string>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "ra/desk_ports.hpp"

namespace eseal::ra {

// unsupported "invoice.glyph_missing" when a character has no glyph in the installed fonts.
[[nodiscard]] core::Result<core::Bytes> render_invoice(const Invoice& invoice, const std::string& seller,
                                                      const std::string& seller_credit_code);

// "00000042": the number as printed.
[[nodiscard]] std::string invoice_number_text(std::int64_t number);

}  // namespace eseal::ra
