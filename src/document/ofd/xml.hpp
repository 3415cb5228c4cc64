#pragma once
// pugixml helpers for OFD's XML (internal to document/ofd). OFD files use the namespace
// http://www.ofdspec.org/2016 with any prefix (usually "ofd:"), so elements are matched by their
// local name. pugixml expands no DTD and no entities other than the five predefined ones, so
// "billion laughs" and external entities cannot occur.
#include <pugixml.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace eseal::document::ofd {

inline constexpr std::string_view kOfdNamespace = "http://www.ofdspec.org/2016";

// Parses an XML file of the package; errors: ofd.xml_malformed naming the file and the offset.
[[nodiscard]] core::Result<void> parse_xml(pugi::xml_document& doc, core::ByteView data,
                                           std::string_view file);

[[nodiscard]] std::string_view local_name(const pugi::xml_node& node);
// The prefix of the node's name with its colon ("ofd:"), or "".
[[nodiscard]] std::string prefix_of(const pugi::xml_node& node);
[[nodiscard]] pugi::xml_node child(const pugi::xml_node& node, std::string_view local);
[[nodiscard]] std::vector<pugi::xml_node> children(const pugi::xml_node& node,
                                                   std::string_view local);
// The element's text, trimmed of XML whitespace.
[[nodiscard]] std::string text_of(const pugi::xml_node& node);
[[nodiscard]] std::string trim(std::string_view s);

// Escapes text for an attribute value or element content.
[[nodiscard]] std::string xml_escape(std::string_view s);

}  // namespace eseal::document::ofd
