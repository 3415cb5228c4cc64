#include "document/pdf/pdf_update.hpp"

#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <algorithm>
#include <cstdio>

namespace eseal::document::pdf {
namespace {

core::Error malformed(std::string message, std::vector<core::Problem> problems = {}) {
    return core::Error{core::Errc::invalid_input, "pdf.malformed", std::move(message),
                       std::move(problems)};
}

std::string ref_of(QPDFObjectHandle o) {
    return std::to_string(o.getObjectID()) + " " + std::to_string(o.getGeneration()) + " R";
}

std::string array_items(QPDFObjectHandle array) {
    std::string out;
    if (!array.isArray())
        return out;
    for (auto& item : array.getArrayAsVector()) out += item.unparse() + " ";
    return out;
}

}  // namespace

std::string dictionary_without(QPDFObjectHandle dict, const std::set<std::string>& skip,
                               const std::string& extra) {
    std::string out = "<<";
    for (const auto& key : dict.getKeys()) {
        if (skip.contains(key))
            continue;
        out += " " + QPDFObjectHandle::newName(key).unparse() + " " + dict.getKey(key).unparse();
    }
    return out + " " + extra + " >>";
}

core::Result<void> UpdateWriter::prepare() {
    try {
        auto trailer = m_q->getTrailer();
        auto root = trailer.getKey("/Root");
        if (!root.isIndirect() || !root.isDictionary())
            return std::unexpected(malformed("the trailer's /Root is not an indirect dictionary"));
        m_root_ref = ref_of(root);
        if (auto info = trailer.getKey("/Info"); info.isIndirect())
            m_info_ref = ref_of(info);
        if (auto id = trailer.getKey("/ID"); id.isArray())
            m_id = id.unparse();
        long long size =
            trailer.getKey("/Size").isInteger() ? trailer.getKey("/Size").getIntValue() : 0;
        for (const auto& [og, entry] : m_q->getXRefTable())
            size = std::max<long long>(size, og.getObj() + 1);
        if (size <= 0 || size > 8'388'607)  // ISO 32000-1 Annex C.2: at most 8,388,607 objects
            return std::unexpected(malformed("the trailer's /Size is out of range"));
        m_next = static_cast<int>(size);
        m_pages = m_q->getAllPages();
        if (m_pages.empty())
            return std::unexpected(malformed("the document has no pages"));
        auto acro = root.getKey("/AcroForm");
        if (acro.isDictionary())
            for (auto& f : acro.getKey("/Fields").isArray()
                               ? acro.getKey("/Fields").getArrayAsVector()
                               : std::vector<QPDFObjectHandle>{})
                if (f.isDictionary() && f.getKey("/T").isString())
                    m_field_names.insert(f.getKey("/T").getUTF8Value());
    } catch (const std::exception& e) {
        return std::unexpected(
            malformed(std::string("the document's structure is broken: ") + e.what()));
    }
    if (m_q->anyWarnings()) {
        std::vector<core::Problem> problems;
        for (const auto& w : m_q->getWarnings())
            problems.push_back({"pdf.qpdf_warning", w.what(), ""});
        return std::unexpected(
            malformed("the PDF has errors that qpdf had to work around; refusing to append to it",
                      std::move(problems)));
    }
    return {};
}

core::Result<PageRef> UpdateWriter::page(int number) const {
    if (number < 1 || number > page_count())
        return core::fail(core::Errc::invalid_input, "pdf.page",
                          "no page " + std::to_string(number) + ": the document has " +
                              std::to_string(page_count()) + " page(s)");
    PageRef p;
    p.object = m_pages[static_cast<std::size_t>(number - 1)];
    p.number = number;
    try {
        if (!p.object.isIndirect())
            return std::unexpected(
                malformed("page " + std::to_string(number) + " is not an indirect object"));
        p.ref = ref_of(p.object);
        QPDFPageObjectHelper helper(p.object);
        // ISO 32000-1 §7.7.3.3: /Rotate (inheritable) turns the page clockwise when displayed, in
        // multiples of 90; the CropBox (default: the MediaBox, both inheritable) is what shows.
        auto rotate = helper.getAttribute("/Rotate", false);
        if (rotate.isInteger()) {
            const long long r = rotate.getIntValue();
            if (r % 90 != 0)
                return std::unexpected(malformed("page " + std::to_string(number) +
                                                 " has /Rotate " + std::to_string(r) +
                                                 ", not a multiple of 90"));
            p.rotate = static_cast<int>(((r % 360) + 360) % 360);
        }
        auto media = helper.getMediaBox(false);
        if (!media.isRectangle())
            return std::unexpected(
                malformed("page " + std::to_string(number) + " has no valid /MediaBox"));
        const auto m = media.getArrayAsRectangle();
        p.box = {std::min(m.llx, m.urx), std::min(m.lly, m.ury), std::max(m.llx, m.urx),
                 std::max(m.lly, m.ury)};
        auto crop = helper.getAttribute("/CropBox", false);
        if (crop.isRectangle()) {
            const auto c = crop.getArrayAsRectangle();
            // §14.11.2: the CropBox is clipped to the MediaBox.
            const std::array<double, 4> clipped{std::max(p.box[0], std::min(c.llx, c.urx)),
                                                std::max(p.box[1], std::min(c.lly, c.ury)),
                                                std::min(p.box[2], std::max(c.llx, c.urx)),
                                                std::min(p.box[3], std::max(c.lly, c.ury))};
            if (clipped[0] < clipped[2] && clipped[1] < clipped[3])
                p.box = clipped;
        }
    } catch (const std::exception& e) {
        return std::unexpected(malformed("page " + std::to_string(number) + ": " + e.what()));
    }
    return p;
}

std::size_t UpdateWriter::add_object(int num, std::string_view body, int gen) {
    if (m_out.empty() && !m_tail.ends_with_newline)
        m_out += '\n';
    m_entries.push_back({num, gen, here()});
    m_out += std::to_string(num) + " " + std::to_string(gen) + " obj\n";
    const std::size_t at = m_out.size();
    m_out += body;
    m_out += "\nendobj\n";
    return at;
}

void UpdateWriter::add_stream(int num, const std::string& dict_entries, core::ByteView data) {
    std::string body =
        "<< " + dict_entries + " /Length " + std::to_string(data.size()) + " >>\nstream\n";
    body.append(reinterpret_cast<const char*>(data.data()), data.size());
    body += "\nendstream";
    add_object(num, body);
}

core::Result<void> UpdateWriter::add_widgets_to_page(const PageRef& page,
                                                     const std::vector<int>& widgets) {
    try {
        QPDFObjectHandle object = page.object;
        std::string annots = "/Annots [" + array_items(object.getKey("/Annots"));
        for (int w : widgets) annots += std::to_string(w) + " 0 R ";
        annots += "]";
        add_object(object.getObjectID(), dictionary_without(object, {"/Annots"}, annots),
                   object.getGeneration());
    } catch (const std::exception& e) {
        return std::unexpected(malformed("page " + std::to_string(page.number) + ": " + e.what()));
    }
    return {};
}

core::Result<void> UpdateWriter::add_fields_to_acroform(const std::vector<int>& fields) {
    try {
        auto root = m_q->getRoot();
        auto acro = root.getKey("/AcroForm");
        std::string list = "/Fields [";
        if (acro.isDictionary())
            list += array_items(acro.getKey("/Fields"));
        for (int f : fields) list += std::to_string(f) + " 0 R ";
        list += "] /SigFlags 3";
        const std::string body = acro.isDictionary()
                                     ? dictionary_without(acro, {"/Fields", "/SigFlags"}, list)
                                     : "<< " + list + " >>";
        if (acro.isDictionary() && acro.isIndirect()) {
            add_object(acro.getObjectID(), body, acro.getGeneration());
        } else {
            // A direct or missing AcroForm becomes an indirect one, and the catalog points to it:
            // with a direct one, later signers (poppler) make fields that other readers miss.
            const int n = new_object();
            add_object(n, body);
            add_object(
                root.getObjectID(),
                dictionary_without(root, {"/AcroForm"}, "/AcroForm " + std::to_string(n) + " 0 R"),
                root.getGeneration());
        }
    } catch (const std::exception& e) {
        return std::unexpected(malformed(std::string("the AcroForm: ") + e.what()));
    }
    return {};
}

std::string UpdateWriter::unique_field_name(const std::string& prefix) const {
    for (int i = 1;; ++i) {
        std::string name = prefix + std::to_string(i);
        if (!m_field_names.contains(name))
            return name;
    }
}

const std::string& UpdateWriter::finish() {
    const std::string trailer_entries =
        "/Root " + m_root_ref + (m_info_ref.empty() ? "" : " /Info " + m_info_ref) +
        (m_id.empty() ? "" : " /ID " + m_id) + " /Prev " + std::to_string(m_tail.startxref);
    if (m_tail.style == XrefStyle::stream) {
        // §7.5.8: type-1 entries [1, offset, generation], the section itself included.
        const int self = new_object();
        m_entries.push_back({self, 0, here()});
        std::sort(m_entries.begin(), m_entries.end(),
                  [](const Entry& a, const Entry& b) { return a.num < b.num; });
        int ow = 1;
        while (ow < 8 && (here() >> (8 * ow)) != 0) ++ow;
        std::string data, index;
        for (std::size_t i = 0; i < m_entries.size();) {
            std::size_t j = i;
            while (j + 1 < m_entries.size() && m_entries[j + 1].num == m_entries[j].num + 1) ++j;
            index += std::to_string(m_entries[i].num) + " " + std::to_string(j - i + 1) + " ";
            for (std::size_t k = i; k <= j; ++k) {
                data += '\x01';
                for (int b = ow - 1; b >= 0; --b)
                    data += static_cast<char>((m_entries[k].offset >> (8 * b)) & 0xFF);
                data += static_cast<char>((m_entries[k].gen >> 8) & 0xFF);
                data += static_cast<char>(m_entries[k].gen & 0xFF);
            }
            i = j + 1;
        }
        const std::uint64_t start = here();
        m_out += std::to_string(self) + " 0 obj\n<< /Type /XRef /Size " + std::to_string(m_next) +
                 " /W [1 " + std::to_string(ow) + " 2] /Index [" + index + "] " + trailer_entries +
                 " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data +
                 "\nendstream\nendobj\n";
        m_out += "startxref\n" + std::to_string(start) + "\n%%EOF\n";
        return m_out;
    }
    // §7.5.4: subsections of consecutive numbers; 20-byte entries.
    std::sort(m_entries.begin(), m_entries.end(),
              [](const Entry& a, const Entry& b) { return a.num < b.num; });
    const std::uint64_t start = here();
    m_out += "xref\n";
    char line[32];
    for (std::size_t i = 0; i < m_entries.size();) {
        std::size_t j = i;
        while (j + 1 < m_entries.size() && m_entries[j + 1].num == m_entries[j].num + 1) ++j;
        m_out += std::to_string(m_entries[i].num) + " " + std::to_string(j - i + 1) + "\n";
        for (std::size_t k = i; k <= j; ++k) {
            std::snprintf(line, sizeof line, "%010llu %05d n\r\n",
                          static_cast<unsigned long long>(m_entries[k].offset), m_entries[k].gen);
            m_out += line;
        }
        i = j + 1;
    }
    m_out += "trailer\n<< /Size " + std::to_string(m_next) + " " + trailer_entries +
             " >>\nstartxref\n" + std::to_string(start) + "\n%%EOF\n";
    return m_out;
}

}  // namespace eseal::document::pdf
