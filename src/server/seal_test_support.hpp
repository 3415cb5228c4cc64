#pragma once
// Test-only: seal management on a real server (hall_test_support.hpp) with a CA whose certificates
// are in the server's store, the platform's seal maker, and an account that is the seal admin of
// an organization (its application issued, its org certificate valid). Shared by seal_api_test.cpp
// (unit) and seal_binding_tokens.cpp (token: SoftHSM2 and the soft SKF Ukey).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <functional>

#include "crypto/soft_key.hpp"
#include "document/pdf/pdf_sign.hpp"
#include "pki/authority.hpp"
#include "pki/hierarchy.hpp"
#include "pki/testing_support.hpp"
#include "ra/applications.hpp"
#include "ra/providers/sandbox_face_service.hpp"
#include "ra/seal_binding.hpp"
#include "ra/seal_binding_client.hpp"
#include "ra/seals.hpp"
#include "seal/seal_verify.hpp"
#include "seal/seseal.hpp"
#include "server/hall_test_support.hpp"
#include "server/http_client.hpp"
#include "token/pkcs11.hpp"
#include "token/pkcs11_service.hpp"
#include "token/skf_service.hpp"

namespace eseal::server::testing {

using nlohmann::json;
namespace fs = std::filesystem;

inline const std::string kOrg = "深圳市示例科技有限公司";
inline const std::string kOtherOrg = "深圳市另一家科技有限公司";

class SealApi : public ::testing::Test {
  protected:
    Hall hall;
    Browser admin{hall.port()};
    std::string org_code = credit_code("91440300MA5F00000");
    std::string other_code = credit_code("91440300MA5F00011");
    std::optional<pki::NewHierarchy> hierarchy;
    std::optional<pki::CertificateAuthority> ca;
    std::optional<crypto::SoftKey> org_key;
    pki::CertificateRecord org_cert;
    // SM2 as the platform runs; SoftHSM2 has no SM2, so the Ukey tests use ECDSA P-256.
    crypto::KeyAlgorithm m_alg = crypto::KeyAlgorithm::sm2;

    void SetUp() override {
        admin.login("13800138000");
        auto root_key = crypto::SoftKey::generate(m_alg);
        auto issuing_key = crypto::SoftKey::generate(m_alg);
        ASSERT_TRUE(root_key && issuing_key);
        auto h = pki::make_hierarchy({"seal-test", m_alg, "eseal test", 20, 10, "http://ca.test"},
                                     *root_key, *issuing_key, hall.store(), hall.clock());
        ASSERT_TRUE(h) << h.error().describe();
        hierarchy.emplace(std::move(*h));
        const core::AuditEvent event{hall.clock().now(), "test", "ca.init", "ca:seal-test", "{}"};
        ASSERT_TRUE(
            hall.store().add_ca(hierarchy->root.record, hierarchy->root.certificate, event));
        ASSERT_TRUE(
            hall.store().add_ca(hierarchy->issuing.record, hierarchy->issuing.certificate, event));
        auto opened = pki::CertificateAuthority::open(
            hierarchy->issuing.record, std::make_unique<crypto::SoftKey>(std::move(*issuing_key)),
            hall.store(), hall.clock());
        ASSERT_TRUE(opened) << opened.error().describe();
        ca.emplace(std::move(*opened));

        // The platform's seal maker: an org certificate of the operator.
        auto maker_key = crypto::SoftKey::generate(m_alg);
        auto maker =
            issue(*maker_key, credit_code("91440300MA5G9GJX9"), "深圳市电子印章平台运营有限公司");
        hall.services().seals().set_maker(
            {std::make_unique<crypto::SoftKey>(std::move(*maker_key)), maker.der});

        org_key.emplace(std::move(*crypto::SoftKey::generate(m_alg)));
        org_cert = issue(*org_key, org_code, kOrg);
        make_admin(admin, org_code, kOrg);
    }

    pki::CertificateRecord issue(const crypto::SoftKey& key, const std::string& code,
                                 const std::string& org) {
        auto subject = pki::testing::org_subject(code);
        for (auto& [nid, v] : subject.entries)
            if (nid == NID_organizationName)
                v = org;
        const auto csr = pki::testing::make_csr(key, subject);
        auto rec = ca->issue({core::to_bytes(csr), pki::Profile::organization, 2, {}, "test", std::nullopt});
        EXPECT_TRUE(rec) << rec.error().describe();
        return rec ? *rec : pki::CertificateRecord{};
    }

    // The browser's account gets an application for the organization that the CA issued.
    void make_admin(Browser& b, const std::string& code, const std::string& org) {
        const auto me = b.get("/api/v1/me").json();
        ra::Application a;
        a.id = ra::new_application_id(hall.clock().now());
        a.account_id = me["account_id"].get<std::int64_t>();
        a.state = ra::State::delivered;
        a.form.organization = {org, code};
        a.form.handler = {"张三", resident_id(), me["phone"].get<std::string>(),
                          "zhangsan@example.cn"};
        a.form.address = "广东省深圳市南山区科兴路10号";
        a.created_at = a.updated_at = hall.clock().now();
        ra::ApplicationChange change;
        change.event = {hall.clock().now(), "test", "application.create", "application:" + a.id,
                        "{}"};
        ASSERT_TRUE(hall.store().add_application(a, change));
    }

    std::string request_seal(Browser& b, json body = {}) {
        if (!body.contains("credit_code"))
            body["credit_code"] = org_code;
        if (!body.contains("kind"))
            body["kind"] = "contract";
        auto reply = b.post("/api/v1/seals", body);
        EXPECT_EQ(reply.status, 201) << reply.body;
        return reply.json().value("id", "");
    }

    seal::Seal esl(Browser& b, const std::string& id) {
        auto reply = b.get("/api/v1/seals/" + id + "/seal.esl");
        EXPECT_EQ(reply.status, 200) << reply.body;
        auto parsed = seal::parse_seal(core::as_bytes(reply.body));
        EXPECT_TRUE(parsed) << parsed.error().describe();
        return parsed ? *parsed : seal::Seal{};
    }

    seal::TrustStore trust() const {
        return {{hierarchy->root.record.certificate}, {hierarchy->issuing.record.certificate}};
    }

    // Starts a binding and passes (or fails) its face check through the sandbox page.
    json start_binding(Browser& b, const std::string& id, bool face_pass) {
        auto started = b.post("/api/v1/seals/" + id + "/bindings");
        EXPECT_EQ(started.status, 201) << started.body;
        const auto j = started.json();
        const std::string url = j["identity_check"]["url"];
        const std::string path = url.substr(url.find("/sandbox/"));
        EXPECT_EQ(b.send("POST", path + (face_pass ? "/pass" : "/fail"), "", "text/plain").status,
                  202);
        hall.services().delivery().wait_idle();
        const auto now =
            b.get("/api/v1/seals/" + id + "/bindings/" + j["id"].get<std::string>()).json();
        EXPECT_EQ(now["identity_check"]["status"], face_pass ? "passed" : "failed");
        return j;
    }

    Reply complete(Browser& b, const std::string& id, const json& binding,
                   core::ByteView certificate, core::ByteView signature) {
        return b.post(
            "/api/v1/seals/" + id + "/bindings/" + binding["id"].get<std::string>() + "/complete",
            {{"certificate", core::base64_encode(certificate)},
             {"signature", core::base64_encode(signature)}});
    }

    core::Bytes sign(const crypto::Signer& key, const json& binding) {
        auto sig = key.sign(core::as_bytes(binding["message"].get<std::string>()));
        EXPECT_TRUE(sig);
        return sig ? *sig : core::Bytes{};
    }

    std::vector<std::string> problem_codes(const Reply& r) {
        std::vector<std::string> out;
        const auto body = r.json();  // kept: a range over a temporary's element would dangle
        for (const auto& p : body["problems"]) out.push_back(p["code"]);
        return out;
    }

    std::vector<std::string> audit_actions() {
        auto events = hall.store().audit_events(0);
        EXPECT_TRUE(events);
        std::vector<std::string> out;
        for (const auto& e : *events) out.push_back(e.event.action);
        return out;
    }
};

inline std::string read_all(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

// one_page_pdf() sealed by `key` with `cert` (document::pdf::sign_pdf, as `eseal pdf sign` does),
// with the seal's picture at (x, y) mm on page 1.
inline std::string sealed_pdf(const fs::path& dir, const seal::Seal& seal,
                              const crypto::Signer& key, const core::Bytes& cert,
                              const std::vector<core::Bytes>& chain, core::TimePoint now) {
    const auto in = dir / "in.pdf", out = dir / "out.pdf";
    fs::remove(out);
    std::ofstream(in, std::ios::binary) << one_page_pdf();
    document::pdf::SignRequest r;
    r.input = in;
    r.output = out;
    r.picture = {seal.picture.data, static_cast<double>(seal.picture.width_mm),
                 static_cast<double>(seal.picture.height_mm)};
    r.placement = {1, 150, 230};
    r.signer_certificate = cert;
    r.chain = chain;
    r.signing_time = now;
    auto done = document::pdf::sign_pdf(r, key);
    EXPECT_TRUE(done) << done.error().describe();
    return read_all(out);
}

struct Run {
    int exit_code = -1;
    std::string output;
};

// Runs the command, reading its output line by line; `on_line` may act on what it reads.
inline Run run(const std::string& command, const std::function<void(const std::string&)>& on_line) {
    Run r;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
        return r;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, pipe)) {
        r.output += buf;
        on_line(buf);
    }
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

inline bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace eseal::server::testing
