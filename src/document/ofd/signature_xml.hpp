#pragma once
// The signature list (Signatures.xml, GB/T 33190-2016 §18.1) and a signature's description
// (Signature.xml, §18.2): built here byte for byte (the seal signs SM3 of these exact bytes, GB/T
// 38540-2020 §8) and read back.
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "document/ofd/ofd_document.hpp"

namespace eseal::document::ofd {

// GB/T 33190 §18.2.2: References/@CheckMethod; SM3 by its OID (GM/T 0006).
inline constexpr std::string_view kCheckMethodSm3 = "1.2.156.10197.1.401";

struct SignatureListEntry {
    std::string id;        // "s001"
    std::string type;      // "Seal" (安全签章, the default) or "Sign" (纯数字签名)
    std::string base_loc;  // as written
};

struct SignatureList {
    std::string max_sign_id;  // MaxSignId, "sNNN" (§18.1 table 66)
    std::vector<SignatureListEntry> entries;
};

struct Reference {
    std::string file_ref;     // as written: "/Doc_0/Document.xml"
    std::string check_value;  // base64 of the digest, as written
};

struct StampAnnot {
    std::string id;
    std::string page_ref;  // the page's ID
    std::string boundary;  // ST_Box in mm, as written
};

struct SignatureDescription {
    std::string provider_name = "eseal";
    std::string provider_version;
    std::string provider_company;
    std::string signature_method;     // dotted OID
    std::string signature_date_time;  // "YYYYMMDDhhmmssZ"
    std::string check_method = std::string(kCheckMethodSm3);
    std::vector<Reference> references;
    std::vector<StampAnnot> stamps;
    std::string seal_loc;          // Seal/BaseLoc, empty when absent
    std::string signed_value_loc;  // SignedValue
};

// Signature.xml in the schema's element order (§18.2 figure 86), UTF-8, no indentation.
[[nodiscard]] std::string build_signature_xml(const SignatureDescription& d);
// Errors: ofd.xml_malformed, ofd.signature_xml_invalid (required parts missing), naming `file`.
[[nodiscard]] core::Result<SignatureDescription> parse_signature_xml(core::ByteView data,
                                                                     std::string_view file);

[[nodiscard]] core::Result<SignatureList> parse_signatures_xml(core::ByteView data,
                                                               std::string_view file);
// A new list holding one entry.
[[nodiscard]] std::string build_signatures_xml(const SignatureListEntry& first);
// The list with one more entry and MaxSignId raised to its ID; other content is kept.
[[nodiscard]] core::Result<std::string> extend_signatures_xml(core::ByteView data,
                                                              std::string_view file,
                                                              const SignatureListEntry& entry);

// "s001" -> 1; nullopt for other shapes.
[[nodiscard]] std::optional<int> sign_id_number(std::string_view id);
[[nodiscard]] std::string sign_id(int n);

}  // namespace eseal::document::ofd
