// `eseal seal …`: electronic seals (GB/T 38540-2020 V4 SESeal, read also GM/T 0031-2014 V1):
// draw a seal picture, make a seal signed by the platform's seal maker, show it, verify it, and
// sign a file's hash with it into a SES_Signature.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/signing_options.hpp"
#include "seal/algorithm_oid.hpp"
#include "seal/certificate_info.hpp"
#include "seal/image.hpp"
#include "seal/seal_verify.hpp"
#include "seal/ses_signature.hpp"

namespace eseal::cli {
namespace {

constexpr std::size_t kMaxSealBytes = 16 * 1024 * 1024;
constexpr std::size_t kMaxScanBytes = 32 * 1024 * 1024;
const std::vector<std::string> kTypes = {"official", "contract", "finance", "invoice", "legal-rep"};

struct DesignOptions {
    std::string type = "official";
    std::string name, code, taxpayer, scan;
    double scan_width_mm = 0;
    int dpi = seal::kMinDpi;
};

void add_design_options(CLI::App& cmd, DesignOptions& o) {
    cmd.add_option("--type", o.type,
                   "official (公章, round), contract (合同专用章), finance (财务专用章), invoice "
                   "(发票专用章, oval), "
                   "legal-rep (法定代表人名章, square)")
        ->check(CLI::IsMember(kTypes))
        ->capture_default_str();
    cmd.add_option(
        "--name", o.name,
        "the organization's name (1-40 characters), or for legal-rep the person's (2-4)");
    cmd.add_option("--code", o.code, "13-digit seal code along the lower arc (round seals)");
    cmd.add_option("--taxpayer", o.taxpayer,
                   "taxpayer number across the invoice seal (15-20 characters)");
    cmd.add_option("--scan", o.scan,
                   "use this scan of a physical seal (PNG or JPEG) instead of drawing one");
    cmd.add_option("--scan-width", o.scan_width_mm,
                   "physical width of the scanned seal in mm (default: the kind's)");
    cmd.add_option("--dpi", o.dpi, "PNG resolution (at least 300)")->capture_default_str();
}

core::Result<seal::SealImage> picture(const DesignOptions& o) {
    const auto kind = seal::parse_seal_kind(o.type);
    if (!kind)
        return std::unexpected(invalid("seal.type_unknown", "unknown seal type " + o.type));
    if (!o.scan.empty()) {
        auto data = read_file(o.scan, kMaxScanBytes);
        if (!data)
            return std::unexpected(data.error());
        const double usual = seal::info(*kind).shape == seal::SealShape::round  ? 42
                             : seal::info(*kind).shape == seal::SealShape::oval ? 40
                                                                                : 20;
        return seal::import_seal_scan(core::as_bytes(*data),
                                      o.scan_width_mm > 0 ? o.scan_width_mm : usual);
    }
    if (o.name.empty())
        return std::unexpected(invalid("seal.name_missing", "give the seal's name (--name)"));
    return seal::render_seal({*kind, o.name, o.code, o.taxpayer, o.dpi});
}

core::Result<void> write_picture(const seal::SealImage& img, const std::string& png,
                                 const std::string& svg) {
    if (!png.empty())
        if (auto w = write_bytes(png, img.png); !w)
            return w;
    if (!svg.empty()) {
        if (img.svg.empty())
            return core::fail(core::Errc::unsupported, "seal.no_svg", "a scanned seal has no SVG");
        if (auto w = write_file(svg, img.svg); !w)
            return w;
    }
    return {};
}

// --- seal make ---------------------------------------------------------------------------------

struct MakeOptions {
    DesignOptions design;
    std::string maker_key, maker_cert, out, png, svg, es_id;
    std::vector<std::string> certs;
    int valid_years = 3;
};

int do_make(const MakeOptions& o) {
    const auto kind = seal::parse_seal_kind(o.design.type);
    if (!kind)
        return report(invalid("seal.type_unknown", "unknown seal type " + o.design.type));
    if (o.design.name.empty())
        return report(invalid("seal.name_missing", "give the seal's name (--name)"));
    auto img = picture(o.design);
    if (!img)
        return report(img.error());
    auto key = read_soft_key(o.maker_key);
    if (!key)
        return report(key.error());
    auto maker = read_certificates(o.maker_cert);
    if (!maker)
        return report(maker.error());
    seal::SealRequest request;
    request.type = seal::info(*kind).code;
    request.name = o.design.name;
    for (const auto& path : o.certs) {
        auto certs = read_certificates(path);
        if (!certs)
            return report(certs.error());
        request.signer_certificates.push_back(certs->front());
    }
    const core::SystemClock clock;
    request.valid_end = core::add_years(clock.now(), o.valid_years);
    request.es_id = o.es_id;
    request.picture = {"PNG", img->png, static_cast<int>(std::lround(img->width_mm)),
                       static_cast<int>(std::lround(img->height_mm))};
    auto made = seal::make_seal(request, *key, maker->front(), clock);
    if (!made)
        return report(made.error());
    if (auto w = write_bytes(o.out, made->der); !w)
        return report(w.error());
    if (auto w = write_picture(*img, o.png, o.svg); !w)
        return report(w.error());
    if (request.signer_certificates.empty())
        std::cerr << "warning: no signer certificate (--cert) is bound to this seal; nobody can "
                     "sign with it\n";
    std::cout << "seal " << made->es_id << "  " << seal::describe_seal_type(4, made->property.type)
              << "  " << made->property.name << "\n"
              << "valid " << core::format_utc(made->property.valid_start) << " to "
              << core::format_utc(made->property.valid_end) << ", " << made->der.size()
              << " bytes in " << o.out << "\n";
    return kExitOk;
}

// --- seal image --------------------------------------------------------------------------------

int do_image(const DesignOptions& design, const std::string& out) {
    const bool svg = out.ends_with(".svg"), png = out.ends_with(".png");
    if (!svg && !png)
        return report(invalid("seal.output_type", "--out must end in .png or .svg"));
    auto img = picture(design);
    if (!img)
        return report(img.error());
    if (auto w = write_picture(*img, png ? out : "", svg ? out : ""); !w)
        return report(w.error());
    std::cout << out << ": " << img->width_mm << " x " << img->height_mm << " mm";
    if (png)
        std::cout << ", " << img->width_px << " x " << img->height_px << " px at " << img->dpi
                  << " dpi";
    std::cout << "\n";
    return kExitOk;
}

// --- reading .esl and SES_Signature files --------------------------------------------------------

struct Loaded {
    std::optional<seal::Seal> seal;
    std::optional<seal::SealSignature> signature;
    [[nodiscard]] const seal::Seal& the_seal() const { return signature ? signature->seal : *seal; }
};

core::Result<Loaded> load(const std::string& path) {
    auto data = read_file(path, kMaxSealBytes);
    if (!data)
        return std::unexpected(data.error());
    const auto bytes = core::as_bytes(*data);
    auto s = seal::parse_seal(bytes);
    if (s)
        return Loaded{std::move(*s), std::nullopt};
    // Not a seal: perhaps a SES_Signature (whose first element starts with the version INTEGER).
    auto sig = seal::parse_signature(bytes);
    if (sig)
        return Loaded{std::nullopt, std::move(*sig)};
    const bool looks_like_signature = bytes.size() > 8 && sig.error().code != "signature.malformed";
    auto e = looks_like_signature ? sig.error() : s.error();
    e.message = path + ": " + e.message;
    return std::unexpected(e);
}

std::string algorithm_name(const std::string& oid) {
    const auto alg = seal::signature_algorithm_of_oid(oid);
    return (alg ? std::string(crypto::to_string(*alg)) + ", " : std::string()) + oid;
}

void show_certificate(const char* label, const core::Bytes& der) {
    auto c = seal::read_certificate(der, "x");
    if (!c) {
        std::cout << label << "(not a certificate, " << der.size() << " bytes)\n";
        return;
    }
    std::cout << label << c->subject << "\n"
              << "                serial " << c->serial << ", valid "
              << core::format_utc(c->not_before) << " to " << core::format_utc(c->not_after) << "\n"
              << "                issuer " << c->issuer << "\n";
}

void show_seal(const seal::Seal& s) {
    const auto& p = s.property;
    std::cout << "format        " << seal::to_string(s.format) << "\n"
              << "header        ID " << s.header_id << ", version " << s.version << ", vendor "
              << s.vendor_id << "\n"
              << "esID          " << s.es_id << "\n"
              << "type          " << seal::describe_seal_type(s.version, p.type) << "\n"
              << "name          " << p.name << "\n"
              << "created       " << core::format_utc(p.create_date) << "\n"
              << "valid         " << core::format_utc(p.valid_start) << " to "
              << core::format_utc(p.valid_end) << "\n";
    if (p.cert_list_type == seal::CertListType::certificates) {
        std::cout << "signers       " << p.certificates.size()
                  << " certificate(s) (certListType 1)\n";
        for (std::size_t i = 0; i < p.certificates.size(); ++i)
            show_certificate(("  [" + std::to_string(i + 1) + "]         ").substr(0, 14).c_str(),
                             p.certificates[i]);
    } else {
        std::cout << "signers       " << p.cert_digests.size()
                  << " certificate digest(s) (certListType 2)\n";
        for (const auto& d : p.cert_digests)
            std::cout << "              " << d.type << " " << core::hex_encode(d.value) << "\n";
    }
    std::cout << "picture       " << s.picture.type << ", " << s.picture.width_mm << " x "
              << s.picture.height_mm << " mm, " << s.picture.data.size() << " bytes";
    const auto& d = s.picture.data;
    if (s.picture.type == "PNG" && d.size() > 24) {  // IHDR width and height (PNG 1.2 §4.1.1)
        const auto be32 = [&](std::size_t at) {
            return (d[at] << 24) | (d[at + 1] << 16) | (d[at + 2] << 8) | d[at + 3];
        };
        std::cout << ", " << be32(16) << " x " << be32(20) << " px";
    }
    std::cout << "\n";
    if (s.ext_datas)
        std::cout << "extDatas      " << s.ext_datas->size() << " bytes (not interpreted)\n";
    show_certificate("maker         ", s.maker_certificate);
    std::cout << "signature     " << algorithm_name(s.signature_algorithm) << ", "
              << s.signed_value.size() << " bytes over "
              << (s.format == seal::SealFormat::v4 ? "DER(SES_SealInfo)"
                                                   : "DER(SES_SealInfo, cert, algorithm)")
              << "\n";
}

void show_signature(const seal::SealSignature& s) {
    std::cout << "SES_Signature (GB/T 38540-2020 V4), version " << s.version << "\n"
              << "signed at     " << core::format_utc(s.time_info) << "\n"
              << "data hash     " << core::hex_encode(s.data_hash) << "\n"
              << "propertyInfo  " << s.property_info << "\n";
    show_certificate("signer        ", s.signer_certificate);
    std::cout << "signature     " << algorithm_name(s.signature_algorithm) << ", "
              << s.signature.size() << " bytes\n";
    if (s.time_stamp)
        std::cout << "time stamp    " << s.time_stamp->size() << " bytes (not verified)\n";
    std::cout << "--- the seal used ---\n";
    show_seal(s.seal);
}

int do_show(const std::string& file, const std::string& picture_out) {
    auto loaded = load(file);
    if (!loaded)
        return report(loaded.error());
    if (loaded->signature)
        show_signature(*loaded->signature);
    else
        show_seal(*loaded->seal);
    if (!picture_out.empty())
        if (auto w = write_bytes(picture_out, loaded->the_seal().picture.data); !w)
            return report(w.error());
    return kExitOk;
}

// --- seal verify ---------------------------------------------------------------------------------

struct VerifyOptions {
    std::string file, at, data;
    std::vector<std::string> trust;
};

core::Result<core::Bytes> hash_file(const std::string& path, crypto::DigestAlgorithm alg) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return core::fail(core::Errc::not_found, "file.missing", "cannot open " + path);
    crypto::Hasher hasher(alg);
    std::vector<char> buf(1 << 16);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        hasher.update(core::ByteView(reinterpret_cast<const std::uint8_t*>(buf.data()),
                                     static_cast<std::size_t>(in.gcount())));
    }
    return hasher.finish();
}

int do_verify(PlatformHandle& handle, const VerifyOptions& o) {
    auto loaded = load(o.file);
    if (!loaded)
        return report(loaded.error());
    auto trust = trust_store(handle, o.trust);
    if (!trust)
        return report(trust.error());
    const core::SystemClock clock;
    core::TimePoint when = clock.now();
    if (!o.at.empty() && !core::parse_utc(o.at, when))
        return report(invalid("date.invalid",
                              "not a date: " + o.at + " (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"));
    seal::Verification v;
    const auto& s = loaded->the_seal();
    if (loaded->signature) {
        std::optional<core::Bytes> hash;
        if (!o.data.empty()) {
            const auto alg =
                seal::signature_algorithm_of_oid(loaded->signature->signature_algorithm);
            auto h = hash_file(o.data, seal::data_hash_algorithm(
                                           alg.value_or(crypto::SignatureAlgorithm::sm2_sm3)));
            if (!h)
                return report(h.error());
            hash = std::move(*h);
        }
        v = seal::verify_signature(*loaded->signature, *trust, when,
                                   hash ? std::optional<core::ByteView>(*hash) : std::nullopt);
    } else {
        if (!o.data.empty())
            return report(invalid("seal.data_unused", "--data applies to seal signatures only"));
        v = seal::verify_seal(s, *trust, when);
    }
    std::cout << (loaded->signature ? "seal signature by " : "seal ") << s.es_id << "  "
              << s.property.name << "\n";
    if (!v.ok())
        return report(core::Error{
            core::Errc::crypto, loaded->signature ? "signature.invalid" : "seal.invalid",
            loaded->signature ? "the seal signature does not verify" : "the seal does not verify",
            v.problems});
    if (loaded->signature)
        std::cout << "OK: signed " << core::format_utc(loaded->signature->time_info)
                  << "; signature, signer certificate, seal and its maker verified"
                  << (o.data.empty() ? " (data not checked: give --data)" : ", data hash matches")
                  << "\n";
    else
        std::cout << "OK: maker's signature and certificate verified; seal valid at "
                  << core::format_utc(when) << "\n";
    return kExitOk;
}

// --- seal sign -----------------------------------------------------------------------------------

struct SignOptions {
    std::string seal_file, key, cert, data, property, out;
};

int do_sign(const SignOptions& o) {
    auto loaded = load(o.seal_file);
    if (!loaded)
        return report(loaded.error());
    if (!loaded->seal)
        return report(invalid("seal.not_a_seal", o.seal_file + " is a seal signature, not a seal"));
    auto key = read_soft_key(o.key);
    if (!key)
        return report(key.error());
    auto cert = read_optional_certificate(o.cert);
    if (!cert)
        return report(cert.error());
    auto hash = hash_file(o.data, seal::data_hash_algorithm(key->algorithm()));
    if (!hash)
        return report(hash.error());
    const core::SystemClock clock;
    auto sig = seal::make_signature(*loaded->seal, *hash, o.property.empty() ? o.data : o.property,
                                    *key, *cert, clock);
    if (!sig)
        return report(sig.error());
    if (auto w = write_bytes(o.out, sig->der); !w)
        return report(w.error());
    std::cout << "signed " << o.data << " with seal " << loaded->seal->es_id << " at "
              << core::format_utc(sig->time_info) << ": " << sig->der.size() << " bytes in "
              << o.out << "\n";
    return kExitOk;
}

}  // namespace

void add_seal_commands(CLI::App& app, PlatformHandle& platform, Handler& selected) {
    auto* cmd = app.add_subcommand(
        "seal", "electronic seals (GB/T 38540-2020 SESeal): draw, make, show, verify, sign");
    cmd->require_subcommand(1);

    auto make = std::make_shared<MakeOptions>();
    auto* c_make = cmd->add_subcommand(
        "make", "draw a seal and make its GB/T 38540 (V4) SESeal, signed by the seal maker");
    add_design_options(*c_make, make->design);
    c_make
        ->add_option("--maker-key", make->maker_key,
                     "the seal maker's private key, PEM (encrypted: $ESEAL_KEY_PASSPHRASE)")
        ->required();
    c_make
        ->add_option("--maker-cert", make->maker_cert,
                     "the seal maker's certificate (an org certificate), PEM or DER")
        ->required();
    c_make->add_option("--cert", make->certs,
                       "a signer's certificate to bind to the seal (repeatable)");
    c_make->add_option("--valid-years", make->valid_years, "the seal's validity in years")
        ->check(CLI::Range(1, 20))
        ->capture_default_str();
    c_make->add_option("--es-id", make->es_id, "the seal's esID (default: eseal-<date>-<random>)");
    c_make->add_option("--out", make->out, "where to write the seal (DER, .esl)")->required();
    c_make->add_option("--png", make->png, "also write the seal picture as PNG");
    c_make->add_option("--svg", make->svg, "also write the seal picture as SVG");
    c_make->callback([&, make] { selected = [make] { return do_make(*make); }; });

    auto image = std::make_shared<std::pair<DesignOptions, std::string>>();
    auto* c_image = cmd->add_subcommand(
        "image", "draw a seal picture only (PNG or SVG by the --out extension)");
    add_design_options(*c_image, image->first);
    c_image->add_option("--out", image->second, "FILE.png or FILE.svg")->required();
    c_image->callback(
        [&, image] { selected = [image] { return do_image(image->first, image->second); }; });

    auto show = std::make_shared<std::pair<std::string, std::string>>();
    auto* c_show = cmd->add_subcommand(
        "show", "print a seal (.esl, V4 or V1) or a seal signature (SES_Signature)");
    c_show->add_option("file", show->first, "the seal or signature, DER")->required();
    c_show->add_option("--picture", show->second, "write the seal's picture to this file");
    c_show->callback(
        [&, show] { selected = [show] { return do_show(show->first, show->second); }; });

    auto verify = std::make_shared<VerifyOptions>();
    auto* c_verify = cmd->add_subcommand("verify",
                                         "verify a seal (maker's signature and certificate, "
                                         "validity) or a seal signature; exit 0 if valid");
    c_verify->add_option("file", verify->file, "the seal (.esl) or SES_Signature, DER")->required();
    add_trust_option(*c_verify, verify->trust);
    c_verify->add_option("--at", verify->at,
                         "judge the seal's validity at this time (default now)");
    c_verify->add_option("--data", verify->data,
                         "for a signature: the signed file, whose hash must match");
    c_verify->callback(
        [&, verify] { selected = [&, verify] { return do_verify(platform, *verify); }; });

    auto sign = std::make_shared<SignOptions>();
    auto* c_sign = cmd->add_subcommand(
        "sign", "sign a file's hash (SM3 for SM2 keys) with a seal: a V4 SES_Signature");
    c_sign->add_option("--seal", sign->seal_file, "the seal (.esl)")->required();
    c_sign->add_option("--key", sign->key, "the signer's private key, PEM")->required();
    c_sign->add_option("--cert", sign->cert,
                       "the signer's certificate (default: the seal's certificate for the key)");
    c_sign->add_option("--data", sign->data, "the file to sign")->required();
    c_sign->add_option("--property", sign->property, "propertyInfo (default: the file name)");
    c_sign->add_option("--out", sign->out, "where to write the SES_Signature (DER)")->required();
    c_sign->callback([&, sign] { selected = [sign] { return do_sign(*sign); }; });
}

}  // namespace eseal::cli
