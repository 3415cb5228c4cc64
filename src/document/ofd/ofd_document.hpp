#pragma once
// The parts of an OFD document that sealing needs (GB/T 33190-2016): the entry file OFD.xml
// (§7.4: DocBody with DocRoot and the Signatures list), each document's Document.xml (§7.5:
// CommonData/PageArea and Pages) and the pages' own areas (§8.1). Coordinates are in mm with the
// origin at the page's top-left corner (§5.2).
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "document/ofd/package.hpp"

namespace eseal::document::ofd {

// ST_Box (§5.3.2 table 2): "x y w h".
struct Box {
    double x = 0, y = 0, w = 0, h = 0;
};
[[nodiscard]] std::optional<Box> parse_box(std::string_view text);
[[nodiscard]] std::string format_box(const Box& box);
[[nodiscard]] std::string format_mm(double v);  // at most 3 decimals, no trailing zeros

struct PageInfo {
    std::string id;       // the page object's ID (what StampAnnot/@PageRef names)
    std::string content;  // package path of its Content.xml
    Box physical_box;     // its own Area/PhysicalBox, else the document's PageArea
};

struct DocBodyInfo {
    std::string ofd_xml_prefix;             // the prefix OFD.xml uses ("ofd:")
    std::string doc_root;                   // package path of Document.xml
    std::optional<std::string> signatures;  // package path of the signature list, if any
    std::vector<PageInfo> pages;
};

// Reads OFD.xml and every DocBody's Document.xml and page areas. Errors (invalid_input):
// ofd.not_ofd (no OFD.xml), ofd.xml_malformed, ofd.structure_invalid (a required element or file
// missing, a location leaving the package, duplicate page IDs, a bad box): all problems found, at
// once.
[[nodiscard]] core::Result<std::vector<DocBodyInfo>> read_documents(const Package& package);

}  // namespace eseal::document::ofd
