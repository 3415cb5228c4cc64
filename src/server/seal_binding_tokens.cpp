// Ukey binding with real tokens (label token): SoftHSM2 for PKCS#11, eseal's soft SKF token for
// GM/T 0016, each through ra::open_*_ukey and through `eseal ukey bind` itself: a wrong PIN stops
// at the token with nothing sent; the right one binds and the re-made seal verifies.
#include "server/seal_test_support.hpp"

namespace eseal::server::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// ---- with a Ukey: SoftHSM2 plays it, as `eseal ukey bind` drives it ------------------------

class NoRevoker final : public token::CertificateRevoker {
  public:
    core::Result<void> revoke(const std::string&, const std::string&, const std::string&) override {
        return {};
    }
};

class SealUkey : public SealApi {
  protected:
    SealUkey() { m_alg = crypto::KeyAlgorithm::ecdsa_p256; }
    void SetUp() override {
        if (!fs::exists(token::kDefaultPkcs11Module))
            GTEST_SKIP() << "SoftHSM2 is not installed";
        SealApi::SetUp();
        m_dir = hall.dir() / "softhsm";
        fs::create_directories(m_dir / "tokens");
        std::ofstream(m_dir / "softhsm2.conf")
            << "directories.tokendir = " << (m_dir / "tokens").string()
            << "\nobjectstore.backend = file\nlog.level = ERROR\n";
        ::setenv("SOFTHSM2_CONF", (m_dir / "softhsm2.conf").c_str(), 1);
        // The CA makes the Ukey: key generated on the token, org certificate written beside it.
        auto module = token::Module::load(token::kDefaultPkcs11Module);
        ASSERT_TRUE(module) << module.error().describe();
        NoRevoker revoker;
        token::Pkcs11Service service(*module, hall.store(), revoker,
                                     core::SecureString("ca passphrase"), hall.clock());
        token::EnrollRequest req;
        req.label = "token";
        req.issue.profile = pki::Profile::organization;
        req.issue.overrides.organization = kOrg;
        req.issue.overrides.credit_code = org_code;
        req.issue.overrides.province = "广东省";
        req.issue.overrides.locality = "深圳市";
        req.issue.actor = "test";
        auto done = service.enroll(*ca, req);
        ASSERT_TRUE(done) << done.error().describe();
        m_serial = done->token.serial;
        m_pin = core::SecureString(std::string(done->user_pin.view()));
        m_cert = done->certificate;
    }  // the CA's module is finalized here; the client loads its own

    fs::path m_dir;
    std::string m_serial;
    core::SecureString m_pin{std::string()};
    pki::CertificateRecord m_cert;
};

TEST_F(SealUkey, WrongPinStopsAtTheTokenAndTheRightOneBinds) {
    const auto id = request_seal(admin);
    const auto before = admin.get("/api/v1/seals/" + id + "/seal.esl").body;
    {
        auto opened = ra::open_pkcs11_ukey(token::kDefaultPkcs11Module, m_serial,
                                           core::SecureString("00000000"));
        ASSERT_FALSE(opened);
        EXPECT_EQ(opened.error().code, "token.pin_incorrect") << opened.error().describe();
    }
    EXPECT_EQ(admin.get("/api/v1/seals/" + id + "/seal.esl").body, before);

    auto ukey = ra::open_pkcs11_ukey(token::kDefaultPkcs11Module, m_serial, m_pin);
    ASSERT_TRUE(ukey) << ukey.error().describe();
    EXPECT_EQ(ukey->certificate, m_cert.der);
    const auto binding = start_binding(admin, id, true);
    auto r = complete(admin, id, binding, ukey->certificate, sign(*ukey->signer, binding));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto after = esl(admin, id);
    ASSERT_EQ(after.property.certificates.size(), 1u);
    EXPECT_EQ(after.property.certificates[0], m_cert.der);
    const auto v = seal::verify_seal(after, trust(), hall.clock().now());
    EXPECT_TRUE(v.ok()) << (v.problems.empty() ? ""
                                               : v.problems[0].code + ": " + v.problems[0].message);
}

// Runs `eseal ukey bind` with a wrong PIN (refused at the token, nothing sent), then the right one
// while playing the phone for the face check; the re-made seal lists `cert`.
void cli_binds(Hall& hall, Browser& admin, const std::string& id, const std::string& token_args,
               const core::SecureString& pin, const core::Bytes& cert,
               const seal::TrustStore& trust,
               const std::function<std::vector<std::string>()>& audit_actions) {
    const fs::path cli = ESEAL_CLI;  // the `eseal` executable (CMake: $<TARGET_FILE:eseal>)
    const std::string common =
        cli.string() + " ukey bind --server http://127.0.0.1:" + std::to_string(hall.port()) +
        " --seal " + id + " " + token_args + " --wait 60 </dev/null";
    ::setenv("ESEAL_SESSION", admin.m_cookie.c_str(), 1);
    ::setenv("ESEAL_PIN", "00000000", 1);
    const auto wrong = run(common, [](const std::string&) {});
    EXPECT_EQ(wrong.exit_code, 1) << wrong.output;
    EXPECT_NE(wrong.output.find("nothing was sent"), std::string::npos) << wrong.output;
    EXPECT_NE(wrong.output.find("token.pin_incorrect"), std::string::npos) << wrong.output;
    EXPECT_FALSE(has(audit_actions(), "seal.binding_start"));  // the server heard nothing

    ::setenv("ESEAL_PIN", std::string(pin.view()).c_str(), 1);
    const auto bound = run(common, [&](const std::string& line) {
        const auto at = line.find("/sandbox/face/");
        if (at == std::string::npos)
            return;
        std::string path = line.substr(at);
        while (!path.empty() && std::isspace(static_cast<unsigned char>(path.back())))
            path.pop_back();
        EXPECT_EQ(admin.send("POST", path + "/pass", "", "text/plain").status, 202);
    });
    ::unsetenv("ESEAL_PIN");
    ::unsetenv("ESEAL_SESSION");
    EXPECT_EQ(bound.exit_code, 0) << bound.output;
    EXPECT_NE(bound.output.find("now lists 1 certificate"), std::string::npos) << bound.output;
    auto reply = admin.get("/api/v1/seals/" + id + "/seal.esl");
    auto after = seal::parse_seal(core::as_bytes(reply.body));
    ASSERT_TRUE(after) << reply.body;
    ASSERT_EQ(after->property.certificates.size(), 1u);
    EXPECT_EQ(after->property.certificates[0], cert);
    EXPECT_TRUE(seal::verify_seal(*after, trust, hall.clock().now()).ok());
}

TEST_F(SealUkey, CliBindsAfterThePinAndTheFaceCheck) {
    const auto id = request_seal(admin);
    cli_binds(hall, admin, id, "--token " + m_serial, m_pin, m_cert.der, trust(),
              [this] { return audit_actions(); });
}

// The same with a GM/T 0016 SKF Ukey (SM2): eseal's soft SKF token, built beside this test.
class SealSkf : public SealApi {
  protected:
    void SetUp() override {
        m_library = ESEAL_SOFTSKF_LIBRARY;
        const fs::path admin_tool = ESEAL_SOFTSKF_ADMIN;
        SealApi::SetUp();
        const auto devices = hall.dir() / "skf";
        fs::create_directories(devices);
        ::setenv("ESEAL_SOFTSKF_DIR", devices.c_str(), 1);
        ASSERT_EQ(std::system((admin_tool.string() + " create " + (devices / "k1").string() +
                               " --serial SKF-A --label token >/dev/null")
                                  .c_str()),
                  0);
        auto lib = token::SkfLibrary::load(m_library);
        ASSERT_TRUE(lib) << lib.error().describe();
        auto options = token::skf_options_from_environment();
        ASSERT_TRUE(options);
        NoRevoker revoker;
        token::SkfService service(*lib, std::move(*options), hall.store(), revoker,
                                  core::SecureString("ca passphrase"), hall.clock());
        token::EnrollRequest req;
        req.label = "token";
        req.algorithm = crypto::KeyAlgorithm::sm2;
        req.issue.profile = pki::Profile::organization;
        req.issue.overrides.organization = kOrg;
        req.issue.overrides.credit_code = org_code;
        req.issue.overrides.province = "广东省";
        req.issue.overrides.locality = "深圳市";
        req.issue.actor = "test";
        auto done = service.enroll(*ca, req);
        ASSERT_TRUE(done) << done.error().describe();
        m_serial = done->token.serial;
        m_pin = core::SecureString(std::string(done->user_pin.view()));
        m_cert = done->certificate;
    }

    fs::path m_library;
    std::string m_serial;
    core::SecureString m_pin{std::string()};
    pki::CertificateRecord m_cert;
};

TEST_F(SealSkf, WrongPinStopsAtTheTokenAndTheRightOneBinds) {
    const auto id = request_seal(admin);
    auto refused = ra::open_skf_ukey(m_library, m_serial, core::SecureString("00000000"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "token.pin_incorrect") << refused.error().describe();
    EXPECT_TRUE(admin.get("/api/v1/seals/" + id).json()["bound_certificates"].empty());

    auto ukey = ra::open_skf_ukey(m_library, m_serial, m_pin);
    ASSERT_TRUE(ukey) << ukey.error().describe();
    EXPECT_EQ(ukey->certificate, m_cert.der);
    const auto binding = start_binding(admin, id, true);
    auto r = complete(admin, id, binding, ukey->certificate, sign(*ukey->signer, binding));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto after = esl(admin, id);
    ASSERT_EQ(after.property.certificates.size(), 1u);
    EXPECT_EQ(after.property.certificates[0], m_cert.der);
    EXPECT_TRUE(seal::verify_seal(after, trust(), hall.clock().now()).ok());
}

TEST_F(SealSkf, CliBindsAfterThePinAndTheFaceCheck) {
    const auto id = request_seal(admin);
    cli_binds(hall, admin, id,
              "--driver skf --module " + m_library.string() + " --token " + m_serial, m_pin,
              m_cert.der, trust(), [this] { return audit_actions(); });
}

}  // namespace
}  // namespace eseal::server::testing
