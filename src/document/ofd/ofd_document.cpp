#include "document/ofd/ofd_document.hpp"

#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

#include "document/ofd/xml.hpp"

namespace eseal::document::ofd {
namespace {

constexpr std::string_view kEntry = "OFD.xml";  // GB/T 33190 §7.4: the package's entry file

core::Problem structure(std::string message, std::string file) {
    return {"ofd.structure_invalid", std::move(message), std::move(file)};
}

// The document's PhysicalBox (CommonData/PageArea) or a page's (Area).
std::optional<Box> physical_box_in(const pugi::xml_node& area) {
    if (!area)
        return std::nullopt;
    return parse_box(text_of(child(area, "PhysicalBox")));
}

void read_pages(const Package& package, const pugi::xml_node& document, DocBodyInfo& body,
                std::vector<core::Problem>& problems) {
    const auto common = child(document, "CommonData");
    const auto doc_box = physical_box_in(child(common, "PageArea"));
    if (!doc_box)
        problems.push_back(structure(
            body.doc_root + ": CommonData/PageArea/PhysicalBox is missing or not \"x y w h\"",
            body.doc_root));
    std::set<std::string> ids;
    for (const auto& page : children(child(document, "Pages"), "Page")) {
        PageInfo info;
        info.id = page.attribute("ID").value();
        const std::string loc = page.attribute("BaseLoc").value();
        if (info.id.empty() || !ids.insert(info.id).second) {
            problems.push_back(
                structure(body.doc_root + ": a page has no ID or a repeated ID \"" + info.id + "\"",
                          body.doc_root));
            continue;
        }
        const auto content = resolve_loc(body.doc_root, loc);
        const Entry* entry = content ? package.find(*content) : nullptr;
        if (entry == nullptr) {
            problems.push_back(structure(body.doc_root + ": page " + info.id + "'s content \"" +
                                             loc + "\" is not in the package",
                                         body.doc_root));
            continue;
        }
        info.content = *content;
        pugi::xml_document page_xml;
        if (auto r = parse_xml(page_xml, entry->data, *content); !r) {
            problems.push_back({r.error().code, r.error().message, *content});
            continue;
        }
        if (local_name(page_xml.document_element()) != "Page") {
            problems.push_back(structure(*content + " is not a Page", *content));
            continue;
        }
        // GB/T 33190 §8.1 table 12: a page's Area overrides the document's PageArea.
        auto box = physical_box_in(child(page_xml.document_element(), "Area"));
        if (!box && !doc_box)
            continue;
        info.physical_box = box ? *box : *doc_box;
        body.pages.push_back(std::move(info));
    }
    if (body.pages.empty() && problems.empty())
        problems.push_back(structure(body.doc_root + " has no pages", body.doc_root));
}

}  // namespace

std::optional<Box> parse_box(std::string_view text) {
    double v[4];
    std::size_t n = 0;
    std::size_t i = 0;
    while (i < text.size() && n < 5) {
        while (i < text.size() &&
               (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
            ++i;
        if (i == text.size())
            break;
        if (n == 4)
            return std::nullopt;
        const auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + text.size(), v[n]);
        if (ec != std::errc() || !std::isfinite(v[n]))
            return std::nullopt;
        i = static_cast<std::size_t>(ptr - text.data());
        ++n;
    }
    if (n != 4 || v[2] <= 0 || v[3] <= 0)
        return std::nullopt;
    return Box{v[0], v[1], v[2], v[3]};
}

std::string format_mm(double v) {
    char buf[64];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, std::round(v * 1000) / 1000,
                                   std::chars_format::fixed, 3);
    std::string s(buf, ec == std::errc() ? ptr : buf);
    while (s.find('.') != std::string::npos && (s.ends_with('0') || s.ends_with('.'))) {
        const bool dot = s.ends_with('.');
        s.pop_back();
        if (dot)
            break;
    }
    return s == "-0" ? "0" : s;
}

std::string format_box(const Box& b) {
    return format_mm(b.x) + " " + format_mm(b.y) + " " + format_mm(b.w) + " " + format_mm(b.h);
}

core::Result<std::vector<DocBodyInfo>> read_documents(const Package& package) {
    const Entry* entry = package.find(kEntry);
    if (entry == nullptr)
        return core::fail(core::Errc::invalid_input, "ofd.not_ofd",
                          "not an OFD package: it has no OFD.xml (GB/T 33190 §7.4)");
    pugi::xml_document ofd;
    if (auto r = parse_xml(ofd, entry->data, kEntry); !r)
        return std::unexpected(r.error());
    const auto root = ofd.document_element();
    if (local_name(root) != "OFD")
        return core::fail(core::Errc::invalid_input, "ofd.not_ofd",
                          "not an OFD package: OFD.xml's root element is not OFD");
    std::vector<core::Problem> problems;
    std::vector<DocBodyInfo> bodies;
    std::set<std::string> roots;
    for (const auto& body : children(root, "DocBody")) {
        DocBodyInfo info;
        info.ofd_xml_prefix = prefix_of(root);
        const auto doc_root_loc = text_of(child(body, "DocRoot"));
        const auto doc_root = resolve_loc(std::string(kEntry), doc_root_loc);
        if (!doc_root || !package.contains(*doc_root)) {
            problems.push_back(
                structure("OFD.xml: DocRoot \"" + doc_root_loc + "\" is not in the package",
                          std::string(kEntry)));
            continue;
        }
        if (!roots.insert(*doc_root).second || *doc_root == kEntry) {
            problems.push_back(structure(
                "OFD.xml: DocRoot \"" + doc_root_loc + "\" is used twice or is OFD.xml itself",
                std::string(kEntry)));
            continue;
        }
        info.doc_root = *doc_root;
        if (const auto sigs = child(body, "Signatures")) {
            const auto loc = text_of(sigs);
            auto path = resolve_loc(std::string(kEntry), loc);
            if (!path)
                problems.push_back(structure(
                    "OFD.xml: Signatures \"" + loc + "\" is not a location in the package",
                    std::string(kEntry)));
            else
                info.signatures = *path;
        }
        pugi::xml_document document;
        if (auto r = parse_xml(document, package.find(*doc_root)->data, *doc_root); !r) {
            problems.push_back({r.error().code, r.error().message, *doc_root});
            continue;
        }
        if (local_name(document.document_element()) != "Document") {
            problems.push_back(structure(*doc_root + " is not a Document", *doc_root));
            continue;
        }
        read_pages(package, document.document_element(), info, problems);
        bodies.push_back(std::move(info));
    }
    if (bodies.empty() && problems.empty())
        problems.push_back(structure("OFD.xml has no DocBody", std::string(kEntry)));
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "ofd.structure_invalid",
                          "the OFD document is malformed", std::move(problems));
    return bodies;
}

}  // namespace eseal::document::ofd
