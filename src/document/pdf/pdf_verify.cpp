#include "document/pdf/pdf_verify.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/objects.h>

#include <qpdf/Pipeline.hh>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "crypto/digest.hpp"
#include "crypto/public_key.hpp"
#include "document/pdf/cms.hpp"
#include "document/pdf/pdf_file.hpp"
#include "document/pdf/seal_image.hpp"
#include "pki/chain.hpp"
#include "pki/tsa.hpp"
#include "pki/x509.hpp"

namespace eseal::document::pdf {
namespace {

constexpr std::size_t kChunk = 1 << 20;
constexpr std::uint64_t kMaxContents = 1 << 20;  // bytes of hex: far above any real signature

struct File {
    int fd = -1;
    explicit File(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
    ~File() {
        if (fd >= 0)
            ::close(fd);
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    bool read_at(std::uint64_t offset, std::size_t n, std::string& out) const {
        out.resize(n);
        std::size_t got = 0;
        while (got < n) {
            const ssize_t r =
                ::pread(fd, out.data() + got, n - got, static_cast<off_t>(offset + got));
            if (r <= 0)
                return false;
            got += static_cast<std::size_t>(r);
        }
        return true;
    }
    bool hash(std::uint64_t offset, std::uint64_t n, crypto::Hasher& h) const {
        std::vector<std::uint8_t> buf(kChunk);
        while (n > 0) {
            const std::size_t want =
                static_cast<std::size_t>(std::min<std::uint64_t>(n, buf.size()));
            const ssize_t r = ::pread(fd, buf.data(), want, static_cast<off_t>(offset));
            if (r <= 0)
                return false;
            h.update(core::ByteView(buf.data(), static_cast<std::size_t>(r)));
            offset += static_cast<std::uint64_t>(r);
            n -= static_cast<std::uint64_t>(r);
        }
        return true;
    }
};

void problem(SignatureCheck& s, std::string code, std::string message) {
    s.problems.push_back({std::move(code), std::move(message), s.field_name});
}

crypto::X509Ptr parse_x509(core::ByteView der) {
    const unsigned char* p = der.data();
    crypto::X509Ptr c(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!c)
        ERR_clear_error();
    return c;
}

bool self_signed(X509* c) {
    return X509_check_issued(c, c) == X509_V_OK;
}

// The signature fields: /FT /Sig with a /V dictionary, walking /Kids with a guard against loops.
void collect_fields(QPDFObjectHandle node, const std::string& prefix, std::set<QPDFObjGen>& seen,
                    std::vector<std::pair<std::string, QPDFObjectHandle>>& out, int depth) {
    if (!node.isDictionary() || depth > 32)
        return;
    if (node.isIndirect() && !seen.insert(node.getObjGen()).second)
        return;
    std::string name = prefix;
    if (node.getKey("/T").isString())
        name = (prefix.empty() ? "" : prefix + ".") + node.getKey("/T").getUTF8Value();
    if (node.getKey("/FT").isName() && node.getKey("/FT").getName() == "/Sig" &&
        node.getKey("/V").isDictionary())
        out.emplace_back(name, node);
    if (node.getKey("/Kids").isArray())
        for (auto& kid : node.getKey("/Kids").getArrayAsVector())
            collect_fields(kid, name, seen, out, depth + 1);
}

// The first image XObject the widget's normal appearance draws (ISO 32000-1 §12.5.5), if any.
std::optional<QPDFObjectHandle> appearance_image(QPDFObjectHandle field) {
    std::vector<QPDFObjectHandle> widgets{field};
    if (field.getKey("/Kids").isArray())
        for (auto& k : field.getKey("/Kids").getArrayAsVector()) widgets.push_back(k);
    for (auto& w : widgets) {
        auto ap = w.getKey("/AP");
        if (!ap.isDictionary() || !ap.getKey("/N").isStream())
            continue;
        auto xobjects = ap.getKey("/N").getDict().getKey("/Resources").getKey("/XObject");
        if (!xobjects.isDictionary())
            continue;
        for (const auto& k : xobjects.getKeys()) {
            auto x = xobjects.getKey(k);
            if (x.isStream() && x.getDict().getKey("/Subtype").isName() &&
                x.getDict().getKey("/Subtype").getName() == "/Image")
                return x;
        }
    }
    return std::nullopt;
}

// Components per pixel of an image's colour space (§8.6): DeviceGray/RGB, or an ICCBased space
// with /N 1 or 3; 0 for anything else (CMYK, indexed, ...), which is not shown.
int components(QPDFObjectHandle cs) {
    if (cs.isName())
        return cs.getName() == "/DeviceGray" ? 1 : cs.getName() == "/DeviceRGB" ? 3 : 0;
    if (cs.isArray() && cs.getArrayNItems() == 2 && cs.getArrayItem(0).isName() &&
        cs.getArrayItem(0).getName() == "/ICCBased" && cs.getArrayItem(1).isStream()) {
        auto n = cs.getArrayItem(1).getDict().getKey("/N");
        return n.isInteger() && (n.getIntValue() == 1 || n.getIntValue() == 3)
                   ? static_cast<int>(n.getIntValue())
                   : 0;
    }
    return 0;
}

// Collects a stream's decoded bytes up to a cap and gives up past it: a few kilobytes of Flate can
// inflate to gigabytes (a "bomb"), and an image needs only width x height x components.
class CappedSink final : public Pipeline {
  public:
    explicit CappedSink(std::size_t cap) : Pipeline("eseal image samples", nullptr), m_cap(cap) {}
    void write(unsigned char const* data, size_t len) override {
        if (len > m_cap - m_out.size())
            throw std::length_error("more image data than its /Width and /Height hold");
        m_out.append(reinterpret_cast<const char*>(data), len);
    }
    void finish() override {}
    std::string take() { return std::move(m_out); }

  private:
    std::size_t m_cap;
    std::string m_out;
};

// The decoded 8-bit samples of an image of `n` components, or nothing when it is not one (§8.9.5).
// Seal pictures are a few hundred pixels a side (42 mm at 300 dpi: 496).
constexpr long long kMaxImagePixels = 2048LL * 2048;
std::optional<std::string> samples(QPDFObjectHandle image, int n, long long& width,
                                   long long& height) {
    auto d = image.getDict();
    if (!d.getKey("/Width").isInteger() || !d.getKey("/Height").isInteger() ||
        !d.getKey("/BitsPerComponent").isInteger() ||
        d.getKey("/BitsPerComponent").getIntValue() != 8)
        return std::nullopt;
    width = d.getKey("/Width").getIntValue();
    height = d.getKey("/Height").getIntValue();
    if (width <= 0 || height <= 0 || width > kMaxImagePixels || height > kMaxImagePixels ||
        width * height > kMaxImagePixels)
        return std::nullopt;
    const auto want = static_cast<std::size_t>(width * height * n);
    // qpdf_dl_all: Flate, LZW, RunLength, the ASCII filters and DCT (JPEG). Some encoders pad
    // the last row: a little more than needed is accepted.
    CappedSink sink(want + want / 8 + 1024);
    bool ok = false;
    try {
        ok = image.pipeStreamData(&sink, nullptr, 0, qpdf_dl_all, true, false);
    } catch (const std::length_error&) {
        return std::nullopt;
    }
    std::string out = sink.take();
    if (!ok || out.size() < want)
        return std::nullopt;
    return out;
}

// The seal picture of the widget as a PNG: the image with its /SMask (§11.6.5.3) as alpha.
// Empty when there is none or it is in a form not shown (other colour spaces, bit depths).
core::Bytes seal_png(QPDFObjectHandle field) {
    try {
        auto image = appearance_image(field);
        if (!image)
            return {};
        const int n = components(image->getDict().getKey("/ColorSpace"));
        long long w = 0, h = 0;
        auto rgb = n == 0 ? std::nullopt : samples(*image, n, w, h);
        if (!rgb)
            return {};
        std::string alpha;
        auto mask = image->getDict().getKey("/SMask");
        long long mw = 0, mh = 0;
        if (mask.isStream())
            if (auto a = samples(mask, 1, mw, mh); a && mw == w && mh == h)
                alpha = std::move(*a);
        auto png = png_from_samples(static_cast<int>(w), static_cast<int>(h), n,
                                    core::as_bytes(*rgb), core::as_bytes(alpha));
        return png ? std::move(*png) : core::Bytes{};
    } catch (const std::exception&) {
        return {};  // an undecodable stream: no picture to show
    }
}

std::string algorithm_name(crypto::SignatureAlgorithm a) {
    return std::string(crypto::to_string(a));
}

// What changed after `end`: every object whose current definition lies beyond it (ISO 32000-1
// §7.5.6: an update redefines objects by appending them). Allowed are the objects a signature
// update writes: signature dictionaries, signature fields and widgets, XObjects (appearances),
// stamp annotations (a riding seal's strips), pages (for /Annots), the catalog, the AcroForm,
// cross-reference streams, DSS data. A page's content stream never is.
std::vector<std::string> disallowed_changes(QPDF& q, std::uint64_t end,
                                            const std::set<QPDFObjGen>& acroforms) {
    std::vector<std::string> out;
    std::set<QPDFObjGen>
        contents;  // page content streams: rewriting one changes what the page shows
    std::set<QPDFObjGen>
        appearances;  // XObjects drawn by signature widgets and stamps, with their images
    const auto add_appearance = [&](QPDFObjectHandle annot) {
        auto n = annot.getKey("/AP").getKey("/N");
        if (!n.isStream() || !n.isIndirect())
            return;
        appearances.insert(n.getObjGen());
        auto xobjects = n.getDict().getKey("/Resources").getKey("/XObject");
        if (!xobjects.isDictionary())
            return;
        for (const auto& k : xobjects.getKeys()) {
            auto x = xobjects.getKey(k);
            if (x.isIndirect())
                appearances.insert(x.getObjGen());
            if (x.isStream() && x.getDict().getKey("/SMask").isIndirect())
                appearances.insert(x.getDict().getKey("/SMask").getObjGen());
        }
    };
    for (QPDFObjectHandle page : q.getAllPages()) {
        auto c = page.getKey("/Contents");
        if (c.isIndirect())
            contents.insert(c.getObjGen());
        if (c.isArray())
            for (auto& s : c.getArrayAsVector())
                if (s.isIndirect())
                    contents.insert(s.getObjGen());
        auto annots = page.getKey("/Annots");
        if (!annots.isArray())
            continue;
        for (auto& a : annots.getArrayAsVector()) {
            if (!a.isDictionary())
                continue;
            const auto sub = a.getKey("/Subtype").isName() ? a.getKey("/Subtype").getName() : "";
            auto ft = a.getKey("/FT");
            if (!ft.isName() && a.getKey("/Parent").isDictionary())
                ft = a.getKey("/Parent").getKey("/FT");
            if (sub == "/Stamp" || (sub == "/Widget" && ft.isName() && ft.getName() == "/Sig"))
                add_appearance(a);
        }
    }
    const auto table = q.getXRefTable();
    for (const auto& [og, entry] : table) {
        std::uint64_t where = 0;
        if (entry.getType() == 1) {
            where = static_cast<std::uint64_t>(entry.getOffset());
        } else if (entry.getType() == 2) {
            auto it = table.find(QPDFObjGen(entry.getObjStreamNumber(), 0));
            if (it == table.end() || it->second.getType() != 1)
                continue;
            where = static_cast<std::uint64_t>(it->second.getOffset());
        } else {
            continue;
        }
        if (where < end)
            continue;
        auto o = q.getObjectByObjGen(og);
        const std::string id = std::to_string(og.getObj()) + " " + std::to_string(og.getGen());
        if (contents.contains(og)) {
            out.push_back("object " + id + ": a page's content stream");
            continue;
        }
        QPDFObjectHandle dict = o.isStream() ? o.getDict() : o;
        if (!dict.isDictionary()) {
            if (o.isArray())
                continue;  // /Annots or /Fields arrays
            out.push_back("object " + id + ": " + o.getTypeName());
            continue;
        }
        const auto type = dict.getKey("/Type").isName() ? dict.getKey("/Type").getName() : "";
        const auto subtype =
            dict.getKey("/Subtype").isName() ? dict.getKey("/Subtype").getName() : "";
        const bool ok = type == "/Sig" || type == "/DocTimeStamp" || type == "/Catalog" ||
                        type == "/Page" || type == "/XRef" || type == "/ObjStm" ||
                        appearances.contains(og) ||
                        (subtype == "/Widget" && dict.getKey("/FT").isName() &&
                         dict.getKey("/FT").getName() == "/Sig") ||
                        (dict.getKey("/FT").isName() && dict.getKey("/FT").getName() == "/Sig") ||
                        subtype == "/Stamp" ||  // the other strips of a riding seal
                        acroforms.contains(og);
        if (!ok)
            out.push_back("object " + id + (type.empty() ? "" : " " + type) +
                          (subtype.empty() ? "" : " " + subtype));
    }
    return out;
}

void check_time_stamp(SignatureCheck& s, const ParsedSignedData& cms,
                      const std::vector<crypto::X509Ptr>& anchors,
                      const std::vector<const X509*>& extra, core::TimePoint now) {
    TimeStampCheck ts;
    auto token = parse_signed_data(*cms.time_stamp_token);
    if (!token || !token->signer_index) {
        problem(s, "pdf.timestamp.malformed",
                "the signature time stamp is malformed" +
                    (token ? std::string(" (no TSA certificate)") : ": " + token.error().message));
        s.time_stamp = ts;
        return;
    }
    auto tsa = parse_x509(token->certificates[*token->signer_index]);
    if (!tsa) {
        problem(s, "pdf.timestamp.malformed", "the TSA certificate does not parse");
        s.time_stamp = ts;
        return;
    }
    ts.tsa = pki::name_rfc2253(X509_get_subject_name(tsa.get()));
    pki::set_sm2_id(tsa.get());
    auto info = pki::verify_timestamp(*cms.time_stamp_token, tsa.get());
    if (!info) {
        problem(s, "pdf.timestamp.invalid",
                "the signature time stamp does not verify: " + info.error().message);
        s.time_stamp = ts;
        return;
    }
    ts.time = core::format_utc(info->gen_time);
    // RFC 3161 Appendix A: the imprint is the hash of the signature value.
    const auto alg = info->imprint_nid == NID_sm3 ? crypto::DigestAlgorithm::sm3
                                                  : crypto::DigestAlgorithm::sha256;
    if (info->imprint_nid != NID_sha256 && info->imprint_nid != NID_sm3)
        problem(s, "pdf.timestamp.imprint", "the time stamp's imprint uses an unsupported hash");
    else if (info->imprint != crypto::digest(alg, cms.signature))
        problem(s, "pdf.timestamp.imprint", "the time stamp is not over this signature's value");
    std::vector<const X509*> inter = extra;
    std::vector<crypto::X509Ptr> carried;
    for (std::size_t i = 0; i < token->certificates.size(); ++i)
        if (i != *token->signer_index)
            if (auto c = parse_x509(token->certificates[i]))
                carried.push_back(std::move(c));
    for (auto& c : carried) inter.push_back(c.get());
    std::vector<const X509*> anchor_ptrs;
    for (auto& a : anchors) anchor_ptrs.push_back(a.get());
    const auto chain = pki::verify_chain(tsa.get(), inter, anchor_ptrs, now);
    if (!chain.ok())
        for (const auto& p : chain.problems)
            problem(s, "pdf.timestamp.chain", "TSA certificate: " + p.message);
    ts.ok = std::none_of(s.problems.begin(), s.problems.end(), [](const core::Problem& p) {
        return p.code.starts_with("pdf.timestamp");
    });
    s.time_stamp = ts;
}

}  // namespace

core::Result<VerifyReport> verify_pdf(const std::string& path, const VerifyOptions& options) {
    auto opened = open_pdf(path);
    if (!opened)
        return std::unexpected(opened.error());
    QPDF& q = *opened->qpdf;
    VerifyReport report;
    report.file_size = opened->tail.size;
    File file(path);
    if (file.fd < 0)
        return core::fail(core::Errc::io, "pdf.open", "cannot open " + path);

    std::vector<crypto::X509Ptr> anchors, intermediates;
    for (const auto& der : options.trust) {
        auto c = parse_x509(der);
        if (!c)
            continue;
        pki::set_sm2_id(c.get());
        (self_signed(c.get()) ? anchors : intermediates).push_back(std::move(c));
    }
    std::vector<const X509*> anchor_ptrs, intermediate_ptrs;
    for (auto& a : anchors) anchor_ptrs.push_back(a.get());
    for (auto& i : intermediates) intermediate_ptrs.push_back(i.get());

    std::vector<std::pair<std::string, QPDFObjectHandle>> fields;
    std::set<QPDFObjGen> acroforms;
    try {
        auto acro = q.getRoot().getKey("/AcroForm");
        if (acro.isIndirect())
            acroforms.insert(acro.getObjGen());
        std::set<QPDFObjGen> seen;
        if (acro.isDictionary() && acro.getKey("/Fields").isArray())
            for (auto& f : acro.getKey("/Fields").getArrayAsVector())
                collect_fields(f, "", seen, fields, 0);
    } catch (const std::exception& e) {
        return core::fail(core::Errc::invalid_input, "pdf.malformed",
                          "cannot read the form fields: " + std::string(e.what()));
    }

    for (auto& [name, field] : fields) {
        SignatureCheck s;
        s.field_name = name;
        try {
            auto v = field.getKey("/V");
            if (v.getKey("/SubFilter").isName())
                s.sub_filter = v.getKey("/SubFilter").getName().substr(1);
            if (v.getKey("/M").isString())
                s.signing_time = v.getKey("/M").getUTF8Value();
            s.seal_image = appearance_image(field).has_value();
            if (options.seal_images)
                s.seal_png = seal_png(field);
            auto br = v.getKey("/ByteRange");
            bool shape = br.isArray() && br.getArrayNItems() == 4;
            for (int i = 0; shape && i < 4; ++i) {
                auto item = br.getArrayItem(i);
                if (!item.isInteger() || item.getIntValue() < 0)
                    shape = false;
                else
                    s.byte_range[static_cast<std::size_t>(i)] =
                        static_cast<std::uint64_t>(item.getIntValue());
            }
            const auto [o0, a, b, c] = s.byte_range;
            if (!shape || o0 != 0 || a >= b || b + c > report.file_size ||
                b - a > kMaxContents + 2) {
                problem(s, "pdf.byte_range", "the /ByteRange is not [0 a b c] within the file");
                report.signatures.push_back(std::move(s));
                continue;
            }
            s.revision_end = b + c;
            // §12.8.1: the gap is exactly the /Contents hex string, '<' to '>'.
            std::string gap;
            if (!file.read_at(a, static_cast<std::size_t>(b - a), gap) || gap.front() != '<' ||
                gap.back() != '>' || !std::all_of(gap.begin() + 1, gap.end() - 1, [](char ch) {
                    return std::isxdigit(static_cast<unsigned char>(ch));
                })) {
                problem(s, "pdf.byte_range",
                        "the bytes the /ByteRange leaves out are not the /Contents hex string");
                report.signatures.push_back(std::move(s));
                continue;
            }
            s.byte_range_ok = true;
            auto contents = core::hex_decode(std::string_view(gap).substr(1, gap.size() - 2));
            if (!contents) {
                problem(s, "pdf.contents", "/Contents is not hex");
                report.signatures.push_back(std::move(s));
                continue;
            }
            s.modified_after = s.revision_end < report.file_size;

            auto cms = parse_signed_data(*contents);
            if (!cms) {
                problem(s, cms.error().code, cms.error().message);
                report.signatures.push_back(std::move(s));
                continue;
            }
            if (s.sub_filter != "ETSI.CAdES.detached" && s.sub_filter != "adbe.pkcs7.detached")
                problem(s, "pdf.sub_filter", "unsupported /SubFilter " + s.sub_filter);
            if (!cms->digest || !cms->signature_algorithm) {
                problem(s, "cms.algorithm",
                        "unsupported algorithms: digest " + cms->digest_oid + ", signature " +
                            cms->signature_oid);
                report.signatures.push_back(std::move(s));
                continue;
            }
            s.algorithm = algorithm_name(*cms->signature_algorithm);
            if (cms->has_econtent)
                problem(s, "cms.attached",
                        "the CMS carries content; PAdES signatures are detached");
            if (cms->content_type != "1.2.840.113549.1.7.1")
                problem(s, "cms.content_type", "the contentType attribute is not id-data");
            if (s.sub_filter == "ETSI.CAdES.detached" && cms->has_signing_time)
                problem(s, "cms.signing_time",
                        "a signing-time attribute, which PAdES forbids (ETSI EN 319 142-1 §5.2.2)");

            // The digest of the two ranges, streamed.
            crypto::Hasher hasher(*cms->digest);
            if (!file.hash(0, a, hasher) || !file.hash(b, c, hasher)) {
                problem(s, "pdf.read", "the signed ranges could not be read");
                report.signatures.push_back(std::move(s));
                continue;
            }
            const core::Bytes digest = hasher.finish();
            s.digest_ok = cms->message_digest && *cms->message_digest == digest;
            if (!s.digest_ok)
                problem(s, "pdf.digest_mismatch",
                        "the document's digest does not match the signed messageDigest: the signed "
                        "bytes were changed");

            if (!cms->signer_index) {
                problem(s, "cms.signer_certificate", "the signer's certificate is not in the CMS");
                report.signatures.push_back(std::move(s));
                continue;
            }
            const auto& signer_der = cms->certificates[*cms->signer_index];
            auto signer = parse_x509(signer_der);
            if (!signer) {
                problem(s, "cms.signer_certificate", "the signer's certificate does not parse");
                report.signatures.push_back(std::move(s));
                continue;
            }
            s.signer = pki::name_rfc2253(X509_get_subject_name(signer.get()));
            pki::set_sm2_id(signer.get());
            const core::Bytes spki =
                crypto::to_der(X509_get_X509_PUBKEY(signer.get()), i2d_X509_PUBKEY);
            auto verified = crypto::verify_signature(spki, *cms->signature_algorithm,
                                                     cms->signed_attributes, cms->signature);
            s.signature_ok = verified.has_value();
            if (!s.signature_ok)
                problem(s, "cms.signature",
                        "the signature over the signed attributes does not verify with the "
                        "signer's key");

            // RFC 5035: signing-certificate-v2 binds the certificate to the signature.
            if (cms->signing_certificate_v2_hash) {
                const auto alg = *cms->signing_certificate_v2_hash_oid == "1.2.156.10197.1.401"
                                     ? crypto::DigestAlgorithm::sm3
                                 : *cms->signing_certificate_v2_hash_oid == "2.16.840.1.101.3.4.2.1"
                                     ? std::optional(crypto::DigestAlgorithm::sha256)
                                     : std::nullopt;
                s.signing_certificate_ok =
                    alg && crypto::digest(*alg, signer_der) == *cms->signing_certificate_v2_hash;
                if (!s.signing_certificate_ok)
                    problem(s, "cms.signing_certificate",
                            "signing-certificate-v2 does not name the signer's certificate");
            } else if (s.sub_filter == "ETSI.CAdES.detached") {
                problem(s, "cms.signing_certificate",
                        "no signing-certificate-v2 attribute (ETSI EN 319 122-1 §5.2.2.3)");
            }

            std::vector<crypto::X509Ptr> carried;
            for (std::size_t i = 0; i < cms->certificates.size(); ++i)
                if (i != *cms->signer_index)
                    if (auto cert = parse_x509(cms->certificates[i])) {
                        pki::set_sm2_id(cert.get());
                        carried.push_back(std::move(cert));
                    }
            std::vector<const X509*> inter = intermediate_ptrs;
            for (auto& cert : carried) inter.push_back(cert.get());

            core::TimePoint at = options.now;
            if (cms->time_stamp_token) {
                check_time_stamp(s, *cms, anchors, inter, options.now);
                if (s.time_stamp && s.time_stamp->ok && !core::parse_utc(s.time_stamp->time, at))
                    at = options.now;
            }
            const auto chain = pki::verify_chain(signer.get(), inter, anchor_ptrs, at);
            s.chain = chain.path;
            s.chain_ok = chain.ok();
            for (const auto& p : chain.problems)
                problem(s, "pdf.chain", "signer certificate: " + p.message);
            if (s.chain_ok && (options.ocsp || options.crl)) {
                std::vector<const X509*> candidates = inter;
                candidates.insert(candidates.end(), anchor_ptrs.begin(), anchor_ptrs.end());
                const auto r = check_revocation(signer.get(), candidates,
                                                {options.ocsp, options.crl}, options.now, at);
                s.revocation = r.status;
                s.revocation_source = r.source;
                s.revocation_reason = r.reason;
                s.revocation_detail = r.detail;
                if (r.status == RevocationStatus::revoked)
                    problem(s, "pdf.revoked",
                            "the signer's certificate was revoked " +
                                core::format_utc(*r.revoked_at) + " (" + r.reason + ", " +
                                std::string(to_string(r.source)) + ")");
                else if (r.status == RevocationStatus::unknown)
                    problem(s, "pdf.revocation_unknown",
                            "the OCSP responder does not know the signer's certificate");
            }

            if (s.modified_after) {
                s.later_changes = disallowed_changes(q, s.revision_end, acroforms);
                s.later_changes_allowed = s.later_changes.empty();
                if (!s.later_changes_allowed)
                    problem(
                        s, "pdf.modified",
                        "the document was changed after this signature beyond further signatures");
            }
        } catch (const std::exception& e) {
            problem(s, "pdf.malformed",
                    std::string("the signature's objects are broken: ") + e.what());
        }
        report.signatures.push_back(std::move(s));
    }
    return report;
}

}  // namespace eseal::document::pdf
