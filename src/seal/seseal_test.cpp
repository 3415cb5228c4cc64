#include "seal/seseal.hpp"

#include <gtest/gtest.h>

#include "crypto/digest.hpp"
#include "seal/algorithm_oid.hpp"
#include "seal/asn1.hpp"
#include "seal/seal_verify.hpp"
#include "seal/testing_support.hpp"

namespace eseal::seal {
namespace {

using testing::at;
using testing::Party;
using testing::TestPki;

const core::Bytes kPng = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4};

struct Fixture {
    TestPki pki;
    Party maker = pki.issue(5);
    Party signer = pki.issue(3);

    SealRequest request() const {
        SealRequest r;
        r.type = 1;
        r.name = "深圳市示例科技有限公司";
        r.signer_certificates = {signer.certificate};
        r.picture = {"PNG", kPng, 42, 42};
        r.valid_end = core::add_years(pki.clock.now(), 3);
        return r;
    }

    Seal make() {
        auto s = make_seal(request(), maker.key, maker.certificate, pki.clock);
        EXPECT_TRUE(s) << s.error().describe();
        return *s;
    }
};

std::vector<std::string> codes(const Verification& v) {
    std::vector<std::string> out;
    for (const auto& p : v.problems) out.push_back(p.code);
    return out;
}

std::vector<std::string> codes(const core::Error& e) {
    std::vector<std::string> out;
    for (const auto& p : e.problems) out.push_back(p.code);
    return out;
}

// Re-encodes the seal information from the (changed) fields, keeping the maker's signature.
Seal reencoded(Seal s) {
    s.seal_info_der = encode_seal_info(s);
    s.der = encode_seal(s);
    auto parsed = parse_seal(s.der);
    EXPECT_TRUE(parsed) << parsed.error().describe();
    return *parsed;
}

TEST(SESeal, RoundTripKeepsEveryField) {
    Fixture f;
    const Seal made = f.make();
    auto parsed = parse_seal(made.der);
    ASSERT_TRUE(parsed) << parsed.error().describe();
    EXPECT_EQ(parsed->format, SealFormat::v4);
    EXPECT_EQ(parsed->header_id, "ES");
    EXPECT_EQ(parsed->version, 4);
    EXPECT_EQ(parsed->vendor_id, "eseal");
    EXPECT_EQ(parsed->es_id, made.es_id);
    EXPECT_TRUE(parsed->es_id.starts_with("eseal-20261125-")) << parsed->es_id;
    EXPECT_EQ(parsed->property.type, 1);
    EXPECT_EQ(parsed->property.name, "深圳市示例科技有限公司");
    EXPECT_EQ(parsed->property.cert_list_type, CertListType::certificates);
    ASSERT_EQ(parsed->property.certificates.size(), 1u);
    EXPECT_EQ(parsed->property.certificates[0], f.signer.certificate);
    EXPECT_EQ(parsed->property.create_date, at("2026-11-25T10:00:00Z"));
    EXPECT_EQ(parsed->property.valid_start, at("2026-11-25T10:00:00Z"));
    EXPECT_EQ(parsed->property.valid_end, at("2029-11-25T10:00:00Z"));
    EXPECT_EQ(parsed->picture.type, "PNG");
    EXPECT_EQ(parsed->picture.data, kPng);
    EXPECT_EQ(parsed->picture.width_mm, 42);
    EXPECT_EQ(parsed->maker_certificate, f.maker.certificate);
    EXPECT_EQ(parsed->signature_algorithm, "1.2.156.10197.1.501");
    EXPECT_EQ(parsed->seal_info_der, made.seal_info_der);
    EXPECT_EQ(encode_seal(*parsed), made.der);  // our encoding is stable DER

    const auto v = verify_seal(*parsed, f.pki.trust(), f.pki.clock.now());
    EXPECT_TRUE(v.ok()) << ::testing::PrintToString(codes(v));
}

TEST(SESeal, ChangedNameFailsTheMakersSignature) {
    Fixture f;
    Seal s = f.make();
    s.property.name = "深圳市别的科技有限公司";
    const auto v = verify_seal(reencoded(s), f.pki.trust(), f.pki.clock.now());
    EXPECT_EQ(codes(v), std::vector<std::string>{"seal.signature_invalid"});
}

TEST(SESeal, ChangedPictureFailsTheMakersSignature) {
    Fixture f;
    Seal s = f.make();
    s.picture.data.back() ^= 0x01;
    EXPECT_EQ(codes(verify_seal(reencoded(s), f.pki.trust(), f.pki.clock.now())),
              std::vector<std::string>{"seal.signature_invalid"});
    s = f.make();
    s.picture.width_mm = 50;
    EXPECT_EQ(codes(verify_seal(reencoded(s), f.pki.trust(), f.pki.clock.now())),
              std::vector<std::string>{"seal.signature_invalid"});
}

TEST(SESeal, ChangedDatesFailTheMakersSignature) {
    Fixture f;
    Seal s = f.make();
    s.property.valid_end = core::add_years(s.property.valid_end, 10);
    EXPECT_EQ(codes(verify_seal(reencoded(s), f.pki.trust(), f.pki.clock.now())),
              std::vector<std::string>{"seal.signature_invalid"});
    s = f.make();
    s.property.valid_start -= std::chrono::days(1);
    EXPECT_EQ(codes(verify_seal(reencoded(s), f.pki.trust(), f.pki.clock.now())),
              std::vector<std::string>{"seal.signature_invalid"});
}

TEST(SESeal, ChangedCertificatesFailTheMakersSignature) {
    Fixture f;
    const Party other = f.pki.issue();
    Seal s = f.make();
    s.property.certificates = {other.certificate};  // a different signer bound to the seal
    EXPECT_EQ(codes(verify_seal(reencoded(s), f.pki.trust(), f.pki.clock.now())),
              std::vector<std::string>{"seal.signature_invalid"});
    s = f.make();
    s.maker_certificate =
        other.certificate;  // another (trusted) certificate claimed as the maker's
    s.der = encode_seal(s);
    EXPECT_EQ(codes(verify_seal(*parse_seal(s.der), f.pki.trust(), f.pki.clock.now())),
              std::vector<std::string>{"seal.signature_invalid"});
}

TEST(SESeal, ChangedSignatureByteFails) {
    Fixture f;
    Seal s = f.make();
    s.signed_value[10] ^= 0x40;
    s.der = encode_seal(s);
    auto parsed = parse_seal(s.der);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(codes(verify_seal(*parsed, f.pki.trust(), f.pki.clock.now())),
              std::vector<std::string>{"seal.signature_invalid"});
}

TEST(SESeal, ValidityWindow) {
    Fixture f;
    const Seal s = f.make();
    EXPECT_EQ(codes(verify_seal(s, f.pki.trust(), at("2029-11-26"))),
              std::vector<std::string>{"seal.expired"});
    EXPECT_EQ(codes(verify_seal(s, f.pki.trust(), at("2026-11-24"))),
              std::vector<std::string>{"seal.not_yet_valid"});
    EXPECT_TRUE(verify_seal(s, f.pki.trust(), at("2029-11-25T09:59:59Z")).ok());
}

TEST(SESeal, MakerMustChainToATrustAnchor) {
    Fixture f;
    TestPki stranger;
    const Seal s = f.make();
    const auto v = verify_seal(s, stranger.trust(), f.pki.clock.now());
    EXPECT_TRUE(v.has("seal.maker_untrusted")) << ::testing::PrintToString(codes(v));
    EXPECT_FALSE(v.has("seal.signature_invalid"));
    EXPECT_TRUE(verify_seal(s, TrustStore{}, f.pki.clock.now()).has("seal.maker_untrusted"));
}

TEST(SESeal, MakerIsJudgedWhenTheSealWasMade) {
    // GM/T 0031-2025: the seal outlives the maker certificate that was valid when it was made.
    Fixture f;
    const Party short_maker = f.pki.issue(1);
    auto s = make_seal(f.request(), short_maker.key, short_maker.certificate, f.pki.clock);
    ASSERT_TRUE(s) << s.error().describe();
    EXPECT_TRUE(verify_seal(*s, f.pki.trust(), at("2028-06-01")).ok());
}

TEST(SESeal, MakeRefusesABadRequestListingEveryProblem) {
    Fixture f;
    SealRequest r = f.request();
    r.name.clear();
    for (int i = 0; i < 41; ++i) r.name += "印";
    r.picture.width_mm = 0;
    r.valid_end = r.valid_start;
    r.signer_certificates = {core::Bytes{1, 2, 3}};
    auto s = make_seal(r, f.signer.key, f.maker.certificate,
                       f.pki.clock);  // wrong key for the maker cert
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, "seal.rejected");
    EXPECT_EQ(codes(s.error()),
              (std::vector<std::string>{"seal.name_too_long", "seal.picture_size",
                                        "seal.signer_certificate_invalid", "seal.validity_invalid",
                                        "seal.maker_key_mismatch"}));
}

TEST(SESeal, MakeRefusesAnExpiredMakerCertificate) {
    Fixture f;
    f.pki.clock.set(at("2032-01-01"));
    SealRequest r = f.request();
    r.valid_end = at("2033-01-01");
    auto s = make_seal(r, f.maker.key, f.maker.certificate, f.pki.clock);
    ASSERT_FALSE(s);
    EXPECT_EQ(codes(s.error()), std::vector<std::string>{"seal.maker_certificate_expired"});
}

TEST(SESeal, MalformedInputIsRefusedWithAReason) {
    Fixture f;
    const Seal s = f.make();
    for (std::size_t cut :
         {std::size_t{0}, std::size_t{1}, std::size_t{10}, s.der.size() / 2, s.der.size() - 1}) {
        auto parsed = parse_seal(core::ByteView(s.der).first(cut));
        ASSERT_FALSE(parsed) << cut;
        EXPECT_EQ(parsed.error().code, "seal.malformed");
    }
    core::Bytes trailing = s.der;
    trailing.push_back(0);
    EXPECT_FALSE(parse_seal(trailing));
    const auto three = pki::der::sequence({asn1::integer(1), asn1::integer(2), asn1::integer(3)});
    auto wrong = parse_seal(three);
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().message.find("3 elements"), std::string::npos);
}

TEST(SESeal, EcdsaMakerForTheInternationalSuite) {
    TestPki intl(crypto::KeyAlgorithm::ecdsa_p256, "intl");
    const Party maker = intl.issue();
    const Party signer = intl.issue();
    SealRequest r;
    r.name = "Example Trading Ltd";
    r.signer_certificates = {signer.certificate};
    r.picture = {"PNG", kPng, 42, 42};
    r.valid_end = at("2028-01-01");
    auto s = make_seal(r, maker.key, maker.certificate, intl.clock);
    ASSERT_TRUE(s) << s.error().describe();
    EXPECT_EQ(s->signature_algorithm, kOidEcdsaWithSha256);
    EXPECT_TRUE(verify_seal(*parse_seal(s->der), intl.trust(), intl.clock.now()).ok());
}

TEST(SESeal, V4SealSignedInTheV1FormVerifies) {
    // Some systems sign SEQUENCE { SES_SealInfo, cert, signAlgID } for V4 seals too.
    Fixture f;
    Seal s = f.make();
    const auto message =
        pki::der::sequence({s.seal_info_der, asn1::octet_string(s.maker_certificate),
                            asn1::oid(s.signature_algorithm)});
    s.signed_value = *f.maker.key.sign(message);
    s.der = encode_seal(s);
    EXPECT_TRUE(verify_seal(*parse_seal(s.der), f.pki.trust(), f.pki.clock.now()).ok());
}

TEST(SESeal, CertificateDigestListIsRead) {
    Fixture f;
    Seal s = f.make();
    s.property.cert_list_type = CertListType::digests;
    s.property.certificates.clear();
    s.property.cert_digests = {{"SM3", crypto::sm3(f.signer.certificate)}};
    s.seal_info_der = encode_seal_info(s);
    s.signed_value = *f.maker.key.sign(s.seal_info_der);
    s.der = encode_seal(s);
    auto parsed = parse_seal(s.der);
    ASSERT_TRUE(parsed) << parsed.error().describe();
    EXPECT_EQ(parsed->property.cert_list_type, CertListType::digests);
    ASSERT_EQ(parsed->property.cert_digests.size(), 1u);
    EXPECT_EQ(parsed->property.cert_digests[0].type, "SM3");
    EXPECT_TRUE(verify_seal(*parsed, f.pki.trust(), f.pki.clock.now()).ok());
}

// GM/T 0031-2014 §6.1.1, written out here from the standard's ASN.1, not with our encoder:
//   SESeal ::= SEQUENCE { esealInfo SES_SealInfo, signInfo SES_SignInfo }
//   SES_SealInfo ::= SEQUENCE { header, esID IA5String, property, picture }
//   SES_ESPropertyInfo ::= SEQUENCE { type, name UTF8String, certList SEQUENCE OF cert, createDate
//   UTCTime,
//                                     validStart UTCTime, validEnd UTCTime }
//   SES_SignInfo ::= SEQUENCE { cert OCTET STRING, signatureAlgorithm OID, signData BIT STRING }
// signData signs DER(SEQUENCE { SES_SealInfo, cert, signatureAlgorithm }).
core::Bytes v1_seal(const Party& maker, const Party& signer, std::string_view name) {
    using namespace asn1;
    const auto header =
        pki::der::sequence({text(kIa5String, "ES"), integer(1), text(kIa5String, "OtherVendor")});
    const auto property = pki::der::sequence(
        {integer(1), text(kUtf8String, name), sequence_of({octet_string(signer.certificate)}),
         utc_time(at("2026-11-25T10:00:00Z")), utc_time(at("2026-11-25T10:00:00Z")),
         utc_time(at("2028-11-20"))});
    const auto picture =
        pki::der::sequence({text(kIa5String, "PNG"), octet_string(kPng), integer(40), integer(40)});
    const auto info = pki::der::sequence({header, text(kIa5String, "V1-0001"), property, picture});
    const auto cert = octet_string(maker.certificate);
    const auto alg = oid("1.2.156.10197.1.501");
    const auto signature = *maker.key.sign(pki::der::sequence({info, cert, alg}));
    return pki::der::sequence(
        {info, pki::der::sequence({cert, alg, pki::der::bit_string(signature)})});
}

TEST(SESeal, ReadsAndVerifiesAV1Seal) {
    Fixture f;
    const auto der = v1_seal(f.maker, f.signer, "旧系统印章");
    auto s = parse_seal(der);
    ASSERT_TRUE(s) << s.error().describe();
    EXPECT_EQ(s->format, SealFormat::v1);
    EXPECT_EQ(s->version, 1);
    EXPECT_EQ(s->vendor_id, "OtherVendor");
    EXPECT_EQ(s->es_id, "V1-0001");
    EXPECT_EQ(s->property.name, "旧系统印章");
    EXPECT_EQ(s->property.certificates, std::vector<core::Bytes>{f.signer.certificate});
    EXPECT_EQ(s->property.valid_end, at("2028-11-20"));
    EXPECT_EQ(s->picture.width_mm, 40);
    EXPECT_EQ(s->maker_certificate, f.maker.certificate);
    EXPECT_EQ(s->der, der);
    const auto v = verify_seal(*s, f.pki.trust(), f.pki.clock.now());
    EXPECT_TRUE(v.ok()) << ::testing::PrintToString(codes(v));
    EXPECT_EQ(codes(verify_seal(*s, f.pki.trust(), at("2029-01-01"))),
              std::vector<std::string>{"seal.expired"});

    // The same seal with one byte of the name changed.
    auto tampered = der;
    const core::Bytes name = core::to_bytes("旧系统印章");
    auto it = std::search(tampered.begin(), tampered.end(), name.begin(), name.end());
    ASSERT_NE(it, tampered.end());
    *(it + 2) ^= 0x01;  // still valid UTF-8: a neighbouring character
    auto t = parse_seal(tampered);
    ASSERT_TRUE(t) << t.error().describe();
    EXPECT_EQ(codes(verify_seal(*t, f.pki.trust(), f.pki.clock.now())),
              std::vector<std::string>{"seal.signature_invalid"});
}

}  // namespace
}  // namespace eseal::seal
