// Sealing and verifying PDFs, judged where possible by outside tools: `openssl cms -verify` on the
// CMS taken out of /Contents, `qpdf --check` on the output, libqpdf re-reading the update.
#include <gtest/gtest.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include "document/pdf/cms.hpp"
#include "document/pdf/pdf_file.hpp"
#include "document/pdf/pdf_sign.hpp"
#include "document/pdf/pdf_verify.hpp"
#include "document/pdf/seal_image.hpp"
#include "document/pdf/text_search.hpp"
#include "pki/x509.hpp"
#include "seal/image.hpp"
#include "seal/testing_support.hpp"

namespace eseal::document::pdf {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
void write_all(const fs::path& p, std::string_view s) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << s;
}

// A small PDF with a classic xref table (ISO 32000-1 §7.5.4), `pages` A4 pages of text.
std::string simple_pdf(int pages, const std::string& pages_kids_override = "") {
    std::string out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
    std::vector<std::size_t> off;
    auto obj = [&](const std::string& body) {
        off.push_back(out.size());
        out += std::to_string(off.size()) + " 0 obj\n" + body + "\nendobj\n";
    };
    std::string kids;
    for (int i = 0; i < pages; ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
    if (!pages_kids_override.empty())
        kids = pages_kids_override;
    obj("<< /Type /Catalog /Pages 2 0 R >>");
    obj("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) +
        " /MediaBox [0 0 595 842] >>");
    obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    for (int i = 0; i < pages; ++i) {
        obj("<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> /Contents " +
            std::to_string(5 + 2 * i) + " 0 R >>");
        const std::string text =
            "BT /F1 12 Tf 72 720 Td (Page " + std::to_string(i + 1) + " Party A) Tj ET";
        obj("<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "\nendstream");
    }
    const std::size_t xref = out.size();
    out += "xref\n0 " + std::to_string(off.size() + 1) + "\n0000000000 65535 f\r\n";
    char line[24];
    for (auto o : off) {
        std::snprintf(line, sizeof line, "%010zu 00000 n\r\n", o);
        out += line;
    }
    out += "trailer\n<< /Size " + std::to_string(off.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return out;
}

class PdfTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("eseal-pdf-test-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(m_dir);
        auto img = seal::render_square_seal({"张三", 20, 300});
        ASSERT_TRUE(img) << img.error().describe();
        m_png = img->png;
        m_width = img->width_mm;
        m_height = img->height_mm;
        write_all(path("in.pdf"), simple_pdf(2));
    }
    void TearDown() override { fs::remove_all(m_dir); }

    fs::path path(const std::string& name) const { return m_dir / name; }

    SignRequest request(const fs::path& in, const fs::path& out, const seal::testing::TestPki& ca,
                        const seal::testing::Party& party) {
        SignRequest r;
        r.input = in;
        r.output = out;
        r.picture = {m_png, m_width, m_height};
        r.placement = {1, 100, 100};
        r.signer_certificate = party.certificate;
        r.chain = {ca.hierarchy->issuing.record.certificate};
        r.signing_time = ca.clock.now();
        return r;
    }
    VerifyOptions trust(const seal::testing::TestPki& ca) const {
        VerifyOptions o;
        o.trust = {ca.hierarchy->root.record.certificate};
        o.now = ca.clock.now();
        return o;
    }
    // Files in the test directory other than these: temporary files left behind.
    std::vector<std::string> stray(std::set<std::string> expected) const {
        std::vector<std::string> out;
        for (auto& e : fs::directory_iterator(m_dir))
            if (!expected.contains(e.path().filename().string()))
                out.push_back(e.path().filename().string());
        return out;
    }

    fs::path m_dir;
    core::Bytes m_png;
    double m_width = 0, m_height = 0;
};

TEST_F(PdfTest, EcdsaSealVerifiesAndKeepsTheOriginalBytes) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    auto r = sign_pdf(request(path("in.pdf"), path("out.pdf"), ca, party), party.key);
    ASSERT_TRUE(r) << r.error().describe();
    const std::string in = read_all(path("in.pdf")), out = read_all(path("out.pdf"));
    EXPECT_EQ(out.substr(0, in.size()), in);
    EXPECT_EQ(r->output_size, out.size());
    EXPECT_FALSE(r->xref_stream);
    EXPECT_NE(out.find("xref", in.size()), std::string::npos);
    EXPECT_NE(out.find("/Prev " + std::to_string(in.rfind("\nxref") + 1), in.size()),
              std::string::npos);
    EXPECT_EQ(r->byte_range[0], 0u);
    EXPECT_EQ(r->byte_range[2] + r->byte_range[3], out.size());
    EXPECT_EQ(out[r->byte_range[1]], '<');
    EXPECT_EQ(out[r->byte_range[2] - 1], '>');

    auto v = verify_pdf(path("out.pdf"), trust(ca));
    ASSERT_TRUE(v) << v.error().describe();
    ASSERT_EQ(v->signatures.size(), 1u);
    const auto& s = v->signatures[0];
    EXPECT_TRUE(s.valid()) << (s.problems.empty() ? "" : s.problems[0].message);
    EXPECT_TRUE(s.digest_ok && s.signature_ok && s.signing_certificate_ok && s.chain_ok &&
                s.seal_image);
    EXPECT_FALSE(s.modified_after);
    EXPECT_EQ(s.sub_filter, "ETSI.CAdES.detached");
    EXPECT_EQ(s.field_name, r->field_name);
    EXPECT_EQ(stray({"in.pdf", "out.pdf"}), std::vector<std::string>{});
}

// Outside judges: qpdf --check on the file, openssl cms -verify on the CMS over the byte ranges.
TEST_F(PdfTest, QpdfAndOpensslAcceptTheOutput) {
    for (auto alg : {crypto::KeyAlgorithm::ecdsa_p256, crypto::KeyAlgorithm::rsa2048}) {
        seal::testing::TestPki ca(alg);
        auto party = ca.issue();
        ASSERT_TRUE(sign_pdf(request(path("in.pdf"), path("out.pdf"), ca, party), party.key));
        EXPECT_EQ(
            std::system(("qpdf --check " + path("out.pdf").string() + " >/dev/null 2>&1").c_str()),
            0);
        const std::string out = read_all(path("out.pdf"));
        std::smatch m;
        ASSERT_TRUE(
            std::regex_search(out, m, std::regex(R"(/ByteRange \[0 (\d+) +(\d+) +(\d+) *\])")));
        const std::size_t a = std::stoul(m[1]), b = std::stoul(m[2]), c = std::stoul(m[3]);
        write_all(path("content.bin"), out.substr(0, a) + out.substr(b, c));
        auto cms = core::hex_decode(out.substr(a + 1, b - a - 2));
        ASSERT_TRUE(cms);
        write_all(path("cms.der"), core::to_string(*cms));
        write_all(path("root.pem"),
                  pki::certificate_pem(
                      pki::parse_certificate(ca.hierarchy->root.record.certificate)->get()));
        const std::string cmd =
            "openssl cms -verify -binary -inform DER -in " + path("cms.der").string() +
            " -content " + path("content.bin").string() + " -CAfile " + path("root.pem").string() +
            " -purpose any -attime " + std::to_string(ca.clock.now().time_since_epoch().count()) +
            " -out /dev/null 2>/dev/null";
        EXPECT_EQ(std::system(cmd.c_str()), 0) << crypto::to_string(alg);
        auto parsed = parse_signed_data(*cms);
        ASSERT_TRUE(parsed);
        EXPECT_FALSE(parsed->has_signing_time);  // ETSI EN 319 142-1 §5.2.2
        EXPECT_TRUE(parsed->signing_certificate_v2_hash);
        EXPECT_FALSE(parsed->has_econtent);
        EXPECT_EQ(parsed->certificates.size(), 2u);  // signer + issuing CA
        // A changed byte in the ranges: openssl says no.
        std::string changed = read_all(path("content.bin"));
        changed[100] ^= 1;
        write_all(path("content.bin"), changed);
        EXPECT_NE(std::system(cmd.c_str()), 0);
    }
}

TEST_F(PdfTest, Sm2SealUsesGmIdentifiersAndVerifies) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::sm2);
    auto party = ca.issue();
    ASSERT_TRUE(sign_pdf(request(path("in.pdf"), path("out.pdf"), ca, party), party.key));
    auto v = verify_pdf(path("out.pdf"), trust(ca));
    ASSERT_TRUE(v);
    ASSERT_EQ(v->signatures.size(), 1u);
    EXPECT_TRUE(v->signatures[0].valid()) << v->signatures[0].problems[0].message;
    const std::string out = read_all(path("out.pdf"));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(/ByteRange \[0 (\d+) +(\d+))")));
    const std::size_t a = std::stoul(m[1]), b = std::stoul(m[2]);
    auto parsed = parse_signed_data(*core::hex_decode(out.substr(a + 1, b - a - 2)));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->digest_oid, "1.2.156.10197.1.401");
    EXPECT_EQ(parsed->signature_oid, "1.2.156.10197.1.501");
    EXPECT_EQ(parsed->signing_certificate_v2_hash_oid, "1.2.156.10197.1.401");
}

TEST_F(PdfTest, SecondSealKeepsTheFirstValidAndIsReportedAsSignatureOnly) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    ASSERT_TRUE(sign_pdf(request(path("in.pdf"), path("one.pdf"), ca, party), party.key));
    auto second = request(path("one.pdf"), path("two.pdf"), ca, party);
    second.placement = {2, 50, 50};
    auto r = sign_pdf(second, party.key);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->field_name, "Seal2");
    auto v = verify_pdf(path("two.pdf"), trust(ca));
    ASSERT_TRUE(v);
    ASSERT_EQ(v->signatures.size(), 2u);
    EXPECT_TRUE(v->all_valid());
    EXPECT_TRUE(v->signatures[0].modified_after);
    EXPECT_TRUE(v->signatures[0].later_changes_allowed);
    EXPECT_FALSE(v->signatures[1].modified_after);
}

TEST_F(PdfTest, XrefStreamInputGetsAnXrefStreamUpdate) {
    {
        QPDF q;
        q.processFile(path("in.pdf").c_str());
        QPDFWriter w(q, path("objstm.pdf").c_str());
        w.setObjectStreamMode(qpdf_o_generate);
        w.write();
    }
    auto tail = read_tail(path("objstm.pdf"));
    ASSERT_TRUE(tail);
    ASSERT_EQ(tail->style, XrefStyle::stream);
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    auto r = sign_pdf(request(path("objstm.pdf"), path("out.pdf"), ca, party), party.key);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_TRUE(r->xref_stream);
    auto out_tail = read_tail(path("out.pdf"));
    ASSERT_TRUE(out_tail);
    EXPECT_EQ(out_tail->style, XrefStyle::stream);
    EXPECT_EQ(
        std::system(("qpdf --check " + path("out.pdf").string() + " >/dev/null 2>&1").c_str()), 0);
    auto v = verify_pdf(path("out.pdf"), trust(ca));
    ASSERT_TRUE(v);
    ASSERT_EQ(v->signatures.size(), 1u);
    EXPECT_TRUE(v->signatures[0].valid());
}

TEST_F(PdfTest, OneChangedByteIsADigestMismatch) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    ASSERT_TRUE(sign_pdf(request(path("in.pdf"), path("out.pdf"), ca, party), party.key));
    std::string out = read_all(path("out.pdf"));
    out[out.find("Party A") + 6] = 'X';
    write_all(path("out.pdf"), out);
    auto v = verify_pdf(path("out.pdf"), trust(ca));
    ASSERT_TRUE(v);
    ASSERT_EQ(v->signatures.size(), 1u);
    EXPECT_FALSE(v->signatures[0].digest_ok);
    EXPECT_TRUE(v->signatures[0].signature_ok);  // the CMS itself is intact
    ASSERT_FALSE(v->signatures[0].problems.empty());
    EXPECT_EQ(v->signatures[0].problems[0].code, "pdf.digest_mismatch");
}

TEST_F(PdfTest, ContentChangedInALaterRevisionIsReported) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    ASSERT_TRUE(sign_pdf(request(path("in.pdf"), path("out.pdf"), ca, party), party.key));
    // An incremental update that redefines page 1's content stream (object 5).
    std::string out = read_all(path("out.pdf"));
    const std::size_t prev = read_tail(path("out.pdf"))->startxref;
    const std::string text = "BT /F1 12 Tf 72 720 Td (Page 1 Party Z pays double) Tj ET";
    const std::size_t at = out.size();
    out += "5 0 obj\n<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text +
           "\nendstream\nendobj\n";
    const std::size_t xref = out.size();
    char line[24];
    std::snprintf(line, sizeof line, "%010zu 00000 n\r\n", at);
    out += std::string("xref\n5 1\n") + line + "trailer\n<< /Size 40 /Root 1 0 R /Prev " +
           std::to_string(prev) + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    write_all(path("out.pdf"), out);
    auto v = verify_pdf(path("out.pdf"), trust(ca));
    ASSERT_TRUE(v) << v.error().describe();
    ASSERT_EQ(v->signatures.size(), 1u);
    const auto& s = v->signatures[0];
    EXPECT_TRUE(s.digest_ok);
    EXPECT_TRUE(s.modified_after);
    EXPECT_FALSE(s.later_changes_allowed);
    ASSERT_FALSE(s.later_changes.empty());
    EXPECT_NE(s.later_changes[0].find("content stream"), std::string::npos);
    EXPECT_FALSE(s.valid());
}

TEST_F(PdfTest, ImageAddedToAPageLaterIsReported) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    ASSERT_TRUE(sign_pdf(request(path("in.pdf"), path("out.pdf"), ca, party), party.key));
    // A later update: a new image XObject, and page 2 (object 6, untouched by the seal) naming it.
    std::string out = read_all(path("out.pdf"));
    const std::size_t prev = read_tail(path("out.pdf"))->startxref;
    const std::size_t img = out.size();
    out +=
        "90 0 obj\n<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        "/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream\nendobj\n";
    const std::size_t page = out.size();
    out +=
        "6 0 obj\n<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> /XObject << "
        "/Im1 90 0 R >> >> "
        "/Contents 7 0 R >>\nendobj\n";
    const std::size_t xref = out.size();
    char a[24], b[24];
    std::snprintf(a, sizeof a, "%010zu 00000 n\r\n", page);
    std::snprintf(b, sizeof b, "%010zu 00000 n\r\n", img);
    out += std::string("xref\n6 1\n") + a + "90 1\n" + b +
           "trailer\n<< /Size 91 /Root 1 0 R /Prev " + std::to_string(prev) + " >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    write_all(path("out.pdf"), out);
    auto v = verify_pdf(path("out.pdf"), trust(ca));
    ASSERT_TRUE(v) << v.error().describe();
    const auto& s = v->signatures.at(0);
    EXPECT_TRUE(s.digest_ok);
    EXPECT_FALSE(s.later_changes_allowed);
    ASSERT_EQ(s.later_changes.size(), 1u);
    EXPECT_NE(s.later_changes[0].find("object 90"), std::string::npos);
}

TEST_F(PdfTest, RevocationIsAskedOfTheCertificatesResponder) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    ASSERT_TRUE(sign_pdf(request(path("in.pdf"), path("out.pdf"), ca, party), party.key));
    std::string asked;
    core::Bytes request_der;
    auto options = trust(ca);
    options.ocsp = [&](const std::string& url, core::ByteView req) -> core::Result<core::Bytes> {
        asked = url;
        request_der.assign(req.begin(), req.end());
        return core::fail(core::Errc::io, "http.timeout", "no answer");
    };
    auto v = verify_pdf(path("out.pdf"), options);
    ASSERT_TRUE(v);
    const auto& s = v->signatures.at(0);
    EXPECT_EQ(asked.rfind("http://ca.test", 0), 0u)
        << asked;  // the AIA of the test CA's certificates
    EXPECT_FALSE(request_der.empty());
    EXPECT_EQ(s.revocation, RevocationStatus::unavailable);
    EXPECT_NE(s.revocation_detail.find("no answer"), std::string::npos);
    EXPECT_TRUE(s.valid());  // an unreachable responder is reported, not counted as invalid
    options.ocsp = [](const std::string&, core::ByteView) -> core::Result<core::Bytes> {
        return core::Bytes{0x30, 0x00};
    };
    v = verify_pdf(path("out.pdf"), options);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->signatures.at(0).revocation, RevocationStatus::unavailable);
    options.ocsp = nullptr;
    v = verify_pdf(path("out.pdf"), options);
    EXPECT_EQ(v->signatures.at(0).revocation, RevocationStatus::not_checked);
}

TEST_F(PdfTest, UntrustedRootFailsTheChainOnly) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    seal::testing::TestPki other(crypto::KeyAlgorithm::ecdsa_p256, "other");
    auto party = ca.issue();
    ASSERT_TRUE(sign_pdf(request(path("in.pdf"), path("out.pdf"), ca, party), party.key));
    auto v = verify_pdf(path("out.pdf"), trust(other));
    ASSERT_TRUE(v);
    const auto& s = v->signatures.at(0);
    EXPECT_TRUE(s.digest_ok && s.signature_ok);
    EXPECT_FALSE(s.chain_ok);
    EXPECT_FALSE(s.valid());
}

TEST_F(PdfTest, TimeStamperFailureLeavesNoOutput) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    TimeStamper failing = [](core::ByteView) -> core::Result<core::Bytes> {
        return core::fail(core::Errc::io, "tsa.down", "no TSA");
    };
    auto req = request(path("in.pdf"), path("out.pdf"), ca, party);
    req.time_stamper = &failing;
    req.time_stamp_reserve = 4096;
    auto r = sign_pdf(req, party.key);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "tsa.down");
    EXPECT_EQ(stray({"in.pdf"}), std::vector<std::string>{});
}

TEST_F(PdfTest, TimeStampTokenIsCarriedAsUnsignedAttribute) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    // Any DER ContentInfo stands in for the token here; the real TSA's is checked by interop.pdf.
    core::Bytes seen;
    TimeStamper stamper = [&](core::ByteView sig) -> core::Result<core::Bytes> {
        seen.assign(sig.begin(), sig.end());
        return core::Bytes{0x30, 0x03, 0x02, 0x01, 0x07};
    };
    auto req = request(path("in.pdf"), path("out.pdf"), ca, party);
    req.time_stamper = &stamper;
    req.time_stamp_reserve = 64;
    ASSERT_TRUE(sign_pdf(req, party.key));
    const std::string out = read_all(path("out.pdf"));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(/ByteRange \[0 (\d+) +(\d+))")));
    auto parsed = parse_signed_data(*core::hex_decode(
        out.substr(std::stoul(m[1]) + 1, std::stoul(m[2]) - std::stoul(m[1]) - 2)));
    ASSERT_TRUE(parsed);
    ASSERT_TRUE(parsed->time_stamp_token);
    EXPECT_EQ(*parsed->time_stamp_token, (core::Bytes{0x30, 0x03, 0x02, 0x01, 0x07}));
    EXPECT_EQ(seen, parsed->signature);  // the stamper was given the signature value
}

TEST_F(PdfTest, RidingSealPutsOneStripOnEveryPageUnderOneSignature) {
    write_all(path("three.pdf"), simple_pdf(3));
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    auto req = request(path("three.pdf"), path("out.pdf"), ca, party);
    req.placement = {1, 0, 0, Layout::riding};
    auto r = sign_pdf(req, party.key);
    ASSERT_TRUE(r) << r.error().describe();
    auto v = verify_pdf(path("out.pdf"), trust(ca));
    ASSERT_TRUE(v);
    ASSERT_EQ(v->signatures.size(), 1u);
    EXPECT_TRUE(v->signatures[0].valid());
    EXPECT_TRUE(v->signatures[0].seal_image);
    // Through libqpdf: the signature's widget on page 1 and stamps on pages 2 and 3, each at its
    // page's right edge, a third of the seal wide, each showing a different strip.
    QPDF q;
    q.processFile(path("out.pdf").c_str());
    auto fields = q.getRoot().getKey("/AcroForm").getKey("/Fields");
    ASSERT_EQ(fields.getArrayNItems(), 1);
    auto pages = q.getAllPages();
    std::set<std::string> contents;
    for (std::size_t i = 0; i < 3; ++i) {
        auto annots = pages[i].getKey("/Annots");
        ASSERT_TRUE(annots.isArray());
        auto w = annots.getArrayItem(annots.getArrayNItems() - 1);
        EXPECT_EQ(w.getKey("/Subtype").getName(), i == 0 ? "/Widget" : "/Stamp");
        if (i == 0) {
            EXPECT_EQ(w.getObjGen(), fields.getArrayItem(0).getObjGen());
        }
        EXPECT_EQ(w.getKey("/P").getObjGen(), pages[i].getObjGen());
        auto rect = w.getKey("/Rect").getArrayAsRectangle();
        EXPECT_NEAR(rect.urx, 595, 0.01);
        EXPECT_NEAR(rect.urx - rect.llx, m_width * 72 / 25.4 / 3, 0.05);
        auto data = w.getKey("/AP").getKey("/N").getStreamData();
        contents.insert(
            std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize()));
    }
    EXPECT_EQ(contents.size(), 3u);
    // One page cannot carry a riding seal.
    req.input = path("one.pdf");
    write_all(path("one.pdf"), simple_pdf(1));
    auto one = sign_pdf(req, party.key);
    ASSERT_FALSE(one);
    EXPECT_EQ(one.error().code, "pdf.riding_one_page");
}

TEST_F(PdfTest, KeywordIsFoundWithItsPosition) {
    auto hit = find_text(path("in.pdf"), "Party A", 2);
    ASSERT_TRUE(hit) << hit.error().describe();
    EXPECT_EQ(hit->page, 2);
    // The text starts at 72 pt (25.4 mm) from the left, its baseline 720 pt up an 842 pt page.
    EXPECT_GT(hit->x_mm, 25.4);
    EXPECT_LT(hit->x_mm, 80);
    EXPECT_GT(hit->y_mm, (842 - 735) * 25.4 / 72);
    EXPECT_LT(hit->y_mm, (842 - 715) * 25.4 / 72);
    auto spaced = find_text(path("in.pdf"), "PartyA");  // spaces are ignored
    ASSERT_TRUE(spaced);
    EXPECT_EQ(spaced->page, 1);
    auto missing = find_text(path("in.pdf"), "Party C");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "pdf.keyword_not_found");
    EXPECT_NE(missing.error().message.find("Party C"), std::string::npos);
}

// --- bad input: a clear error and no output file ----------------------------------------------

struct BadInput {
    const char* name;
    std::function<std::string(const std::string&)> make;
    const char* code;
};

TEST_F(PdfTest, HostileInputsAreRefusedWithoutOutput) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    const std::string good = simple_pdf(2);
    const std::vector<BadInput> cases = {
        {"empty", [](const std::string&) { return std::string(); }, "pdf.malformed"},
        {"not a pdf", [](const std::string&) { return std::string(200, 'x'); }, "pdf.malformed"},
        {"truncated", [](const std::string& s) { return s.substr(0, s.size() / 2); },
         "pdf.malformed"},
        {"no startxref",
         [](const std::string& s) {
             std::string t = s;
             t.replace(t.rfind("startxref"), 9, "startxyz ");
             return t;
         },
         "pdf.malformed"},
        {"startxref past the end",
         [](const std::string& s) {
             std::string t = s.substr(0, s.rfind("startxref"));
             return t + "startxref\n99999999\n%%EOF\n";
         },
         "pdf.malformed"},
        {"broken xref offsets",
         [](const std::string& s) {
             std::string t = s;
             const auto x = t.find("0000000000 65535 f");
             t.replace(x + 20, 10, "0000000003");  // object 1 points into the header
             return t;
         },
         "pdf.malformed"},
        {"page tree loop", [](const std::string&) { return simple_pdf(2, "2 0 R 4 0 R"); },
         "pdf.malformed"},
    };
    for (const auto& c : cases) {
        write_all(path("bad.pdf"), c.make(good));
        auto r = sign_pdf(request(path("bad.pdf"), path("out.pdf"), ca, party), party.key);
        ASSERT_FALSE(r) << c.name;
        EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().describe();
        EXPECT_FALSE(r.error().message.empty());
        EXPECT_EQ(stray({"in.pdf", "bad.pdf"}), std::vector<std::string>{}) << c.name;
        auto v =
            verify_pdf(path("bad.pdf"), trust(ca));  // never throws; an error or an empty report
        if (v) {
            EXPECT_TRUE(v->signatures.empty()) << c.name;
        }
    }
}

TEST_F(PdfTest, EncryptedPdfIsRefused) {
    {
        QPDF q;
        q.processFile(path("in.pdf").c_str());
        QPDFWriter w(q, path("enc.pdf").c_str());
        w.setR6EncryptionParameters("", "owner", true, true, true, true, true, true, qpdf_r3p_full,
                                    true);
        w.write();
    }
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    auto r = sign_pdf(request(path("enc.pdf"), path("out.pdf"), ca, party), party.key);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "pdf.encrypted");
    EXPECT_EQ(r.error().kind, core::Errc::unsupported);
    EXPECT_FALSE(fs::exists(path("out.pdf")));
}

TEST_F(PdfTest, PlacementErrorsNameTheProblem) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    auto req = request(path("in.pdf"), path("out.pdf"), ca, party);
    req.placement = {3, 100, 100};
    auto r = sign_pdf(req, party.key);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "pdf.page");
    EXPECT_NE(r.error().message.find("2 page(s)"), std::string::npos);
    req.placement = {1, 2, 2};
    r = sign_pdf(req, party.key);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "pdf.placement");
    req.placement = {1, 100, 100};
    req.picture.png = core::as_bytes("not a png");
    r = sign_pdf(req, party.key);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "seal.picture");
    EXPECT_FALSE(fs::exists(path("out.pdf")));
}

// ISO 32000-1 §7.7.3.3: --at counts from the top-left of the page as displayed. On a page turned
// 90 degrees clockwise (MediaBox 595 x 842 pt, shown 842 wide), that corner is the MediaBox's
// lower-left; the widget is as wide as the seal is high, and its appearance is turned back.
TEST_F(PdfTest, RotatedPagePlacesTheSealAsDisplayedAndTurnsItsAppearance) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    ASSERT_EQ(std::system(
                  ("qpdf --rotate=+90 " + path("in.pdf").string() + " " + path("rot.pdf").string())
                      .c_str()),
              0);
    auto req = request(path("rot.pdf"), path("out.pdf"), ca, party);
    req.picture.height_mm = m_height * 2;  // not square: the turn shows in the /Rect
    req.placement = {1, 40, 60};
    ASSERT_TRUE(sign_pdf(req, party.key));
    QPDF q;
    q.processFile(path("out.pdf").string().c_str());
    QPDFObjectHandle first = q.getAllPages().at(0);
    auto widget = first.getKey("/Annots").getArrayItem(0);
    const auto r = widget.getKey("/Rect").getArrayAsRectangle();
    constexpr double pt = 72 / 25.4;
    EXPECT_NEAR((r.llx + r.urx) / 2, 60 * pt, 0.02);  // down the screen = +x
    EXPECT_NEAR((r.lly + r.ury) / 2, 40 * pt, 0.02);  // right on the screen = +y
    EXPECT_NEAR(r.urx - r.llx, 2 * m_height * pt, 0.02);
    EXPECT_NEAR(r.ury - r.lly, m_width * pt, 0.02);
    auto matrix = widget.getKey("/AP").getKey("/N").getDict().getKey("/Matrix");
    ASSERT_TRUE(matrix.isArray());
    EXPECT_EQ(matrix.getArrayItem(0).getNumericValue(), 0);
    EXPECT_EQ(matrix.getArrayItem(1).getNumericValue(), 1);  // counter-clockwise by 90
    EXPECT_EQ(matrix.getArrayItem(2).getNumericValue(), -1);
    auto v = verify_pdf(path("out.pdf"), trust(ca));
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->all_valid());

    // Off the page as displayed (842 x 595 pt = 297 x 210 mm): 200 mm down does not fit.
    req.placement = {1, 40, 200};
    auto off = sign_pdf(req, party.key);
    ASSERT_FALSE(off);
    EXPECT_EQ(off.error().code, "pdf.placement");
    EXPECT_NE(off.error().message.find("297.0"), std::string::npos) << off.error().message;

    req.placement = {1, 0, 0, Layout::riding};
    auto riding = sign_pdf(req, party.key);
    ASSERT_FALSE(riding);
    EXPECT_EQ(riding.error().code, "pdf.page_rotated");
    EXPECT_NE(riding.error().message.find("page 1"), std::string::npos);
}

// The picture a signature's widget draws comes back out of verify_pdf as a PNG: same size, same
// transparency (the /SMask) as the seal's own picture.
TEST_F(PdfTest, VerifyReturnsTheSealPictureAsPng) {
    seal::testing::TestPki ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto party = ca.issue();
    ASSERT_TRUE(sign_pdf(request(path("in.pdf"), path("out.pdf"), ca, party), party.key));
    auto v = verify_pdf(path("out.pdf"), trust(ca));
    ASSERT_TRUE(v);
    const auto& s = v->signatures.at(0);
    EXPECT_TRUE(s.seal_image);
    ASSERT_FALSE(s.seal_png.empty());
    auto back = pdf_image_from_png(s.seal_png);
    auto original = pdf_image_from_png(m_png);
    ASSERT_TRUE(back && original);
    EXPECT_EQ(back->width, original->width);
    EXPECT_EQ(back->height, original->height);
    EXPECT_EQ(back->alpha_flate, original->alpha_flate);
    auto options = trust(ca);
    options.seal_images = false;
    v = verify_pdf(path("out.pdf"), options);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->signatures.at(0).seal_png.empty());
}

// A PDF whose one signature field's widget draws a 16 x 16 DeviceGray image with these
// Flate-compressed bytes (the signature itself is junk: only the picture is looked at here).
std::string pdf_with_widget_image(const std::string& raw) {
    uLongf n = compressBound(static_cast<uLong>(raw.size()));
    std::string flate(n, '\0');
    EXPECT_EQ(
        compress2(reinterpret_cast<Bytef*>(flate.data()), &n,
                  reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()), 9),
        Z_OK);
    flate.resize(n);
    std::string out = "%PDF-1.7\n";
    std::vector<std::size_t> off;
    auto obj = [&](const std::string& body) {
        off.push_back(out.size());
        out += std::to_string(off.size()) + " 0 obj\n" + body + "\nendobj\n";
    };
    obj("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>");
    obj("<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>");
    obj("<< /Type /Page /Parent 2 0 R /Annots [4 0 R] >>");
    obj("<< /Type /Annot /Subtype /Widget /FT /Sig /T (S) /Rect [0 0 50 50] /P 3 0 R /V << /Type "
        "/Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] /Contents <00> >> /AP << /N 5 "
        "0 R >> >>");
    obj("<< /Type /XObject /Subtype /Form /BBox [0 0 50 50] /Resources << /XObject << /Im0 6 0 R "
        ">> >> /Length 28 >>\nstream\nq 50 0 0 50 0 0 cm /Im0 Do Q\nendstream");
    obj("<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
        "/BitsPerComponent 8 /Filter /FlateDecode /Length " +
        std::to_string(flate.size()) + " >>\nstream\n" + flate + "\nendstream");
    const std::size_t xref = out.size();
    out += "xref\n0 " + std::to_string(off.size() + 1) + "\n0000000000 65535 f\r\n";
    char line[24];
    for (auto o : off) {
        std::snprintf(line, sizeof line, "%010zu 00000 n\r\n", o);
        out += line;
    }
    return out + "trailer\n<< /Size " + std::to_string(off.size() + 1) +
           " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
}

// The widget's picture is decoded only up to what /Width x /Height hold: 64 MB of zeros in 64 KB
// of Flate (a decompression bomb) gives no picture, and a right-sized image gives a PNG.
TEST_F(PdfTest, SealPictureDecodingStopsAtTheImagesSize) {
    write_all(path("ok.pdf"), pdf_with_widget_image(std::string(16 * 16, '\x80')));
    auto v = verify_pdf(path("ok.pdf"), VerifyOptions{});
    ASSERT_TRUE(v) << v.error().describe();
    ASSERT_EQ(v->signatures.size(), 1u);
    for (const auto& p : v->signatures[0].problems) EXPECT_NE(p.code, "pdf.malformed") << p.message;
    EXPECT_TRUE(v->signatures[0].seal_image);
    ASSERT_FALSE(v->signatures[0].seal_png.empty());
    auto back = pdf_image_from_png(v->signatures[0].seal_png);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->width, 16);
    EXPECT_FALSE(v->signatures[0].valid());

    write_all(path("bomb.pdf"), pdf_with_widget_image(std::string(64 << 20, '\0')));
    v = verify_pdf(path("bomb.pdf"), VerifyOptions{});
    ASSERT_TRUE(v) << v.error().describe();
    ASSERT_EQ(v->signatures.size(), 1u);
    EXPECT_TRUE(v->signatures[0].seal_image);
    EXPECT_TRUE(v->signatures[0].seal_png.empty());
}

TEST(PdfCms, GarbageIsMalformed) {
    for (const core::Bytes& bad :
         {core::Bytes{}, core::Bytes{0x30, 0x80}, core::Bytes{0x30, 0x03, 0x06, 0x01, 0x00},
          core::Bytes(100, 0xFF)}) {
        auto r = parse_signed_data(bad);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, "cms.malformed");
    }
}

TEST(PdfFile, DatesRoundTrip) {
    EXPECT_EQ(pdf_date(0), "D:19700101000000+00'00'");
    EXPECT_EQ(parse_pdf_date("D:20261126033915+00'00'"), 1795664355);
    EXPECT_EQ(parse_pdf_date("D:20261126113915+08'00'"), 1795664355);
    EXPECT_EQ(pdf_text_string("a(b)\\"), "(a\\(b\\)\\\\)");
    EXPECT_EQ(pdf_text_string("章"), "<FEFF7AE0>");
}

}  // namespace
}  // namespace eseal::document::pdf
