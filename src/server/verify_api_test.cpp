// POST /api/v1/verify on a real server (the hall's): documents sealed here, in the test, with the
// OFD and PDF signers, checked against the CAs in the platform's store.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "document/ofd/package.hpp"
#include "document/ofd/sign.hpp"
#include "document/ofd/testing_support.hpp"
#include "document/pdf/pdf_sign.hpp"
#include "document/pdf/seal_image.hpp"
#include "seal/image.hpp"
#include "seal/testing_support.hpp"
#include "server/hall_test_support.hpp"

namespace eseal::server {
namespace {

namespace fs = std::filesystem;
using testing::Browser;
using testing::Hall;
using testing::Reply;
using testing::one_page_pdf;

// Files left under the hall's blob directory (uploads go to its tmp/ first).
std::vector<std::string> leftovers(const Hall& hall) {
    std::vector<std::string> out;
    const auto root = hall.dir() / "blobs";
    if (!fs::exists(root))
        return out;
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file())
            out.push_back(e.path().string());
    return out;
}

Reply post_file(Hall& hall, const std::string& body) {
    Browser b(hall.port());
    return b.send("POST", "/api/v1/verify", body, "application/octet-stream");
}

bool has_code(const nlohmann::json& problems, std::string_view code) {
    for (const auto& p : problems)
        if (p.value("code", "") == code)
            return true;
    return false;
}

// A CA hierarchy, an organization's certificate and a seal (with a real drawn picture) made by
// the maker; the hall's store learns the CAs only when trust() is called.
struct Sealer {
    seal::testing::TestPki pki{crypto::KeyAlgorithm::sm2};
    seal::testing::Party maker = pki.issue(5);
    seal::testing::Party signer = pki.issue(3);
    core::Bytes png;
    seal::Seal seal;

    Sealer() {
        auto img = seal::render_square_seal({"张三", 20, 300});
        EXPECT_TRUE(img) << img.error().describe();
        png = img->png;
        seal::SealRequest r;
        r.name = "深圳市示例科技有限公司合同专用章";
        r.signer_certificates = {signer.certificate};
        r.picture = {"PNG", png, 20, 20};
        r.valid_end = seal::testing::at("2028-11-25");
        auto s = seal::make_seal(r, maker.key, maker.certificate, pki.clock);
        EXPECT_TRUE(s) << s.error().describe();
        seal = *s;
        pki.clock.advance(std::chrono::minutes(1));
    }
    void trust(Hall& hall) const {
        for (const auto* ca : {&pki.hierarchy->root, &pki.hierarchy->issuing})
            ASSERT_TRUE(hall.store().add_ca(ca->record, ca->certificate, {})) << ca->record.name;
        hall.clock().set(pki.clock.now() + std::chrono::hours(1));
    }
    document::ofd::Package sealed_ofd() {
        auto s = document::ofd::sign_package(document::ofd::testing::make_test_ofd(1),
                                             {seal, signer.key, {}, {1, 171, 251}}, pki.clock);
        EXPECT_TRUE(s) << s.error().describe();
        return s->package;
    }
};

std::string zip(const document::ofd::Package& p) {
    const auto file = fs::temp_directory_path() /
                      ("eseal-verify-" + core::hex_encode(crypto::random_bytes(8)) + ".ofd");
    auto written = document::ofd::write_package_file(p, file);
    EXPECT_TRUE(written) << written.error().describe();
    std::ifstream in(file, std::ios::binary);
    std::string out{std::istreambuf_iterator<char>(in), {}};
    fs::remove(file);
    return out;
}

TEST(VerifyApi, SealedOfdIsValidWithSignerSealAndPicture) {
    Hall hall;
    Sealer s;
    s.trust(hall);
    const auto reply = post_file(hall, zip(s.sealed_ofd()));
    ASSERT_EQ(reply.status, 200) << reply.body;
    const auto j = reply.json();
    EXPECT_EQ(j["kind"], "ofd");
    EXPECT_EQ(j["valid"], true) << reply.body.substr(0, 2000);
    ASSERT_EQ(j["signatures"].size(), 1U);
    const auto& sig = j["signatures"][0];
    EXPECT_EQ(sig["valid"], true);
    EXPECT_EQ(sig["integrity"], true);
    EXPECT_EQ(sig["chain"], true);
    EXPECT_EQ(sig["signer"]["organization"], "深圳市示例科技有限公司");
    EXPECT_EQ(sig["signer"]["credit_code"], "91350100M000100Y43");
    EXPECT_EQ(sig["seal"]["name"], "深圳市示例科技有限公司合同专用章");
    EXPECT_EQ(sig["seal"]["es_id"], s.seal.es_id);
    EXPECT_EQ(sig["pages"], nlohmann::json::array({1}));
    const std::string prefix = "data:image/png;base64,";
    const std::string image = sig["image"].is_string() ? sig["image"].get<std::string>() : "";
    ASSERT_TRUE(image.starts_with(prefix)) << image.substr(0, 40);
    EXPECT_EQ(core::base64_decode(image.substr(prefix.size())), s.png);
    EXPECT_EQ(leftovers(hall), std::vector<std::string>{});
}

TEST(VerifyApi, TamperedOfdIsInvalidWithTheReasonAndUnknownCasFailTheChain) {
    Hall hall;
    Sealer s;
    auto package = s.sealed_ofd();
    const std::string sealed = zip(package);

    // The platform does not know this hierarchy yet: integrity holds, the chain does not.
    auto reply = post_file(hall, sealed);
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto sig = reply.json()["signatures"][0];
    EXPECT_EQ(reply.json()["valid"], false);
    EXPECT_EQ(sig["integrity"], true);
    EXPECT_EQ(sig["chain"], false);
    EXPECT_TRUE(has_code(sig["problems"], "signature.signer_untrusted") ||
                has_code(sig["problems"], "seal.maker_untrusted"))
        << sig["problems"].dump();

    s.trust(hall);
    auto* page = package.find("Doc_0/Pages/Page_0/Content.xml");
    ASSERT_NE(page, nullptr);
    std::string text = core::to_string(page->data);
    text.replace(text.find("Page 1"), 6, "Page 9");
    package.put("Doc_0/Pages/Page_0/Content.xml", core::to_bytes(text));
    reply = post_file(hall, zip(package));
    ASSERT_EQ(reply.status, 200) << reply.body;
    sig = reply.json()["signatures"][0];
    EXPECT_EQ(reply.json()["valid"], false);
    EXPECT_EQ(sig["valid"], false);
    EXPECT_EQ(sig["integrity"], false);
    EXPECT_EQ(sig["chain"], true);
    EXPECT_TRUE(has_code(sig["problems"], "ofd.reference_mismatch")) << sig["problems"].dump();
    EXPECT_EQ(leftovers(hall), std::vector<std::string>{});
}

TEST(VerifyApi, GarbageTruncatedAndOversizedBodiesAreRefusedAndLeaveNoFile) {
    Hall hall(64 * 1024);
    Sealer s;
    const std::string sealed = zip(s.sealed_ofd());
    struct Case {
        std::string body;
        std::string code;
    };
    const std::vector<Case> cases = {
        {"hello, this is not a document", "verify.unsupported"},
        {sealed.substr(0, sealed.size() / 2), ""},  // a ZIP cut in half: the OFD reader's code
        {"PK\x03\x04" + std::string(100, 'z'), ""},
        {"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", ""},
    };
    for (const auto& c : cases) {
        const auto reply = post_file(hall, c.body);
        EXPECT_EQ(reply.status, 422) << c.body.substr(0, 20) << ": " << reply.body;
        EXPECT_TRUE(reply.headers.at("content-type").starts_with("application/problem+json"));
        const auto code = reply.json().value("code", "");
        if (!c.code.empty())
            EXPECT_EQ(code, c.code);
        else
            EXPECT_FALSE(code.empty() || code.starts_with("verify.")) << code;
        const auto detail = reply.json().value("detail", "");
        EXPECT_FALSE(detail.empty());
        EXPECT_EQ(detail.find(".part"), std::string::npos) << "the temp path leaks: " << detail;
    }
    EXPECT_EQ(post_file(hall, "%PDF-" + std::string(65 * 1024, 'x')).status, 413);
    EXPECT_EQ(leftovers(hall), std::vector<std::string>{});
}

TEST(VerifyApi, SealedPdfIsValidAndAChangedByteIsNot) {
    Hall hall;
    Sealer s;
    s.trust(hall);
    const auto in = hall.dir() / "in.pdf", out = hall.dir() / "out.pdf";
    std::ofstream(in, std::ios::binary) << one_page_pdf();
    document::pdf::SignRequest r;
    r.input = in;
    r.output = out;
    r.picture = {s.png, 20, 20};
    r.placement = {1, 150, 250};
    r.signer_certificate = s.signer.certificate;
    r.chain = {s.pki.hierarchy->issuing.record.certificate};
    r.signing_time = s.pki.clock.now();
    auto signed_pdf = document::pdf::sign_pdf(r, s.signer.key);
    ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
    std::ifstream f(out, std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(f), {}};

    auto reply = post_file(hall, bytes);
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto j = reply.json();
    EXPECT_EQ(j["kind"], "pdf");
    EXPECT_EQ(j["valid"], true) << reply.body;
    ASSERT_EQ(j["signatures"].size(), 1U);
    EXPECT_EQ(j["signatures"][0]["integrity"], true);
    EXPECT_EQ(j["signatures"][0]["chain"], true);
    EXPECT_EQ(j["signatures"][0]["has_seal_image"], true);
    // The widget's picture, decoded with its soft mask, as a PNG an <img> can show.
    const std::string prefix = "data:image/png;base64,";
    const auto& image = j["signatures"][0]["image"];
    ASSERT_TRUE(image.is_string()) << image.dump();
    ASSERT_TRUE(image.get<std::string>().starts_with(prefix));
    const auto png = core::base64_decode(image.get<std::string>().substr(prefix.size()));
    ASSERT_TRUE(png);
    auto decoded = document::pdf::pdf_image_from_png(*png);
    auto original = document::pdf::pdf_image_from_png(s.png);
    ASSERT_TRUE(decoded && original) << "the PNG decodes";
    EXPECT_EQ(decoded->width, original->width);
    EXPECT_EQ(decoded->alpha_flate, original->alpha_flate);
    EXPECT_EQ(j["signatures"][0]["signer"]["credit_code"], "91350100M000100Y43");

    bytes[bytes.find("(Contract)") + 1] = 'K';  // inside the signed byte range
    reply = post_file(hall, bytes);
    ASSERT_EQ(reply.status, 200) << reply.body;
    j = reply.json();
    EXPECT_EQ(j["valid"], false);
    EXPECT_EQ(j["signatures"][0]["integrity"], false);
    EXPECT_FALSE(j["signatures"][0]["problems"].empty());
    EXPECT_EQ(leftovers(hall), std::vector<std::string>{});
}

}  // namespace
}  // namespace eseal::server
