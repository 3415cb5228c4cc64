// `eseal ukey agent` (src/cli/ukey_agent.cpp) as a browser page uses it (label token): the eseal
// binary started on port 0 beside a SoftHSM2 Ukey that the CA made and that is bound to a seal;
// status, CORS preflight, a foreign Origin refused, a wrong PIN refused by the token, and a PDF
// signed through HTTP that document/pdf, pdfsig and the platform's verified usage log accept.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <thread>

#include "document/pdf/pdf_verify.hpp"
#include "server/seal_test_support.hpp"

extern char** environ;

namespace eseal::server::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kOrigin = "http://hall.example.test:8080";

class NoRevoker final : public token::CertificateRevoker {
  public:
    core::Result<void> revoke(const std::string&, const std::string&, const std::string&) override {
        return {};
    }
};

class UkeyAgent : public SealApi {
  protected:
    explicit UkeyAgent(bool skf = false) : m_skf(skf) {
        if (!skf)
            m_alg = crypto::KeyAlgorithm::ecdsa_p256;  // SoftHSM2 has no SM2
    }

    // The CA makes the Ukey: key generated on the token, org certificate written beside it.
    void enroll(token::UkeyService& service, crypto::KeyAlgorithm alg) {
        token::EnrollRequest req;
        req.label = "seal ukey";
        req.algorithm = alg;
        req.issue.profile = pki::Profile::organization;
        req.issue.overrides.organization = kOrg;
        req.issue.overrides.credit_code = org_code;
        req.issue.overrides.province = "广东省";
        req.issue.overrides.locality = "深圳市";
        req.issue.actor = "test";
        auto done = service.enroll(*ca, req);
        ASSERT_TRUE(done) << done.error().describe();
        m_serial = done->token.serial;
        m_pin = std::string(done->user_pin.view());
        m_cert = done->certificate;
    }

    void SetUp() override {
        if (!m_skf && !fs::exists(token::kDefaultPkcs11Module))
            GTEST_SKIP() << "SoftHSM2 is not installed";
        SealApi::SetUp();
        NoRevoker revoker;
        if (m_skf) {  // GM/T 0016 SKF with SM2: eseal's soft SKF token, built beside this test
            m_module = ESEAL_SOFTSKF_LIBRARY;
            const auto devices = hall.dir() / "skf";
            fs::create_directories(devices);
            ::setenv("ESEAL_SOFTSKF_DIR", devices.c_str(), 1);
            ASSERT_EQ(std::system((std::string(ESEAL_SOFTSKF_ADMIN) + " create " +
                                   (devices / "k1").string() +
                                   " --serial SKF-AGENT --label token >/dev/null")
                                      .c_str()),
                      0);
            auto lib = token::SkfLibrary::load(m_module);
            ASSERT_TRUE(lib) << lib.error().describe();
            auto options = token::skf_options_from_environment();
            ASSERT_TRUE(options);
            token::SkfService service(*lib, std::move(*options), hall.store(), revoker,
                                      core::SecureString("ca passphrase"), hall.clock());
            enroll(service, crypto::KeyAlgorithm::sm2);
        } else {
            m_module = token::kDefaultPkcs11Module;
            m_dir = hall.dir() / "softhsm";
            fs::create_directories(m_dir / "tokens");
            std::ofstream(m_dir / "softhsm2.conf")
                << "directories.tokendir = " << (m_dir / "tokens").string()
                << "\nobjectstore.backend = file\nlog.level = ERROR\n";
            ::setenv("SOFTHSM2_CONF", (m_dir / "softhsm2.conf").c_str(), 1);
            auto module = token::Module::load(token::kDefaultPkcs11Module);
            ASSERT_TRUE(module) << module.error().describe();
            token::Pkcs11Service service(*module, hall.store(), revoker,
                                         core::SecureString("ca passphrase"), hall.clock());
            enroll(service, crypto::KeyAlgorithm::ecdsa_p256);
        }  // the CA's module is finalized here; the agent loads its own
        if (HasFatalFailure())
            return;
        // The seal, bound to the Ukey's certificate.
        m_seal = request_seal(admin);
        {
            auto ukey = m_skf ? ra::open_skf_ukey(m_module, m_serial, core::SecureString(m_pin))
                              : ra::open_pkcs11_ukey(m_module, m_serial, core::SecureString(m_pin));
            ASSERT_TRUE(ukey) << ukey.error().describe();
            const auto binding = start_binding(admin, m_seal, true);
            ASSERT_EQ(
                complete(admin, m_seal, binding, ukey->certificate, sign(*ukey->signer, binding))
                    .status,
                200);
        }
        m_esl = admin.get("/api/v1/seals/" + m_seal + "/seal.esl").body;

        // The agent, as the customer starts it.
        const auto home = hall.dir() / "agent-home";  // no eseal.toml: only --origin counts
        fs::create_directories(home);
        const auto port_file = hall.dir() / "agent.port";
        std::vector<std::string> args = {
            ESEAL_CLI, "--home",      home.string(),      "ukey",     "agent", "--port",
            "0",       "--port-file", port_file.string(), "--origin", kOrigin};
        if (m_skf)
            args.insert(args.end(), {"--driver", "skf", "--module", m_module.string()});
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        const auto log = hall.dir() / "agent.log";
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        ASSERT_EQ(::posix_spawn(&m_agent, argv[0], &actions, nullptr, argv.data(), environ), 0);
        posix_spawn_file_actions_destroy(&actions);
        for (int i = 0; i < 200 && !fs::exists(port_file); ++i)  // a wait, not a time assertion
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ASSERT_TRUE(fs::exists(port_file)) << read_all(log);
        std::ifstream(port_file) >> m_port;
        ASSERT_NE(m_port, 0);
    }

    void TearDown() override {
        if (m_agent > 0) {
            ::kill(m_agent, SIGTERM);
            int status = 0;
            ::waitpid(m_agent, &status, 0);
        }
    }

    Reply call(const std::string& method, const std::string& target, const std::string& body = {},
               std::vector<std::string> headers = {}, bool origin = true) {
        RawClient client(m_port, std::chrono::seconds(60));
        std::string req = method + " " + target + " HTTP/1.1\r\nConnection: close\r\n";
        bool host = false;
        for (const auto& h : headers) host = host || h.starts_with("Host:");
        if (!host)
            req += "Host: 127.0.0.1:" + std::to_string(m_port) + "\r\n";
        if (origin)
            req += std::string("Origin: ") + kOrigin + "\r\n";
        for (const auto& h : headers) req += h + "\r\n";
        if (!body.empty() || method == "POST")
            req +=
                "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\n";
        client.send(req + "\r\n" + body);
        return parse_reply(client.read_all());
    }

    json sign_body(const std::string& pin, const std::string& esl) {
        return {{"pdf", core::base64_encode(core::as_bytes(one_page_pdf()))},
                {"seal", core::base64_encode(core::as_bytes(esl))},
                {"page", 1},
                {"x_mm", 150.0},
                {"y_mm", 230.0},
                {"token", m_serial},
                {"pin", pin}};
    }

    bool m_skf = false;
    fs::path m_dir, m_module;
    std::string m_serial, m_pin, m_seal, m_esl;
    pki::CertificateRecord m_cert;
    pid_t m_agent = 0;
    std::uint16_t m_port = 0;
};

TEST_F(UkeyAgent, StatusListsTheUkeyAndPreflightsAreAnswered) {
    auto r = call("GET", "/v1/status");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers["access-control-allow-origin"], kOrigin);
    const auto status = r.json();
    EXPECT_EQ(status["driver"], "pkcs11");
    const json* found = nullptr;
    for (const auto& t : status["tokens"])
        if (t["serial"] == m_serial)
            found = &t;
    ASSERT_NE(found, nullptr) << r.body;
    EXPECT_EQ((*found)["has_key"], true);
    EXPECT_EQ((*found)["certificate"]["serial"], m_cert.serial);
    EXPECT_NE((*found)["certificate"]["subject"].get<std::string>().find(kOrg), std::string::npos);

    // The preflight a page on the platform sends before POSTing JSON (with Private Network Access).
    r = call("OPTIONS", "/v1/pdf/sign", {},
             {"Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type",
              "Access-Control-Request-Private-Network: true"});
    EXPECT_EQ(r.status, 204) << r.body;
    EXPECT_EQ(r.headers["access-control-allow-origin"], kOrigin);
    EXPECT_NE(r.headers["access-control-allow-methods"].find("POST"), std::string::npos);
    EXPECT_NE(r.headers["access-control-allow-headers"].find("Content-Type"), std::string::npos);
    EXPECT_EQ(r.headers["access-control-allow-private-network"], "true");
}

TEST_F(UkeyAgent, ForeignOriginsAndHostsAreRefused) {
    const std::vector<std::string> evil = {"Origin: https://evil.example"};
    auto r = call("OPTIONS", "/v1/pdf/sign", {}, evil, false);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.json()["code"], "agent.origin_refused");
    EXPECT_EQ(r.headers.count("access-control-allow-origin"), 0u);
    r = call("POST", "/v1/pdf/sign", sign_body(m_pin, m_esl).dump(), evil, false);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.json()["code"], "agent.origin_refused");
    EXPECT_EQ(r.headers.count("access-control-allow-origin"), 0u);
    r = call("GET", "/v1/status", {}, evil, false);
    EXPECT_EQ(r.status, 403);
    // A DNS-rebinding page reaches the loopback under its own name.
    r = call("GET", "/v1/status", {}, {"Host: evil.example:" + std::to_string(m_port)});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.json()["code"], "agent.host_refused");
}

TEST_F(UkeyAgent, WrongPinIsRefusedByTheToken) {
    auto r = call("POST", "/v1/pdf/sign", sign_body("00000000", m_esl).dump());
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/problem+json");
    EXPECT_EQ(r.json()["code"], "token.pin_incorrect") << r.body;
    EXPECT_TRUE(r.json().contains("pin_warning"));
    EXPECT_EQ(r.headers["access-control-allow-origin"], kOrigin);  // the page can read why
    EXPECT_EQ(read_all(hall.dir() / "agent.log").find("00000000"), std::string::npos);
}

TEST_F(UkeyAgent, SignsThePdfWithTheUkeyAndThePlatformLogsTheVerifiedUse) {
    auto r = call("POST", "/v1/pdf/sign", sign_body(m_pin, m_esl).dump());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/pdf");
    EXPECT_EQ(r.headers["x-eseal-sha256"],
              core::hex_encode(crypto::sha256(core::as_bytes(r.body))));
    const auto out = hall.dir() / "stamped.pdf";
    std::ofstream(out, std::ios::binary) << r.body;

    document::pdf::VerifyOptions options;
    options.trust = {hierarchy->root.record.certificate, hierarchy->issuing.record.certificate};
    options.now = hall.clock().now();
    auto report = document::pdf::verify_pdf(out.string(), options);
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->signatures.size(), 1u);
    EXPECT_TRUE(report->all_valid())
        << (report->signatures[0].problems.empty() ? ""
                                                   : report->signatures[0].problems[0].message);
    EXPECT_TRUE(report->signatures[0].seal_image);
    EXPECT_NE(report->signatures[0].signer.find(kOrg), std::string::npos);

    if (fs::exists("/usr/bin/pdfsig")) {  // poppler judges it too
        const auto pdfsig = run("/usr/bin/pdfsig " + out.string(), [](const std::string&) {});
        EXPECT_NE(pdfsig.output.find("Signature is Valid."), std::string::npos) << pdfsig.output;
    }
    const auto log = read_all(hall.dir() / "agent.log");
    EXPECT_NE(log.find("with seal " + m_seal + " on page 1"), std::string::npos) << log;
    EXPECT_EQ(log.find(m_pin), std::string::npos) << "the PIN is logged";

    // The page then records the use on the platform from the signed document itself.
    auto use = admin.send("POST", "/api/v1/seals/" + m_seal + "/uses/document?name=stamped.pdf",
                          r.body, "application/pdf");
    ASSERT_EQ(use.status, 201) << use.body;
    EXPECT_EQ(use.json()["verified"], true);
    EXPECT_EQ(use.json()["certificate_serial"], m_cert.serial);
}

TEST_F(UkeyAgent, SealNotBoundAndPlacementAreChecked) {
    const auto other = request_seal(admin, {{"kind", "finance"}});
    const auto esl = admin.get("/api/v1/seals/" + other + "/seal.esl").body;
    auto r = call("POST", "/v1/pdf/sign", sign_body(m_pin, esl).dump());
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json()["code"], "agent.seal_not_bound");
    // No placement: refused, naming it.
    auto body = sign_body(m_pin, m_esl);
    body.erase("x_mm");
    r = call("POST", "/v1/pdf/sign", body.dump());
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("agent.placement"), std::string::npos) << r.body;
    // Placed on a keyword instead: the text's place is found, the PDF signed.
    body["keyword"] = "Contract";
    r = call("POST", "/v1/pdf/sign", body.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(read_all(hall.dir() / "agent.log").find("on page 1"), std::string::npos);
    // A missing word is the text search's own error.
    body["keyword"] = "不存在的词";
    r = call("POST", "/v1/pdf/sign", body.dump());
    EXPECT_GE(r.status, 400) << r.body;
    EXPECT_LT(r.status, 500) << r.body;
}

// The same with a GM/T 0016 SKF Ukey and SM2: SM2/SM3 CMS, which only our verifier checks
// (poppler does not know SM2), and the platform's verified log.
class SkfUkeyAgent : public UkeyAgent {
  protected:
    SkfUkeyAgent() : UkeyAgent(true) {}
};

TEST_F(SkfUkeyAgent, SignsWithTheSkfUkeyAndAWrongPinIsRefused) {
    auto r = call("GET", "/v1/status");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["driver"], "skf");
    EXPECT_NE(r.body.find(m_serial), std::string::npos) << r.body;
    r = call("POST", "/v1/pdf/sign", sign_body("00000000", m_esl).dump());
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(r.json()["code"], "token.pin_incorrect") << r.body;
    EXPECT_NE(r.json()["detail"].get<std::string>().find("left"), std::string::npos) << r.body;

    r = call("POST", "/v1/pdf/sign", sign_body(m_pin, m_esl).dump());
    ASSERT_EQ(r.status, 200) << r.body;
    const auto out = hall.dir() / "stamped-sm2.pdf";
    std::ofstream(out, std::ios::binary) << r.body;
    document::pdf::VerifyOptions options;
    options.trust = {hierarchy->root.record.certificate, hierarchy->issuing.record.certificate};
    options.now = hall.clock().now();
    auto report = document::pdf::verify_pdf(out.string(), options);
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->signatures.size(), 1u);
    EXPECT_TRUE(report->all_valid())
        << (report->signatures[0].problems.empty() ? ""
                                                   : report->signatures[0].problems[0].message);
    EXPECT_NE(report->signatures[0].algorithm.find("SM2"), std::string::npos)
        << report->signatures[0].algorithm;
    auto use =
        admin.send("POST", "/api/v1/seals/" + m_seal + "/uses/document", r.body, "application/pdf");
    ASSERT_EQ(use.status, 201) << use.body;
    EXPECT_EQ(use.json()["verified"], true);
}

}  // namespace
}  // namespace eseal::server::testing
