#pragma once
// Test-only: the CA's side on a real server (hall_test_support.hpp's Hall), with an ECDSA and an
// SM2 CA hierarchy in the same SQLite store, staff accounts per role, and the applicant's online
// flow up to "paid" (or a counter-free shortcut), for the staff API tests.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "crypto/soft_key.hpp"
#include "pki/authority.hpp"
#include "pki/hierarchy.hpp"
#include "pki/revocation_testing.hpp"
#include "pki/testing_support.hpp"
#include "ra/catalogue.hpp"
#include "ra/staff.hpp"
#include "server/hall_test_support.hpp"
#include "token/ukey_service.hpp"

namespace eseal::server::testing {

using nlohmann::json;

inline json staff_form_for(const std::string& business, const std::string& cert_type, const std::string& algorithm,
                           const std::string& certificate_serial, const std::string& credit = credit_code()) {
    json form = {{"organization", {{"name", "深圳市示例科技有限公司"}, {"credit_code", credit}}},
                 {"handler", {{"name", "张三"}, {"id_number", resident_id()}, {"phone", "13800138000"}, {"email", "zhangsan@example.cn"}}},
                 {"algorithm", algorithm},
                 {"years", 1},
                 {"delivery", "post"},
                 {"address", "广东省深圳市南山区科兴路10号"}};
    if (cert_type == "organization-individual")
        form["holder"] = {{"name", "李四"}, {"id_number", resident_id("11010119851231002")}};
    if (business != "new") form["certificate_serial"] = certificate_serial;
    if (business == "revoke") form["revoke_reason"] = "cessationOfOperation";
    return form;
}

// The hall plus what the CA's side needs: CAs (ECDSA P-256 "intl", SM2 "gm") in the store, the
// Ukey drivers a test plugs in, and logged-in staff.
class CaSide {
  public:
    CaSide()
        : hall(10 * 1024 * 1024, [this](HallSettings& s) {
              s.issuance = ra::IssuanceTools{
                  [this](crypto::KeyAlgorithm a) -> core::Result<const pki::CertificateAuthority*> {
                      const bool sm2 = crypto::suite_of(a) == crypto::suite_of(crypto::KeyAlgorithm::sm2);
                      auto& ca = sm2 ? gm : intl;
                      if (!ca) return core::fail(core::Errc::not_found, "ca.none", "no CA for this algorithm");
                      return &*ca;
                  },
                  [this](std::string_view driver) -> core::Result<token::UkeyService*> {
                      const auto it = drivers.find(std::string(driver));
                      if (it == drivers.end())
                          return core::fail(core::Errc::unsupported, "token.driver", "no driver " + std::string(driver));
                      return it->second;
                  }};
          }) {
        make_ca("intl", crypto::KeyAlgorithm::ecdsa_p256, intl);
        make_ca("gm", crypto::KeyAlgorithm::sm2, gm);
    }

    // A staff member with these roles, logged in (cheap argon2 parameters: the hash records them).
    Browser staff(const std::string& login, std::vector<ra::Role> roles) {
        ra::StaffLimits limits;
        limits.argon2_m_kib = 256;
        limits.argon2_t = 1;
        ra::StaffService service(hall.store(), hall.clock(), limits);
        auto added = service.add(login, login, roles, core::SecureString("a long staff password"), "test");
        EXPECT_TRUE(added) << added.error().describe();
        return log_in(login);
    }
    // A new session for a staff member already added (sessions last 8 hours of the test clock).
    Browser log_in(const std::string& login) {
        Browser b(hall.port());
        auto reply = b.post("/api/v1/staff/login", {{"login", login}, {"password", "a long staff password"}});
        EXPECT_EQ(reply.status, 200) << reply.body;
        b.m_csrf = reply.json().value("csrf_token", "");
        return b;
    }

    // A certificate of the organization, issued straight by the CA (as if made earlier).
    std::string existing_certificate(crypto::KeyAlgorithm a = crypto::KeyAlgorithm::ecdsa_p256,
                                     const std::string& credit = credit_code()) {
        auto key = crypto::SoftKey::generate(a);
        EXPECT_TRUE(key);
        pki::IssueRequest req;
        req.csr = core::to_bytes(pki::testing::make_csr(*key, pki::testing::org_subject(credit)));
        req.profile = pki::Profile::organization;
        auto& ca = crypto::suite_of(a) == crypto::suite_of(crypto::KeyAlgorithm::sm2) ? gm : intl;
        auto cert = ca->issue(req);
        EXPECT_TRUE(cert) << cert.error().describe();
        return cert ? cert->serial : std::string();
    }

    // The applicant's online flow up to paid (free business: straight to paid); returns the id.
    std::string paid_application(Browser& applicant, const std::string& business, const std::string& cert_type,
                                 const std::string& algorithm, const std::string& certificate_serial = {}) {
        if (!consented) {
            const auto texts = applicant.get("/api/v1/agreements").json()["agreements"];
            EXPECT_EQ(applicant.post("/api/v1/consents", {{"agreement_version", texts[0]["version"]}, {"privacy_version", texts[1]["version"]}}).status, 201);
            consented = true;
        }
        auto created = applicant.post("/api/v1/applications",
                                      {{"business", business}, {"cert_type", cert_type},
                                       {"form", staff_form_for(business, cert_type, algorithm, certificate_serial)}});
        EXPECT_EQ(created.status, 201) << created.body;
        const std::string id = created.json().value("id", "");
        const auto materials = applicant.get("/api/v1/applications/" + id + "/materials").json()["materials"];
        for (const auto& m : materials) {
            const std::string kind = m["kind"];
            const bool pdf = kind == "application_form" || kind == "business_licence";
            EXPECT_EQ(applicant.send("PUT", "/api/v1/applications/" + id + "/materials/" + kind, pdf ? pdf_bytes() : png_bytes(),
                                     "application/octet-stream").status, 201);
        }
        auto started = applicant.post("/api/v1/applications/" + id + "/identity-checks");
        const std::string url = started.json().value("url", "");
        EXPECT_EQ(applicant.send("POST", url.substr(url.find("/sandbox/")) + "/pass", "", "text/plain").status, 202);
        hall.services().delivery().wait_idle();
        auto submitted = applicant.post("/api/v1/applications/" + id + "/submit");
        EXPECT_EQ(submitted.status, 200) << submitted.body;
        if (submitted.json()["state"] == "awaiting_payment") {
            auto order = applicant.post("/api/v1/applications/" + id + "/payments", {{"method", "wechat"}});
            EXPECT_EQ(order.status, 201) << order.body;
            EXPECT_EQ(applicant.send("POST", "/sandbox/pay/wechat/" + order.json().value("order_no", "") + "/success", "", "text/plain").status, 202);
            hall.services().delivery().wait_idle();
        }
        EXPECT_EQ(applicant.get("/api/v1/applications/" + id).json()["state"], "paid");
        return id;
    }

    // Claims, accepts every material and approves.
    void approve(Browser& reviewer, const std::string& id) {
        auto claimed = reviewer.post("/api/v1/staff/applications/" + id + "/claim");
        ASSERT_EQ(claimed.status, 200) << claimed.body;
        const auto materials = reviewer.get("/api/v1/applications/" + id + "/materials").json()["materials"];
        for (const auto& m : materials) {
            auto v = reviewer.put_json("/api/v1/staff/applications/" + id + "/materials/" + m["kind"].get<std::string>() + "/verdict",
                                       {{"accepted", true}});
            ASSERT_EQ(v.status, 200) << v.body;
        }
        auto approved = reviewer.post("/api/v1/staff/applications/" + id + "/approve");
        ASSERT_EQ(approved.status, 200) << approved.body;
        EXPECT_EQ(approved.json()["state"], "approved");
    }

    // The counter list of a business, every item checked.
    static json counter_list(ra::Business b, ra::CertType t) {
        json out = json::array();
        for (const auto& rule : ra::Catalogue::standard().required_materials(b, t, ra::Channel::counter)) out.push_back(rule.kind);
        return out;
    }

    std::string state_of(Browser& b, const std::string& id) { return b.get("/api/v1/applications/" + id).json().value("state", "?"); }

    pki::testing::MemoryKeyStore keys;  // declared before the hall: the CAs' keys outlive it
    Hall hall;
    std::optional<pki::CertificateAuthority> intl;
    std::optional<pki::CertificateAuthority> gm;
    std::map<std::string, token::UkeyService*> drivers;
    bool consented = false;

  private:
    void make_ca(const std::string& name, crypto::KeyAlgorithm a, std::optional<pki::CertificateAuthority>& out) {
        auto root_key = crypto::SoftKey::generate(a);
        auto issuing_key = crypto::SoftKey::generate(a);
        ASSERT_TRUE(root_key && issuing_key);
        auto h = pki::make_hierarchy({name, a, "eseal", 20, 10, "http://ca.test"}, *root_key, *issuing_key, hall.store(),
                                     hall.clock());
        ASSERT_TRUE(h) << h.error().describe();
        // The keys in a key store, as the revocation services (CRL, OCSP responders) find them.
        h->root.record.key_ref = keys.add(std::move(*root_key), name + "-root");
        h->issuing.record.key_ref = keys.add(std::move(*issuing_key), name);
        for (pki::NewCa* ca : {&h->root, &h->issuing}) {
            auto stored = hall.store().add_ca(ca->record, ca->certificate, {hall.clock().now(), "test", "ca.init", "ca:" + ca->record.name, "{}"});
            ASSERT_TRUE(stored) << stored.error().describe();
        }
        auto signer = keys.open_key(h->issuing.record.key_ref);
        ASSERT_TRUE(signer);
        auto ca = pki::CertificateAuthority::open(h->issuing.record, std::move(*signer), hall.store(), hall.clock());
        ASSERT_TRUE(ca) << ca.error().describe();
        out.emplace(std::move(*ca));
    }
};

}  // namespace eseal::server::testing
