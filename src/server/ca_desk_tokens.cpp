// The CA's side with real Ukeys (issue 7; label token): SoftHSM2 over PKCS#11 and eseal's soft
// SKF token over GM/T 0016, each in its own temporary directory. Every business type's complete
// online flow through the API: new (then shipped and delivered), renew, change, lost-key, unlock,
// revoke. openssl judges the issued certificates; the PIN texted to the handler opens the key,
// and is found nowhere in the database.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>

#include "pki/revocation.hpp"
#include "server/staff_test_support.hpp"
#include "token/pkcs11_service.hpp"
#include "token/skf_service.hpp"

namespace eseal::server::testing {
namespace {

namespace fs = std::filesystem;

class StoreRevoker final : public token::CertificateRevoker {
  public:
    StoreRevoker(store::SqliteStore& store, const core::Clock& clock) : m_store(store), m_clock(clock) {}
    core::Result<void> revoke(const std::string& serial, const std::string& reason, const std::string& actor) override {
        auto r = pki::parse_revocation_reason(reason);
        if (!r) return core::fail(core::Errc::invalid_input, "revocation.reason", reason);
        auto done = pki::revoke_certificate(m_store, m_store, {serial, *r, m_clock.now(), std::nullopt}, actor, m_clock);
        if (!done) return std::unexpected(done.error());
        return {};
    }

  private:
    store::SqliteStore& m_store;
    const core::Clock& m_clock;
};

// How many rows of the database's text columns hold `needle` (outbox, timeline, audit, desk).
int rows_containing(const fs::path& db_file, const std::string& needle) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    int total = 0;
    for (const char* sql : {"SELECT count(*) FROM outbox WHERE instr(body, ?1) > 0 OR instr(subject, ?1) > 0",
                            "SELECT count(*) FROM application_timeline WHERE instr(message, ?1) > 0",
                            "SELECT count(*) FROM audit_events WHERE instr(detail, ?1) > 0",
                            "SELECT count(*) FROM tokens WHERE instr(label, ?1) > 0"}) {
        sqlite3_stmt* stmt = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sql;
        sqlite3_bind_text(stmt, 1, needle.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(stmt) == SQLITE_ROW) total += sqlite3_column_int(stmt, 0);
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return total;
}

class Ukeys : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!fs::exists(token::kDefaultPkcs11Module)) GTEST_SKIP() << "SoftHSM2 is not installed";
        m_dir = side.hall.dir() / "ukeys";
        fs::create_directories(m_dir / "tokens");
        fs::create_directories(m_dir / "skf");
        std::ofstream(m_dir / "softhsm2.conf") << "directories.tokendir = " << (m_dir / "tokens").string()
                                               << "\nobjectstore.backend = file\nlog.level = ERROR\n";
        ::setenv("SOFTHSM2_CONF", (m_dir / "softhsm2.conf").c_str(), 1);
        ::setenv("ESEAL_SOFTSKF_DIR", (m_dir / "skf").c_str(), 1);
        auto module = token::Module::load(token::kDefaultPkcs11Module);
        ASSERT_TRUE(module) << module.error().describe();
        m_module = *module;
        m_p11 = std::make_unique<token::Pkcs11Service>(m_module, side.hall.store(), m_revoker, core::SecureString("ca passphrase"),
                                                       side.hall.clock());
        auto lib = token::SkfLibrary::load(ESEAL_SOFTSKF_LIBRARY);
        ASSERT_TRUE(lib) << lib.error().describe();
        auto options = token::skf_options_from_environment();
        ASSERT_TRUE(options);
        m_skf = std::make_unique<token::SkfService>(*lib, *options, side.hall.store(), m_revoker, core::SecureString("ca passphrase"),
                                                    side.hall.clock());
        side.drivers["pkcs11"] = m_p11.get();
        side.drivers["skf"] = m_skf.get();
        applicant.login("13800138000");
        reviewer = side.staff("rev.wang", {ra::Role::reviewer});
        issuer = side.staff("iss.chen", {ra::Role::issuer});
    }
    void TearDown() override {
        side.drivers.clear();
        m_p11.reset();
        m_skf.reset();
        m_module.reset();  // C_Finalize before the files go
    }

    // A blank token put into the inventory (in stock), as the warehouse would.
    std::string blank(const std::string& driver) {
        if (driver == "skf") {
            const auto name = "k" + std::to_string(++m_devices);
            const std::string cmd = std::string(ESEAL_SOFTSKF_ADMIN) + " create '" + (m_dir / "skf" / name).string() +
                                    "' --serial SKF-" + name + " --label 'Ukey " + name + "' >/dev/null";
            EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
        }
        auto& svc = driver == "skf" ? static_cast<token::UkeyService&>(*m_skf) : *m_p11;
        auto made = svc.init_blank("eseal Ukey", "test");
        EXPECT_TRUE(made) << made.error().describe();
        return made ? made->serial : std::string();
    }

    // The latest PIN texted to the handler (the sandbox lists the newest message first).
    std::string texted_pin() {
        const auto messages = applicant.get("/api/v1/dev/messages?to=13800138000").json()["messages"];
        std::string pin;
        for (const auto& m : messages) {
            std::smatch match;
            const std::string body = m["body"];
            if (std::regex_search(body, match, std::regex("PIN码为(\\d{6,8})"))) return match[1];
        }
        return pin;
    }

    // Issued onto `token` through the API; returns the new certificate's serial.
    std::string issue(const std::string& id, const std::string& token) {
        auto done = issuer.post("/api/v1/staff/applications/" + id + "/fulfil", {{"token_serial", token}});
        EXPECT_EQ(done.status, 200) << done.body;
        EXPECT_EQ(done.json()["state"], "issued");
        auto desk = issuer.get("/api/v1/staff/applications/" + id + "/desk").json()["desk"];
        EXPECT_EQ(desk["token_serial"], token);
        return desk.value("certificate_serial", "");
    }

    // The PIN opens the key on the token (a signature is made with it); a wrong one does not.
    void pin_opens_key(const std::string& driver, const std::string& token, const std::string& pin) {
        auto& svc = driver == "skf" ? static_cast<token::UkeyService&>(*m_skf) : *m_p11;
        auto rec = side.hall.store().find_token(token);
        ASSERT_TRUE(rec && *rec);
        ASSERT_FALSE((*rec)->certificates.empty());
        const auto key_id = (*rec)->certificates.back().key_id;
        {
            auto signer = svc.signer(token, key_id, core::SecureString(pin));
            ASSERT_TRUE(signer) << signer.error().describe();
            EXPECT_TRUE((*signer)->sign(core::as_bytes(std::string("合同正文"))));
        }  // logged out (PKCS#11 logins are shared by the application's sessions)
        std::string wrong = pin;
        wrong[0] = wrong[0] == '0' ? '1' : '0';
        auto refused = svc.signer(token, key_id, core::SecureString(wrong));
        EXPECT_TRUE(!refused || !(*refused)->sign(core::as_bytes(std::string("合同正文"))));
    }

    // openssl verifies the certificate against the issuing CA.
    void openssl_verifies(const std::string& serial, const pki::CertificateAuthority& ca, bool sm2) {
        auto cert = side.hall.store().find_certificate(serial);
        ASSERT_TRUE(cert && *cert);
        const auto leaf = m_dir / (serial + ".der");
        const auto issuing = m_dir / "issuing.der";
        std::ofstream(leaf, std::ios::binary).write(reinterpret_cast<const char*>((*cert)->der.data()),
                                                    static_cast<std::streamsize>((*cert)->der.size()));
        std::ofstream(issuing, std::ios::binary)
            .write(reinterpret_cast<const char*>(ca.record().certificate.data()), static_cast<std::streamsize>(ca.record().certificate.size()));
        const std::string pem = (m_dir / "leaf.pem").string(), ca_pem = (m_dir / "ca.pem").string();
        const std::string cmd = "openssl x509 -inform DER -in '" + leaf.string() + "' -out '" + pem + "' && openssl x509 -inform DER -in '" +
                                issuing.string() + "' -out '" + ca_pem + "' && openssl verify " +
                                (sm2 ? "-vfyopt distid:1234567812345678 " : "") + "-partial_chain -CAfile '" + ca_pem + "' '" + pem +
                                "' >/dev/null";
        EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }

    pki::CertificateRecord certificate(const std::string& serial) {
        auto c = side.hall.store().find_certificate(serial);
        EXPECT_TRUE(c && *c);
        return c && *c ? **c : pki::CertificateRecord{};
    }

    CaSide side;
    Browser applicant{side.hall.port()};
    Browser reviewer{side.hall.port()};
    Browser issuer{side.hall.port()};
    fs::path m_dir;
    StoreRevoker m_revoker{side.hall.store(), side.hall.clock()};
    std::shared_ptr<token::Module> m_module;
    std::unique_ptr<token::Pkcs11Service> m_p11;
    std::unique_ptr<token::SkfService> m_skf;
    int m_devices = 0;
};

TEST_F(Ukeys, NewOrganizationCertificateOnSoftHsmThenShippedAndDelivered) {
    const auto id = side.paid_application(applicant, "new", "organization", "ecdsa-p256");
    side.approve(reviewer, id);
    const auto token = blank("pkcs11");
    // The wrong kind of token for the algorithm is refused, and nothing changes.
    const auto sm2_key = blank("skf");
    auto wrong = issuer.post("/api/v1/staff/applications/" + id + "/fulfil", {{"token_serial", sm2_key}});
    EXPECT_EQ(wrong.status, 422);
    EXPECT_EQ(wrong.json()["code"], "issuance.token_algorithm");
    EXPECT_EQ(side.state_of(applicant, id), "approved");

    const auto serial = issue(id, token);
    const auto cert = certificate(serial);
    EXPECT_EQ(cert.credit_code, credit_code());
    EXPECT_EQ(cert.organization, "深圳市示例科技有限公司");
    EXPECT_EQ(cert.profile, "org");
    openssl_verifies(serial, *side.intl, false);
    auto rec = side.hall.store().find_token(token);
    ASSERT_TRUE(rec && *rec);
    EXPECT_EQ((*rec)->state, token::TokenState::active);
    // The PIN reached the handler's phone, opens the key, and is stored nowhere.
    const auto pin = texted_pin();
    ASSERT_EQ(pin.size(), 8u);
    pin_opens_key("pkcs11", token, pin);
    EXPECT_EQ(rows_containing(side.hall.dir() / "eseal.db", pin), 0);
    const auto timeline = applicant.get("/api/v1/applications/" + id + "/timeline").json()["timeline"];
    EXPECT_EQ(timeline.back()["event"], "pin.sent");

    // Shipping: the issuer cannot; the shipper records the parcel; the handler gets the number.
    EXPECT_EQ(issuer.post("/api/v1/staff/applications/" + id + "/ship", {{"carrier", "顺丰速运"}, {"tracking_no", "SF1234567890"}}).status, 403);
    Browser shipper = side.staff("ship.li", {ra::Role::shipper});
    EXPECT_EQ(shipper.post("/api/v1/staff/applications/" + id + "/ship", {{"carrier", ""}, {"tracking_no", "SF 12"}}).status, 422);
    auto shipped = shipper.post("/api/v1/staff/applications/" + id + "/ship", {{"carrier", "顺丰速运"}, {"tracking_no", "SF1234567890"}});
    ASSERT_EQ(shipped.status, 200) << shipped.body;
    EXPECT_EQ(shipped.json()["state"], "shipped");
    const auto sms = applicant.get("/api/v1/dev/messages?to=13800138000").json()["messages"];
    EXPECT_TRUE(std::any_of(sms.begin(), sms.end(), [](const json& m) {
        return m["body"].get<std::string>().find("SF1234567890") != std::string::npos;
    }));
    auto delivered = shipper.post("/api/v1/staff/applications/" + id + "/deliver");
    ASSERT_EQ(delivered.status, 200) << delivered.body;
    EXPECT_EQ(delivered.json()["state"], "delivered");
}

TEST_F(Ukeys, OrganizationIndividualSm2OnTheSkfTokenThenUnlocked) {
    const auto id = side.paid_application(applicant, "new", "organization-individual", "sm2");
    side.approve(reviewer, id);
    const auto token = blank("skf");
    const auto serial = issue(id, token);
    const auto cert = certificate(serial);
    EXPECT_EQ(cert.profile, "org-individual");
    EXPECT_EQ(cert.person_name, "李四");
    openssl_verifies(serial, *side.gm, true);
    const auto first_pin = texted_pin();
    ASSERT_EQ(first_pin.size(), 8u);
    pin_opens_key("skf", token, first_pin);

    // Unlock (free): the admin PIN resets the user PIN; the new one goes by SMS.
    const auto unlock = side.paid_application(applicant, "unlock", "organization-individual", "sm2", serial);
    side.approve(reviewer, unlock);
    auto done = issuer.post("/api/v1/staff/applications/" + unlock + "/fulfil");
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(done.json()["state"], "issued");
    const auto second_pin = texted_pin();
    ASSERT_EQ(second_pin.size(), 8u);
    EXPECT_NE(second_pin, first_pin);
    pin_opens_key("skf", token, second_pin);
    EXPECT_EQ(rows_containing(side.hall.dir() / "eseal.db", second_pin), 0);
    // Handed over at the counter (the key was brought in).
    Browser clerk = side.staff("clerk.zhao", {ra::Role::counter_clerk});
    EXPECT_EQ(clerk.post("/api/v1/staff/applications/" + unlock + "/deliver").json()["state"], "delivered");
}

// Renew and change replace the certificate (old revoked as superseded); a lost key's certificate
// is revoked as keyCompromise and the new one goes on a new token; each on the organization's
// own certificate only.
TEST_F(Ukeys, RenewChangeAndLostKeyReplaceTheCertificate) {
    const auto first = side.paid_application(applicant, "new", "organization", "ecdsa-p256");
    side.approve(reviewer, first);
    std::string current = issue(first, blank("pkcs11"));
    for (const auto& [business, reason] : std::vector<std::pair<std::string, std::string>>{
             {"renew", "superseded"}, {"change", "superseded"}, {"lost-key", "keyCompromise"}}) {
        SCOPED_TRACE(business);
        const auto id = side.paid_application(applicant, business, "organization", "ecdsa-p256", current);
        side.approve(reviewer, id);
        const auto next = issue(id, blank("pkcs11"));
        ASSERT_FALSE(next.empty());
        EXPECT_NE(next, current);
        const auto old = certificate(current);
        EXPECT_EQ(old.status, pki::CertificateStatus::revoked);
        EXPECT_EQ(old.revocation_reason, reason);
        EXPECT_EQ(certificate(next).status, pki::CertificateStatus::valid);
        // Guide §8: a renewal's validity continues from the old certificate's end (1 year paid);
        // a change or a replacement starts now.
        if (business == "renew")
            EXPECT_EQ(certificate(next).not_after, core::add_years(old.not_after, 1));
        else
            EXPECT_LT(certificate(next).not_after, core::add_years(old.not_after, 1));
        openssl_verifies(next, *side.intl, false);
        auto desk = issuer.get("/api/v1/staff/applications/" + id + "/desk").json()["desk"];
        EXPECT_EQ(desk["replaced_serial"], current);
        EXPECT_EQ(desk["replaced_reason"], reason);
        current = next;
    }
    // And the last one revoked (CA operator).
    const auto late = side.paid_application(applicant, "revoke", "organization", "ecdsa-p256", certificate(current).serial);
    Browser operator_ = side.staff("op.sun", {ra::Role::ca_operator});
    side.approve(reviewer, late);
    auto revoked = operator_.post("/api/v1/staff/applications/" + late + "/fulfil");
    ASSERT_EQ(revoked.status, 200) << revoked.body;
    EXPECT_EQ(certificate(current).status, pki::CertificateStatus::revoked);
}

// Guide §8: a walk-in handler gets an SM2 Ukey at the counter in one sitting, all by the clerk:
// open with the paper materials checked, take payment by card, review, issue, hand over.
TEST_F(Ukeys, CounterIssuesAnSm2UkeyInOneSitting) {
    Browser clerk = side.staff("clerk.zhao", {ra::Role::counter_clerk});
    auto form = staff_form_for("new", "organization", "sm2", "");
    form["handler"]["phone"] = "13900139000";
    auto opened = clerk.post("/api/v1/staff/counter/applications",
                             {{"business", "new"}, {"cert_type", "organization"}, {"form", form},
                              {"checked", CaSide::counter_list(ra::Business::new_cert, ra::CertType::organization)}});
    ASSERT_EQ(opened.status, 201) << opened.body;
    EXPECT_EQ(opened.json()["state"], "awaiting_payment");
    const std::string id = opened.json()["id"];
    EXPECT_EQ(clerk.post("/api/v1/staff/counter/applications/" + id + "/payment", {{"method", "cheque"}, {"reference", ""}}).status, 422);
    auto paid = clerk.post("/api/v1/staff/counter/applications/" + id + "/payment", {{"method", "card"}, {"reference", "POS-000123"}});
    ASSERT_EQ(paid.status, 201) << paid.body;
    EXPECT_EQ(paid.json()["status"], "paid");
    EXPECT_EQ(paid.json()["amount_fen"], 20000);
    ASSERT_EQ(clerk.post("/api/v1/staff/applications/" + id + "/claim").status, 200);
    ASSERT_EQ(clerk.post("/api/v1/staff/applications/" + id + "/approve").status, 200);
    const auto token = blank("skf");
    auto issued = clerk.post("/api/v1/staff/applications/" + id + "/fulfil", {{"token_serial", token}});
    ASSERT_EQ(issued.status, 200) << issued.body;
    auto handed = clerk.post("/api/v1/staff/applications/" + id + "/deliver");
    ASSERT_EQ(handed.status, 200) << handed.body;
    EXPECT_EQ(handed.json()["state"], "delivered");
    // The walk-in's PIN went to their phone.
    const auto messages = clerk.get("/api/v1/dev/messages?to=13900139000").json()["messages"];
    std::string pin;
    for (const auto& m : messages) {
        std::smatch match;
        const std::string body = m["body"];
        if (pin.empty() && std::regex_search(body, match, std::regex("PIN码为(\\d{8})"))) pin = match[1];
    }
    ASSERT_EQ(pin.size(), 8u);
    pin_opens_key("skf", token, pin);
    const auto serial = clerk.get("/api/v1/staff/applications/" + id + "/desk").json()["desk"]["certificate_serial"].get<std::string>();
    openssl_verifies(serial, *side.gm, true);
}

// bench/flow.sh: applications carried end to end per second through the API (submit, pay,
// review, issue onto a soft SKF Ukey), compared in the same run with the raw issuance rate of the
// same CA on the same SQLite store (CSR → certificate stored) and with enrollment alone (key
// generated on the soft token, certificate issued and written). Disabled: not a test.
TEST_F(Ukeys, DISABLED_FlowThroughput) {
    const char* env = std::getenv("ESEAL_FLOW_COUNT");
    const int n = env ? std::max(1, std::atoi(env)) : 20;
    using clock = std::chrono::steady_clock;
    const auto rate = [](int count, clock::duration d) {
        return count / std::chrono::duration<double>(d).count();
    };
    // Blank soft tokens made beforehand (the warehouse's work, not the flow's).
    std::vector<std::string> tokens;
    for (int i = 0; i < 2 * n; ++i) tokens.push_back(blank("skf"));

    // 1. The whole flow.
    const auto t0 = clock::now();
    for (int i = 0; i < n; ++i) {
        const auto id = side.paid_application(applicant, "new", "organization", "sm2");
        side.approve(reviewer, id);
        ASSERT_FALSE(issue(id, tokens[static_cast<std::size_t>(i)]).empty());
    }
    const auto flow = clock::now() - t0;

    // 2. Enrollment alone on the same kind of token (no HTTP, no review).
    token::EnrollRequest er;
    er.algorithm = crypto::KeyAlgorithm::sm2;
    er.issue.profile = pki::Profile::organization;
    er.issue.overrides.organization = "深圳市示例科技有限公司";
    er.issue.overrides.credit_code = credit_code();
    er.issue.overrides.province = "广东省";
    er.issue.overrides.locality = "深圳市";
    const auto t1 = clock::now();
    for (int i = 0; i < n; ++i) {
        er.token_serial = tokens[static_cast<std::size_t>(n + i)];
        ASSERT_TRUE(m_skf->enroll(*side.gm, er));
    }
    const auto enroll = clock::now() - t1;

    // 3. Raw issuance: CSR (made beforehand) to a stored certificate, one thread.
    std::vector<core::Bytes> csrs;
    for (int i = 0; i < n; ++i) {
        auto key = crypto::SoftKey::generate(crypto::KeyAlgorithm::sm2);
        ASSERT_TRUE(key);
        csrs.push_back(core::to_bytes(pki::testing::make_csr(*key, pki::testing::org_subject(credit_code()))));
    }
    const auto t2 = clock::now();
    for (const auto& csr : csrs) ASSERT_TRUE(side.gm->issue({csr, pki::Profile::organization, 1, {}, "bench", std::nullopt}));
    const auto raw = clock::now() - t2;

    std::printf("flow: %d applications end to end (submit, pay, invoice, review, issue onto a soft SKF Ukey, PIN SMS)\n", n);
    std::printf("  whole flow through the API   %8.2f applications/s\n", rate(n, flow));
    std::printf("  enrollment alone (soft SKF)  %8.2f Ukeys/s\n", rate(n, enroll));
    std::printf("  raw issuance (CSR → stored)  %8.2f certificates/s\n", rate(n, raw));
}

}  // namespace
}  // namespace eseal::server::testing
