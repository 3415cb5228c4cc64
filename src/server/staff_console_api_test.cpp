// The staff console's API (issue 9) on a real server with SQLite in a temporary directory: the
// audit log (auditor and admin only, newest first, filters, paging, the chain check finding a row
// edited behind the server's back), certificate search, the CA operator's direct revocation (seen
// by the in-process OCSP responder and the CRL after the revocation services' pass, and nothing
// changed by a refusal), and bank transfers confirmed from their receipt.
#include <gtest/gtest.h>

#include <set>

#include <openssl/ocsp.h>

#include "pki/crl.hpp"
#include "pki/ocsp.hpp"
#include "pki/x509.hpp"
#include "server/revocation_services.hpp"
#include "server/staff_routes.hpp"
#include "server/staff_test_support.hpp"
#include "store/database.hpp"

namespace eseal::server::testing {
namespace {

class StaffConsole : public ::testing::Test {
  protected:
    CaSide side;
    Browser applicant{side.hall.port()};
    void SetUp() override { applicant.login("13800138000"); }

    std::size_t stored_events() {
        auto all = side.hall.store().audit_events(0);
        EXPECT_TRUE(all);
        return all ? all->size() : 0;
    }
    pki::CertificateStatus stored_status(const std::string& serial) {
        auto c = side.hall.store().find_certificate(serial);
        EXPECT_TRUE(c && *c);
        return c && *c ? (*c)->status : pki::CertificateStatus::revoked;
    }
    // The applicant's flow up to awaiting payment (a new organization certificate: 200 CNY).
    std::string awaiting_payment() {
        if (!side.consented) {
            const auto texts = applicant.get("/api/v1/agreements").json()["agreements"];
            EXPECT_EQ(applicant.post("/api/v1/consents", {{"agreement_version", texts[0]["version"]}, {"privacy_version", texts[1]["version"]}}).status, 201);
            side.consented = true;
        }
        auto created = applicant.post("/api/v1/applications", {{"business", "new"}, {"cert_type", "organization"},
                                                              {"form", staff_form_for("new", "organization", "ecdsa-p256", "")}});
        EXPECT_EQ(created.status, 201) << created.body;
        const std::string id = created.json().value("id", "");
        const auto materials = applicant.get("/api/v1/applications/" + id + "/materials").json()["materials"];
        for (const auto& m : materials) {
            const std::string kind = m["kind"];
            const bool pdf = kind == "application_form" || kind == "business_licence";
            EXPECT_EQ(applicant.send("PUT", "/api/v1/applications/" + id + "/materials/" + kind, pdf ? pdf_bytes() : png_bytes(),
                                     "application/octet-stream").status, 201);
        }
        const std::string url = applicant.post("/api/v1/applications/" + id + "/identity-checks").json().value("url", "");
        EXPECT_EQ(applicant.send("POST", url.substr(url.find("/sandbox/")) + "/pass", "", "text/plain").status, 202);
        side.hall.services().delivery().wait_idle();
        auto submitted = applicant.post("/api/v1/applications/" + id + "/submit");
        EXPECT_EQ(submitted.status, 200) << submitted.body;
        EXPECT_EQ(submitted.json()["state"], "awaiting_payment") << submitted.body;
        return id;
    }
};

std::string upper_with_colons(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i < hex.size(); ++i) {
        if (i && (hex.size() - i) % 2 == 0) out += ':';
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
    }
    return out;
}

// ---- the audit log ------------------------------------------------------------------------------

TEST_F(StaffConsole, AuditLogIsForAuditorsNewestFirstFilteredAndPaged) {
    const auto id = side.paid_application(applicant, "new", "organization", "ecdsa-p256");
    Browser reviewer = side.staff("rev.wang", {ra::Role::reviewer});
    Browser op = side.staff("op.sun", {ra::Role::ca_operator});
    Browser auditor = side.staff("audit.li", {ra::Role::auditor});
    Browser admin = side.staff("admin.zhou", {ra::Role::admin});
    for (Browser* b : {&reviewer, &op}) {
        auto refused = b->get("/api/v1/staff/audit");
        EXPECT_EQ(refused.status, 403) << refused.body;
        EXPECT_EQ(refused.json()["code"], "staff.role_required");
        EXPECT_EQ(b->get("/api/v1/staff/audit/verify").json()["code"], "staff.role_required");
    }
    EXPECT_EQ(applicant.get("/api/v1/staff/audit").json()["code"], "auth.staff_only");
    EXPECT_EQ(Browser(side.hall.port()).get("/api/v1/staff/audit").status, 401);
    EXPECT_EQ(admin.get("/api/v1/staff/audit?limit=1").status, 200);

    const auto stored = side.hall.store().audit_events(0);
    ASSERT_TRUE(stored);
    ASSERT_GT(stored->size(), 20u);
    // The default page: the newest 50, newest first, as stored (hash included).
    auto page = auditor.get("/api/v1/staff/audit");
    ASSERT_EQ(page.status, 200) << page.body;
    auto events = page.json()["events"];
    ASSERT_EQ(events.size(), std::min<std::size_t>(50, stored->size()));
    EXPECT_EQ(events[0]["id"], stored->back().id);
    EXPECT_EQ(events[0]["hash"], stored->back().hash);
    EXPECT_EQ(events[0]["action"], stored->back().event.action);
    for (std::size_t i = 1; i < events.size(); ++i) EXPECT_LT(events[i]["id"], events[i - 1]["id"]);

    // Paged back with next_before: every event once, then null.
    std::set<std::int64_t> seen;
    std::string target = "/api/v1/staff/audit?limit=7";
    for (int pages = 0; pages < 100; ++pages) {
        auto p = auditor.get(target).json();
        for (const auto& e : p["events"]) EXPECT_TRUE(seen.insert(e["id"].get<std::int64_t>()).second) << e["id"];
        if (p["next_before"].is_null()) break;
        EXPECT_EQ(p["events"].size(), 7u);
        EXPECT_EQ(p["next_before"], p["events"].back()["id"]);
        target = "/api/v1/staff/audit?limit=7&before=" + std::to_string(p["next_before"].get<std::int64_t>());
    }
    EXPECT_EQ(seen.size(), stored->size());
    // Reading is not itself logged (the chain would grow with every page turned).
    EXPECT_EQ(stored_events(), stored->size());

    // Filters: actor and object exact, action by prefix, together.
    const auto by_applicant = auditor.get("/api/v1/staff/audit?limit=200&actor=applicant:13800138000").json()["events"];
    ASSERT_FALSE(by_applicant.empty());
    for (const auto& e : by_applicant) EXPECT_EQ(e["actor"], "applicant:13800138000");
    EXPECT_TRUE(auditor.get("/api/v1/staff/audit?actor=applicant:1380013800").json()["events"].empty());  // not a prefix match
    const auto of_application = auditor.get("/api/v1/staff/audit?limit=200&object=application:" + id).json()["events"];
    ASSERT_FALSE(of_application.empty());
    for (const auto& e : of_application) EXPECT_EQ(e["object"], "application:" + id);
    const auto payments = auditor.get("/api/v1/staff/audit?limit=200&action=payment.").json()["events"];
    std::size_t expected = 0;
    for (const auto& e : *stored) expected += e.event.action.starts_with("payment.");
    ASSERT_GT(expected, 0u);
    EXPECT_EQ(payments.size(), expected);
    for (const auto& e : payments) EXPECT_TRUE(e["action"].get<std::string>().starts_with("payment."));
    EXPECT_TRUE(auditor.get("/api/v1/staff/audit?action=PAYMENT.").json()["events"].empty());  // case matters
    EXPECT_TRUE(auditor.get("/api/v1/staff/audit?action=payment.&object=application:" + id).json()["events"].empty());
    const auto paid = auditor.get("/api/v1/staff/audit?action=payment.paid&actor=system").json()["events"];
    ASSERT_EQ(paid.size(), 1u);
    EXPECT_TRUE(paid[0]["object"].get<std::string>().starts_with("payment:P"));

    // Bad paging parameters: every problem at once.
    for (const char* bad : {"limit=0", "limit=201", "limit=-3"}) {
        auto r = auditor.get(std::string("/api/v1/staff/audit?") + bad);
        EXPECT_EQ(r.status, 422) << bad;
        ASSERT_EQ(r.json()["problems"].size(), 1u) << r.body;
        EXPECT_EQ(r.json()["problems"][0]["field"], "limit");
    }
    auto both = auditor.get("/api/v1/staff/audit?limit=ten&before=x");
    EXPECT_EQ(both.status, 422);
    std::set<std::string> fields;
    const auto problems = both.json()["problems"];
    for (const auto& p : problems) fields.insert(p["field"].get<std::string>());
    EXPECT_EQ(fields, (std::set<std::string>{"limit", "before"}));
}

// The chain check, and a row edited in the database behind the server's back found by it.
TEST_F(StaffConsole, AuditVerifyFindsARowEditedInTheDatabase) {
    side.paid_application(applicant, "new", "organization", "ecdsa-p256");
    Browser auditor = side.staff("audit.li", {ra::Role::auditor});
    auto intact = auditor.get("/api/v1/staff/audit/verify");
    ASSERT_EQ(intact.status, 200) << intact.body;
    EXPECT_EQ(intact.json()["ok"], true);
    EXPECT_TRUE(intact.json()["breaks"].empty());
    EXPECT_EQ(intact.json()["events"], stored_events() - 1);  // the audit.verify event came after the check
    auto logged = auditor.get("/api/v1/staff/audit?limit=1").json()["events"][0];
    EXPECT_EQ(logged["action"], "audit.verify");
    EXPECT_EQ(logged["actor"], "staff:audit.li");
    EXPECT_EQ(json::parse(logged["detail"].get<std::string>())["ok"], true);

    // Someone with the database file changes what a payment event says.
    const auto stored = side.hall.store().audit_events(0);
    ASSERT_TRUE(stored);
    std::int64_t target = 0;
    for (const auto& e : *stored)
        if (e.event.action == "payment.paid") target = e.id;
    ASSERT_NE(target, 0);
    {
        auto db = store::Database::open(side.hall.dir() / "eseal.db", store::Access::read_write);
        ASSERT_TRUE(db) << db.error().describe();
        auto stmt = db->prepare("UPDATE audit_events SET detail = '{\"amount_fen\":1}' WHERE id = :id");
        ASSERT_TRUE(stmt);
        ASSERT_TRUE(stmt->bind(":id", target).run());
    }
    auto broken = auditor.get("/api/v1/staff/audit/verify");
    ASSERT_EQ(broken.status, 200) << broken.body;
    EXPECT_EQ(broken.json()["ok"], false);
    ASSERT_EQ(broken.json()["breaks"].size(), 1u) << broken.body;
    EXPECT_EQ(broken.json()["breaks"][0]["id"], target);
    EXPECT_NE(broken.json()["breaks"][0]["problem"].get<std::string>().find("edited"), std::string::npos);
    auto recorded = json::parse(auditor.get("/api/v1/staff/audit?limit=1&action=audit.verify").json()["events"][0]["detail"].get<std::string>());
    EXPECT_EQ(recorded["ok"], false);
    EXPECT_EQ(recorded["breaks"][0]["id"], target);
}

// ---- certificates -------------------------------------------------------------------------------

TEST_F(StaffConsole, CertificatesFoundBySerialCreditCodeOrSubject) {
    const auto mine = side.existing_certificate(crypto::KeyAlgorithm::ecdsa_p256);
    side.hall.clock().advance(std::chrono::seconds(60));  // issued a minute apart: newest first
    const auto mine_gm = side.existing_certificate(crypto::KeyAlgorithm::sm2);
    const auto other_code = credit_code("91440300MA5F00077");
    const auto other = side.existing_certificate(crypto::KeyAlgorithm::ecdsa_p256, other_code);
    Browser shipper = side.staff("ship.li", {ra::Role::shipper});  // duty read: every staff role

    // By serial: any case, with colons.
    auto by_serial = shipper.get("/api/v1/staff/certificates?q=" + upper_with_colons(mine));
    ASSERT_EQ(by_serial.status, 200) << by_serial.body;
    auto list = by_serial.json()["certificates"];
    ASSERT_EQ(list.size(), 1u) << by_serial.body;
    const auto c = list[0];
    EXPECT_EQ(c["serial"], mine);
    EXPECT_EQ(c["credit_code"], credit_code());
    EXPECT_NE(c["subject"].get<std::string>().find(credit_code()), std::string::npos);
    EXPECT_EQ(c["algorithm"], "ecdsa-p256");
    EXPECT_EQ(c["issuer"], "intl");
    EXPECT_EQ(c["status"], "good");
    EXPECT_TRUE(c["revoked_at"].is_null());
    EXPECT_TRUE(c["revocation_reason"].is_null());
    EXPECT_TRUE(c["application_id"].is_null());
    auto stored = side.hall.store().find_certificate(mine);
    ASSERT_TRUE(stored && *stored);
    EXPECT_EQ(c["not_after"], core::format_utc((*stored)->not_after));

    // By credit code: the organization's two, newest first; the other organization's apart.
    list = shipper.get("/api/v1/staff/certificates?q=" + credit_code()).json()["certificates"];
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0]["serial"], mine_gm);
    EXPECT_EQ(list[0]["algorithm"], "sm2");
    EXPECT_EQ(list[0]["issuer"], "gm");
    EXPECT_EQ(list[1]["serial"], mine);
    list = shipper.get("/api/v1/staff/certificates?q=" + other_code).json()["certificates"];
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["serial"], other);
    // By subject text (percent-encoded UTF-8), and everything with no q.
    list = shipper.get("/api/v1/staff/certificates?q=%E7%A4%BA%E4%BE%8B%E7%A7%91%E6%8A%80&limit=10").json()["certificates"];  // 示例科技
    std::set<std::string> serials;
    for (const auto& x : list) serials.insert(x["serial"]);
    EXPECT_TRUE(serials.contains(mine) && serials.contains(mine_gm) && serials.contains(other)) << list.dump();
    EXPECT_EQ(shipper.get("/api/v1/staff/certificates?limit=2").json()["certificates"].size(), 2u);
    EXPECT_TRUE(shipper.get("/api/v1/staff/certificates?q=no-such-organization").json()["certificates"].empty());
    auto bad = shipper.get("/api/v1/staff/certificates?limit=500");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.json()["problems"][0]["field"], "limit");

    // The application a certificate was issued for.
    const auto id = side.paid_application(applicant, "new", "organization", "ecdsa-p256");
    ra::DeskRecord desk;
    desk.application_id = id;
    desk.certificate_serial = other;
    ra::ApplicationChange change;
    change.event = {side.hall.clock().now(), "test", "application.issued", "application:" + id, "{}"};
    ASSERT_TRUE(side.hall.store().save_desk(std::nullopt, desk, {}, change));
    EXPECT_EQ(shipper.get("/api/v1/staff/certificates?q=" + other).json()["certificates"][0]["application_id"], id);

    // Past its notAfter a good certificate shows expired.
    side.hall.clock().set((*stored)->not_after + std::chrono::hours(24 * 400));
    shipper = side.log_in("ship.li");
    EXPECT_EQ(shipper.get("/api/v1/staff/certificates?q=" + mine).json()["certificates"][0]["status"], "expired");
}

// The CA operator's direct revocation: refusals change nothing (store, OCSP); the revocation goes
// through the journal the CRL and OCSP follow, and the audit log has the reason and the note.
TEST_F(StaffConsole, DirectRevocationByTheCaOperatorShowsInOcspAndCrl) {
    const auto serial = side.existing_certificate();
    const std::string url = "/api/v1/staff/certificates/" + upper_with_colons(serial) + "/revoke";
    const json good_request = {{"reason", "keyCompromise"}, {"note", "持有人电话报告 Ukey 被盗（工单 2026-1126-01）"}};

    auto services = RevocationServices::open({side.hall.store(), side.hall.store(), side.hall.store(), side.keys, side.hall.clock()}, {});
    ASSERT_TRUE(services) << services.error().describe();
    auto record = side.hall.store().find_certificate(serial);
    ASSERT_TRUE(record && *record);
    auto leaf = pki::parse_certificate((*record)->der);
    ASSERT_TRUE(leaf);
    std::unique_ptr<OCSP_REQUEST, crypto::Free<OCSP_REQUEST_free>> request(OCSP_REQUEST_new());
    OCSP_request_add0_id(request.get(), OCSP_cert_to_id(EVP_sha1(), leaf->get(), side.intl->certificate()));
    const auto request_der = crypto::to_der(request.get(), i2d_OCSP_REQUEST);
    const auto ocsp_status = [&] {
        (*services)->maintain();  // one pass of what the services' thread does every 200 ms
        const auto answer = (*services)->ocsp().respond(request_der);
        auto info = pki::verify_ocsp_response(*answer.der, side.intl->certificate());
        EXPECT_TRUE(info) << info.error().describe();
        return info && !info->responses.empty() ? info->responses[0].status : pki::CertStatus::unknown;
    };
    ASSERT_EQ(ocsp_status(), pki::CertStatus::good);

    // Refused: the wrong role, no CSRF token, an unknown serial, a bad request (both problems at once).
    Browser reviewer = side.staff("rev.wang", {ra::Role::reviewer});
    Browser admin = side.staff("admin.zhou", {ra::Role::admin});
    for (Browser* b : {&reviewer, &admin}) {
        auto refused = b->post(url, good_request);
        EXPECT_EQ(refused.status, 403) << refused.body;
        EXPECT_EQ(refused.json()["code"], "staff.role_required");
    }
    Browser op = side.staff("op.sun", {ra::Role::ca_operator});
    const auto events_before = stored_events();
    auto no_csrf = op.send("POST", url, good_request.dump(), "application/json", false);
    EXPECT_EQ(no_csrf.status, 403);
    EXPECT_EQ(no_csrf.json()["code"], "auth.csrf");
    auto unknown = op.post("/api/v1/staff/certificates/AB:CD:EF/revoke", good_request);
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.json()["code"], "certificate.not_found");
    EXPECT_EQ(op.post("/api/v1/staff/certificates/not-hex/revoke", good_request).status, 404);
    for (const json& body : {json{{"reason", "certificateHold"}, {"note", ""}}, json{{"reason", "stolen"}, {"note", "   "}},
                             json::object()}) {
        auto invalid = op.post(url, body);
        EXPECT_EQ(invalid.status, 422) << invalid.body;
        std::set<std::string> fields;
        const auto problems = invalid.json()["problems"];
        for (const auto& p : problems) fields.insert(p["field"].get<std::string>());
        EXPECT_EQ(fields, (std::set<std::string>{"reason", "note"})) << invalid.body;
    }
    auto long_note = op.post(url, {{"reason", "keyCompromise"}, {"note", [] {
                                        std::string s;
                                        for (int i = 0; i < 501; ++i) s += "字";
                                        return s;
                                    }()}});
    EXPECT_EQ(long_note.status, 422);
    ASSERT_EQ(long_note.json()["problems"].size(), 1u);
    EXPECT_EQ(long_note.json()["problems"][0]["field"], "note");
    // Nothing changed: the store, its audit log, the OCSP responder.
    EXPECT_EQ(stored_status(serial), pki::CertificateStatus::valid);
    EXPECT_EQ(stored_events(), events_before);
    EXPECT_EQ(ocsp_status(), pki::CertStatus::good);

    // Revoked.
    auto done = op.post(url, good_request);
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(done.json()["serial"], serial);
    EXPECT_EQ(done.json()["status"], "revoked");
    EXPECT_EQ(done.json()["revocation_reason"], "keyCompromise");
    EXPECT_EQ(done.json()["revoked_at"], core::format_utc(side.hall.clock().now()));
    EXPECT_EQ(stored_status(serial), pki::CertificateStatus::revoked);
    auto again = op.post(url, good_request);
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.json()["code"], "certificate.already_revoked");

    // OCSP and the CRL after the services' pass.
    EXPECT_EQ(ocsp_status(), pki::CertStatus::revoked);
    auto crl = (*services)->crl(side.intl->record().name);
    ASSERT_TRUE(crl);
    auto crl_info = pki::verify_crl(crl->der, side.intl->certificate());
    ASSERT_TRUE(crl_info) << crl_info.error().describe();
    ASSERT_EQ(crl_info->entries.size(), 1u);
    EXPECT_EQ(crl_info->entries[0].serial, serial);
    EXPECT_EQ(crl_info->entries[0].reason, pki::RevocationReason::key_compromise);

    // One audit event, by the operator, with the reason and the note.
    Browser auditor = side.staff("audit.li", {ra::Role::auditor});
    auto events = auditor.get("/api/v1/staff/audit?object=certificate:" + serial + "&action=certificate.revoke").json()["events"];
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["actor"], "staff:op.sun");
    const auto detail = json::parse(events[0]["detail"].get<std::string>());
    EXPECT_EQ(detail["reason"], "keyCompromise");
    EXPECT_EQ(detail["note"], good_request["note"]);
    EXPECT_EQ(detail["ca"], "intl");
    // The search shows it revoked.
    EXPECT_EQ(reviewer.get("/api/v1/staff/certificates?q=" + serial).json()["certificates"][0]["status"], "revoked");
}

// ---- bank transfers -----------------------------------------------------------------------------

TEST_F(StaffConsole, BankTransferConfirmedFromItsReceipt) {
    const auto id = awaiting_payment();
    auto order = applicant.post("/api/v1/applications/" + id + "/payments", {{"method", "bank_transfer"}});
    ASSERT_EQ(order.status, 201) << order.body;
    const std::string order_no = order.json()["order_no"];
    const std::string url = "/api/v1/staff/applications/" + id + "/payments/" + order_no + "/confirm";
    const json note = {{"note", "工商银行回单 20261126-0001"}};
    Browser reviewer = side.staff("rev.wang", {ra::Role::reviewer});

    // No receipt yet.
    auto early = reviewer.post(url, note);
    EXPECT_EQ(early.status, 409) << early.body;
    EXPECT_EQ(early.json()["code"], "payment.no_receipt");
    ASSERT_EQ(applicant.send("PUT", "/api/v1/applications/" + id + "/materials/payment_receipt", png_bytes(),
                             "application/octet-stream").status, 201);
    // Staff read the payments and the receipt through the hall's own routes.
    auto listed = reviewer.get("/api/v1/applications/" + id + "/payments");
    ASSERT_EQ(listed.status, 200);
    ASSERT_EQ(listed.json()["payments"].size(), 1u);
    EXPECT_EQ(listed.json()["payments"][0]["method"], "bank_transfer");
    auto receipt = reviewer.get("/api/v1/applications/" + id + "/materials/payment_receipt");
    ASSERT_EQ(receipt.status, 200);
    EXPECT_EQ(receipt.body, png_bytes());

    // Refused: roles, CSRF, the note, an order not the application's; nothing paid.
    Browser shipper = side.staff("ship.li", {ra::Role::shipper});
    Browser issuer = side.staff("iss.chen", {ra::Role::issuer});
    for (Browser* b : {&shipper, &issuer}) {
        auto refused = b->post(url, note);
        EXPECT_EQ(refused.status, 403) << refused.body;
        EXPECT_EQ(refused.json()["code"], "staff.role_required");
    }
    EXPECT_EQ(applicant.post(url, note).json()["code"], "auth.staff_only");
    EXPECT_EQ(reviewer.send("POST", url, note.dump(), "application/json", false).json()["code"], "auth.csrf");
    for (const json& body : {json{{"note", "  "}}, json::object()}) {
        auto invalid = reviewer.post(url, body);
        EXPECT_EQ(invalid.status, 422) << invalid.body;
        ASSERT_EQ(invalid.json()["problems"].size(), 1u);
        EXPECT_EQ(invalid.json()["problems"][0]["field"], "note");
    }
    auto unknown = reviewer.post("/api/v1/staff/applications/" + id + "/payments/P000/confirm", note);
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.json()["code"], "payment.not_found");
    EXPECT_EQ(side.state_of(applicant, id), "awaiting_payment");
    EXPECT_EQ(applicant.get("/api/v1/applications/" + id + "/payments").json()["payments"][0]["status"], "created");

    // Confirmed by a reviewer: paid, awaiting review, invoiced, as for a WeChat payment.
    auto paid = reviewer.post(url, note);
    ASSERT_EQ(paid.status, 200) << paid.body;
    EXPECT_EQ(paid.json()["order_no"], order_no);
    EXPECT_EQ(paid.json()["status"], "paid");
    EXPECT_EQ(paid.json()["transaction_id"], note["note"]);
    EXPECT_EQ(side.state_of(applicant, id), "paid");
    const auto queue = reviewer.get("/api/v1/staff/review-queue").json()["items"];
    EXPECT_TRUE(std::any_of(queue.begin(), queue.end(), [&](const json& i) { return i["application"]["id"] == id; }));
    EXPECT_EQ(applicant.get("/api/v1/applications/" + id + "/invoices").json()["invoices"].size(), 1u);
    auto twice = reviewer.post(url, note);
    EXPECT_EQ(twice.status, 409);
    EXPECT_EQ(twice.json()["code"], "payment.already_paid");
    auto all = side.hall.store().audit_events(0);
    ASSERT_TRUE(all);
    EXPECT_TRUE(std::any_of(all->begin(), all->end(), [&](const store::AuditRow& e) {
        return e.event.action == "payment.paid" && e.event.actor == "staff:rev.wang" && e.event.object == "payment:" + order_no;
    }));

    // A WeChat order is confirmed by WeChat, not by staff (a counter clerk may confirm transfers).
    const auto second = awaiting_payment();
    auto wechat = applicant.post("/api/v1/applications/" + second + "/payments", {{"method", "wechat"}});
    ASSERT_EQ(wechat.status, 201);
    Browser clerk = side.staff("clerk.zhao", {ra::Role::counter_clerk});
    auto not_offline = clerk.post("/api/v1/staff/applications/" + second + "/payments/" + wechat.json()["order_no"].get<std::string>() + "/confirm", note);
    EXPECT_EQ(not_offline.status, 409) << not_offline.body;
    EXPECT_EQ(not_offline.json()["code"], "payment.not_offline");
    // And an order of one application is not confirmed through another.
    auto crossed = clerk.post("/api/v1/staff/applications/" + second + "/payments/" + order_no + "/confirm", note);
    EXPECT_EQ(crossed.status, 404);
    EXPECT_EQ(side.state_of(applicant, second), "awaiting_payment");
}

}  // namespace
}  // namespace eseal::server::testing

namespace eseal::server::testing {
namespace {

// The OpenAPI document names the console routes' query parameters and the roles (the router ↔
// document equality itself is HallApi.OpenApiDescribesEveryRoute).
TEST(StaffConsoleOpenApi, QueryParametersAndRolesAreDocumented) {
    const auto paths = staff_openapi_paths();
    std::set<std::string> audit_params;
    for (const auto& p : paths["/api/v1/staff/audit"]["get"]["parameters"]) audit_params.insert(p["name"].get<std::string>());
    EXPECT_EQ(audit_params, (std::set<std::string>{"limit", "before", "actor", "action", "object"}));
    EXPECT_EQ(paths["/api/v1/staff/audit"]["get"]["description"], "Staff only; roles: auditor, admin.");
    EXPECT_EQ(paths["/api/v1/staff/certificates/{serial}/revoke"]["post"]["description"], "Staff only; roles: ca_operator.");
    EXPECT_EQ(paths["/api/v1/staff/applications/{id}/payments/{order}/confirm"]["post"]["description"],
              "Staff only; roles: reviewer, counter_clerk, admin.");
    EXPECT_TRUE(paths["/api/v1/staff/certificates/{serial}/revoke"]["post"]["responses"].contains("409"));
    EXPECT_EQ(paths["/api/v1/staff/certificates"]["get"]["parameters"][0]["name"], "q");
}

}  // namespace
}  // namespace eseal::server::testing
