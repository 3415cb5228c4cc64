#include "pki/authority.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>

#include "pki/chain.hpp"
#include "pki/csr.hpp"
#include "pki/extensions.hpp"
#include "pki/hierarchy.hpp"
#include "pki/testing_support.hpp"
#include "pki/x509.hpp"

namespace eseal::pki {
namespace {

using testing::make_csr;
using testing::MemoryRepository;
using testing::org_subject;

core::TimePoint at(const char* text) {
    core::TimePoint t;
    EXPECT_TRUE(core::parse_utc(text, t));
    return t;
}

struct Ca {
    MemoryRepository repo;
    core::ManualClock clock{at("2026-11-25T10:00:00Z")};
    std::optional<NewHierarchy> h;
    std::optional<CertificateAuthority> ca;

    explicit Ca(crypto::KeyAlgorithm alg) {
        auto root_key = crypto::SoftKey::generate(alg);
        auto issuing_key = crypto::SoftKey::generate(alg);
        auto made = make_hierarchy({"test", alg, "eseal test", 20, 10, "http://ca.test"}, *root_key, *issuing_key, repo, clock);
        EXPECT_TRUE(made) << made.error().describe();
        h.emplace(std::move(*made));
        (void)repo.add_ca(h->root.record, h->root.certificate, {});
        (void)repo.add_ca(h->issuing.record, h->issuing.certificate, {});
        auto key = std::make_unique<crypto::SoftKey>(std::move(*issuing_key));
        auto opened = CertificateAuthority::open(h->issuing.record, std::move(key), repo, clock);
        EXPECT_TRUE(opened) << opened.error().describe();
        ca.emplace(std::move(*opened));
    }

    ChainResult verify(const core::Bytes& der, core::TimePoint when) {
        auto leaf = parse_certificate(der);
        auto issuing = parse_certificate(h->issuing.record.certificate);
        auto root = parse_certificate(h->root.record.certificate);
        const X509* inter[] = {issuing->get()};
        const X509* anchors[] = {root->get()};
        return verify_chain(leaf->get(), inter, anchors, when);
    }
};

std::vector<std::string> codes(const core::Error& e) {
    std::vector<std::string> out;
    for (const auto& p : e.problems) out.push_back(p.code);
    return out;
}

class IssueTest : public ::testing::TestWithParam<crypto::KeyAlgorithm> {};

TEST_P(IssueTest, OrganizationCertificateChainsAndCarriesTheProfile) {
    Ca ca(GetParam());
    auto key = crypto::SoftKey::generate(GetParam());
    ASSERT_TRUE(key);
    IssueRequest req{core::to_bytes(make_csr(*key, org_subject())), Profile::organization, 3, {}, "test", std::nullopt};
    auto rec = ca.ca->issue(req);
    ASSERT_TRUE(rec) << rec.error().describe();

    auto cert = parse_certificate(rec->der);
    ASSERT_TRUE(cert);
    const X509_NAME* subject = X509_get_subject_name(cert->get());
    EXPECT_EQ(name_entry(subject, NID_organizationName), "深圳市示例科技有限公司");
    EXPECT_EQ(name_entry(subject, NID_organizationIdentifier), "91350100M000100Y43");
    EXPECT_EQ(name_entry(subject, NID_countryName), "CN");
    EXPECT_EQ(name_entry(subject, NID_commonName), "深圳市示例科技有限公司");
    EXPECT_EQ(X509_get_key_usage(cert->get()), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION));
    EXPECT_EQ(X509_check_ca(cert->get()), 0);
    EXPECT_EQ(rec->not_after, at("2029-11-25T10:00:00Z"));
    EXPECT_EQ(rec->serial, serial_hex(cert->get()));
    EXPECT_GE(rec->serial.size(), 31u);  // 128 random bits
    EXPECT_EQ(rec->credit_code, "91350100M000100Y43");
    EXPECT_EQ(ca.repo.certificate_count(), 3u);

    // AKI names the issuing CA's SKI.
    auto issuing = parse_certificate(ca.h->issuing.record.certificate);
    const ASN1_OCTET_STRING* aki = X509_get0_authority_key_id(cert->get());
    ASSERT_NE(aki, nullptr);
    EXPECT_EQ(ASN1_OCTET_STRING_cmp(aki, X509_get0_subject_key_id(issuing->get())), 0);

    const auto result = ca.verify(rec->der, at("2027-01-01T00:00:00Z"));
    EXPECT_TRUE(result.ok()) << (result.problems.empty() ? "" : result.problems.front().message);
    EXPECT_EQ(result.path.size(), 3u);
    EXPECT_FALSE(ca.verify(rec->der, at("2030-01-01T00:00:00Z")).ok()) << "expired";
}

INSTANTIATE_TEST_SUITE_P(Suites, IssueTest,
                         ::testing::Values(crypto::KeyAlgorithm::sm2, crypto::KeyAlgorithm::ecdsa_p256,
                                           crypto::KeyAlgorithm::rsa2048));

TEST(Issue, OrganizationIndividualCarriesTheHolderAndIdNumber) {
    Ca ca(crypto::KeyAlgorithm::sm2);
    auto key = crypto::SoftKey::generate(crypto::KeyAlgorithm::sm2);
    SubjectFields over;
    over.person_name = "张三";
    over.person_id = "11010519491231002X";
    IssueRequest req{core::to_bytes(make_csr(*key, org_subject())), Profile::organization_individual, 1, over, "t", std::nullopt};
    auto rec = ca.ca->issue(req);
    ASSERT_TRUE(rec) << rec.error().describe();
    auto cert = parse_certificate(rec->der);
    EXPECT_EQ(name_entry(X509_get_subject_name(cert->get()), NID_commonName), "张三");
    EXPECT_EQ(identify_code_of(cert->get()), "11010519491231002X");
    EXPECT_EQ(rec->person_id, "11010519491231002X");
    EXPECT_EQ(rec->profile, "org-individual");
}

TEST(Issue, OverridesWinOverTheCsr) {
    Ca ca(crypto::KeyAlgorithm::ecdsa_p256);
    auto key = crypto::SoftKey::generate(crypto::KeyAlgorithm::ecdsa_p256);
    SubjectFields over;
    over.organization = "Renamed Ltd";
    over.credit_code = "914403001922038216";
    auto rec = ca.ca->issue({core::to_bytes(make_csr(*key, org_subject("bogus"))), Profile::organization, 1, over, "t", std::nullopt});
    ASSERT_TRUE(rec) << rec.error().describe();
    EXPECT_EQ(rec->organization, "Renamed Ltd");
    EXPECT_EQ(rec->credit_code, "914403001922038216");
}

TEST(Issue, ReportsEveryProblemAtOnceAndStoresNothing) {
    Ca ca(crypto::KeyAlgorithm::sm2);
    auto key = crypto::SoftKey::generate(crypto::KeyAlgorithm::sm2);
    testing::CsrSubject s{{{NID_countryName, "US"},
                           {NID_stateOrProvinceName, "广东省"},
                           {NID_organizationName, "示例"},
                           {NID_organizationIdentifier, "91350100M000100Y44"}}};
    const auto before = ca.repo.certificate_count();
    auto rec = ca.ca->issue({core::to_bytes(make_csr(*key, s, /*sm2_empty_id=*/true)), Profile::organization, 9, {}, "t", std::nullopt});
    ASSERT_FALSE(rec);
    EXPECT_EQ(rec.error().code, "csr.rejected");
    EXPECT_EQ(codes(rec.error()),
              (std::vector<std::string>{"csr.bad_signature", "subject.country.not_cn", "subject.locality.missing",
                                        "subject.credit_code.checksum", "validity.years"}));
    EXPECT_NE(rec.error().problems[0].message.find("1234567812345678"), std::string::npos);
    EXPECT_EQ(ca.repo.certificate_count(), before);
    EXPECT_EQ(ca.repo.event_count(), 2u);  // the two CA events only
}

TEST(Issue, KeyPolicy) {
    Ca ca(crypto::KeyAlgorithm::sm2);
    auto p256 = crypto::SoftKey::generate(crypto::KeyAlgorithm::ecdsa_p256);
    auto rec = ca.ca->issue({core::to_bytes(make_csr(*p256, org_subject())), Profile::organization, 1, {}, "t", std::nullopt});
    ASSERT_FALSE(rec);
    EXPECT_EQ(codes(rec.error()), std::vector<std::string>{"key.suite_mismatch"});

    Ca intl(crypto::KeyAlgorithm::ecdsa_p256);
    auto rsa1024 = crypto::SoftKey::from_pem([] {
        EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024});
        crypto::BioPtr bio(BIO_new(BIO_s_mem()));
        PEM_write_bio_PrivateKey(bio.get(), k, nullptr, nullptr, 0, nullptr, nullptr);
        EVP_PKEY_free(k);
        char* d = nullptr;
        const long n = BIO_get_mem_data(bio.get(), &d);
        return std::string(d, static_cast<std::size_t>(n));
    }());
    // SoftKey refuses RSA-1024 itself, so sign the CSR with a raw key.
    ASSERT_FALSE(rsa1024);
    EXPECT_EQ(rsa1024.error().code, "key.unsupported");
}

TEST(Issue, SmallRsaAndOtherCurvesAreRefused) {
    Ca ca(crypto::KeyAlgorithm::ecdsa_p256);
    for (auto [gen, expected] : {std::pair{+[] { return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024}); },
                                           "key.rsa_too_small"},
                                 std::pair{+[] { return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"); },
                                           "key.curve"}}) {
        crypto::PkeyPtr k(gen());
        crypto::X509ReqPtr req(X509_REQ_new());
        X509_REQ_set_pubkey(req.get(), k.get());
        X509_REQ_sign(req.get(), k.get(), EVP_sha256());
        auto der = crypto::to_der(req.get(), i2d_X509_REQ);
        auto rec = ca.ca->issue({der, Profile::organization, 1, {}, "t", std::nullopt});
        ASSERT_FALSE(rec);
        EXPECT_EQ(rec.error().problems.at(0).code, expected);
    }
}

TEST(Issue, AKeyIsCertifiedOnlyOnce) {
    Ca ca(crypto::KeyAlgorithm::sm2);
    auto key = crypto::SoftKey::generate(crypto::KeyAlgorithm::sm2);
    const auto csr = core::to_bytes(make_csr(*key, org_subject()));
    auto first = ca.ca->issue({csr, Profile::organization, 1, {}, "t", std::nullopt});
    ASSERT_TRUE(first);
    auto second = ca.ca->issue({csr, Profile::organization, 1, {}, "t", std::nullopt});
    ASSERT_FALSE(second);
    EXPECT_EQ(codes(second.error()), std::vector<std::string>{"key.already_certified"});
    EXPECT_NE(second.error().problems[0].message.find(first->serial), std::string::npos);
}

TEST(Issue, MalformedCsrIsAClearError) {
    Ca ca(crypto::KeyAlgorithm::sm2);
    auto rec = ca.ca->issue({core::to_bytes("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"),
                             Profile::organization, 1, {}, "t", std::nullopt});
    ASSERT_FALSE(rec);
    EXPECT_EQ(rec.error().code, "csr.malformed");
    auto truncated = ca.ca->issue({core::Bytes{0x30, 0x82, 0x01}, Profile::organization, 1, {}, "t", std::nullopt});
    ASSERT_FALSE(truncated);
    EXPECT_EQ(truncated.error().code, "csr.malformed");
}

TEST(Issue, ValidityMayNotOutliveTheCa) {
    MemoryRepository repo;
    core::ManualClock clock{at("2026-01-01T00:00:00Z")};
    auto root_key = crypto::SoftKey::generate(crypto::KeyAlgorithm::ecdsa_p256);
    auto issuing_key = crypto::SoftKey::generate(crypto::KeyAlgorithm::ecdsa_p256);
    auto h = make_hierarchy({"short", crypto::KeyAlgorithm::ecdsa_p256, "eseal", 20, 2, ""}, *root_key, *issuing_key, repo,
                            clock);
    ASSERT_TRUE(h);
    auto ca = CertificateAuthority::open(h->issuing.record, std::make_unique<crypto::SoftKey>(std::move(*issuing_key)),
                                         repo, clock);
    ASSERT_TRUE(ca);
    auto key = crypto::SoftKey::generate(crypto::KeyAlgorithm::ecdsa_p256);
    auto rec = ca->issue({core::to_bytes(make_csr(*key, org_subject())), Profile::organization, 3, {}, "t", std::nullopt});
    ASSERT_FALSE(rec);
    EXPECT_EQ(codes(rec.error()), std::vector<std::string>{"validity.beyond_ca"});
}

TEST(Chain, DetectsAForgedSignatureAndAWrongAnchor) {
    Ca ca(crypto::KeyAlgorithm::sm2);
    auto key = crypto::SoftKey::generate(crypto::KeyAlgorithm::sm2);
    auto rec = ca.ca->issue({core::to_bytes(make_csr(*key, org_subject())), Profile::organization, 1, {}, "t", std::nullopt});
    ASSERT_TRUE(rec);
    auto forged = rec->der;
    forged[forged.size() - 5] ^= 0x01;  // inside the signature value
    EXPECT_FALSE(ca.verify(forged, at("2027-01-01T00:00:00Z")).ok());

    Ca other(crypto::KeyAlgorithm::sm2);
    auto leaf = parse_certificate(rec->der);
    auto issuing = parse_certificate(ca.h->issuing.record.certificate);
    auto wrong_root = parse_certificate(other.h->root.record.certificate);
    const X509* inter[] = {issuing->get()};
    const X509* anchors[] = {wrong_root->get()};
    EXPECT_FALSE(verify_chain(leaf->get(), inter, anchors, at("2027-01-01T00:00:00Z")).ok());
}

TEST(Hierarchy, RefusesBadAndDuplicateNames) {
    MemoryRepository repo;
    core::ManualClock clock{at("2026-01-01T00:00:00Z")};
    auto key = crypto::SoftKey::generate(crypto::KeyAlgorithm::sm2);
    auto bad = make_hierarchy({"../etc", crypto::KeyAlgorithm::sm2, "eseal", 20, 10, ""}, *key, *key, repo, clock);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "ca.name");
    auto ec = crypto::SoftKey::generate(crypto::KeyAlgorithm::ecdsa_p256);
    auto mixed = make_hierarchy({"mixed", crypto::KeyAlgorithm::sm2, "eseal", 20, 10, ""}, *key, *ec, repo, clock);
    ASSERT_FALSE(mixed);
    EXPECT_EQ(mixed.error().code, "ca.key_algorithm");
}

}  // namespace
}  // namespace eseal::pki

namespace eseal::pki {
namespace {

TEST(Csr, MadeThroughASignerVerifiesAndIsIssued) {
    Ca ca(crypto::KeyAlgorithm::sm2);
    auto key = crypto::SoftKey::generate(crypto::KeyAlgorithm::sm2);
    SubjectFields s;
    s.province = "广东省";
    s.locality = "深圳市";
    s.organization = "示例";
    s.credit_code = "91350100M000100Y43";
    auto name = build_subject_name(s, Profile::organization);
    auto csr = pki::make_csr(name.get(), *key);
    ASSERT_TRUE(csr) << csr.error().describe();
    auto parsed = parse_csr(*csr);
    ASSERT_TRUE(parsed);
    EXPECT_TRUE(csr_signature_valid(parsed->get()));
    EXPECT_TRUE(ca.ca->issue({*csr, Profile::organization, 1, {}, "t", std::nullopt}));
}

}  // namespace
}  // namespace eseal::pki
