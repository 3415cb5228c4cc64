#include "document/ofd/signature_xml.hpp"

#include <charconv>
#include <cstdio>
#include <sstream>

#include "document/ofd/xml.hpp"

namespace eseal::document::ofd {
namespace {

constexpr std::string_view kDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

std::string signature_entry(const SignatureListEntry& e, const std::string& prefix) {
    return "<" + prefix + "Signature ID=\"" + xml_escape(e.id) + "\" Type=\"" + xml_escape(e.type) +
           "\" BaseLoc=\"" + xml_escape(e.base_loc) + "\"/>";
}

core::Error invalid(std::string_view file, std::string what) {
    return core::Error{core::Errc::invalid_input,
                       "ofd.signature_xml_invalid",
                       std::string(file) + ": " + what,
                       {}};
}

}  // namespace

std::optional<int> sign_id_number(std::string_view id) {
    if (id.size() < 2 || (id[0] != 's' && id[0] != 'S'))
        return std::nullopt;
    int n = 0;
    const auto [ptr, ec] = std::from_chars(id.data() + 1, id.data() + id.size(), n);
    if (ec != std::errc() || ptr != id.data() + id.size() || n < 0)
        return std::nullopt;
    return n;
}

std::string sign_id(int n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "s%03d", n);
    return buf;
}

std::string build_signature_xml(const SignatureDescription& d) {
    std::string x(kDeclaration);
    x += "<ofd:Signature xmlns:ofd=\"" + std::string(kOfdNamespace) + "\"><ofd:SignedInfo>";
    x += "<ofd:Provider ProviderName=\"" + xml_escape(d.provider_name) + "\"";
    if (!d.provider_version.empty())
        x += " Version=\"" + xml_escape(d.provider_version) + "\"";
    if (!d.provider_company.empty())
        x += " Company=\"" + xml_escape(d.provider_company) + "\"";
    x += "/>";
    if (!d.signature_method.empty())
        x += "<ofd:SignatureMethod>" + xml_escape(d.signature_method) + "</ofd:SignatureMethod>";
    if (!d.signature_date_time.empty())
        x += "<ofd:SignatureDateTime>" + xml_escape(d.signature_date_time) +
             "</ofd:SignatureDateTime>";
    x += "<ofd:References CheckMethod=\"" + xml_escape(d.check_method) + "\">";
    for (const auto& r : d.references)
        x += "<ofd:Reference FileRef=\"" + xml_escape(r.file_ref) + "\"><ofd:CheckValue>" +
             xml_escape(r.check_value) + "</ofd:CheckValue></ofd:Reference>";
    x += "</ofd:References>";
    for (const auto& s : d.stamps)
        x += "<ofd:StampAnnot ID=\"" + xml_escape(s.id) + "\" PageRef=\"" + xml_escape(s.page_ref) +
             "\" Boundary=\"" + xml_escape(s.boundary) + "\"/>";
    if (!d.seal_loc.empty())
        x += "<ofd:Seal><ofd:BaseLoc>" + xml_escape(d.seal_loc) + "</ofd:BaseLoc></ofd:Seal>";
    x += "</ofd:SignedInfo><ofd:SignedValue>" + xml_escape(d.signed_value_loc) +
         "</ofd:SignedValue></ofd:Signature>";
    return x;
}

core::Result<SignatureDescription> parse_signature_xml(core::ByteView data, std::string_view file) {
    pugi::xml_document doc;
    if (auto r = parse_xml(doc, data, file); !r)
        return std::unexpected(r.error());
    const auto root = doc.document_element();
    if (local_name(root) != "Signature")
        return std::unexpected(invalid(file, "the root element is not Signature"));
    const auto info = child(root, "SignedInfo");
    if (!info)
        return std::unexpected(invalid(file, "SignedInfo is missing"));
    SignatureDescription d;
    const auto provider = child(info, "Provider");
    d.provider_name = provider.attribute("ProviderName").value();
    d.provider_version = provider.attribute("Version").value();
    d.provider_company = provider.attribute("Company").value();
    d.signature_method = text_of(child(info, "SignatureMethod"));
    d.signature_date_time = text_of(child(info, "SignatureDateTime"));
    const auto refs = child(info, "References");
    if (!refs)
        return std::unexpected(invalid(file, "References is missing"));
    // GB/T 33190 §18.2.2 table 68: CheckMethod defaults to MD5.
    const auto method = refs.attribute("CheckMethod");
    d.check_method = method ? trim(method.value()) : "MD5";
    for (const auto& r : children(refs, "Reference"))
        d.references.push_back({r.attribute("FileRef").value(), text_of(child(r, "CheckValue"))});
    for (const auto& s : children(info, "StampAnnot"))
        d.stamps.push_back({s.attribute("ID").value(), s.attribute("PageRef").value(),
                            s.attribute("Boundary").value()});
    d.seal_loc = text_of(child(child(info, "Seal"), "BaseLoc"));
    d.signed_value_loc = text_of(child(root, "SignedValue"));
    if (d.signed_value_loc.empty())
        return std::unexpected(invalid(file, "SignedValue is missing"));
    return d;
}

core::Result<SignatureList> parse_signatures_xml(core::ByteView data, std::string_view file) {
    pugi::xml_document doc;
    if (auto r = parse_xml(doc, data, file); !r)
        return std::unexpected(r.error());
    const auto root = doc.document_element();
    if (local_name(root) != "Signatures")
        return std::unexpected(invalid(file, "the root element is not Signatures"));
    SignatureList list;
    list.max_sign_id = text_of(child(root, "MaxSignId"));
    for (const auto& s : children(root, "Signature")) {
        const auto type = s.attribute("Type");
        list.entries.push_back({s.attribute("ID").value(), type ? type.value() : "Seal",
                                s.attribute("BaseLoc").value()});
    }
    return list;
}

std::string build_signatures_xml(const SignatureListEntry& first) {
    return std::string(kDeclaration) + "<ofd:Signatures xmlns:ofd=\"" + std::string(kOfdNamespace) +
           "\"><ofd:MaxSignId>" + xml_escape(first.id) + "</ofd:MaxSignId>" +
           signature_entry(first, "ofd:") + "</ofd:Signatures>";
}

core::Result<std::string> extend_signatures_xml(core::ByteView data, std::string_view file,
                                                const SignatureListEntry& entry) {
    pugi::xml_document doc;
    if (auto r = parse_xml(doc, data, file); !r)
        return std::unexpected(r.error());
    auto root = doc.document_element();
    if (local_name(root) != "Signatures")
        return std::unexpected(invalid(file, "the root element is not Signatures"));
    const auto prefix = prefix_of(root);
    auto max = child(root, "MaxSignId");
    if (!max)
        max = root.prepend_child((prefix + "MaxSignId").c_str());
    max.text().set(entry.id.c_str());
    auto s = root.append_child((prefix + "Signature").c_str());
    s.append_attribute("ID").set_value(entry.id.c_str());
    s.append_attribute("Type").set_value(entry.type.c_str());
    s.append_attribute("BaseLoc").set_value(entry.base_loc.c_str());
    std::ostringstream out;
    doc.save(out, "", pugi::format_raw, pugi::encoding_utf8);
    return out.str();
}

}  // namespace eseal::document::ofd
