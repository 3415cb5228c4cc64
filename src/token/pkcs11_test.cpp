// The PKCS#11 driver against a real token: SoftHSM2 with its own configuration in a temp dir.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "crypto/digest.hpp"
#include "crypto/public_key.hpp"
#include "crypto/soft_key.hpp"
#include "pki/hierarchy.hpp"
#include "pki/testing_support.hpp"
#include "pki/x509.hpp"
#include "token/pin.hpp"
#include "token/pkcs11_service.hpp"

namespace eseal::token {
namespace {

namespace fs = std::filesystem;

class MemoryTokens final : public TokenRepository {
public:
    core::Result<void> add_token(const TokenRecord& t, const core::AuditEvent&) override {
        if (m.contains(t.serial)) return core::fail(core::Errc::already_exists, "token.duplicate", t.serial);
        m[t.serial] = t;
        return {};
    }
    core::Result<void> update_token(const TokenRecord& t, const core::AuditEvent&) override {
        if (!m.contains(t.serial)) return core::fail(core::Errc::not_found, "token.unknown", t.serial);
        auto certs = m[t.serial].certificates;
        m[t.serial] = t;
        m[t.serial].certificates = certs;
        return {};
    }
    core::Result<void> link_certificate(const std::string& serial, const TokenCertificate& c, TokenState state,
                                        core::TimePoint, const core::AuditEvent&) override {
        m[serial].certificates.push_back(c);
        m[serial].state = state;
        return {};
    }
    core::Result<std::optional<TokenRecord>> find_token(std::string_view serial) override {
        auto it = m.find(std::string(serial));
        if (it == m.end()) return std::optional<TokenRecord>{};
        return std::optional<TokenRecord>{it->second};
    }
    core::Result<std::vector<TokenRecord>> list_tokens(std::optional<TokenState>) override {
        std::vector<TokenRecord> out;
        for (auto& [_, t] : m) out.push_back(t);
        return out;
    }
    std::map<std::string, TokenRecord> m;
};

class RecordingRevoker final : public CertificateRevoker {
public:
    core::Result<void> revoke(const std::string& serial, const std::string& reason, const std::string&) override {
        revoked.emplace_back(serial, reason);
        return {};
    }
    std::vector<std::pair<std::string, std::string>> revoked;
};

class SoftHsm : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!fs::exists(kDefaultPkcs11Module)) GTEST_SKIP() << "SoftHSM2 is not installed";
    }
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("eseal-hsm-" + core::hex_encode(crypto::random_bytes(6)));
        fs::create_directories(m_dir / "tokens");
        std::ofstream(m_dir / "softhsm2.conf") << "directories.tokendir = " << (m_dir / "tokens").string()
                                               << "\nobjectstore.backend = file\nlog.level = ERROR\n";
        ::setenv("SOFTHSM2_CONF", (m_dir / "softhsm2.conf").c_str(), 1);
        auto module = Module::load(kDefaultPkcs11Module);
        ASSERT_TRUE(module) << module.error().describe();
        m_module = *module;
        m_service = std::make_unique<Pkcs11Service>(m_module, m_tokens, m_revoker, core::SecureString("ca passphrase"),
                                                    m_clock);
        auto root_key = crypto::SoftKey::generate(crypto::KeyAlgorithm::ecdsa_p256);
        auto issuing_key = crypto::SoftKey::generate(crypto::KeyAlgorithm::ecdsa_p256);
        auto h = pki::make_hierarchy({"t", crypto::KeyAlgorithm::ecdsa_p256, "eseal", 20, 10, ""}, *root_key,
                                     *issuing_key, m_certs, m_clock);
        ASSERT_TRUE(h);
        auto ca = pki::CertificateAuthority::open(h->issuing.record,
                                                  std::make_unique<crypto::SoftKey>(std::move(*issuing_key)), m_certs,
                                                  m_clock);
        ASSERT_TRUE(ca);
        m_ca.emplace(std::move(*ca));
    }
    void TearDown() override {
        m_service.reset();
        m_module.reset();  // C_Finalize before the files go
        fs::remove_all(m_dir);
    }
    EnrollRequest request() {
        EnrollRequest r;
        r.label = "test Ukey";
        r.issue.profile = pki::Profile::organization;
        r.issue.overrides.organization = "示例公司";
        r.issue.overrides.credit_code = "91350100M000100Y43";
        r.issue.overrides.province = "广东省";
        r.issue.overrides.locality = "深圳市";
        r.issue.actor = "test";
        return r;
    }

    fs::path m_dir;
    core::ManualClock m_clock{core::TimePoint{std::chrono::seconds{1'790'000'000}}};
    MemoryTokens m_tokens;
    RecordingRevoker m_revoker;
    pki::testing::MemoryRepository m_certs;
    std::shared_ptr<Module> m_module;
    std::unique_ptr<Pkcs11Service> m_service;
    std::optional<pki::CertificateAuthority> m_ca;
};

TEST_F(SoftHsm, EnrollsAUkeyWithTheKeyOnTheToken) {
    auto done = m_service->enroll(*m_ca, request());
    ASSERT_TRUE(done) << done.error().describe();
    EXPECT_EQ(done->user_pin.size(), 8u);
    EXPECT_EQ(done->user_pin.view().find_first_not_of("0123456789"), std::string_view::npos);
    EXPECT_EQ(done->token.state, TokenState::active);
    EXPECT_EQ(m_tokens.m.at(done->token.serial).certificates.at(0).certificate_serial, done->certificate.serial);
    // The SO PIN is kept sealed, never in clear.
    EXPECT_FALSE(m_tokens.m.at(done->token.serial).so_pin_sealed.empty());

    auto objects = m_service->objects(done->token.serial, &done->user_pin);
    ASSERT_TRUE(objects);
    int keys = 0;
    for (const auto& o : *objects) {
        EXPECT_EQ(core::hex_encode(o.id), done->key_id) << o.kind;
        if (o.kind == "private key") {
            ++keys;
            EXPECT_EQ(o.sensitive, std::optional<bool>(true));
            EXPECT_EQ(o.extractable, std::optional<bool>(false));
            EXPECT_EQ(o.is_private, std::optional<bool>(true));
        }
        if (o.kind == "certificate") {
            EXPECT_EQ(o.value, done->certificate.der);
        }
    }
    EXPECT_EQ(keys, 1);
    EXPECT_EQ(objects->size(), 3u);

    // The private key's value cannot be read.
    auto info = m_module->find_token(done->token.serial);
    auto session = Session::open(m_module, info->slot, SessionMode::read_only);
    ASSERT_TRUE(session->login(UserType::user, done->user_pin));
    auto id = core::hex_decode(done->key_id);
    auto kp = find_key_pair(*session, *id);
    ASSERT_TRUE(kp);
    auto value = session->attribute(kp->private_key, CKA_VALUE);
    ASSERT_TRUE(value);
    EXPECT_FALSE(value->has_value()) << "the token revealed the private key";

    // A signature made on the token verifies with OpenSSL against the certificate's key.
    auto signer = m_service->signer(done->token.serial, done->key_id, done->user_pin);
    ASSERT_TRUE(signer) << signer.error().describe();
    const auto msg = core::to_bytes("sealed contract");
    auto sig = (*signer)->sign(msg);
    ASSERT_TRUE(sig);
    auto cert = pki::parse_certificate(done->certificate.der);
    EXPECT_TRUE(crypto::verify_signature(X509_get0_pubkey(cert->get()), crypto::SignatureAlgorithm::ecdsa_sha256, msg, *sig));
    EXPECT_EQ((*signer)->public_key(), crypto::public_key_der(X509_get0_pubkey(cert->get())));
}

TEST_F(SoftHsm, RsaKeysWork) {
    auto r = request();
    r.algorithm = crypto::KeyAlgorithm::rsa2048;
    // An RSA key under an ECDSA CA is still the international suite.
    auto done = m_service->enroll(*m_ca, r);
    ASSERT_TRUE(done) << done.error().describe();
    auto signer = m_service->signer(done->token.serial, done->key_id, done->user_pin);
    ASSERT_TRUE(signer);
    auto sig = (*signer)->sign(core::to_bytes("x"));
    ASSERT_TRUE(sig);
    EXPECT_TRUE(crypto::verify_signature((*signer)->public_key(), crypto::SignatureAlgorithm::rsa_sha256, core::to_bytes("x"), *sig));
}

TEST_F(SoftHsm, WrongPinSaysSoAndUnlockSetsANewOne) {
    auto done = m_service->enroll(*m_ca, request());
    ASSERT_TRUE(done);
    auto wrong = m_service->signer(done->token.serial, done->key_id, core::SecureString("00000000"));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "token.pin_incorrect");

    auto pin = m_service->unlock(done->token.serial, 6, "test");
    ASSERT_TRUE(pin) << pin.error().describe();
    EXPECT_EQ(pin->size(), 6u);
    EXPECT_FALSE(m_service->signer(done->token.serial, done->key_id, done->user_pin)) << "old PIN still works";
    EXPECT_TRUE(m_service->signer(done->token.serial, done->key_id, *pin)) << "new PIN does not work";

    ASSERT_TRUE(m_service->change_pin(done->token.serial, *pin, core::SecureString("13572468"), "test"));
    EXPECT_TRUE(m_service->signer(done->token.serial, done->key_id, core::SecureString("13572468")));
    auto bad_format = m_service->change_pin(done->token.serial, core::SecureString("13572468"), core::SecureString("abc"), "t");
    ASSERT_FALSE(bad_format);
    EXPECT_EQ(bad_format.error().code, "token.pin_format");
}

TEST_F(SoftHsm, ARejectedRequestLeavesNoKeyOnTheToken) {
    auto r = request();
    r.issue.overrides.credit_code = "91350100M000100Y44";  // bad check character
    auto done = m_service->enroll(*m_ca, r);
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().code, "csr.rejected");
    ASSERT_EQ(m_tokens.m.size(), 1u);
    const auto& rec = m_tokens.m.begin()->second;
    EXPECT_EQ(rec.state, TokenState::in_stock);
    EXPECT_TRUE(rec.certificates.empty());
    EXPECT_TRUE(m_revoker.revoked.empty());
    // Only an SO-visible token with no key objects remains: log in as SO and look.
    auto info = m_module->find_token(rec.serial);
    ASSERT_TRUE(info);
    auto objects = m_service->objects(rec.serial, nullptr);
    ASSERT_TRUE(objects);
    EXPECT_TRUE(objects->empty());
    // The token in stock can be enrolled again.
    auto again = request();
    again.token_serial = rec.serial;
    EXPECT_TRUE(m_service->enroll(*m_ca, again));
}

TEST_F(SoftHsm, WipeRefusesWhileACertificateIsValid) {
    auto done = m_service->enroll(*m_ca, request());
    ASSERT_TRUE(done);
    auto refused = m_service->wipe(done->token.serial, TokenState::in_stock, m_certs, "test");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "token.holds_valid_certificate");
    m_clock.advance(std::chrono::hours(24 * 800));  // past the 1-year certificate
    ASSERT_TRUE(m_service->wipe(done->token.serial, TokenState::in_stock, m_certs, "test"));
    auto objects = m_service->objects(done->token.serial, nullptr);
    ASSERT_TRUE(objects);
    EXPECT_TRUE(objects->empty());
}

TEST_F(SoftHsm, MissingModuleAndAbsentTokenAreClearErrors) {
    auto missing = Module::load("/nonexistent/libpkcs11.so");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "token.module_missing");
    auto absent = m_module->find_token("no-such-serial");
    ASSERT_FALSE(absent);
    EXPECT_EQ(absent.error().code, "token.absent");
    auto unknown = m_service->unlock("no-such-serial", 8, "t");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "token.unknown");
}

TEST(Pin, RandomPinsAreDigitsOfTheAskedLength) {
    for (int n : {6, 7, 8}) {
        auto pin = random_pin(n);
        EXPECT_EQ(pin.size(), static_cast<std::size_t>(n));
        EXPECT_EQ(pin.view().find_first_not_of("0123456789"), std::string_view::npos);
    }
    EXPECT_NE(random_so_pin().view(), random_so_pin().view());
}

}  // namespace
}  // namespace eseal::token
