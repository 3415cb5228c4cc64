// The CA staff's API (issue 7) on a real server with SQLite in a temporary directory: the route →
// duty table and role checks, the review loop (verdicts, return, fix, resubmit, approve), working-day
// deadlines across National Day 2026, revocation by the CA operator only, and the certificate of
// another organization refused. Issuance onto Ukeys is in ca_desk_tokens.cpp (label token).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include <openssl/ocsp.h>

#include "pki/crl.hpp"
#include "pki/ocsp.hpp"
#include "pki/x509.hpp"
#include "ra/duties.hpp"
#include "ra/providers/sandbox_email_provider.hpp"
#include "server/revocation_services.hpp"
#include "server/staff_routes.hpp"
#include "server/staff_test_support.hpp"

namespace eseal::server::testing {
namespace {

core::TimePoint utc(const std::string& text) {
    core::TimePoint t{};
    EXPECT_TRUE(core::parse_utc(text, t)) << text;
    return t;
}

class StaffApi : public ::testing::Test {
  protected:
    CaSide side;
    Browser applicant{side.hall.port()};
    void SetUp() override { applicant.login("13800138000"); }
};

std::string fill(std::string path) {
    for (std::size_t at; (at = path.find('{')) != std::string::npos;)
        path.replace(at, path.find('}', at) - at + 1, path.substr(at + 1, path.find('}', at) - at - 1) == "kind" ? "business_licence" : "A2026000000000");
    return path;
}

// Every /api/v1/staff route but login and me is in the table, and the table is enforced: an
// applicant is refused as not staff, staff without a fitting role as lacking it.
TEST_F(StaffApi, EveryStaffRouteIsInTheRoleTableAndEnforced) {
    Router live;
    side.hall.services().add_routes(live);
    std::set<std::pair<std::string, std::string>> routed, table;
    for (const auto& [method, pattern] : live.routes())
        if (pattern.starts_with("/api/v1/staff/") && pattern != "/api/v1/staff/login" && pattern != "/api/v1/staff/me")
            routed.insert({method, pattern});
    for (const auto& r : staff_route_rules()) table.insert({r.method, r.path});
    EXPECT_EQ(routed, table);

    Browser shipper = side.staff("ship.li", {ra::Role::shipper});
    for (const auto& r : staff_route_rules()) {
        SCOPED_TRACE(r.method + " " + r.path);
        const auto target = fill(r.path);
        auto as_applicant = applicant.send(r.method, target, r.method == "GET" ? "" : "{}");
        EXPECT_EQ(as_applicant.status, 403);
        EXPECT_EQ(as_applicant.json()["code"], "auth.staff_only");
        const bool shipper_may = std::any_of(r.duties.begin(), r.duties.end(), [](ra::Duty d) {
            return d == ra::Duty::read || d == ra::Duty::ship || d == ra::Duty::hand_over;
        });
        auto as_shipper = shipper.send(r.method, target, r.method == "GET" ? "" : "{}");
        if (shipper_may) {
            EXPECT_NE(as_shipper.json().value("code", ""), "staff.role_required") << as_shipper.body;
        } else {
            EXPECT_EQ(as_shipper.status, 403) << as_shipper.body;
            EXPECT_EQ(as_shipper.json()["code"], "staff.role_required");
        }
        Browser nobody(side.hall.port());
        EXPECT_EQ(nobody.send(r.method, target, r.method == "GET" ? "" : "{}").status, 401);
    }
}

TEST_F(StaffApi, ReviewerCannotIssueApplicantCannotReviewStaffCannotActAsApplicant) {
    const auto id = side.paid_application(applicant, "new", "organization", "ecdsa-p256");
    Browser reviewer = side.staff("rev.wang", {ra::Role::reviewer});
    // An applicant cannot review, not even their own application.
    auto claim = applicant.post("/api/v1/staff/applications/" + id + "/claim");
    EXPECT_EQ(claim.status, 403);
    EXPECT_EQ(claim.json()["code"], "auth.staff_only");
    side.approve(reviewer, id);
    // A reviewer cannot issue.
    auto issue = reviewer.post("/api/v1/staff/applications/" + id + "/fulfil", {{"token_serial", "x"}});
    EXPECT_EQ(issue.status, 403);
    EXPECT_EQ(issue.json()["code"], "staff.role_required");
    EXPECT_NE(issue.json()["detail"].get<std::string>().find("issuer"), std::string::npos);
    // Staff do not make the applicant's own moves (their session is not an applicant's).
    auto submit = reviewer.post("/api/v1/applications/" + id + "/submit");
    EXPECT_EQ(submit.status, 403);
    EXPECT_EQ(submit.json()["code"], "auth.applicant_only");
    auto created = reviewer.post("/api/v1/applications", {{"business", "new"}, {"cert_type", "organization"},
                                                          {"form", staff_form_for("new", "organization", "sm2", "")}});
    EXPECT_EQ(created.status, 403);
    auto upload = reviewer.send("PUT", "/api/v1/applications/" + id + "/materials/business_licence", pdf_bytes(), "application/pdf");
    EXPECT_EQ(upload.status, 403);
    EXPECT_EQ(side.state_of(applicant, id), "approved");
    // The staff actions are in the hash-chained audit log, by name, and the chain holds.
    auto events = side.hall.store().audit_events(0);
    ASSERT_TRUE(events);
    std::set<std::string> actions;
    for (const auto& e : *events)
        if (e.event.actor == "staff:rev.wang") actions.insert(e.event.action);
    EXPECT_TRUE(actions.contains("application.review.started"));
    EXPECT_TRUE(actions.contains("application.material.accepted"));
    EXPECT_TRUE(actions.contains("application.approved"));
    auto report = side.hall.store().verify_audit();
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok());
}

TEST_F(StaffApi, ReturnedWithReasonsFixedResubmittedStaysPaidAndIsApproved) {
    const auto id = side.paid_application(applicant, "new", "organization", "ecdsa-p256");
    Browser reviewer = side.staff("rev.wang", {ra::Role::reviewer});
    auto queue = reviewer.get("/api/v1/staff/review-queue").json()["items"];
    ASSERT_EQ(queue.size(), 1u);
    EXPECT_EQ(queue[0]["application"]["id"], id);
    // Verdicts need a claimed review.
    EXPECT_EQ(reviewer.put_json("/api/v1/staff/applications/" + id + "/materials/business_licence/verdict", {{"accepted", true}}).status, 409);
    ASSERT_EQ(reviewer.post("/api/v1/staff/applications/" + id + "/claim").status, 200);
    EXPECT_EQ(reviewer.get("/api/v1/staff/review-queue").json()["items"][0]["reviewer"], "rev.wang");
    // A rejection needs a reason; approval needs every material accepted (all listed at once).
    auto no_reason = reviewer.put_json("/api/v1/staff/applications/" + id + "/materials/business_licence/verdict", {{"accepted", false}});
    EXPECT_EQ(no_reason.status, 422);
    ASSERT_EQ(reviewer.put_json("/api/v1/staff/applications/" + id + "/materials/business_licence/verdict",
                                {{"accepted", false}, {"reason", "营业执照未加盖公章"}}).status, 200);
    auto early = reviewer.post("/api/v1/staff/applications/" + id + "/approve");
    EXPECT_EQ(early.status, 422);
    EXPECT_EQ(early.json()["code"], "review.incomplete");
    EXPECT_GE(early.json()["problems"].size(), 4u);  // the rejected licence and three without a verdict
    auto returned = reviewer.post("/api/v1/staff/applications/" + id + "/return", {{"reason", "请补充材料"}});
    ASSERT_EQ(returned.status, 200) << returned.body;
    EXPECT_EQ(returned.json()["state"], "returned");

    // The applicant reads why, per material and in the timeline, and by SMS.
    const auto materials = applicant.get("/api/v1/applications/" + id + "/materials").json()["materials"];
    bool seen = false;
    for (const auto& m : materials)
        if (m["kind"] == "business_licence") {
            EXPECT_EQ(m["uploaded"]["verdict"], "rejected");
            EXPECT_EQ(m["uploaded"]["verdict_reason"], "营业执照未加盖公章");
            seen = true;
        }
    EXPECT_TRUE(seen);
    const auto timeline = applicant.get("/api/v1/applications/" + id + "/timeline").json()["timeline"];
    EXPECT_NE(timeline.back()["message"].get<std::string>().find("营业执照未加盖公章"), std::string::npos);
    const auto sms = applicant.get("/api/v1/dev/messages?to=13800138000").json()["messages"];
    EXPECT_TRUE(std::any_of(sms.begin(), sms.end(), [](const json& m) {
        return m["body"].get<std::string>().find("营业执照未加盖公章") != std::string::npos;
    }));

    // Fixed and resubmitted: back to paid without paying again, and back in the queue.
    ASSERT_EQ(applicant.send("PUT", "/api/v1/applications/" + id + "/materials/business_licence", pdf_bytes() + "stamped",
                             "application/octet-stream").status, 201);
    auto again = applicant.post("/api/v1/applications/" + id + "/submit");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json()["state"], "paid");
    EXPECT_EQ(applicant.get("/api/v1/applications/" + id + "/payments").json()["payments"].size(), 1u);
    EXPECT_EQ(reviewer.get("/api/v1/staff/review-queue").json()["items"].size(), 1u);
    side.approve(reviewer, id);
    auto desk = reviewer.get("/api/v1/staff/applications/" + id + "/desk").json();
    EXPECT_EQ(desk["desk"]["decided_by"], "rev.wang");
    EXPECT_FALSE(desk["ship_due"].is_null());
    EXPECT_EQ(reviewer.get("/api/v1/staff/fulfilment-queue").json()["items"].size(), 1u);
}

// Guide §2, §7: review within one working day of payment, shipping within three of approval.
TEST(StaffDeadlines, AcrossNationalDay2026) {
    CaSide side;
    side.hall.clock().set(utc("2026-09-30T02:00:00Z"));  // Wednesday 30 September, 10:00 in China
    Browser applicant(side.hall.port());
    applicant.login("13800138000");
    const auto id = side.paid_application(applicant, "new", "organization", "ecdsa-p256");
    Browser reviewer = side.staff("rev.wang", {ra::Role::reviewer});
    auto item = reviewer.get("/api/v1/staff/review-queue").json()["items"][0];
    // 1-7 October are the holiday: the first working day after the payment is Thursday 8 October.
    EXPECT_EQ(item["due"], "2026-10-08T15:59:59Z");
    EXPECT_EQ(item["overdue"], false);
    side.hall.clock().set(utc("2026-10-08T16:00:00Z"));  // Friday 9 October, 00:00 in China
    reviewer = side.log_in("rev.wang");
    EXPECT_EQ(reviewer.get("/api/v1/staff/review-queue").json()["items"][0]["overdue"], true);
    // Approved then: day 0 is Friday 9 October, then the make-up Saturday 10, Monday 12 and
    // Tuesday 13 October: ship due at its end.
    side.approve(reviewer, id);
    auto desk = reviewer.get("/api/v1/staff/applications/" + id + "/desk").json();
    EXPECT_EQ(desk["ship_due"], "2026-10-13T15:59:59Z");
    EXPECT_EQ(desk["overdue"], false);
    side.hall.clock().set(utc("2026-10-13T16:00:00Z"));
    reviewer = side.log_in("rev.wang");
    EXPECT_EQ(reviewer.get("/api/v1/staff/fulfilment-queue").json()["items"][0]["overdue"], true);
}

// CRL and OCSP reflect it at once (after one maintenance pass of the revocation services).
TEST_F(StaffApi, RevocationNeedsTheCaOperatorAndShowsAtOnce) {
    const auto serial = side.existing_certificate();
    const auto id = side.paid_application(applicant, "revoke", "organization", "ecdsa-p256", serial);
    Browser reviewer = side.staff("rev.wang", {ra::Role::reviewer});
    side.approve(reviewer, id);
    Browser clerk = side.staff("clerk.zhao", {ra::Role::counter_clerk});
    Browser issuer = side.staff("iss.chen", {ra::Role::issuer});
    for (Browser* b : {&clerk, &issuer}) {
        auto refused = b->post("/api/v1/staff/applications/" + id + "/fulfil");
        EXPECT_EQ(refused.status, 403) << refused.body;
        EXPECT_EQ(refused.json()["code"], "staff.role_required");
    }
    auto before = side.hall.store().find_certificate(serial);
    ASSERT_TRUE(before && *before);
    EXPECT_EQ((*before)->status, pki::CertificateStatus::valid);

    // The revocation services (CRL and OCSP) running on the same store, as `eseal serve` has them.
    auto services = RevocationServices::open({side.hall.store(), side.hall.store(), side.hall.store(), side.keys, side.hall.clock()}, {});
    ASSERT_TRUE(services) << services.error().describe();
    auto leaf = pki::parse_certificate((*before)->der);
    ASSERT_TRUE(leaf);
    std::unique_ptr<OCSP_REQUEST, crypto::Free<OCSP_REQUEST_free>> request(OCSP_REQUEST_new());
    OCSP_request_add0_id(request.get(), OCSP_cert_to_id(EVP_sha1(), leaf->get(), side.intl->certificate()));
    const auto request_der = crypto::to_der(request.get(), i2d_OCSP_REQUEST);
    const auto ocsp_status = [&] {
        const auto answer = (*services)->ocsp().respond(request_der);
        auto info = pki::verify_ocsp_response(*answer.der, side.intl->certificate());
        EXPECT_TRUE(info) << info.error().describe();
        return info && !info->responses.empty() ? info->responses[0].status : pki::CertStatus::unknown;
    };
    EXPECT_EQ(ocsp_status(), pki::CertStatus::good);

    Browser operator_ = side.staff("op.sun", {ra::Role::ca_operator});
    auto done = operator_.post("/api/v1/staff/applications/" + id + "/fulfil");
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(done.json()["state"], "delivered");
    // One pass of the services' maintenance (their thread runs it every 200 ms): OCSP says
    // revoked, and the republished CRL lists it with its reason.
    (*services)->maintain();
    EXPECT_EQ(ocsp_status(), pki::CertStatus::revoked);
    auto crl = (*services)->crl(side.intl->record().name);
    ASSERT_TRUE(crl);
    auto crl_info = pki::verify_crl(crl->der, side.intl->certificate());
    ASSERT_TRUE(crl_info) << crl_info.error().describe();
    ASSERT_EQ(crl_info->entries.size(), 1u);
    EXPECT_EQ(crl_info->entries[0].serial, serial);
    EXPECT_EQ(crl_info->entries[0].reason, pki::RevocationReason::cessation_of_operation);
    auto after = side.hall.store().find_certificate(serial);
    ASSERT_TRUE(after && *after);
    EXPECT_EQ((*after)->status, pki::CertificateStatus::revoked);
    EXPECT_EQ((*after)->revocation_reason, "cessationOfOperation");
    // What the CRL and OCSP are built from (the CA's revoked list and journal) has it now.
    auto revoked = side.hall.store().revoked_by(side.intl->record().name);
    ASSERT_TRUE(revoked);
    EXPECT_TRUE(std::any_of(revoked->entries.begin(), revoked->entries.end(),
                            [&](const pki::RevokedCertificate& r) { return r.serial == serial; }));
    EXPECT_EQ(operator_.get("/api/v1/staff/applications/" + id + "/desk").json()["desk"]["replaced_serial"], serial);
}

TEST_F(StaffApi, CertificateOfAnotherOrganizationIsRefusedAtReview) {
    const auto other = side.existing_certificate(crypto::KeyAlgorithm::ecdsa_p256, credit_code("91440300MA5F00077"));
    const auto id = side.paid_application(applicant, "renew", "organization", "ecdsa-p256", other);
    Browser reviewer = side.staff("rev.wang", {ra::Role::reviewer});
    ASSERT_EQ(reviewer.post("/api/v1/staff/applications/" + id + "/claim").status, 200);
    const auto materials = reviewer.get("/api/v1/applications/" + id + "/materials").json()["materials"];
    for (const auto& m : materials)
        ASSERT_EQ(reviewer.put_json("/api/v1/staff/applications/" + id + "/materials/" + m["kind"].get<std::string>() + "/verdict",
                                    {{"accepted", true}}).status, 200);
    auto refused = reviewer.post("/api/v1/staff/applications/" + id + "/approve");
    EXPECT_EQ(refused.status, 422) << refused.body;
    ASSERT_EQ(refused.json()["problems"].size(), 1u);
    EXPECT_EQ(refused.json()["problems"][0]["code"], "certificate.other_organization");
    EXPECT_EQ(side.state_of(applicant, id), "in_review");
}

// Guide §8 at the counter: the clerk opens, checks the paper materials, reviews, but a
// revocation still needs the CA operator.
TEST_F(StaffApi, CounterRevocationStillNeedsTheCaOperator) {
    const auto serial = side.existing_certificate();
    Browser clerk = side.staff("clerk.zhao", {ra::Role::counter_clerk});
    const json request = {{"business", "revoke"}, {"cert_type", "organization"},
                          {"form", staff_form_for("revoke", "organization", "ecdsa-p256", serial)}};
    // Nothing checked: every item of the counter list is named at once, and nothing is stored.
    auto unchecked = request;
    unchecked["checked"] = json::array({"no_such_item"});
    auto refused = clerk.post("/api/v1/staff/counter/applications", unchecked);
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.json()["problems"].size(),
              CaSide::counter_list(ra::Business::revoke, ra::CertType::organization).size() + 1);
    EXPECT_TRUE(clerk.get("/api/v1/applications").json()["applications"].empty());
    // A reviewer cannot open counter applications.
    Browser reviewer = side.staff("rev.wang", {ra::Role::reviewer});
    auto checked = request;
    checked["checked"] = CaSide::counter_list(ra::Business::revoke, ra::CertType::organization);
    EXPECT_EQ(reviewer.post("/api/v1/staff/counter/applications", checked).status, 403);

    auto opened = clerk.post("/api/v1/staff/counter/applications", checked);
    ASSERT_EQ(opened.status, 201) << opened.body;
    EXPECT_EQ(opened.json()["channel"], "counter");
    EXPECT_EQ(opened.json()["state"], "paid");  // free
    const std::string id = opened.json()["id"];
    ASSERT_EQ(clerk.post("/api/v1/staff/applications/" + id + "/claim").status, 200);
    auto approved = clerk.post("/api/v1/staff/applications/" + id + "/approve");
    ASSERT_EQ(approved.status, 200) << approved.body;
    auto not_clerk = clerk.post("/api/v1/staff/applications/" + id + "/fulfil");
    EXPECT_EQ(not_clerk.status, 403);
    EXPECT_EQ(not_clerk.json()["code"], "staff.role_required");
    Browser operator_ = side.staff("op.sun", {ra::Role::ca_operator});
    auto done = operator_.post("/api/v1/staff/applications/" + id + "/fulfil");
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(done.json()["state"], "delivered");
    auto cert = side.hall.store().find_certificate(serial);
    ASSERT_TRUE(cert && *cert);
    EXPECT_EQ((*cert)->status, pki::CertificateStatus::revoked);
    // The same audit trail as online: each step by its staff member.
    const auto timeline = clerk.get("/api/v1/applications/" + id + "/timeline").json()["timeline"];
    std::vector<std::string> who;
    for (const auto& t : timeline) who.push_back(t["actor"].get<std::string>() + " " + t["event"].get<std::string>());
    EXPECT_NE(std::find(who.begin(), who.end(), "staff:clerk.zhao counter.checked"), who.end());
    EXPECT_NE(std::find(who.begin(), who.end(), "staff:clerk.zhao approved"), who.end());
    EXPECT_NE(std::find(who.begin(), who.end(), "staff:op.sun revoked"), who.end());
}

// On payment: an e-invoice with the next number, the SMS link, the PDF by e-mail, the download.
// pdftotext (poppler) reads what the PDF says.
TEST_F(StaffApi, PaymentBringsANumberedInvoice) {
    const auto id = side.paid_application(applicant, "new", "organization", "ecdsa-p256");
    auto list = applicant.get("/api/v1/applications/" + id + "/invoices");
    ASSERT_EQ(list.status, 200) << list.body;
    const auto invoices = list.json()["invoices"];
    ASSERT_EQ(invoices.size(), 1u);
    EXPECT_EQ(invoices[0]["number"], 1);
    EXPECT_EQ(invoices[0]["amount_fen"], 20000);
    EXPECT_EQ(invoices[0]["tax_fen"], 1132);  // 200.00 incl. 6 %: 188.68 + 11.32
    const std::string href = invoices[0]["pdf"];
    auto pdf = applicant.get(href);
    ASSERT_EQ(pdf.status, 200);
    ASSERT_TRUE(pdf.body.starts_with("%PDF-"));
    const auto file = side.hall.dir() / "invoice.pdf";
    std::ofstream(file, std::ios::binary) << pdf.body;
    ASSERT_EQ(std::system(("pdftotext -layout '" + file.string() + "' '" + file.string() + ".txt'").c_str()), 0);
    std::ifstream in(file.string() + ".txt");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const std::string& want : std::vector<std::string>{"00000001", "深圳市示例科技有限公司", credit_code(), "188.68", "11.32", "200.00", "6%", id})
        EXPECT_NE(text.find(want), std::string::npos) << want << " not in:\n" << text;
    // The link by SMS, the PDF by e-mail.
    const auto sms = applicant.get("/api/v1/dev/messages?to=13800138000").json()["messages"];
    EXPECT_TRUE(std::any_of(sms.begin(), sms.end(), [&](const json& m) {
        return m["body"].get<std::string>().find(href) != std::string::npos;
    }));
    // The e-mail carries the PDF itself (the sandbox provider keeps what it was handed).
    bool attached = false;
    for (const auto& m : side.hall.services().email().messages("zhangsan@example.cn"))
        if (m.attachment_name == "电子发票-00000001.pdf") {
            auto blob = side.hall.services().blobs().read(m.attachment_blob);
            ASSERT_TRUE(blob);
            EXPECT_EQ(core::to_string(*blob), pdf.body);
            attached = true;
        }
    EXPECT_TRUE(attached);
    // Nobody else's; the next payment gets the next number.
    Browser other(side.hall.port());
    other.login("13700137000");
    EXPECT_EQ(other.get(href).status, 404);
    const auto second = side.paid_application(applicant, "new", "organization", "ecdsa-p256");
    EXPECT_EQ(applicant.get("/api/v1/applications/" + second + "/invoices").json()["invoices"][0]["number"], 2);
}

// What `eseal serve` hands the staff API: the issuing CA of the key's suite, opened once.
TEST(StaffIssuanceTools, PickTheIssuingCaOfTheKeysSuiteAndOpenItOnce) {
    CaSide side;
    int opened = 0;
    auto tools = issuance_tools(
        side.hall.store(),
        [&](std::string_view name) -> core::Result<pki::CertificateAuthority> {
            ++opened;
            auto record = side.hall.store().find_ca(name);
            if (!record || !*record) return core::fail(core::Errc::not_found, "ca.unknown", std::string(name));
            auto key = side.keys.open_key((*record)->key_ref);
            if (!key) return std::unexpected(key.error());
            return pki::CertificateAuthority::open(**record, std::move(*key), side.hall.store(), side.hall.clock());
        },
        [](const std::string& driver) -> core::Result<std::unique_ptr<token::UkeyService>> {
            return core::fail(core::Errc::unsupported, "token.driver", "no " + driver + " here");
        });
    auto gm = tools.ca(crypto::KeyAlgorithm::sm2);
    ASSERT_TRUE(gm) << gm.error().describe();
    EXPECT_EQ((*gm)->record().name, "gm");
    auto intl = tools.ca(crypto::KeyAlgorithm::rsa2048);
    ASSERT_TRUE(intl) << intl.error().describe();
    EXPECT_EQ((*intl)->record().name, "intl");
    EXPECT_EQ(*tools.ca(crypto::KeyAlgorithm::ecdsa_p256), *intl);
    EXPECT_EQ(opened, 2);
    auto driver = tools.ukeys("pkcs11");
    ASSERT_FALSE(driver);
    EXPECT_EQ(driver.error().code, "token.driver");
}

}  // namespace
}  // namespace eseal::server::testing
