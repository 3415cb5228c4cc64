#include "seal/ses_signature.hpp"

#include <gtest/gtest.h>

#include "seal/asn1.hpp"
#include "seal/testing_support.hpp"

namespace eseal::seal {
namespace {

using testing::at;
using testing::Party;
using testing::TestPki;

const core::Bytes kPng = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 9, 9};

struct Fixture {
    TestPki pki;
    Party maker = pki.issue(5);
    Party signer = pki.issue(3);
    Seal seal = make();
    core::Bytes hash = crypto::sm3(core::as_bytes("<ofd:Signature>…</ofd:Signature>"));

    Seal make() {
        SealRequest r;
        r.name = "深圳市示例科技有限公司";
        r.signer_certificates = {signer.certificate};
        r.picture = {"PNG", kPng, 42, 42};
        r.valid_end = at("2028-11-25");
        auto s = make_seal(r, maker.key, maker.certificate, pki.clock);
        EXPECT_TRUE(s) << s.error().describe();
        return *s;
    }
};

std::vector<std::string> codes(const Verification& v) {
    std::vector<std::string> out;
    for (const auto& p : v.problems) out.push_back(p.code);
    return out;
}

TEST(SESSignature, RoundTrip) {
    Fixture f;
    f.pki.clock.advance(std::chrono::hours(1));
    auto sig = make_signature(f.seal, f.hash, "/Doc_0/Signs/Sign_0/Signature.xml", f.signer.key,
                              f.signer.certificate, f.pki.clock);
    ASSERT_TRUE(sig) << sig.error().describe();
    auto parsed = parse_signature(sig->der);
    ASSERT_TRUE(parsed) << parsed.error().describe();
    EXPECT_EQ(parsed->version, 4);
    EXPECT_EQ(parsed->seal.der, f.seal.der);  // the seal is embedded byte for byte (OFD Seal.esl)
    EXPECT_EQ(parsed->time_info, at("2026-11-25T11:00:00Z"));
    EXPECT_EQ(parsed->data_hash, f.hash);
    EXPECT_EQ(parsed->property_info, "/Doc_0/Signs/Sign_0/Signature.xml");
    EXPECT_EQ(parsed->signer_certificate, f.signer.certificate);
    EXPECT_EQ(parsed->signature_algorithm, "1.2.156.10197.1.501");
    EXPECT_EQ(parsed->tbs_der, sig->tbs_der);
    EXPECT_FALSE(parsed->time_stamp);
    const auto v =
        verify_signature(*parsed, f.pki.trust(), f.pki.clock.now(), core::ByteView(f.hash));
    EXPECT_TRUE(v.ok()) << ::testing::PrintToString(codes(v));
}

TEST(SESSignature, CertificateComesFromTheSealWhenNotGiven) {
    Fixture f;
    auto sig = make_signature(f.seal, f.hash, "doc", f.signer.key, {}, f.pki.clock);
    ASSERT_TRUE(sig) << sig.error().describe();
    EXPECT_EQ(sig->signer_certificate, f.signer.certificate);
    const Party stranger = f.pki.issue();
    auto none = make_signature(f.seal, f.hash, "doc", stranger.key, {}, f.pki.clock);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, "signature.no_certificate");
}

TEST(SESSignature, SignerMustBeBoundToTheSeal) {
    Fixture f;
    const Party stranger = f.pki.issue();
    auto sig =
        make_signature(f.seal, f.hash, "doc", stranger.key, stranger.certificate, f.pki.clock);
    ASSERT_FALSE(sig);
    ASSERT_EQ(sig.error().problems.size(), 1u);
    EXPECT_EQ(sig.error().problems[0].code, "signature.signer_not_in_seal");
}

TEST(SESSignature, WrongDataHashIsReported) {
    Fixture f;
    auto sig = make_signature(f.seal, f.hash, "doc", f.signer.key, {}, f.pki.clock);
    ASSERT_TRUE(sig);
    const auto other = crypto::sm3(core::as_bytes("changed document"));
    EXPECT_EQ(
        codes(verify_signature(*sig, f.pki.trust(), f.pki.clock.now(), core::ByteView(other))),
        std::vector<std::string>{"signature.data_hash_mismatch"});
}

TEST(SESSignature, TamperedFieldsFailTheSignature) {
    Fixture f;
    auto sig = make_signature(f.seal, f.hash, "doc", f.signer.key, {}, f.pki.clock);
    ASSERT_TRUE(sig);
    // Replace propertyInfo inside TBS_Sign, keeping the signature.
    SealSignature s = *sig;
    s.property_info = "other";
    s.tbs_der = pki::der::sequence(
        {asn1::integer(4), s.seal.der, asn1::generalized_time(s.time_info),
         pki::der::bit_string(s.data_hash), asn1::text(asn1::kIa5String, s.property_info)});
    s.der =
        pki::der::sequence({s.tbs_der, asn1::octet_string(s.signer_certificate),
                            asn1::oid(s.signature_algorithm), pki::der::bit_string(s.signature)});
    auto parsed = parse_signature(s.der);
    ASSERT_TRUE(parsed) << parsed.error().describe();
    EXPECT_EQ(codes(verify_signature(*parsed, f.pki.trust(), f.pki.clock.now())),
              std::vector<std::string>{"signature.signature_invalid"});

    // Another certificate claimed as the signer's: wrong key, and not in the seal.
    const Party stranger = f.pki.issue();
    s = *sig;
    s.der =
        pki::der::sequence({s.tbs_der, asn1::octet_string(stranger.certificate),
                            asn1::oid(s.signature_algorithm), pki::der::bit_string(s.signature)});
    parsed = parse_signature(s.der);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(
        codes(verify_signature(*parsed, f.pki.trust(), f.pki.clock.now())),
        (std::vector<std::string>{"signature.signature_invalid", "signature.signer_not_in_seal"}));
}

TEST(SESSignature, TheSealIsJudgedAtTheSigningTime) {
    Fixture f;
    auto sig = make_signature(f.seal, f.hash, "doc", f.signer.key, {}, f.pki.clock);
    ASSERT_TRUE(sig);
    // Verified long after the seal expired: still good, it was valid when used.
    EXPECT_TRUE(verify_signature(*sig, f.pki.trust(), at("2030-01-01")).ok());
    // Untrusted CA: both the signer and the seal's maker are reported.
    TestPki stranger;
    const auto v = verify_signature(*sig, stranger.trust(), f.pki.clock.now());
    EXPECT_TRUE(v.has("signature.signer_untrusted"));
    EXPECT_TRUE(v.has("seal.maker_untrusted"));
    // An expired seal cannot be used.
    f.pki.clock.set(at("2028-12-01"));
    auto late = make_signature(f.seal, f.hash, "doc", f.signer.key, {}, f.pki.clock);
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().problems[0].code, "signature.seal_not_valid");
}

TEST(SESSignature, SigningTimeInTheFutureIsReported) {
    Fixture f;
    f.pki.clock.advance(std::chrono::hours(24));
    auto sig = make_signature(f.seal, f.hash, "doc", f.signer.key, {}, f.pki.clock);
    ASSERT_TRUE(sig);
    EXPECT_EQ(codes(verify_signature(*sig, f.pki.trust(), at("2026-11-25T12:00:00Z"))),
              std::vector<std::string>{"signature.time_in_future"});
}

TEST(SESSignature, MalformedInputIsRefused) {
    Fixture f;
    auto sig = make_signature(f.seal, f.hash, "doc", f.signer.key, {}, f.pki.clock);
    ASSERT_TRUE(sig);
    for (std::size_t cut :
         {std::size_t{0}, std::size_t{5}, sig->der.size() / 2, sig->der.size() - 1}) {
        auto parsed = parse_signature(core::ByteView(sig->der).first(cut));
        ASSERT_FALSE(parsed);
        EXPECT_EQ(parsed.error().code, "signature.malformed");
    }
    const auto v1 = pki::der::sequence(
        {pki::der::sequence({asn1::integer(1)}), pki::der::bit_string(core::Bytes{1})});
    auto old = parse_signature(v1);
    ASSERT_FALSE(old);
    EXPECT_EQ(old.error().code, "signature.unsupported");
    EXPECT_FALSE(parse_signature(f.seal.der));  // a seal is not a signature
}

}  // namespace
}  // namespace eseal::seal
