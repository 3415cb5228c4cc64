#include <gtest/gtest.h>

#include "crypto/digest.hpp"
#include "document/ofd/sign.hpp"
#include "document/ofd/signature_xml.hpp"
#include "document/ofd/testing_support.hpp"
#include "document/ofd/verify.hpp"
#include "seal/testing_support.hpp"

namespace eseal::document::ofd {
namespace {

using seal::testing::at;
using seal::testing::Party;
using seal::testing::TestPki;

const core::Bytes kPng = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3};

struct Fixture {
    explicit Fixture(crypto::KeyAlgorithm alg = crypto::KeyAlgorithm::sm2) : pki(alg) {}
    TestPki pki;
    Party maker = pki.issue(5);
    Party signer = pki.issue(3);
    seal::Seal seal = make_seal(signer);

    seal::Seal make_seal(const Party& bound) {
        seal::SealRequest r;
        r.name = "深圳市示例科技有限公司";
        r.signer_certificates = {bound.certificate};
        r.picture = {"PNG", kPng, 42, 42};
        r.valid_end = at("2028-11-25");
        auto s = seal::make_seal(r, maker.key, maker.certificate, pki.clock);
        EXPECT_TRUE(s) << s.error().describe();
        return *s;
    }

    core::Result<Signed> sign(const Package& in, int page = 1, double x = 171, double y = 251) {
        pki.clock.advance(std::chrono::minutes(1));
        return sign_package(in, {seal, signer.key, {}, {page, x, y}}, pki.clock);
    }

    Report verify(const Package& p) {
        auto r = verify_package(p, pki.trust(), pki.clock.now());
        EXPECT_TRUE(r) << r.error().describe();
        return r ? *r : Report{};
    }
};

std::vector<std::string> codes(const std::vector<core::Problem>& problems) {
    std::vector<std::string> out;
    for (const auto& p : problems) out.push_back(p.code);
    return out;
}

bool has(const std::vector<core::Problem>& problems, std::string_view code) {
    const auto c = codes(problems);
    return std::find(c.begin(), c.end(), code) != c.end();
}

std::string text(const Package& p, std::string_view name) {
    const auto* e = p.find(name);
    return e != nullptr ? core::to_string(e->data) : std::string();
}

TEST(OfdSign, LaysOutTheSignatureAsGbt33190Section18) {
    Fixture f;
    auto s = f.sign(testing::make_test_ofd(1), 1, 171, 251);
    ASSERT_TRUE(s) << s.error().describe();
    const auto& p = s->package;
    EXPECT_EQ(s->signature_id, "s001");
    EXPECT_EQ(s->signature_path, "Doc_0/Signs/Sign_0/Signature.xml");
    EXPECT_NE(
        text(p, "OFD.xml")
            .find("<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody>"),
        std::string::npos);
    auto list = parse_signatures_xml(p.find("Doc_0/Signs/Signatures.xml")->data, "Signatures.xml");
    ASSERT_TRUE(list);
    EXPECT_EQ(list->max_sign_id, "s001");
    ASSERT_EQ(list->entries.size(), 1U);
    EXPECT_EQ(list->entries[0].base_loc, "/Doc_0/Signs/Sign_0/Signature.xml");
    EXPECT_EQ(list->entries[0].type, "Seal");

    const auto* xml = p.find("Doc_0/Signs/Sign_0/Signature.xml");
    ASSERT_NE(xml, nullptr);
    auto d = parse_signature_xml(xml->data, "Signature.xml");
    ASSERT_TRUE(d) << d.error().describe();
    EXPECT_EQ(d->check_method, "1.2.156.10197.1.401");
    EXPECT_EQ(d->signature_method, "1.2.156.10197.1.501");
    EXPECT_EQ(d->signature_date_time, "20261125100100Z");
    // Every file but the list and the new signature's own, each with its SM3 digest.
    std::vector<std::string> refs;
    for (const auto& r : d->references) {
        refs.push_back(r.file_ref);
        EXPECT_EQ(core::base64_decode(r.check_value), crypto::sm3(p.find(r.file_ref)->data))
            << r.file_ref;
    }
    EXPECT_EQ(refs,
              (std::vector<std::string>{"/OFD.xml", "/Doc_0/Document.xml", "/Doc_0/PublicRes.xml",
                                        "/Doc_0/Pages/Page_0/Content.xml"}));
    ASSERT_EQ(d->stamps.size(), 1U);
    EXPECT_EQ(d->stamps[0].page_ref, "10");
    EXPECT_EQ(d->stamps[0].boundary, "150 230 42 42");  // the seal picture's size in mm
    EXPECT_EQ(d->seal_loc, "/Doc_0/Signs/Sign_0/Seal.esl");
    EXPECT_EQ(d->signed_value_loc, "/Doc_0/Signs/Sign_0/SignedValue.dat");

    EXPECT_EQ(p.find("Doc_0/Signs/Sign_0/Seal.esl")->data, f.seal.der);
    auto sig = seal::parse_signature(p.find("Doc_0/Signs/Sign_0/SignedValue.dat")->data);
    ASSERT_TRUE(sig) << sig.error().describe();
    EXPECT_EQ(sig->data_hash, crypto::sm3(xml->data));  // GB/T 38540 §8: SM3 of Signature.xml
    EXPECT_EQ(sig->property_info, "/Doc_0/Signs/Sign_0/Signature.xml");
    EXPECT_EQ(sig->time_info, at("2026-11-25T10:01:00Z"));
    EXPECT_EQ(sig->seal.der, f.seal.der);
}

TEST(OfdVerify, ASealedDocumentVerifies) {
    Fixture f;
    auto s = f.sign(testing::make_test_ofd(1));
    ASSERT_TRUE(s) << s.error().describe();
    const auto r = f.verify(s->package);
    ASSERT_EQ(r.signatures.size(), 1U);
    EXPECT_TRUE(r.ok()) << codes(r.signatures[0].problems).size();
    for (const auto& p : r.signatures[0].problems) ADD_FAILURE() << p.code << ": " << p.message;
    EXPECT_TRUE(r.warnings.empty());
    EXPECT_EQ(r.signatures[0].references, 4U);
    ASSERT_EQ(r.signatures[0].stamps.size(), 1U);
    EXPECT_EQ(r.signatures[0].stamps[0].page, 1);
    EXPECT_EQ(r.signatures[0].stamps[0].boundary.x, 150);
    ASSERT_TRUE(r.signatures[0].signature);
    EXPECT_EQ(r.signatures[0].signature->seal.property.name, "深圳市示例科技有限公司");
}

TEST(OfdSign, ASecondSignatureKeepsTheFirstValid) {
    Fixture f;
    auto first = f.sign(testing::make_test_ofd(3), 1);
    ASSERT_TRUE(first) << first.error().describe();
    const auto ofd_xml_after_first = text(first->package, "OFD.xml");
    auto second = f.sign(first->package, 3, 41, 41);
    ASSERT_TRUE(second) << second.error().describe();
    const auto& p = second->package;
    EXPECT_EQ(second->signature_id, "s002");
    EXPECT_EQ(second->signature_path, "Doc_0/Signs/Sign_1/Signature.xml");
    EXPECT_EQ(text(p, "OFD.xml"), ofd_xml_after_first);  // the list is already named
    auto list = parse_signatures_xml(p.find("Doc_0/Signs/Signatures.xml")->data, "Signatures.xml");
    ASSERT_TRUE(list);
    EXPECT_EQ(list->max_sign_id, "s002");
    ASSERT_EQ(list->entries.size(), 2U);
    EXPECT_EQ(list->entries[1].id, "s002");
    // The second signature protects the first one's files.
    auto d = parse_signature_xml(p.find("Doc_0/Signs/Sign_1/Signature.xml")->data, "x");
    ASSERT_TRUE(d);
    std::vector<std::string> refs;
    for (const auto& r : d->references) refs.push_back(r.file_ref);
    EXPECT_NE(std::find(refs.begin(), refs.end(), "/Doc_0/Signs/Sign_0/SignedValue.dat"),
              refs.end());
    EXPECT_EQ(std::find(refs.begin(), refs.end(), "/Doc_0/Signs/Signatures.xml"), refs.end());
    EXPECT_EQ(d->stamps[0].page_ref, "30");

    const auto r = f.verify(p);
    ASSERT_EQ(r.signatures.size(), 2U);
    EXPECT_TRUE(r.ok());
    for (const auto& s : r.signatures)
        for (const auto& pr : s.problems)
            ADD_FAILURE() << s.id << " " << pr.code << ": " << pr.message;
    EXPECT_EQ(r.signatures[1].stamps[0].page, 3);
}

// The international suite (DESIGN §4): the same layout; SignatureMethod and dataHash follow the
// signer (ECDSA with SHA-256), the References stay SM3.
TEST(OfdSign, AnEcdsaSignerSealsAndVerifies) {
    Fixture f(crypto::KeyAlgorithm::ecdsa_p256);
    auto s = f.sign(testing::make_test_ofd(1));
    ASSERT_TRUE(s) << s.error().describe();
    const auto* xml = s->package.find("Doc_0/Signs/Sign_0/Signature.xml");
    auto d = parse_signature_xml(xml->data, "x");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->signature_method, "1.2.840.10045.4.3.2");
    EXPECT_EQ(d->check_method, "1.2.156.10197.1.401");
    EXPECT_EQ(s->signature.data_hash, crypto::sha256(xml->data));
    const auto r = f.verify(s->package);
    EXPECT_TRUE(r.ok());
    for (const auto& p : r.signatures.at(0).problems) ADD_FAILURE() << p.code << ": " << p.message;
}

// Another producer's style: the OFD namespace as the default namespace, no "ofd:" prefix.
TEST(OfdSign, UnprefixedXmlGetsUnprefixedAdditions) {
    Fixture f;
    Package p;
    const auto prefixed = testing::make_test_ofd(1);
    for (const auto& e : prefixed.entries()) {
        auto xml = core::to_string(e.data);
        for (auto at = xml.find("ofd:"); at != std::string::npos; at = xml.find("ofd:"))
            xml.erase(at, 4);
        for (auto at = xml.find("xmlns:ofd="); at != std::string::npos; at = xml.find("xmlns:ofd="))
            xml.replace(at, 10, "xmlns=");
        p.put(e.name, core::to_bytes(xml));
    }
    auto first = f.sign(p);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_NE(text(first->package, "OFD.xml")
                  .find("<Signatures>/Doc_0/Signs/Signatures.xml</Signatures></DocBody>"),
              std::string::npos);
    auto second = f.sign(first->package);
    ASSERT_TRUE(second) << second.error().describe();
    const auto r = f.verify(second->package);
    EXPECT_EQ(r.signatures.size(), 2U);
    EXPECT_TRUE(r.ok());
}

TEST(OfdVerify, AChangedPageIsFound) {
    Fixture f;
    auto s = f.sign(testing::make_test_ofd(2));
    ASSERT_TRUE(s);
    auto p = s->package;
    auto content = text(p, "Doc_0/Pages/Page_1/Content.xml");
    content.replace(content.find("Page 2"), 6, "Page 9");
    p.put("Doc_0/Pages/Page_1/Content.xml", core::to_bytes(content));
    const auto r = f.verify(p);
    EXPECT_FALSE(r.ok());
    ASSERT_EQ(r.signatures.size(), 1U);
    EXPECT_EQ(codes(r.signatures[0].problems),
              (std::vector<std::string>{"ofd.reference_mismatch"}));
    EXPECT_EQ(r.signatures[0].problems[0].field, "/Doc_0/Pages/Page_1/Content.xml");
}

TEST(OfdVerify, AChangedSignatureXmlBreaksTheSeal) {
    Fixture f;
    auto s = f.sign(testing::make_test_ofd(1));
    ASSERT_TRUE(s);
    auto p = s->package;
    auto xml = text(p, "Doc_0/Signs/Sign_0/Signature.xml");
    xml.replace(xml.find("Boundary=\"150"), 13, "Boundary=\"10 ");  // move the stamp
    p.put("Doc_0/Signs/Sign_0/Signature.xml", core::to_bytes(xml));
    const auto r = f.verify(p);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has(r.signatures[0].problems, "signature.data_hash_mismatch"));
}

TEST(OfdVerify, ASwappedSealFileAndAMissingFileAreFound) {
    Fixture f;
    auto s = f.sign(testing::make_test_ofd(1));
    ASSERT_TRUE(s);
    auto p = s->package;
    p.put("Doc_0/Signs/Sign_0/Seal.esl", f.make_seal(f.signer).der);
    Package without;
    for (const auto& e : p.entries())
        if (e.name != "Doc_0/PublicRes.xml")
            without.put(e.name, e.data);
    const auto r = f.verify(without);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has(r.signatures[0].problems, "ofd.seal_mismatch"));
    EXPECT_TRUE(has(r.signatures[0].problems, "ofd.reference_missing"));
}

TEST(OfdVerify, AnotherTrustAnchorDoesNotVouchForTheSigner) {
    Fixture f;
    auto s = f.sign(testing::make_test_ofd(1));
    ASSERT_TRUE(s);
    TestPki other(crypto::KeyAlgorithm::sm2, "other");
    auto r = verify_package(s->package, other.trust(), f.pki.clock.now());
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->ok());
    EXPECT_TRUE(has(r->signatures[0].problems, "signature.signer_untrusted"));
}

TEST(OfdVerify, AnUnsignedDocumentIsNotValid) {
    Fixture f;
    const auto r = f.verify(testing::make_test_ofd(1));
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(codes(r.problems), (std::vector<std::string>{"ofd.unsigned"}));
}

TEST(OfdVerify, AFileAddedAfterSigningIsNoted) {
    Fixture f;
    auto s = f.sign(testing::make_test_ofd(1));
    ASSERT_TRUE(s);
    auto p = s->package;
    p.put("Doc_0/Res/extra.png", kPng);
    const auto r = f.verify(p);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(codes(r.warnings), (std::vector<std::string>{"ofd.unprotected_files"}));
    EXPECT_NE(r.warnings[0].message.find("/Doc_0/Res/extra.png"), std::string::npos);
}

TEST(OfdSign, BadPlacementIsRefusedWithEveryReason) {
    Fixture f;
    auto none = f.sign(testing::make_test_ofd(2), 3);
    ASSERT_FALSE(none);
    EXPECT_EQ(codes(none.error().problems), (std::vector<std::string>{"ofd.page_invalid"}));
    EXPECT_NE(none.error().problems[0].message.find("2 page(s)"), std::string::npos);
    auto off =
        f.sign(testing::make_test_ofd(2), 1, 190, 100);  // 42 mm wide, centred at x=190 of 210
    ASSERT_FALSE(off);
    EXPECT_EQ(codes(off.error().problems), (std::vector<std::string>{"ofd.stamp_off_page"}));
    EXPECT_TRUE(f.sign(testing::make_test_ofd(1), 1, 189, 276));  // flush with the corner
}

TEST(OfdSign, ASignerTheSealDoesNotListIsRefused) {
    Fixture f;
    const Party stranger = f.pki.issue(2);
    auto s = sign_package(testing::make_test_ofd(1),
                          {f.seal, stranger.key, stranger.certificate, {1, 50, 50}}, f.pki.clock);
    ASSERT_FALSE(s);
    EXPECT_TRUE(has(s.error().problems, "signature.signer_not_in_seal")) << s.error().describe();
}

TEST(OfdSign, MalformedDocumentsAreRefusedWithTheFileNamed) {
    Fixture f;
    auto broken = testing::make_test_ofd(1);
    broken.put("Doc_0/Document.xml", core::to_bytes("<ofd:Document><ofd:Pages>"));
    auto a = f.sign(broken);
    ASSERT_FALSE(a);
    EXPECT_TRUE(has(a.error().problems, "ofd.xml_malformed")) << a.error().describe();
    EXPECT_NE(a.error().describe().find("Doc_0/Document.xml"), std::string::npos);

    auto missing = testing::make_test_ofd(2);
    Package without;
    for (const auto& e : missing.entries())
        if (e.name != "Doc_0/Pages/Page_1/Content.xml")
            without.put(e.name, e.data);
    auto b = f.sign(without);
    ASSERT_FALSE(b);
    EXPECT_TRUE(has(b.error().problems, "ofd.structure_invalid"));
    EXPECT_NE(b.error().describe().find("Pages/Page_1/Content.xml"), std::string::npos);

    Package no_entry;
    no_entry.put("Doc_0/Document.xml", {});
    auto c = f.sign(no_entry);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, "ofd.not_ofd");

    // A signature list that names itself as a signature, twice.
    auto s = f.sign(testing::make_test_ofd(1));
    ASSERT_TRUE(s);
    auto looped = s->package;
    looped.put(
        "Doc_0/Signs/Signatures.xml",
        core::to_bytes("<ofd:Signatures xmlns:ofd=\"http://www.ofdspec.org/2016\">"
                       "<ofd:Signature ID=\"s001\" BaseLoc=\"/Doc_0/Signs/Signatures.xml\"/>"
                       "<ofd:Signature ID=\"s002\" BaseLoc=\"/Doc_0/Signs/Sign_0/Signature.xml\"/>"
                       "<ofd:Signature ID=\"s003\" BaseLoc=\"/Doc_0/Signs/Sign_0/Signature.xml\"/>"
                       "</ofd:Signatures>"));
    const auto r = f.verify(looped);
    ASSERT_EQ(r.signatures.size(), 3U);
    EXPECT_TRUE(has(r.signatures[0].problems, "ofd.signature_duplicate"));
    EXPECT_TRUE(r.signatures[1].ok());
    EXPECT_TRUE(has(r.signatures[2].problems, "ofd.signature_duplicate"));
    EXPECT_FALSE(r.ok());
}

TEST(OfdSign, SignFileWritesNothingOnError) {
    Fixture f;
    const auto dir =
        std::filesystem::temp_directory_path() / ("ofd-sign-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    ASSERT_TRUE(write_package_file(testing::make_test_ofd(1), dir / "in.ofd"));
    auto bad = sign_file(dir / "in.ofd", dir / "out.ofd", {f.seal, f.signer.key, {}, {5, 10, 10}},
                         f.pki.clock);
    EXPECT_FALSE(bad);
    EXPECT_FALSE(std::filesystem::exists(dir / "out.ofd"));
    auto good = sign_file(dir / "in.ofd", dir / "out.ofd", {f.seal, f.signer.key, {}, {1, 50, 50}},
                          f.pki.clock);
    ASSERT_TRUE(good) << good.error().describe();
    auto back = read_package_file(dir / "out.ofd");
    ASSERT_TRUE(back);
    EXPECT_TRUE(f.verify(*back).ok());
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 2);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace eseal::document::ofd

namespace eseal::document::ofd {
namespace {

// The signer's certificate is asked about through the shared revocation check
// (document/revocation.hpp, judged in depth by the PDF tests): OCSP at its AIA first, then the
// CRL at its distribution point; no answer is reported and does not make the seal invalid.
TEST(OfdVerify, TheSignersCertificateIsAskedAboutOcspThenTheCrl) {
    Fixture f;
    auto s = f.sign(testing::make_test_ofd(1));
    ASSERT_TRUE(s) << s.error().describe();
    std::vector<std::string> asked;
    RevocationFetchers fetchers{
        [&](const std::string& url, core::ByteView) -> core::Result<core::Bytes> {
            asked.push_back("ocsp " + url);
            return core::fail(core::Errc::io, "http.connect", "connection refused");
        },
        [&](const std::string& url) -> core::Result<core::Bytes> {
            asked.push_back("crl " + url);
            return core::fail(core::Errc::io, "http.timeout", "no CRL in time");
        }};
    auto r = verify_package(s->package, f.pki.trust(), f.pki.clock.now(), fetchers);
    ASSERT_TRUE(r) << r.error().describe();
    ASSERT_EQ(r->signatures.size(), 1U);
    const auto& sig = r->signatures[0];
    ASSERT_EQ(asked.size(), 2U);
    EXPECT_EQ(asked[0].rfind("ocsp http://ca.test", 0), 0U) << asked[0];
    EXPECT_EQ(asked[1].rfind("crl http://ca.test/crl/", 0), 0U) << asked[1];
    EXPECT_EQ(sig.revocation.status, RevocationStatus::unavailable);
    EXPECT_EQ(sig.revocation.source, RevocationSource::crl);
    EXPECT_EQ(sig.revocation.reason, "timeout");
    EXPECT_NE(sig.revocation.detail.find("connection refused"), std::string::npos);
    EXPECT_TRUE(r->ok());

    // Without fetchers nothing is asked.
    auto quiet = verify_package(s->package, f.pki.trust(), f.pki.clock.now());
    ASSERT_TRUE(quiet);
    EXPECT_EQ(quiet->signatures[0].revocation.status, RevocationStatus::not_checked);

    // An anchor that does not vouch for the signer: no revocation question is asked at all.
    asked.clear();
    TestPki other(crypto::KeyAlgorithm::sm2, "other");
    auto untrusted = verify_package(s->package, other.trust(), f.pki.clock.now(), fetchers);
    ASSERT_TRUE(untrusted);
    EXPECT_TRUE(asked.empty());
}

}  // namespace
}  // namespace eseal::document::ofd
