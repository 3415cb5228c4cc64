#pragma once
// An incremental update (ISO 32000-1 §7.5.6) in the making: new and changed objects appended
// after the original bytes, then a cross-reference section in the original's style (a table,
// §7.5.4, or a stream, §7.5.8) whose trailer keeps /Root, /Info and /ID and points back with
// /Prev. Changed objects keep their number and generation; unchanged ones are never rewritten
// (rewriting them is how PoDoFo 0.9 broke earlier signatures, podofo#4).
#include <array>
#include <set>
#include <string>
#include <vector>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "document/pdf/pdf_file.hpp"

namespace eseal::document::pdf {

struct PageRef {
    QPDFObjectHandle object;
    std::string ref;  // "12 0 R"
    // What shows: the CropBox within the MediaBox (both inherited if need be), llx lly urx ury.
    std::array<double, 4> box{};
    int rotate = 0;  // /Rotate, clockwise when displayed: 0, 90, 180 or 270
    int number = 0;  // 1-based
};

class UpdateWriter {
  public:
    UpdateWriter(QPDF& q, const PdfTail& tail) : m_q(&q), m_tail(tail) {}

    // Reads the trailer, the pages and the AcroForm; refuses files qpdf had to repair or warn
    // about (invalid_input "pdf.malformed", every warning listed).
    [[nodiscard]] core::Result<void> prepare();
    [[nodiscard]] int page_count() const noexcept { return static_cast<int>(m_pages.size()); }
    // Errors: invalid_input "pdf.page" (out of range); unsupported "pdf.page_rotated".
    [[nodiscard]] core::Result<PageRef> page(int number) const;

    int new_object() { return m_next++; }
    // Appends "N G obj <body> endobj"; returns the offset of the body within the update.
    std::size_t add_object(int num, std::string_view body, int gen = 0);
    void add_stream(int num, const std::string& dict_entries, core::ByteView data);
    // The page again, with these widget annotations added to /Annots.
    [[nodiscard]] core::Result<void> add_widgets_to_page(const PageRef& page,
                                                         const std::vector<int>& widgets);
    // The AcroForm (indirect, new if need be), with the fields added and /SigFlags 3 (§12.7.2).
    [[nodiscard]] core::Result<void> add_fields_to_acroform(const std::vector<int>& fields);
    [[nodiscard]] std::string unique_field_name(const std::string& prefix) const;

    // Writes the cross-reference section and the trailer; the update is then complete.
    const std::string& finish();
    void overwrite(std::size_t pos, std::string_view text) {
        m_out.replace(pos, text.size(), text);
    }
    // The file offset of the update's first byte.
    [[nodiscard]] std::uint64_t base() const noexcept { return m_tail.size; }

  private:
    struct Entry {
        int num;
        int gen;
        std::uint64_t offset;
    };
    [[nodiscard]] std::uint64_t here() const noexcept { return m_tail.size + m_out.size(); }

    QPDF* m_q;
    PdfTail m_tail;
    std::vector<QPDFObjectHandle> m_pages;
    std::string m_out;
    std::vector<Entry> m_entries;
    int m_next = 1;
    std::string m_root_ref, m_info_ref, m_id;
    std::set<std::string> m_field_names;
};

// "<< /Key value ... >>" of a dictionary without some keys, plus extra entries: changed objects are
// written from qpdf's parse of the original, with every indirect reference kept as a reference.
[[nodiscard]] std::string dictionary_without(QPDFObjectHandle dict,
                                             const std::set<std::string>& skip,
                                             const std::string& extra);

}  // namespace eseal::document::pdf
