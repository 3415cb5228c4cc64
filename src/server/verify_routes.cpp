#include "server/verify_routes.hpp"

#include <array>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/bytes.hpp"
#include "document/ofd/verify.hpp"
#include "document/pdf/pdf_verify.hpp"
#include "seal/certificate_info.hpp"
#include "seal/seal_type.hpp"
#include "seal/trust.hpp"
#include "server/api_support.hpp"

namespace eseal::server {
namespace {

using nlohmann::json;
namespace ofd = document::ofd;
namespace pdf = document::pdf;

// The uploaded file goes whatever the outcome.
struct RemoveOnExit {
    std::filesystem::path file;
    ~RemoveOnExit() {
        std::error_code ec;
        std::filesystem::remove(file, ec);
    }
};

enum class Kind { pdf, ofd, unknown };

// By content, not by name: a PDF's header "%PDF-" (ISO 32000-1 §7.5.2; readers accept it within
// the first 1024 bytes), an OFD is a ZIP package (GB/T 33190-2016 §7.1) whose local file header
// starts "PK\3\4" (PKWARE APPNOTE §4.3.7); that it holds OFD.xml is the OFD reader's to check.
Kind sniff(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::array<char, 1024> head{};
    in.read(head.data(), head.size());
    const std::string_view h(head.data(), static_cast<std::size_t>(in.gcount()));
    if (h.starts_with("PK\x03\x04"))
        return Kind::ofd;
    if (h.find("%PDF-") != std::string_view::npos)
        return Kind::pdf;
    return Kind::unknown;
}

json problems_json(const std::vector<core::Problem>& problems) {
    json out = json::array();
    for (const auto& p : problems) {
        json j{{"code", p.code}, {"message", p.message}};
        if (!p.field.empty())
            j["field"] = p.field;
        out.push_back(std::move(j));
    }
    return out;
}

// O and organizationIdentifier (the unified social credit code, GB 32100, as our certificate
// profiles put it) out of an RFC 2253 subject (RFC 4514 §2: ',' separates, '\' escapes).
json subject_json(const std::string& subject) {
    json out{{"subject", subject}, {"organization", nullptr}, {"credit_code", nullptr}};
    std::string key, value;
    bool in_value = false;
    auto flush = [&] {
        if (key == "O")
            out["organization"] = value;
        else if (key == "organizationIdentifier" || key == "2.5.4.97")
            out["credit_code"] = value;
        key.clear();
        value.clear();
        in_value = false;
    };
    for (std::size_t i = 0; i < subject.size(); ++i) {
        const char c = subject[i];
        if (c == '\\' && i + 1 < subject.size()) {
            (in_value ? value : key) += subject[++i];
        } else if (c == '=' && !in_value) {
            in_value = true;
        } else if ((c == ',' || c == '+') && in_value) {
            flush();
        } else {
            (in_value ? value : key) += c;
        }
    }
    flush();
    return out;
}

// The seal's picture (SES_ESPictureInfo, GB/T 38540-2020 §6.1) as a data URL an <img> can show;
// null for a type a browser cannot draw (e.g. "OFD") or bytes that are not what the type says.
json picture_url(const seal::SealPicture& picture) {
    std::string type = picture.type;
    for (auto& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto starts = [&](std::string_view magic) {
        return picture.data.size() >= magic.size() &&
               std::equal(magic.begin(), magic.end(), picture.data.begin(),
                          [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
    };
    std::string mime;
    if (type == "PNG" && starts("\x89PNG\r\n\x1a\n"))
        mime = "image/png";
    else if ((type == "JPG" || type == "JPEG") && starts("\xff\xd8\xff"))
        mime = "image/jpeg";
    else if (type == "GIF" && starts("GIF8"))
        mime = "image/gif";
    else if (type == "BMP" && starts("BM"))
        mime = "image/bmp";
    else
        return nullptr;
    return "data:" + mime + ";base64," + core::base64_encode(picture.data);
}

bool has_any(const std::vector<core::Problem>& problems,
             std::initializer_list<std::string_view> codes) {
    for (const auto& p : problems)
        for (auto c : codes)
            if (p.code == c)
                return true;
    return false;
}

// Integrity: the covered files hash as listed and the seal signature over them verifies
// (GB/T 33190-2016 §18.2, GB/T 38540-2020 §8). Chain: the signer's and the maker's certificates
// lead to one of our anchors and were valid.
json ofd_signature(const ofd::SignatureReport& s) {
    const bool integrity = !has_any(
        s.problems,
        {"ofd.reference_mismatch", "ofd.reference_missing", "ofd.reference_invalid",
         "ofd.references_empty", "ofd.signed_value_missing", "ofd.signed_value_invalid",
         "ofd.seal_mismatch", "signature.data_hash_mismatch", "signature.signature_invalid",
         "signature.malformed", "seal.signature_invalid", "seal.malformed"});
    const bool chain =
        s.signature.has_value() &&
        !has_any(s.problems, {"signature.signer_untrusted", "signature.certificate_expired",
                              "signature.certificate_invalid", "seal.maker_untrusted",
                              "seal.maker_certificate_expired", "seal.maker_certificate_invalid",
                              "seal.signer_certificate_invalid"});
    json j{{"id", s.id},
           {"type", s.type},
           {"valid", s.ok()},
           {"integrity", integrity},
           {"chain", chain},
           {"signer", nullptr},
           {"seal", nullptr},
           {"signed_at", nullptr},
           {"claimed_time",
            s.signature_date_time.empty() ? json(nullptr) : json(s.signature_date_time)},
           {"time_stamp", nullptr},
           {"image", nullptr},
           {"pages", json::array()},
           {"problems", problems_json(s.problems)},
           {"warnings", problems_json(s.warnings)}};
    for (const auto& p : s.stamps) j["pages"].push_back(p.page);
    if (s.signature) {
        const auto& seal = s.signature->seal;
        auto cert = seal::read_certificate(s.signature->signer_certificate,
                                           "signature.certificate_invalid");
        j["signer"] = subject_json(cert ? cert->subject : std::string());
        j["seal"] = {{"name", seal.property.name},
                     {"type", seal::describe_seal_type(seal.version, seal.property.type)},
                     {"es_id", seal.es_id},
                     {"valid_from", core::format_utc(seal.property.valid_start)},
                     {"valid_to", core::format_utc(seal.property.valid_end)}};
        j["signed_at"] = core::format_utc(s.signature->time_info);
        // GB/T 38540-2020 §8.1 timeStamp: carried, not judged here (our signer does not add one).
        if (s.signature->time_stamp)
            j["time_stamp"] = {{"present", true}, {"checked", false}};
        j["image"] = picture_url(seal.picture);
    }
    return j;
}

json pdf_signature(const pdf::SignatureCheck& s) {
    const bool integrity = s.byte_range_ok && s.digest_ok && s.signature_ok &&
                           s.signing_certificate_ok && s.later_changes_allowed;
    json j{{"id", s.field_name},
           {"type", s.sub_filter},
           {"valid", s.valid()},
           {"integrity", integrity},
           {"chain", s.chain_ok},
           {"signer", subject_json(s.signer)},
           {"seal", nullptr},  // a PAdES signature carries no GB/T 38540 seal
           {"signed_at", nullptr},
           {"claimed_time", s.signing_time.empty() ? json(nullptr) : json(s.signing_time)},
           {"time_stamp", nullptr},
           // The picture the widget's appearance draws, with its soft mask, as a PNG.
           {"image", s.seal_png.empty()
                         ? json(nullptr)
                         : json("data:image/png;base64," + core::base64_encode(s.seal_png))},
           {"has_seal_image", s.seal_image},
           {"revocation", std::string(pdf::to_string(s.revocation))},
           {"modified_after", s.modified_after},
           {"problems", problems_json(s.problems)},
           {"warnings", json::array()}};
    if (s.time_stamp) {
        j["time_stamp"] = {{"present", true},
                           {"checked", true},
                           {"ok", s.time_stamp->ok},
                           {"time", s.time_stamp->time},
                           {"tsa", s.time_stamp->tsa}};
        if (s.time_stamp->ok)
            j["signed_at"] = s.time_stamp->time;
    }
    return j;
}

// A document we could not read is the sender's problem (422); our own failures stay 5xx. The
// readers name the file they read: the sender is told "the document", not our temp path.
Response unreadable(const core::Error& e, const std::filesystem::path& file) {
    std::string message = e.message;
    const std::string path = file.string();
    for (auto at = message.find(path); at != std::string::npos; at = message.find(path, at))
        message.replace(at, path.size(), "the document");
    switch (e.kind) {
        case core::Errc::invalid_input:
        case core::Errc::unsupported:
        case core::Errc::crypto:
        case core::Errc::not_found:
            return problem_response(422, e.code, message);
        default:
            return problem_response(e.kind == core::Errc::io ? 500 : status_of(e), e.code, message);
    }
}

Response verify(const VerifyContext& ctx, const Request& req) {
    if (!req.upload)
        return problem_response(400, "verify.body",
                                "send the document (PDF or OFD) as the request body");
    const RemoveOnExit cleanup{req.upload->file};
    if (req.upload->size == 0)
        return problem_response(422, "verify.empty",
                                "the request body is empty: send a PDF or OFD document");
    const Kind kind = sniff(req.upload->file);
    if (kind == Kind::unknown)
        return problem_response(
            422, "verify.unsupported",
            "not a PDF (no %PDF- header) nor an OFD (not a ZIP package): only PDF and OFD "
            "documents can be verified");
    auto cas = ctx.cas.list_cas();
    if (!cas)
        return problem_response(cas.error());
    std::vector<core::Bytes> certs;
    for (const auto& ca : *cas) certs.push_back(ca.certificate);
    const auto now = ctx.clock.now();
    json out{{"file_size", req.upload->size},
             {"sha256", req.upload->sha256_hex},
             {"verified_at", core::format_utc(now)},
             {"trusted_cas", cas->size()}};
    if (kind == Kind::ofd) {
        auto package = ofd::read_package_file(req.upload->file);
        if (!package)
            return unreadable(package.error(), req.upload->file);
        auto report = ofd::verify_package(*package, seal::trust_store_of(certs), now);
        if (!report)
            return unreadable(report.error(), req.upload->file);
        out["kind"] = "ofd";
        out["valid"] = report->ok();
        out["signatures"] = json::array();
        for (const auto& s : report->signatures) out["signatures"].push_back(ofd_signature(s));
        out["problems"] = problems_json(report->problems);
        out["warnings"] = problems_json(report->warnings);
    } else {
        // Revocation is not asked here: OCSP from inside a request would call out (or back into
        // this server) on every upload; the report says "not_checked".
        pdf::VerifyOptions options;
        options.trust = certs;
        options.now = now;
        auto report = pdf::verify_pdf(req.upload->file.string(), options);
        if (!report)
            return unreadable(report.error(), req.upload->file);
        out["kind"] = "pdf";
        out["valid"] = report->all_valid();
        out["signatures"] = json::array();
        for (const auto& s : report->signatures) out["signatures"].push_back(pdf_signature(s));
        out["problems"] = json::array();
        if (report->signatures.empty())
            out["problems"].push_back(
                {{"code", "pdf.unsigned"}, {"message", "the PDF has no signature"}});
        out["warnings"] = json::array();
    }
    return json_response(200, out);
}

}  // namespace

void add_verify_routes(Router& router, VerifyContext context) {
    auto ctx = std::make_shared<VerifyContext>(std::move(context));
    router.add_upload("POST", "/api/v1/verify",
                      UploadSpec{ctx->upload_limit, [ctx] { return ctx->temp_file(); }},
                      [ctx](const Request& req, const Captures&) { return verify(*ctx, req); });
}

}  // namespace eseal::server
