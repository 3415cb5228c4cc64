// The online business hall through its HTTP API (issue: "API tests driving every business
// type's online flow up to 'paid, awaiting review' on SQLite in a temporary directory, plus the
// bad-input and access cases"). A real server on port 0; the sandboxes deliver their signed
// callbacks over HTTP as the real services would.
#include <gtest/gtest.h>

#include "ra/providers/alipay_sandbox.hpp"
#include "ra/providers/sandbox_face_service.hpp"
#include "ra/providers/sandbox_sms_provider.hpp"
#include "ra/providers/wechat_pay_sandbox.hpp"
#include "ra/staff.hpp"
#include "server/hall_test_support.hpp"
#include "server/http_client.hpp"
#include "server/openapi.hpp"

namespace eseal::server::testing {
namespace {

using nlohmann::json;

json form_for(const std::string& business, const std::string& cert_type) {
    json form = {{"organization", {{"name", "深圳市示例科技有限公司"}, {"credit_code", credit_code()}}},
                 {"handler", {{"name", "张三"}, {"id_number", resident_id()}, {"phone", "13800138000"}, {"email", "zhangsan@example.cn"}}},
                 {"algorithm", "sm2"},
                 {"years", 1},
                 {"delivery", "post"},
                 {"address", "广东省深圳市南山区科兴路10号"}};
    if (cert_type == "organization-individual")
        form["holder"] = {{"name", "李四"}, {"id_number", resident_id("11010119851231002")}};
    if (business != "new") form["certificate_serial"] = "5a3f9c0e7d21b4a8";
    if (business == "revoke") form["revoke_reason"] = "cessationOfOperation";
    return form;
}

class HallApi : public ::testing::Test {
  protected:
    Hall hall;
    Browser applicant{hall.port()};

    void SetUp() override { applicant.login("13800138000"); }

    void consent(Browser& b) {
        const auto texts = b.get("/api/v1/agreements").json()["agreements"];
        ASSERT_EQ(texts.size(), 2u);
        auto reply = b.post("/api/v1/consents", {{"agreement_version", texts[0]["version"]}, {"privacy_version", texts[1]["version"]}});
        ASSERT_EQ(reply.status, 201) << reply.body;
    }

    std::string create(Browser& b, const std::string& business, const std::string& cert_type) {
        auto reply = b.post("/api/v1/applications", {{"business", business}, {"cert_type", cert_type}, {"form", form_for(business, cert_type)}});
        EXPECT_EQ(reply.status, 201) << reply.body;
        EXPECT_EQ(reply.json()["state"], "draft");
        return reply.json().value("id", "");
    }

    void upload_all(Browser& b, const std::string& id) {
        const auto materials = b.get("/api/v1/applications/" + id + "/materials").json()["materials"];
        ASSERT_FALSE(materials.empty());
        for (const auto& m : materials) {
            const std::string kind = m["kind"];
            const bool pdf = kind == "application_form" || kind == "business_licence";
            auto reply = b.send("PUT", "/api/v1/applications/" + id + "/materials/" + kind + "?filename=" + kind + (pdf ? ".pdf" : ".png"),
                                pdf ? pdf_bytes() : png_bytes(), "application/octet-stream");
            ASSERT_EQ(reply.status, 201) << kind << ": " << reply.body;
            EXPECT_EQ(reply.json()["content_type"], pdf ? "application/pdf" : "image/png");
            EXPECT_EQ(reply.json()["sha256"], core::hex_encode(crypto::sha256(core::as_bytes(pdf ? pdf_bytes() : png_bytes()))));
        }
    }

    void verify_identity(Browser& b, const std::string& id, bool pass = true) {
        auto started = b.post("/api/v1/applications/" + id + "/identity-checks");
        ASSERT_EQ(started.status, 201) << started.body;
        const std::string url = started.json()["url"];
        const std::string path = url.substr(url.find("/sandbox/"));
        EXPECT_EQ(b.get(path).status, 200);  // the page the QR code leads to
        EXPECT_EQ(b.send("POST", path + (pass ? "/pass" : "/fail"), "", "text/plain").status, 202);
        hall.services().delivery().wait_idle();
        const auto checks = b.get("/api/v1/applications/" + id + "/identity-checks").json()["identity_checks"];
        ASSERT_EQ(checks.size(), 1u);
        EXPECT_EQ(checks[0]["status"], pass ? "passed" : "failed");
    }

    std::string state_of(Browser& b, const std::string& id) { return b.get("/api/v1/applications/" + id).json().value("state", "?"); }

    // new → submitted → (awaiting_payment → paid by the provider's notification | paid when free)
    void run_online_flow(const std::string& business, const std::string& cert_type, const std::string& method) {
        SCOPED_TRACE(business + " " + cert_type + " " + method);
        consent(applicant);
        const auto id = create(applicant, business, cert_type);
        ASSERT_FALSE(id.empty());
        auto pdf = applicant.get("/api/v1/applications/" + id + "/form.pdf");
        EXPECT_EQ(pdf.status, 200);
        EXPECT_TRUE(pdf.body.starts_with("%PDF-"));
        upload_all(applicant, id);
        verify_identity(applicant, id);
        auto submitted = applicant.post("/api/v1/applications/" + id + "/submit");
        ASSERT_EQ(submitted.status, 200) << submitted.body;
        const auto fee = submitted.json()["fee_fen"].get<std::int64_t>();
        if (fee == 0) {
            EXPECT_EQ(submitted.json()["state"], "paid");
            return;
        }
        EXPECT_EQ(submitted.json()["state"], "awaiting_payment");
        auto order = applicant.post("/api/v1/applications/" + id + "/payments", {{"method", method}});
        ASSERT_EQ(order.status, 201) << order.body;
        EXPECT_EQ(order.json()["amount_fen"], fee);
        EXPECT_FALSE(order.json()["qr_content"].get<std::string>().empty());
        auto qr = applicant.get(order.json()["qr_png"].get<std::string>());
        EXPECT_EQ(qr.status, 200);
        EXPECT_TRUE(qr.body.starts_with("\x89PNG"));
        const std::string order_no = order.json()["order_no"];
        EXPECT_EQ(applicant.send("POST", "/sandbox/pay/" + method + "/" + order_no + "/success", "", "text/plain").status, 202);
        hall.services().delivery().wait_idle();
        EXPECT_EQ(state_of(applicant, id), "paid");
        const auto payments = applicant.get("/api/v1/applications/" + id + "/payments").json()["payments"];
        ASSERT_EQ(payments.size(), 1u);
        EXPECT_EQ(payments[0]["status"], "paid");
        EXPECT_FALSE(payments[0]["transaction_id"].get<std::string>().empty());
        const auto timeline = applicant.get("/api/v1/applications/" + id + "/timeline").json()["timeline"];
        std::vector<std::string> events;
        for (const auto& t : timeline) events.push_back(t["event"]);
        for (const char* e : {"created", "material.uploaded", "passed", "submitted", "awaiting_payment", "paid"})
            EXPECT_NE(std::find(events.begin(), events.end(), e), events.end()) << e;
        // The handler was told by SMS and e-mail.
        const auto messages = applicant.get("/api/v1/dev/messages?to=13800138000").json()["messages"];
        EXPECT_NE(messages.dump().find("已收到付款"), std::string::npos);
        EXPECT_NE(applicant.get("/api/v1/dev/messages?to=zhangsan@example.cn").json()["messages"].dump().find("已收到付款"), std::string::npos);
    }
};

TEST_F(HallApi, NewOrganizationCertificatePaidByWechat) { run_online_flow("new", "organization", "wechat"); }
TEST_F(HallApi, NewOrganizationIndividualPaidByAlipay) { run_online_flow("new", "organization-individual", "alipay"); }
TEST_F(HallApi, RenewPaidByWechat) { run_online_flow("renew", "organization", "wechat"); }
TEST_F(HallApi, ChangeIsFreeAndGoesToReview) { run_online_flow("change", "organization", "wechat"); }
TEST_F(HallApi, LostKeyReplacementPaidByAlipay) { run_online_flow("lost-key", "organization-individual", "alipay"); }
TEST_F(HallApi, UnlockIsFree) { run_online_flow("unlock", "organization", "wechat"); }
TEST_F(HallApi, RevokeIsFree) { run_online_flow("revoke", "organization", "wechat"); }

TEST_F(HallApi, QuoteFollowsTheFeeTable) {
    auto form = form_for("new", "organization");
    form["years"] = 3;
    auto reply = applicant.post("/api/v1/applications", {{"business", "new"}, {"cert_type", "organization"}, {"form", form}});
    ASSERT_EQ(reply.status, 201);
    EXPECT_EQ(reply.json()["quote"]["total_fen"], 60000);
    EXPECT_EQ(reply.json()["quote"]["total"], "600.00");
}

TEST_F(HallApi, SessionCookieIsHttpOnlyStrictAndWritesNeedCsrf) {
    EXPECT_NE(applicant.m_set_cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(applicant.m_set_cookie.find("SameSite=Strict"), std::string::npos);
    auto reply = applicant.send("POST", "/api/v1/applications",
                                json{{"business", "new"}, {"cert_type", "organization"}, {"form", form_for("new", "organization")}}.dump(),
                                "application/json", false);
    EXPECT_EQ(reply.status, 403);
    EXPECT_EQ(reply.json()["code"], "auth.csrf");
    Browser stranger(hall.port());
    EXPECT_EQ(stranger.get("/api/v1/applications").status, 401);
    EXPECT_EQ(applicant.post("/api/v1/auth/logout").status, 204);
    EXPECT_EQ(applicant.get("/api/v1/applications").status, 401);
}

TEST_F(HallApi, LoginCodesExpireAndLimitTries) {
    Browser b(hall.port());
    EXPECT_EQ(b.post("/api/v1/auth/sms-code", {{"phone", "12345"}}).status, 422);
    ASSERT_EQ(b.post("/api/v1/auth/sms-code", {{"phone", "13900139000"}}).status, 202);
    // A second code within a minute is refused.
    auto again = b.post("/api/v1/auth/sms-code", {{"phone", "13900139000"}});
    EXPECT_EQ(again.status, 429);
    EXPECT_EQ(again.json()["code"], "login.rate_limited");
    for (int i = 0; i < 5; ++i) {
        auto wrong = b.post("/api/v1/auth/login", {{"phone", "13900139000"}, {"code", "000000"}});
        EXPECT_EQ(wrong.status, 401);
        EXPECT_EQ(wrong.json()["code"], "login.code_wrong");
    }
    EXPECT_EQ(b.post("/api/v1/auth/login", {{"phone", "13900139000"}, {"code", "000000"}}).json()["code"], "login.too_many_tries");
    // A fresh code, but too late.
    hall.clock().advance(std::chrono::seconds(61));
    ASSERT_EQ(b.post("/api/v1/auth/sms-code", {{"phone", "13900139000"}}).status, 202);
    const std::string text = b.get("/api/v1/dev/messages?to=13900139000").json()["messages"][0]["body"];
    std::smatch m;
    ASSERT_TRUE(std::regex_search(text, m, std::regex("(\\d{6})")));
    hall.clock().advance(std::chrono::seconds(301));
    EXPECT_EQ(b.post("/api/v1/auth/login", {{"phone", "13900139000"}, {"code", m[1].str()}}).json()["code"], "login.code_expired");
}

TEST_F(HallApi, ValidationReportsEveryFieldAtOnce) {
    json form = form_for("new", "organization-individual");
    form["organization"]["credit_code"] = "91440300MA5F000001";
    form["handler"]["phone"] = "123";
    form["handler"]["email"] = "x";
    form.erase("holder");
    form["years"] = 2;
    auto reply = applicant.post("/api/v1/applications", {{"business", "new"}, {"cert_type", "organization-individual"}, {"form", form}});
    ASSERT_EQ(reply.status, 422);
    EXPECT_EQ(reply.headers["content-type"].substr(0, 24), "application/problem+json");
    std::set<std::string> fields;
    const auto problems = reply.json()["problems"];
    for (const auto& p : problems) fields.insert(p["field"]);
    EXPECT_EQ(fields, (std::set<std::string>{"form.organization.credit_code", "form.handler.phone", "form.handler.email",
                                             "form.holder", "form.years"}));
    EXPECT_EQ(applicant.get("/api/v1/applications").json()["applications"].size(), 0u);  // nothing stored
}

TEST_F(HallApi, SubmitListsEverythingMissing) {
    const auto id = create(applicant, "new", "organization");
    auto reply = applicant.post("/api/v1/applications/" + id + "/submit");
    ASSERT_EQ(reply.status, 422);
    std::set<std::string> fields;
    const auto problems = reply.json()["problems"];
    for (const auto& p : problems) fields.insert(p["field"]);
    for (const char* f : {"consent.agreement", "consent.privacy", "materials.application_form", "materials.business_licence",
                          "materials.handler_id_front", "materials.handler_id_back", "identity"})
        EXPECT_TRUE(fields.contains(f)) << f;
    EXPECT_EQ(state_of(applicant, id), "draft");
}

TEST_F(HallApi, IllegalTransitionsAre409WithTheReason) {
    consent(applicant);
    const auto id = create(applicant, "change", "organization");
    upload_all(applicant, id);
    verify_identity(applicant, id);
    ASSERT_EQ(applicant.post("/api/v1/applications/" + id + "/submit").status, 200);
    auto again = applicant.post("/api/v1/applications/" + id + "/submit");
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.json()["code"], "application.illegal_transition");
    EXPECT_NE(again.json()["detail"].get<std::string>().find("paid"), std::string::npos);
    // Materials are frozen once submitted.
    auto upload = applicant.send("PUT", "/api/v1/applications/" + id + "/materials/business_licence", pdf_bytes(), "application/pdf");
    EXPECT_EQ(upload.status, 409);
    ASSERT_EQ(applicant.post("/api/v1/applications/" + id + "/cancel", {{"reason", "不需要了"}}).status, 200);
    EXPECT_EQ(applicant.post("/api/v1/applications/" + id + "/cancel").status, 409);
}

TEST_F(HallApi, AnotherApplicantSeesNothing) {
    const auto id = create(applicant, "new", "organization");
    ASSERT_EQ(applicant.send("PUT", "/api/v1/applications/" + id + "/materials/business_licence", pdf_bytes(), "application/pdf").status, 201);
    Browser other(hall.port());
    other.login("13700137000");
    EXPECT_EQ(other.get("/api/v1/applications/" + id).status, 404);
    EXPECT_EQ(other.get("/api/v1/applications/" + id + "/materials/business_licence").status, 404);
    EXPECT_EQ(other.get("/api/v1/applications/" + id + "/timeline").status, 404);
    EXPECT_EQ(other.get("/api/v1/applications/" + id + "/form.pdf").status, 404);
    EXPECT_EQ(other.send("PUT", "/api/v1/applications/" + id + "/materials/handler_id_front", png_bytes(), "image/png").status, 404);
    EXPECT_EQ(other.send("DELETE", "/api/v1/applications/" + id + "/materials/business_licence").status, 404);
    EXPECT_EQ(other.post("/api/v1/applications/" + id + "/cancel").status, 404);
    EXPECT_EQ(other.get("/api/v1/applications").json()["applications"].size(), 0u);
    // The owner still has it, unchanged.
    auto mine = applicant.get("/api/v1/applications/" + id + "/materials/business_licence");
    EXPECT_EQ(mine.status, 200);
    EXPECT_EQ(mine.body, pdf_bytes());
}

TEST_F(HallApi, DisguisedExecutableIsRefused) {
    const auto id = create(applicant, "new", "organization");
    const std::string exe = std::string("MZ\x90\0\x03\0\0\0", 8) + std::string(4000, '\0');
    auto reply = applicant.send("PUT", "/api/v1/applications/" + id + "/materials/business_licence?filename=licence.png", exe, "image/png");
    EXPECT_EQ(reply.status, 422);
    EXPECT_EQ(reply.json()["code"], "material.type_refused");
    EXPECT_NE(reply.json()["detail"].get<std::string>().find("executable"), std::string::npos);
    const auto materials = applicant.get("/api/v1/applications/" + id + "/materials").json()["materials"];
    for (const auto& m : materials) EXPECT_TRUE(m["uploaded"].is_null());
    // Nothing left on disk but the store's own directories.
    for (const auto& entry : std::filesystem::recursive_directory_iterator(hall.dir() / "blobs"))
        EXPECT_TRUE(entry.is_directory()) << entry.path();
}

TEST(HallUploads, OversizedUploadIsCutOffWithoutFillingTheDisk) {
    Hall hall(256 * 1024);
    Browser b(hall.port());
    b.login("13800138000");
    auto created = b.post("/api/v1/applications", {{"business", "new"}, {"cert_type", "organization"}, {"form", form_for("new", "organization")}});
    const std::string id = created.json()["id"];
    // Announced too large: refused before a byte of the body is read.
    const std::string big = pdf_bytes() + std::string(400 * 1024, 'x');
    auto reply = b.send("PUT", "/api/v1/applications/" + id + "/materials/business_licence", big, "application/pdf");
    EXPECT_EQ(reply.status, 413);
    // Chunked, no length given: cut off once past the limit.
    RawClient raw(hall.port());
    std::string req = "PUT /api/v1/applications/" + id + "/materials/business_licence HTTP/1.1\r\nHost: x\r\nCookie: eseal_session=" +
                      b.m_cookie + "\r\nX-CSRF-Token: " + b.m_csrf + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    raw.send(req);
    const std::string chunk(64 * 1024, 'y');
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
    for (int i = 0; i < 8; ++i)
        if (!raw.send(std::string(size_line) + chunk + "\r\n")) break;
    EXPECT_EQ(status_of(raw.read_response()), 413);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(hall.dir() / "blobs"))
        EXPECT_TRUE(entry.is_directory()) << entry.path();
    const auto materials = b.get("/api/v1/applications/" + id + "/materials").json()["materials"];
    for (const auto& m : materials) EXPECT_TRUE(m["uploaded"].is_null());
}

class HallPayments : public HallApi {
  protected:
    std::string id;
    std::string order_no;

    void SetUp() override {
        HallApi::SetUp();
        consent(applicant);
        id = create(applicant, "new", "organization");
        upload_all(applicant, id);
        verify_identity(applicant, id);
        ASSERT_EQ(applicant.post("/api/v1/applications/" + id + "/submit").json()["state"], "awaiting_payment");
    }
    void order(const std::string& method) {
        auto reply = applicant.post("/api/v1/applications/" + id + "/payments", {{"method", method}});
        ASSERT_EQ(reply.status, 201);
        order_no = reply.json()["order_no"];
    }
    HttpReply deliver(const ra::providers::Callback& cb) {
        HeaderList headers(cb.headers.begin(), cb.headers.end());
        auto reply = http_post(cb.url, headers, cb.body);
        EXPECT_TRUE(reply) << reply.error().describe();
        return reply.value_or(HttpReply{});
    }
    int paid_lines() {
        int n = 0;
        const auto timeline = applicant.get("/api/v1/applications/" + id + "/timeline").json()["timeline"];
        for (const auto& t : timeline) n += t["event"] == "paid";
        return n;
    }
};

TEST_F(HallPayments, ForgedOrAlteredWechatNotificationsChangeNothing) {
    order("wechat");
    auto& sandbox = hall.services().wechat_sandbox();
    // The amount reported differs from the order's.
    auto wrong_amount = sandbox.make_notification(order_no, ra::providers::PaymentOutcome::success, 1);
    ASSERT_TRUE(wrong_amount);
    EXPECT_EQ(deliver(*wrong_amount).status, 400);
    // A byte of the body changed after signing.
    auto altered = sandbox.make_notification(order_no, ra::providers::PaymentOutcome::success);
    ASSERT_TRUE(altered);
    auto tampered = *altered;
    tampered.body[tampered.body.size() / 2] ^= 1;
    EXPECT_EQ(deliver(tampered).status, 400);
    // No signature at all.
    auto unsigned_cb = *altered;
    unsigned_cb.headers.erase("wechatpay-signature");
    EXPECT_EQ(deliver(unsigned_cb).status, 400);
    EXPECT_EQ(state_of(applicant, id), "awaiting_payment");
    // The genuine one, twice (providers repeat until acknowledged): applied once.
    EXPECT_EQ(deliver(*altered).status, 200);
    EXPECT_EQ(deliver(*altered).status, 200);
    EXPECT_EQ(state_of(applicant, id), "paid");
    EXPECT_EQ(paid_lines(), 1);
}

TEST_F(HallPayments, AlipayAmountMustMatchToTheFen) {
    order("alipay");
    auto& sandbox = hall.services().alipay_sandbox();
    auto short_by_a_fen = sandbox.make_notification(order_no, ra::providers::PaymentOutcome::success, std::string("199.99"));
    ASSERT_TRUE(short_by_a_fen);
    auto reply = deliver(*short_by_a_fen);
    EXPECT_EQ(reply.status, 400);
    EXPECT_EQ(reply.body, "failure");
    EXPECT_EQ(state_of(applicant, id), "awaiting_payment");
    auto genuine = sandbox.make_notification(order_no, ra::providers::PaymentOutcome::success);
    ASSERT_TRUE(genuine);
    reply = deliver(*genuine);
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "success");
    EXPECT_EQ(state_of(applicant, id), "paid");
}

TEST_F(HallPayments, CancellingAPaidApplicationRefunds) {
    order("wechat");
    ASSERT_EQ(applicant.send("POST", "/sandbox/pay/wechat/" + order_no + "/success", "", "text/plain").status, 202);
    hall.services().delivery().wait_idle();
    ASSERT_EQ(state_of(applicant, id), "paid");
    auto cancelled = applicant.post("/api/v1/applications/" + id + "/cancel", {{"reason", "信息有误"}});
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(cancelled.json()["state"], "cancelled");
    const auto payments = applicant.get("/api/v1/applications/" + id + "/payments").json()["payments"];
    EXPECT_EQ(payments[0]["status"], "refunded");
    const auto refunds = hall.services().wechat_sandbox().refunds();
    ASSERT_EQ(refunds.size(), 1u);
    EXPECT_EQ(refunds[0].refund_fen, 20000);
}

TEST_F(HallPayments, BankTransferWaitsForItsReceipt) {
    auto reply = applicant.post("/api/v1/applications/" + id + "/payments", {{"method", "bank_transfer"}});
    ASSERT_EQ(reply.status, 201);
    EXPECT_EQ(reply.json()["status"], "created");
    auto receipt = applicant.send("PUT", "/api/v1/applications/" + id + "/materials/payment_receipt?filename=回单.pdf", pdf_bytes(),
                                  "application/pdf");
    EXPECT_EQ(receipt.status, 201) << receipt.body;
    EXPECT_EQ(state_of(applicant, id), "awaiting_payment");  // staff confirm the transfer
}

TEST_F(HallApi, ForgedFaceCallbackIsRefused) {
    const auto id = create(applicant, "new", "organization");
    auto started = applicant.post("/api/v1/applications/" + id + "/identity-checks");
    ASSERT_EQ(started.status, 201);
    const std::string url = started.json()["url"];
    const std::string ref = url.substr(url.rfind('/') + 1);
    auto cb = hall.services().face_sandbox().make_callback(ref, ra::providers::FaceOutcome::pass, 0.99, "");
    ASSERT_TRUE(cb);
    auto forged = *cb;
    forged.headers["x-sandbox-signature"] = "t=" + std::to_string(hall.clock().now().time_since_epoch().count()) + ",v1=" + std::string(64, 'a');
    auto reply = http_post(forged.url, HeaderList(forged.headers.begin(), forged.headers.end()), forged.body);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 403);
    EXPECT_EQ(applicant.get("/api/v1/applications/" + id + "/identity-checks").json()["identity_checks"][0]["status"], "pending");
}

TEST_F(HallApi, ServicePointsOpenAtAGivenTime) {
    // 2026-10-01 (National Day) 10:00 China time: the Yannan point, open on weekends, is closed
    // on public holidays only if its data says so; Xili is closed.
    auto reply = applicant.get("/api/v1/service-points?at=2026-10-01T02:00:00Z");
    ASSERT_EQ(reply.status, 200);
    const auto points = reply.json()["service_points"];
    EXPECT_EQ(points.size(), 9u);
    int open = 0;
    for (const auto& p : points) open += p["open_now"] == true;
    EXPECT_LT(open, 9);
    // A Tuesday, 10:00 China time: all nine open.
    const auto tuesday = applicant.get("/api/v1/service-points?at=2026-11-24T02:00:00Z").json()["service_points"];
    open = 0;
    for (const auto& p : tuesday) open += p["open_now"] == true;
    EXPECT_EQ(open, 9);
    EXPECT_EQ(applicant.get("/api/v1/service-points?at=yesterday").status, 422);
}

TEST_F(HallApi, CatalogueShowsTheProduct) {
    const auto c = applicant.get("/api/v1/catalogue").json();
    EXPECT_EQ(c["categories"][0]["name"], "电子政务");
    EXPECT_EQ(c["categories"][0]["products"][0]["name"], "深圳市统一电子印章管理平台（Ukey）");
    EXPECT_EQ(c["categories"][0]["products"][0]["business"].size(), 6u);
}

// Every documented operation is routed, and every /api/v1 route (but the development ones) is
// documented.
TEST_F(HallApi, OpenApiDescribesEveryRoute) {
    auto reply = applicant.get("/api/v1/openapi.json");
    ASSERT_EQ(reply.status, 200);
    const auto doc = reply.json();
    EXPECT_EQ(doc["openapi"], "3.0.3");
    Router router;
    add_openapi_route(router);
    std::set<std::pair<std::string, std::string>> documented;
    for (const auto& [path, ops] : doc["paths"].items())
        for (const auto& [method, op] : ops.items()) {
            std::string m = method;
            for (auto& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            documented.insert({m, path});
            EXPECT_TRUE(op.contains("responses")) << path;
        }
    // The live server's routes, through a second router built the same way.
    Router live;
    hall.services().add_routes(live);
    std::set<std::pair<std::string, std::string>> routed;
    for (const auto& [method, pattern] : live.routes())
        if (pattern.starts_with("/api/v1/") && !pattern.starts_with("/api/v1/dev/")) routed.insert({method, pattern});
    EXPECT_EQ(documented, routed);
    // And the documented error statuses are what the server answers: a sample.
    EXPECT_EQ(applicant.get("/api/v1/applications/A000").status, 404);
    EXPECT_TRUE(doc["paths"]["/api/v1/applications/{id}"]["get"]["responses"].contains("404"));
}

}  // namespace
}  // namespace eseal::server::testing

namespace eseal::server::testing {
namespace {

TEST_F(HallApi, StaffSeeEveryApplication) {
    const auto id = create(applicant, "new", "organization");
    ra::StaffService service(hall.store(), hall.clock());
    ASSERT_TRUE(service.add("rev.wang", "王审核", {ra::Role::reviewer}, core::SecureString("a long staff password"), "cli"));

    Browser staff(hall.port());
    auto wrong = staff.post("/api/v1/staff/login", {{"login", "rev.wang"}, {"password", "not the password"}});
    EXPECT_EQ(wrong.status, 401) << wrong.body;
    EXPECT_EQ(wrong.json()["code"], "staff.login_failed");
    auto unknown = staff.post("/api/v1/staff/login", {{"login", "nobody"}, {"password", "not the password"}});
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(unknown.json()["code"], "staff.login_failed");

    auto login = staff.post("/api/v1/staff/login", {{"login", "rev.wang"}, {"password", "a long staff password"}});
    ASSERT_EQ(login.status, 200) << login.body;
    EXPECT_EQ(login.json()["roles"], json::array({"reviewer"}));
    EXPECT_NE(staff.m_set_cookie.find("HttpOnly; SameSite=Strict"), std::string::npos);
    staff.m_csrf = login.json()["csrf_token"];
    auto me = staff.get("/api/v1/staff/me");
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(me.json()["login"], "rev.wang");
    EXPECT_EQ(applicant.get("/api/v1/staff/me").status, 403);

    auto seen = staff.get("/api/v1/applications/" + id);
    EXPECT_EQ(seen.status, 200) << seen.body;
    EXPECT_EQ(seen.json()["id"], id);
    Browser other(hall.port());
    other.login("13700137000");
    EXPECT_EQ(other.get("/api/v1/applications/" + id).status, 404);
}

}  // namespace
}  // namespace eseal::server::testing
