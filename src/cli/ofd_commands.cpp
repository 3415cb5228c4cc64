// `eseal ofd …`: electronic seals on OFD documents (GB/T 33190-2016 §18 with GB/T 38540-2020
// seal signatures): seal a document with a seal and the signer's key (a PEM file or a Ukey), and
// verify every seal of a document.
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/signing_options.hpp"
#include "document/ofd/sign.hpp"
#include "document/ofd/signature_xml.hpp"
#include "document/ofd/verify.hpp"
#include "seal/certificate_info.hpp"
#include "seal/seal_type.hpp"

namespace eseal::cli {
namespace {

namespace ofd = document::ofd;

constexpr std::size_t kMaxSealBytes = 16 * 1024 * 1024;

struct SignOptions {
    SignerOptions signer;
    std::string in, out, seal_file, cert, at, size;
    int page = 1;
};

// "X,Y" in mm.
bool parse_pair(const std::string& text, double& a, double& b) {
    const auto comma = text.find(',');
    if (comma == std::string::npos)
        return false;
    try {
        std::size_t used = 0;
        a = std::stod(text.substr(0, comma), &used);
        if (used != comma)
            return false;
        const auto rest = text.substr(comma + 1);
        b = std::stod(rest, &used);
        return used == rest.size() && std::isfinite(a) && std::isfinite(b);
    } catch (const std::exception&) {
        return false;
    }
}

int do_sign(PlatformHandle& handle, const SignOptions& o) {
    ofd::SealPlacement place;
    place.page = o.page;
    if (!parse_pair(o.at, place.x_mm, place.y_mm))
        return report(invalid("ofd.at_invalid",
                              "--at must be X,Y in mm (e.g. 140,230), not \"" + o.at + "\""));
    if (!o.size.empty() && (!parse_pair(o.size, place.width_mm, place.height_mm) ||
                            place.width_mm <= 0 || place.height_mm <= 0))
        return report(invalid("ofd.size_invalid", "--size must be W,H in mm, both positive"));
    if (o.in == o.out)
        return report(
            invalid("ofd.same_file", "write the sealed document to another file than the input"));
    auto seal_der = read_file(o.seal_file, kMaxSealBytes);
    if (!seal_der)
        return report(seal_der.error());
    auto the_seal = seal::parse_seal(core::as_bytes(*seal_der));
    if (!the_seal) {
        the_seal.error().message = o.seal_file + ": " + the_seal.error().message;
        return report(the_seal.error());
    }
    auto cert = read_optional_certificate(o.cert);
    if (!cert)
        return report(cert.error());
    if (o.signer.key.empty() && o.signer.key_id.empty())
        return report(invalid("ofd.key_id_missing",
                              "--token needs --key-id (the key's CKA_ID in hex, "
                              "or the SKF container name)"));
    auto signer = open_signer(handle, o.signer);
    if (!signer)
        return report(signer.error());
    const core::SystemClock clock;
    auto done = ofd::sign_file(o.in, o.out, {*the_seal, *signer->signer, *cert, place}, clock);
    if (!done)
        return report(done.error());
    std::cout << "sealed " << o.in << " -> " << o.out << "\n"
              << "signature " << done->signature_id << "  /" << done->signature_path << "\n"
              << "seal      " << the_seal->es_id << "  " << the_seal->property.name << "\n"
              << "stamp     page " << o.page << " (ID " << done->page_id << "), boundary "
              << ofd::format_box(done->boundary) << " mm\n"
              << "signed    " << core::format_utc(done->signature.time_info) << ", "
              << done->references << " files protected (SM3)\n";
    return kExitOk;
}

// --- verify
// ---------------------------------------------------------------------------------------

struct VerifyOptions {
    std::string file, at;
    std::vector<std::string> trust;
    bool json = false;
    RevocationOptions revocation;
};

nlohmann::json problems_json(const std::vector<core::Problem>& problems) {
    auto out = nlohmann::json::array();
    for (const auto& p : problems)
        out.push_back({{"code", p.code}, {"message", p.message}, {"field", p.field}});
    return out;
}

std::string signer_subject(const seal::SealSignature& s) {
    auto c = seal::read_certificate(s.signer_certificate, "x");
    return c ? c->subject : std::string("(unreadable certificate)");
}

nlohmann::json report_json(const std::string& file, const ofd::Report& r) {
    nlohmann::json sigs = nlohmann::json::array();
    for (const auto& s : r.signatures) {
        nlohmann::json j{{"id", s.id},
                         {"type", s.type},
                         {"path", "/" + s.path},
                         {"valid", s.ok()},
                         {"signature_date_time", s.signature_date_time},
                         {"check_method", s.check_method},
                         {"references", s.references},
                         {"problems", problems_json(s.problems)},
                         {"warnings", problems_json(s.warnings)}};
        auto stamps = nlohmann::json::array();
        for (const auto& p : s.stamps)
            stamps.push_back({{"page", p.page},
                              {"page_id", p.page_id},
                              {"x_mm", p.boundary.x},
                              {"y_mm", p.boundary.y},
                              {"width_mm", p.boundary.w},
                              {"height_mm", p.boundary.h}});
        j["stamps"] = stamps;
        j["revocation"] = document::to_string(s.revocation.status);
        j["revocation_source"] = document::to_string(s.revocation.source);
        j["revocation_reason"] = s.revocation.reason;
        j["revocation_detail"] = s.revocation.detail;
        if (s.signature) {
            const auto& seal = s.signature->seal;
            j["signed_at"] = core::format_utc(s.signature->time_info);
            j["signer"] = signer_subject(*s.signature);
            j["signature_algorithm"] = s.signature->signature_algorithm;
            j["seal"] = {{"es_id", seal.es_id},
                         {"name", seal.property.name},
                         {"type", seal::describe_seal_type(seal.version, seal.property.type)},
                         {"valid_from", core::format_utc(seal.property.valid_start)},
                         {"valid_to", core::format_utc(seal.property.valid_end)}};
        }
        sigs.push_back(std::move(j));
    }
    return {{"file", file},
            {"valid", r.ok()},
            {"signatures", sigs},
            {"problems", problems_json(r.problems)},
            {"warnings", problems_json(r.warnings)}};
}

void print_problems(const std::vector<core::Problem>& problems, const char* label) {
    for (const auto& p : problems)
        std::cout << "    " << label << ": " << p.message << " [" << p.code << "]\n";
}

void print_report(const std::string& file, const ofd::Report& r) {
    std::cout << file << ": " << r.signatures.size() << " signature(s)\n";
    for (const auto& s : r.signatures) {
        std::cout << "  [" << s.id << "] /" << s.path << "  " << (s.ok() ? "VALID" : "INVALID")
                  << "\n";
        if (s.signature) {
            const auto& seal = s.signature->seal;
            std::cout << "    seal       " << seal.es_id << "  " << seal.property.name << "  "
                      << seal::describe_seal_type(seal.version, seal.property.type) << "\n"
                      << "    signer     " << signer_subject(*s.signature) << "\n"
                      << "    signed     " << core::format_utc(s.signature->time_info);
            if (!s.signature_date_time.empty())
                std::cout << " (SignatureDateTime " << s.signature_date_time << ")";
            std::cout << "\n";
        }
        for (const auto& p : s.stamps)
            std::cout << "    stamp      page " << p.page << " (ID " << p.page_id << ") at "
                      << ofd::format_mm(p.boundary.x) << "," << ofd::format_mm(p.boundary.y)
                      << " mm, " << ofd::format_mm(p.boundary.w) << " x "
                      << ofd::format_mm(p.boundary.h) << " mm\n";
        std::cout << "    revocation " << document::to_string(s.revocation.status)
                  << (s.revocation.source == document::RevocationSource::none
                          ? ""
                          : " (" + std::string(document::to_string(s.revocation.source)) + ")")
                  << (s.revocation.detail.empty() ? "" : ": " + s.revocation.detail) << "\n";
        std::cout << "    references " << s.references << " file(s), "
                  << (s.check_method == ofd::kCheckMethodSm3 ? "SM3 (" + s.check_method + ")"
                                                             : s.check_method)
                  << "\n";
        print_problems(s.problems, "problem");
        print_problems(s.warnings, "warning");
    }
    print_problems(r.problems, "problem");
    print_problems(r.warnings, "warning");
    std::cout << (r.ok() ? "VALID: every signature verifies\n" : "INVALID\n");
}

int do_verify(PlatformHandle& handle, const VerifyOptions& o) {
    auto trust = trust_store(handle, o.trust);
    if (!trust)
        return report(trust.error());
    const core::SystemClock clock;
    core::TimePoint when = clock.now();
    if (!o.at.empty() && !core::parse_utc(o.at, when))
        return report(invalid("date.invalid",
                              "not a date: " + o.at + " (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"));
    auto package = ofd::read_package_file(o.file);
    if (!package)
        return report(package.error());
    const auto fetchers = revocation_fetchers(o.revocation);
    auto r = ofd::verify_package(*package, *trust, when, fetchers);
    if (!r)
        return report(r.error());
    if (o.json)
        std::cout << report_json(o.file, *r).dump(2) << "\n";
    else
        print_report(o.file, *r);
    return r->ok() ? kExitOk : kExitFailed;
}

}  // namespace

void add_ofd_commands(CLI::App& app, PlatformHandle& platform, Handler& selected) {
    auto* cmd = app.add_subcommand(
        "ofd", "electronic seals on OFD documents (GB/T 33190 §18, GB/T 38540 seal signatures)");
    cmd->require_subcommand(1);

    auto sign = std::make_shared<SignOptions>();
    auto* c_sign = cmd->add_subcommand("sign",
                                       "seal an OFD document: adds Doc_0/Signs/Sign_N/ "
                                       "(Signature.xml with SM3 References over every file, "
                                       "Seal.esl, SignedValue.dat = SES_Signature over "
                                       "SM3(Signature.xml)); earlier seals stay valid");
    c_sign->add_option("in", sign->in, "the OFD document")->required();
    c_sign
        ->add_option("out", sign->out,
                     "where to write the sealed document (written only on success)")
        ->required();
    c_sign->add_option("--seal", sign->seal_file, "the seal (.esl, GB/T 38540 V4)")->required();
    const auto flags = add_signer_options(*c_sign, sign->signer,
                                          "or: the serial of the Ukey holding the signer's key");
    flags.key->excludes(flags.token);
    flags.token->excludes(flags.key);
    c_sign->add_option("--cert", sign->cert,
                       "the signer's certificate (default: the seal's certificate for the key)");
    c_sign->add_option("--page", sign->page, "the page to stamp, from 1")->capture_default_str();
    c_sign
        ->add_option("--at", sign->at,
                     "X,Y in mm: where the seal's centre goes, from the page's top-left corner "
                     "(X rightwards, Y downwards), as in `eseal pdf sign`")
        ->required();
    c_sign->add_option("--size", sign->size, "W,H in mm (default: the seal picture's size)");
    c_sign->callback([&, sign] {
        selected = [&, sign] {
            if (sign->signer.key.empty() && sign->signer.token.empty())
                return report(invalid("ofd.signer_missing",
                                      "give the signer's key: --key FILE or --token SERIAL"));
            return do_sign(platform, *sign);
        };
    });

    auto verify = std::make_shared<VerifyOptions>();
    auto* c_verify = cmd->add_subcommand(
        "verify",
        "verify every seal of an OFD document: protected files unchanged, seal signature, signer "
        "in the seal "
        "and under the trust anchors, revocation of the signer's certificate (OCSP, else the CRL), "
        "the "
        "seal and its maker, times; exit 0 only if all are valid");
    c_verify->add_option("file", verify->file, "the OFD document")->required();
    add_trust_option(*c_verify, verify->trust);
    c_verify->add_option("--at", verify->at, "judge at this time (default now)");
    c_verify->add_flag("--json", verify->json, "print the report as JSON");
    add_revocation_options(*c_verify, verify->revocation);
    c_verify->callback(
        [&, verify] { selected = [&, verify] { return do_verify(platform, *verify); }; });
}

}  // namespace eseal::cli
