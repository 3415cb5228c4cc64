#include "document/ofd/verify.hpp"

#include <algorithm>
#include <set>

#include "crypto/digest.hpp"
#include "document/ofd/signature_xml.hpp"
#include "pki/x509.hpp"
#include "seal/algorithm_oid.hpp"

namespace eseal::document::ofd {
namespace {

// CheckMethod names the digest (§18.2.2): SM3 by OID or name; SHA-256 by name or OID. MD5 and
// SHA1 (the schema's enumeration) are not accepted: they no longer protect anything.
std::optional<crypto::DigestAlgorithm> check_method(std::string_view m) {
    std::string t;
    for (char c : m) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == kCheckMethodSm3 || t == "sm3")
        return crypto::DigestAlgorithm::sm3;
    if (t == "2.16.840.1.101.3.4.2.1" || t == "sha256" || t == "sha-256")
        return crypto::DigestAlgorithm::sha256;
    return std::nullopt;
}

struct Context {
    const Package& package;
    const DocBodyInfo& body;
    const seal::TrustStore& trust;
    core::TimePoint now;
    const RevocationFetchers& revocation;
};

// The signer's certificate asked about (document/revocation.hpp) once its chain holds: a
// revocation before `now` (the signer's own time is only claimed) makes the seal invalid.
void check_signer_revocation(const Context& c, const seal::SealSignature& sig, SignatureReport& r) {
    auto leaf = pki::parse_certificate(sig.signer_certificate);
    if (!leaf)
        return;
    std::vector<crypto::X509Ptr> cas;
    for (const auto* list : {&c.trust.anchors, &c.trust.intermediates})
        for (const auto& der : *list)
            if (auto ca = pki::parse_certificate(der))
                cas.push_back(std::move(*ca));
    std::vector<const X509*> candidates;
    for (const auto& ca : cas) candidates.push_back(ca.get());
    r.revocation = check_revocation(leaf->get(), candidates, c.revocation, c.now, c.now);
    if (r.revocation.status == RevocationStatus::revoked)
        r.problems.push_back({"ofd.revoked",
                              "the signer's certificate was revoked " +
                                  core::format_utc(*r.revocation.revoked_at) + " (" +
                                  r.revocation.reason + ", " +
                                  std::string(to_string(r.revocation.source)) + ")",
                              r.path});
    else if (r.revocation.status == RevocationStatus::unknown)
        r.problems.push_back({"ofd.revocation_unknown",
                              "the OCSP responder does not know the signer's certificate", r.path});
}

void check_references(const Context& c, const SignatureDescription& d, SignatureReport& r,
                      std::set<std::string>& covered) {
    const auto alg = check_method(d.check_method);
    if (!alg) {
        r.problems.push_back({"ofd.check_method_unsupported",
                              "References/@CheckMethod \"" + d.check_method +
                                  "\" is not SM3 (1.2.156.10197.1.401) or SHA-256",
                              r.path});
        return;
    }
    std::set<std::string> seen;
    for (const auto& ref : d.references) {
        const auto path = resolve_loc(r.path, ref.file_ref);
        if (!path) {
            r.problems.push_back(
                {"ofd.reference_invalid",
                 "FileRef \"" + ref.file_ref + "\" is not a location in the package",
                 ref.file_ref});
            continue;
        }
        if (!seen.insert(*path).second) {
            r.problems.push_back(
                {"ofd.reference_duplicate", "/" + *path + " is referenced twice", ref.file_ref});
            continue;
        }
        covered.insert(*path);
        const Entry* e = c.package.find(*path);
        if (e == nullptr) {
            r.problems.push_back({"ofd.reference_missing",
                                  "/" + *path + " is protected by the signature but missing",
                                  ref.file_ref});
            continue;
        }
        const auto expected = core::base64_decode(ref.check_value);
        if (!expected || *expected != crypto::digest(*alg, e->data))
            r.problems.push_back({"ofd.reference_mismatch",
                                  "/" + *path + " changed after signing (its digest differs)",
                                  ref.file_ref});
    }
    r.references = d.references.size();
    if (d.references.empty())
        r.problems.push_back({"ofd.references_empty", "the signature protects no file", r.path});
}

void check_stamps(const Context& c, const SignatureDescription& d, SignatureReport& r) {
    for (const auto& s : d.stamps) {
        StampPlacement p;
        p.page_id = s.page_ref;
        const auto it = std::find_if(c.body.pages.begin(), c.body.pages.end(),
                                     [&](const PageInfo& pg) { return pg.id == s.page_ref; });
        const auto box = parse_box(s.boundary);
        if (it == c.body.pages.end()) {
            r.problems.push_back({"ofd.stamp_page_unknown",
                                  "StampAnnot " + s.id + " names page " + s.page_ref +
                                      ", which the document does not have",
                                  r.path});
        } else {
            p.page = static_cast<int>(it - c.body.pages.begin()) + 1;
        }
        if (!box) {
            r.problems.push_back(
                {"ofd.stamp_boundary_invalid",
                 "StampAnnot " + s.id + " has no valid Boundary (\"" + s.boundary + "\")", r.path});
        } else {
            p.boundary = *box;
            if (it != c.body.pages.end()) {
                const auto& pb = it->physical_box;
                if (box->x + box->w <= 0 || box->y + box->h <= 0 || box->x >= pb.w ||
                    box->y >= pb.h)
                    r.warnings.push_back(
                        {"ofd.stamp_off_page",
                         "StampAnnot " + s.id + " lies outside page " + std::to_string(p.page),
                         r.path});
            }
        }
        r.stamps.push_back(std::move(p));
    }
    if (d.stamps.empty() && r.type == "Seal")
        r.warnings.push_back({"ofd.stamp_missing", "the seal is not shown on any page", r.path});
}

void check_signed_value(const Context& c, const SignatureDescription& d, const Entry& xml,
                        SignatureReport& r) {
    const auto loc = resolve_loc(r.path, d.signed_value_loc);
    const Entry* value = loc ? c.package.find(*loc) : nullptr;
    if (value == nullptr) {
        r.problems.push_back({"ofd.signed_value_missing",
                              "SignedValue \"" + d.signed_value_loc + "\" is not in the package",
                              r.path});
        return;
    }
    if (*loc == r.path) {
        r.problems.push_back(
            {"ofd.signed_value_invalid", "SignedValue points at Signature.xml itself", r.path});
        return;
    }
    auto sig = seal::parse_signature(value->data);
    if (!sig) {
        r.problems.push_back({sig.error().code, "/" + *loc + ": " + sig.error().message, *loc});
        return;
    }
    const auto alg = seal::signature_algorithm_of_oid(sig->signature_algorithm);
    const auto hash = crypto::digest(
        seal::data_hash_algorithm(alg.value_or(crypto::SignatureAlgorithm::sm2_sm3)), xml.data);
    auto v = seal::verify_signature(*sig, c.trust, c.now, core::ByteView(hash));
    const bool signer_trusted =
        std::none_of(v.problems.begin(), v.problems.end(),
                     [](const core::Problem& p) { return p.code.starts_with("signature.signer"); });
    for (auto& p : v.problems) r.problems.push_back(std::move(p));
    if (signer_trusted && c.revocation.any())
        check_signer_revocation(c, *sig, r);
    if (!d.signature_method.empty() && d.signature_method != sig->signature_algorithm)
        r.problems.push_back({"ofd.signature_method_mismatch",
                              "SignatureMethod " + d.signature_method +
                                  " differs from the SES_Signature's " + sig->signature_algorithm,
                              r.path});
    if (sig->property_info != "/" + r.path && sig->property_info != r.path)
        r.warnings.push_back(
            {"ofd.property_info",
             "the signature's propertyInfo \"" + sig->property_info + "\" does not name /" + r.path,
             r.path});
    // GB/T 38540 §8 / ofdrw: Seal.esl, when present, is the seal the signature carries.
    if (!d.seal_loc.empty()) {
        const auto seal_path = resolve_loc(r.path, d.seal_loc);
        const Entry* esl = seal_path ? c.package.find(*seal_path) : nullptr;
        if (esl == nullptr)
            r.problems.push_back(
                {"ofd.seal_missing", "Seal \"" + d.seal_loc + "\" is not in the package", r.path});
        else if (esl->data != sig->seal.der)
            r.problems.push_back({"ofd.seal_mismatch",
                                  "/" + *seal_path + " is not the seal inside the signature",
                                  *seal_path});
    }
    r.signature = std::move(*sig);
}

SignatureReport verify_one(const Context& c, const std::string& list_path,
                           const SignatureListEntry& e, std::set<std::string>& signature_files,
                           std::set<std::string>& covered) {
    SignatureReport r;
    r.id = e.id;
    r.type = e.type.empty() ? "Seal" : e.type;
    const auto path = resolve_loc(list_path, e.base_loc);
    r.path = path.value_or(e.base_loc);
    const Entry* xml = path ? c.package.find(*path) : nullptr;
    if (xml == nullptr) {
        r.problems.push_back(
            {"ofd.signature_missing",
             "signature " + e.id + ": \"" + e.base_loc + "\" is not in the package", e.base_loc});
        return r;
    }
    if (*path == list_path || !signature_files.insert(*path).second) {
        r.problems.push_back(
            {"ofd.signature_duplicate",
             "signature " + e.id + ": " + *path + " is listed twice or is the list itself",
             e.base_loc});
        return r;
    }
    auto d = parse_signature_xml(xml->data, *path);
    if (!d) {
        r.problems.push_back({d.error().code, d.error().message, *path});
        return r;
    }
    r.signature_date_time = d->signature_date_time;
    r.check_method = d->check_method;
    if (r.type != "Seal")
        r.problems.push_back(
            {"ofd.signature_type_unsupported",
             "signature " + e.id + " is of type " + r.type +
                 " (a GB/T 35275 SignedData); only electronic seals (Seal) are verified",
             *path});
    // The signature's own files are its, not unprotected additions.
    for (const auto& loc : {d->signed_value_loc, d->seal_loc})
        if (auto p = resolve_loc(*path, loc))
            signature_files.insert(*p);
    check_references(c, *d, r, covered);
    check_stamps(c, *d, r);
    if (r.type == "Seal")
        check_signed_value(c, *d, *xml, r);
    return r;
}

}  // namespace

bool Report::ok() const noexcept {
    return problems.empty() && !signatures.empty() &&
           std::all_of(signatures.begin(), signatures.end(),
                       [](const SignatureReport& s) { return s.ok(); });
}

core::Result<Report> verify_package(const Package& package, const seal::TrustStore& trust,
                                    core::TimePoint now, const RevocationFetchers& revocation) {
    auto docs = read_documents(package);
    if (!docs)
        return std::unexpected(docs.error());
    Report report;
    std::set<std::string> signature_files, covered, lists;
    for (const auto& body : *docs) {
        if (!body.signatures)
            continue;
        const auto& list_path = *body.signatures;
        lists.insert(list_path);
        const Entry* e = package.find(list_path);
        if (e == nullptr) {
            report.problems.push_back(
                {"ofd.structure_invalid",
                 "OFD.xml names the signature list /" + list_path + ", which is not in the package",
                 list_path});
            continue;
        }
        auto list = parse_signatures_xml(e->data, list_path);
        if (!list) {
            report.problems.push_back({list.error().code, list.error().message, list_path});
            continue;
        }
        const Context c{package, body, trust, now, revocation};
        for (const auto& entry : list->entries)
            report.signatures.push_back(verify_one(c, list_path, entry, signature_files, covered));
    }
    if (report.signatures.empty() && report.problems.empty())
        report.problems.push_back({"ofd.unsigned", "the document has no signatures", ""});
    // Files no signature protects (other than the lists and the signatures' own files): added
    // after the last signature, or left out on purpose.
    std::vector<std::string> loose;
    for (const auto& e : package.entries())
        if (!covered.contains(e.name) && !lists.contains(e.name) &&
            !signature_files.contains(e.name))
            loose.push_back("/" + e.name);
    if (!report.signatures.empty() && !loose.empty()) {
        std::string names;
        for (const auto& n : loose) names += (names.empty() ? "" : ", ") + n;
        report.warnings.push_back(
            {"ofd.unprotected_files",
             std::to_string(loose.size()) + " file(s) are protected by no signature: " + names,
             ""});
    }
    return report;
}

}  // namespace eseal::document::ofd
