#pragma once
// Opening a PDF's object graph through libqpdf, which reads the xref and then objects on demand,
// so a 300 MB file costs a few reads, not 300 MB of memory. qpdf's recovery (rebuilding a broken
// xref by scanning) is turned off: a damaged file is refused, since an update appended to it would
// point at a cross-reference that does not exist.
#include <filesystem>
#include <memory>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include "core/error.hpp"
#include "document/pdf/pdf_syntax.hpp"

namespace eseal::document::pdf {

struct OpenPdf {
    std::unique_ptr<QPDF> qpdf;
    PdfTail tail;
};

// Errors: those of read_tail; invalid_input "pdf.malformed" (with qpdf's message); unsupported
// "pdf.encrypted" for an encrypted file.
[[nodiscard]] core::Result<OpenPdf> open_pdf(const std::filesystem::path& file);

}  // namespace eseal::document::pdf
