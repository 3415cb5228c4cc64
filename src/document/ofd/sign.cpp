#include "document/ofd/sign.hpp"

#include <ctime>

#include "crypto/digest.hpp"
#include "document/ofd/signature_xml.hpp"
#include "seal/algorithm_oid.hpp"

namespace eseal::document::ofd {
namespace {

// When the seal picture gives no size: the usual round official seal (GA 241-2000: 40-42 mm).
constexpr double kDefaultSealMm = 40;
// Boundaries are written to 0.001 mm; a seal flush with the page edge must not be refused for it.
constexpr double kEdgeTolerance = 0.001;

std::string signature_date_time(core::TimePoint t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%SZ", &tm);
    return buf;
}

core::Problem problem(std::string code, std::string message, std::string field) {
    return {std::move(code), std::move(message), std::move(field)};
}

}  // namespace

core::Result<Signed> sign_package(const Package& input, const SignRequest& request,
                                  const core::Clock& clock) {
    auto docs = read_documents(input);
    if (!docs)
        return std::unexpected(docs.error());
    const DocBodyInfo& body = docs->front();  // the first document is the one sealed (as ofdrw)
    const auto& place = request.placement;
    std::vector<core::Problem> problems;

    const PageInfo* page = nullptr;
    if (place.page < 1 || static_cast<std::size_t>(place.page) > body.pages.size())
        problems.push_back(problem("ofd.page_invalid",
                                   "page " + std::to_string(place.page) +
                                       " does not exist; the document has " +
                                       std::to_string(body.pages.size()) + " page(s)",
                                   "page"));
    else
        page = &body.pages[static_cast<std::size_t>(place.page - 1)];
    const auto& picture = request.seal.picture;
    Box box{0, 0,
            place.width_mm > 0     ? place.width_mm
            : picture.width_mm > 0 ? picture.width_mm
                                   : kDefaultSealMm,
            place.height_mm > 0     ? place.height_mm
            : picture.height_mm > 0 ? picture.height_mm
                                    : kDefaultSealMm};
    box.x = place.x_mm - box.w / 2;
    box.y = place.y_mm - box.h / 2;
    if (page != nullptr) {
        const auto& pb = page->physical_box;
        if (box.x < 0 || box.y < 0 || box.x + box.w > pb.w + kEdgeTolerance ||
            box.y + box.h > pb.h + kEdgeTolerance)
            problems.push_back(problem("ofd.stamp_off_page",
                                       "a " + format_mm(box.w) + " x " + format_mm(box.h) +
                                           " mm seal centred at (" + format_mm(place.x_mm) + ", " +
                                           format_mm(place.y_mm) + ") mm does not fit on page " +
                                           std::to_string(place.page) + " (" + format_mm(pb.w) +
                                           " x " + format_mm(pb.h) + " mm)",
                                       "at"));
    }

    // The signature list: the one OFD.xml names, or a new one in the document's Signs folder.
    const std::string doc_dir = parent_of(body.doc_root);
    const std::string list_path =
        body.signatures ? *body.signatures
                        : (doc_dir.empty() ? "" : doc_dir + "/") + "Signs/Signatures.xml";
    std::optional<SignatureList> list;
    if (body.signatures) {
        const Entry* e = input.find(list_path);
        if (e == nullptr) {
            problems.push_back(problem(
                "ofd.structure_invalid",
                "OFD.xml names the signature list " + list_path + ", which is not in the package",
                list_path));
        } else if (auto l = parse_signatures_xml(e->data, list_path); !l) {
            problems.push_back({l.error().code, l.error().message, list_path});
        } else {
            list = std::move(*l);
        }
    }
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "ofd.sign_refused",
                          "the document cannot be sealed as asked", std::move(problems));

    int next = 1;
    if (list) {
        if (auto n = sign_id_number(list->max_sign_id))
            next = std::max(next, *n + 1);
        for (const auto& e : list->entries)
            if (auto n = sign_id_number(e.id))
                next = std::max(next, *n + 1);
    }
    const std::string signs_dir = parent_of(list_path);
    std::string sign_dir;
    for (int k = 0;; ++k) {
        sign_dir = (signs_dir.empty() ? "" : signs_dir + "/") + "Sign_" + std::to_string(k);
        const auto prefix = sign_dir + "/";
        const bool used = std::any_of(input.entries().begin(), input.entries().end(),
                                      [&](const Entry& e) { return e.name.starts_with(prefix); });
        if (!used)
            break;
    }

    Package out = input;
    if (!body.signatures) {
        // GB/T 33190 §7.4 table 4: DocBody/Signatures, the last element of DocBody, locates the
        // list. Inserted as text so the rest of OFD.xml keeps its bytes.
        const Entry* ofd_xml = out.find("OFD.xml");
        std::string text = core::to_string(ofd_xml->data);
        const std::string close = "</" + body.ofd_xml_prefix + "DocBody>";
        const auto at = text.find(close);
        if (at == std::string::npos)
            return core::fail(core::Errc::invalid_input, "ofd.structure_invalid",
                              "OFD.xml: cannot find " + close);
        text.insert(at, "<" + body.ofd_xml_prefix + "Signatures>/" + list_path + "</" +
                            body.ofd_xml_prefix + "Signatures>");
        out.put("OFD.xml", core::to_bytes(text));
    }

    // Fix the time once: SignatureDateTime and TBS_Sign.timeInfo say the same second.
    const core::ManualClock at(clock.now());
    const std::string base = "/" + sign_dir;
    SignatureDescription d;
    d.provider_version = "0.1";
    d.provider_company = "eseal";
    d.signature_method = std::string(seal::signature_oid(request.signer.algorithm()));
    d.signature_date_time = signature_date_time(at.now());
    // §18.2.2: every file of the package at this moment, except the list (it grows with later
    // signatures) and this signature's own files.
    for (const auto& e : out.entries()) {
        if (e.name == list_path || e.name.starts_with(sign_dir + "/"))
            continue;
        d.references.push_back({"/" + e.name, core::base64_encode(crypto::sm3(e.data))});
    }
    d.stamps.push_back({"1", page->id, format_box(box)});
    d.seal_loc = base + "/Seal.esl";
    d.signed_value_loc = base + "/SignedValue.dat";
    const std::string xml = build_signature_xml(d);

    // GB/T 38540-2020 §8: dataHash is the hash of the signed original, here Signature.xml.
    const auto hash =
        crypto::digest(seal::data_hash_algorithm(request.signer.algorithm()), core::as_bytes(xml));
    auto sig = seal::make_signature(request.seal, hash, base + "/Signature.xml", request.signer,
                                    request.signer_certificate, at);
    if (!sig)
        return std::unexpected(sig.error());

    out.put(sign_dir + "/Signature.xml", core::to_bytes(xml));
    out.put(sign_dir + "/Seal.esl", request.seal.der);
    out.put(sign_dir + "/SignedValue.dat", sig->der);
    const SignatureListEntry entry{sign_id(next), "Seal", base + "/Signature.xml"};
    if (list) {
        auto extended = extend_signatures_xml(input.find(list_path)->data, list_path, entry);
        if (!extended)
            return std::unexpected(extended.error());
        out.put(list_path, core::to_bytes(*extended));
    } else {
        out.put(list_path, core::to_bytes(build_signatures_xml(entry)));
    }
    Signed result{std::move(out),      entry.id,       sign_dir + "/Signature.xml", page->id, box,
                  d.references.size(), std::move(*sig)};
    return result;
}

core::Result<Signed> sign_file(const std::filesystem::path& in, const std::filesystem::path& out,
                               const SignRequest& request, const core::Clock& clock,
                               const PackageLimits& limits) {
    auto package = read_package_file(in, limits);
    if (!package)
        return std::unexpected(package.error());
    auto signed_ = sign_package(*package, request, clock);
    if (!signed_)
        return signed_;
    if (auto w = write_package_file(signed_->package, out); !w)
        return std::unexpected(w.error());
    return signed_;
}

}  // namespace eseal::document::ofd
