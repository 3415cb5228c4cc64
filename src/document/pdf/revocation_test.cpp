// Revocation of a PDF signer's certificate (document/revocation.hpp): OCSP first, the issuer's CRL
// (RFC 5280 §5) from the certificate's distribution point when OCSP cannot be had. The fetchers
// are in memory; the CRLs are real ones, signed by the issuing CA's key (pki::build_crl).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "document/pdf/pdf_sign.hpp"
#include "document/pdf/pdf_verify.hpp"
#include "document/revocation.hpp"
#include "pki/crl.hpp"
#include "pki/revocation_testing.hpp"
#include "seal/image.hpp"

namespace eseal::document::pdf {
namespace {

namespace fs = std::filesystem;
using pki::testing::utc;

// A one-page PDF with a classic xref table (ISO 32000-1 §7.5.4).
std::string one_page_pdf() {
    std::string out = "%PDF-1.4\n";
    std::vector<std::size_t> off;
    auto obj = [&](const std::string& body) {
        off.push_back(out.size());
        out += std::to_string(off.size()) + " 0 obj\n" + body + "\nendobj\n";
    };
    obj("<< /Type /Catalog /Pages 2 0 R >>");
    obj("<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>");
    obj("<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>");
    obj("<< /Length 0 >>\nstream\n\nendstream");
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

class RevocationTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("eseal-pdf-revocation-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(m_dir);
        std::ofstream(m_dir / "in.pdf", std::ios::binary) << one_page_pdf();
        m_h = pki::testing::make_test_hierarchy(crypto::KeyAlgorithm::ecdsa_p256, "rv", m_repo,
                                                m_keys, m_clock);
        auto ca_key = m_keys.open_key(m_h.issuing.key_ref);
        ASSERT_TRUE(ca_key);
        auto ca = pki::CertificateAuthority::open(m_h.issuing, std::move(*ca_key), m_repo, m_clock);
        ASSERT_TRUE(ca) << ca.error().describe();
        auto key = crypto::SoftKey::generate(crypto::KeyAlgorithm::ecdsa_p256);
        ASSERT_TRUE(key);
        const auto csr = pki::testing::make_csr(*key, pki::testing::org_subject());
        pki::IssueRequest issue;
        issue.csr = core::to_bytes(csr);
        issue.profile = pki::Profile::organization;
        issue.years = 2;
        issue.actor = "test";
        auto rec = ca->issue(issue);
        ASSERT_TRUE(rec) << rec.error().describe();
        m_serial = rec->serial;
        m_leaf = rec->der;
        auto img = seal::render_square_seal({"张三", 20, 300});
        ASSERT_TRUE(img);
        SignRequest r;
        r.input = m_dir / "in.pdf";
        r.output = m_dir / "out.pdf";
        r.picture = {img->png, img->width_mm, img->height_mm};
        r.placement = {1, 100, 100};
        r.signer_certificate = rec->der;
        r.chain = {m_h.issuing.certificate};
        r.signing_time = m_clock.now();
        auto signed_pdf = sign_pdf(r, *key);
        ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
    }
    void TearDown() override { fs::remove_all(m_dir); }

    // A CRL of the issuing CA made now, valid a day, listing `entries`.
    core::Bytes crl(const std::vector<pki::RevokedCertificate>& entries,
                    core::TimePoint this_update) {
        auto signer = m_keys.open_key(m_h.issuing.key_ref);
        auto der = pki::build_crl(
            {m_h.issuing_cert.get(), 7, this_update, this_update + std::chrono::hours{24}, entries},
            **signer);
        EXPECT_TRUE(der) << der.error().describe();
        return *der;
    }
    VerifyOptions options(CrlFetcher crl) {
        VerifyOptions o;
        o.trust = {m_h.root.certificate};
        o.now = m_clock.now();
        o.crl = std::move(crl);
        o.ocsp = [this](const std::string& url, core::ByteView) -> core::Result<core::Bytes> {
            m_asked.push_back("ocsp " + url);
            return core::fail(core::Errc::io, "http.timeout", "no answer in time");
        };
        return o;
    }
    SignatureCheck verify(const VerifyOptions& o) {
        auto v = verify_pdf((m_dir / "out.pdf").string(), o);
        EXPECT_TRUE(v) << v.error().describe();
        EXPECT_EQ(v->signatures.size(), 1u);
        return v->signatures.at(0);
    }

    fs::path m_dir;
    pki::testing::MemoryRepository m_repo;
    pki::testing::MemoryKeyStore m_keys;
    core::ManualClock m_clock{utc("2026-11-25T10:00:00Z")};
    pki::testing::TestHierarchy m_h;
    std::string m_serial;
    core::Bytes m_leaf;
    std::vector<std::string> m_asked;
};

TEST_F(RevocationTest, UnreachableOcspFallsBackToTheCrlFromTheDistributionPoint) {
    const auto good =
        crl({{"1234", utc("2026-11-01T00:00:00Z"), pki::RevocationReason::superseded, {}}},
            m_clock.now());
    auto s = verify(options([&](const std::string& url) -> core::Result<core::Bytes> {
        m_asked.push_back("crl " + url);
        return good;
    }));
    ASSERT_EQ(m_asked.size(), 2u);
    EXPECT_EQ(m_asked[0].rfind("ocsp http://ca.test", 0), 0u) << m_asked[0];
    EXPECT_EQ(m_asked[1], "crl http://ca.test/crl/rv.crl");  // the issuing CA's, from the CDP
    EXPECT_EQ(s.revocation, RevocationStatus::good);
    EXPECT_EQ(s.revocation_source, RevocationSource::crl);
    EXPECT_NE(s.revocation_detail.find("no answer in time"), std::string::npos)
        << s.revocation_detail;  // why OCSP was not used
    EXPECT_TRUE(s.valid());
}

TEST_F(RevocationTest, ASerialOnTheCrlMakesTheSignatureInvalidWithItsReason) {
    const auto revoked =
        crl({{m_serial, utc("2026-11-25T09:00:00Z"), pki::RevocationReason::key_compromise, {}}},
            m_clock.now());
    auto s =
        verify(options([&](const std::string&) -> core::Result<core::Bytes> { return revoked; }));
    EXPECT_EQ(s.revocation, RevocationStatus::revoked);
    EXPECT_EQ(s.revocation_source, RevocationSource::crl);
    EXPECT_EQ(s.revocation_reason, "keyCompromise");
    EXPECT_FALSE(s.valid());
    ASSERT_FALSE(s.problems.empty());
    EXPECT_EQ(s.problems.back().code, "pdf.revoked");
}

TEST_F(RevocationTest, StaleForeignOrUnreachableCrlsAreReportedNotCounted) {
    // nextUpdate (a day after thisUpdate) has passed: RFC 5280 §5.1.2.5.
    const auto stale = crl({}, m_clock.now() - std::chrono::hours{48});
    auto s =
        verify(options([&](const std::string&) -> core::Result<core::Bytes> { return stale; }));
    EXPECT_EQ(s.revocation, RevocationStatus::unavailable);
    EXPECT_EQ(s.revocation_reason, "stale");
    EXPECT_TRUE(s.valid());

    // Signed by another CA's key under the same name: the signature check refuses it.
    pki::testing::MemoryRepository other_repo;
    pki::testing::MemoryKeyStore other_keys;
    auto other = pki::testing::make_test_hierarchy(crypto::KeyAlgorithm::ecdsa_p256, "rv",
                                                   other_repo, other_keys, m_clock);
    auto other_signer = other_keys.open_key(other.issuing.key_ref);
    auto forged = pki::build_crl(
        {other.issuing_cert.get(), 8, m_clock.now(), m_clock.now() + std::chrono::hours{24},
         std::span<const pki::RevokedCertificate>{}},
        **other_signer);
    ASSERT_TRUE(forged);
    s = verify(options([&](const std::string&) -> core::Result<core::Bytes> { return *forged; }));
    EXPECT_EQ(s.revocation, RevocationStatus::unavailable);
    EXPECT_EQ(s.revocation_reason, "invalid");

    s = verify(options([](const std::string&) -> core::Result<core::Bytes> {
        return core::fail(core::Errc::io, "http.timeout", "no CRL in time");
    }));
    EXPECT_EQ(s.revocation, RevocationStatus::unavailable);
    EXPECT_EQ(s.revocation_reason, "timeout");
    EXPECT_NE(s.revocation_detail.find("no CRL in time"), std::string::npos);

    s = verify(options([](const std::string&) -> core::Result<core::Bytes> {
        return core::Bytes{0x30, 0x03, 0x02, 0x01, 0x01};
    }));
    EXPECT_EQ(s.revocation_reason, "invalid");

    s = verify(options(nullptr));  // OCSP only, and it does not answer
    EXPECT_EQ(s.revocation, RevocationStatus::unavailable);
    EXPECT_EQ(s.revocation_source, RevocationSource::ocsp);
    EXPECT_EQ(s.revocation_reason, "timeout");
}

TEST_F(RevocationTest, ARevocationAfterTheTimeJudgedDoesNotCount) {
    const auto later =
        crl({{m_serial, utc("2026-11-25T12:00:00Z"), pki::RevocationReason::key_compromise, {}}},
            m_clock.now() + std::chrono::hours{3});
    auto leaf = pki::parse_certificate(m_leaf);
    ASSERT_TRUE(leaf);
    const X509* candidates[] = {m_h.issuing_cert.get()};
    const RevocationFetchers fetchers{
        nullptr, [&](const std::string&) -> core::Result<core::Bytes> { return later; }};
    const auto now = m_clock.now() + std::chrono::hours{4};
    auto r = check_revocation(leaf->get(), candidates, fetchers, now, m_clock.now());
    EXPECT_EQ(r.status, RevocationStatus::good) << r.detail;  // signed (time-stamped) before
    r = check_revocation(leaf->get(), candidates, fetchers, now, now);
    EXPECT_EQ(r.status, RevocationStatus::revoked);
    EXPECT_EQ(r.source, RevocationSource::crl);
    EXPECT_EQ(r.revoked_at, utc("2026-11-25T12:00:00Z"));
}

}  // namespace
}  // namespace eseal::document::pdf
