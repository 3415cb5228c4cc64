#include "document/ofd/xml.hpp"

namespace eseal::document::ofd {

core::Result<void> parse_xml(pugi::xml_document& doc, core::ByteView data, std::string_view file) {
    const auto r =
        doc.load_buffer(data.data(), data.size(), pugi::parse_default, pugi::encoding_auto);
    if (!r)
        return core::fail(core::Errc::invalid_input, "ofd.xml_malformed",
                          std::string(file) + " is not well-formed XML: " + r.description() +
                              " at byte " + std::to_string(r.offset));
    if (!doc.document_element())
        return core::fail(core::Errc::invalid_input, "ofd.xml_malformed",
                          std::string(file) + " has no root element");
    return {};
}

std::string_view local_name(const pugi::xml_node& node) {
    std::string_view n = node.name();
    const auto colon = n.find(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string prefix_of(const pugi::xml_node& node) {
    std::string_view n = node.name();
    const auto colon = n.find(':');
    return colon == std::string_view::npos ? std::string() : std::string(n.substr(0, colon + 1));
}

pugi::xml_node child(const pugi::xml_node& node, std::string_view local) {
    for (auto c : node.children())
        if (c.type() == pugi::node_element && local_name(c) == local)
            return c;
    return {};
}

std::vector<pugi::xml_node> children(const pugi::xml_node& node, std::string_view local) {
    std::vector<pugi::xml_node> out;
    for (auto c : node.children())
        if (c.type() == pugi::node_element && local_name(c) == local)
            out.push_back(c);
    return out;
}

std::string trim(std::string_view s) {
    const auto ws = " \t\r\n";
    const auto b = s.find_first_not_of(ws);
    if (b == std::string_view::npos)
        return {};
    return std::string(s.substr(b, s.find_last_not_of(ws) - b + 1));
}

std::string text_of(const pugi::xml_node& node) {
    return trim(node.child_value());
}

std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace eseal::document::ofd
