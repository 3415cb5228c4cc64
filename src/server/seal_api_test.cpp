// Seal management and Ukey binding through the HTTP API (issue 8 items 4-6): a real server on
// port 0, SQLite in a temporary directory, a CA whose certificates are in that store, the face
// sandbox delivering its signed callbacks over HTTP. Binding is shown here with a software key
// (the protocol); with real tokens in seal_binding_tokens.cpp (label token).
#include "server/seal_test_support.hpp"

namespace eseal::server::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

TEST_F(SealApi, RequestedSealIsMadeByTheMakerAndVerifies) {
    const auto id = request_seal(admin);
    ASSERT_FALSE(id.empty());
    const auto got = admin.get("/api/v1/seals/" + id).json();
    EXPECT_EQ(got["status"], "active");
    EXPECT_EQ(got["name"], kOrg);
    EXPECT_EQ(got["kind"], "contract");
    EXPECT_EQ(got["valid_end"],
              core::format_utc(org_cert.not_after));  // up to the org certificate's end
    const auto s = esl(admin, id);
    EXPECT_EQ(s.es_id, id);
    EXPECT_EQ(s.property.type, 4);  // seal_type.hpp: contract
    EXPECT_EQ(s.property.name, kOrg);
    EXPECT_TRUE(s.property.certificates.empty());
    EXPECT_EQ(s.picture.type, "PNG");
    const auto v = seal::verify_seal(s, trust(), hall.clock().now());
    EXPECT_TRUE(v.ok()) << (v.problems.empty() ? ""
                                               : v.problems[0].code + ": " + v.problems[0].message);
    EXPECT_EQ(admin.get("/api/v1/seals").json()["seals"].size(), 1u);
    EXPECT_TRUE(has(audit_actions(), "seal.request"));
}

TEST_F(SealApi, BadRequestsListEveryProblem) {
    auto reply = admin.post(
        "/api/v1/seals",
        {{"credit_code", org_code}, {"kind", "stamp"}, {"valid_end", "2199-01-01T00:00:00Z"}});
    EXPECT_EQ(reply.status, 422) << reply.body;
    const auto codes = problem_codes(reply);
    EXPECT_TRUE(has(codes, "seal.kind_unknown"));
    EXPECT_TRUE(has(codes, "seal.validity_too_long"));
    EXPECT_EQ(admin.get("/api/v1/seals").json()["seals"].size(), 0u);
}

TEST_F(SealApi, LifecycleAndIllegalTransitions) {
    const auto id = request_seal(admin);
    const std::string base = "/api/v1/seals/" + id;
    auto r = admin.post(base + "/suspend", {{"reason", "印章保管人休假"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "suspended");
    EXPECT_EQ(r.json()["status_reason"], "印章保管人休假");
    r = admin.post(base + "/suspend");
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json()["code"], "seal.not_active");
    r = admin.post(base + "/resume");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "active");
    r = admin.post(base + "/resume");
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json()["code"], "seal.not_suspended");
    r = admin.post(base + "/revoke", {{"reason", "印章停用"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "revoked");
    r = admin.post(base + "/resume");
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json()["code"], "seal.revoked");
    EXPECT_EQ(admin.post(base + "/bindings").status, 409);  // no binding on a revoked seal
    const auto actions = audit_actions();
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "seal.suspend"), 1);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "seal.resume"), 1);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "seal.revoke"), 1);
    auto audit = hall.store().verify_audit();
    ASSERT_TRUE(audit);
    EXPECT_TRUE(audit->ok());
}

TEST_F(SealApi, ExpiresByTime) {
    const auto end = hall.clock().now() + std::chrono::hours(2);
    const auto id = request_seal(admin, {{"valid_end", core::format_utc(end)}});
    EXPECT_EQ(admin.get("/api/v1/seals/" + id).json()["status"], "active");
    hall.clock().advance(std::chrono::hours(3));  // within the 8-hour session
    EXPECT_EQ(admin.get("/api/v1/seals/" + id).json()["status"], "expired");
    auto r = admin.post("/api/v1/seals/" + id + "/suspend");
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json()["code"], "seal.expired");
}

TEST_F(SealApi, OnlyTheOrganizationsAdminSeesItsSeals) {
    const auto id = request_seal(admin);
    // An account with no issued application is no seal admin at all.
    Browser stranger(hall.port());
    stranger.login("13900139000");
    auto r = stranger.post("/api/v1/seals", {{"credit_code", org_code}, {"kind", "official"}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.json()["code"], "seal.not_admin");
    // Another organization's admin is told the seal does not exist.
    Browser other(hall.port());
    other.login("13700137000");
    auto other_key = crypto::SoftKey::generate(m_alg);
    (void)issue(*other_key, other_code, kOtherOrg);
    make_admin(other, other_code, kOtherOrg);
    EXPECT_FALSE(request_seal(other, {{"credit_code", other_code}, {"kind", "finance"}}).empty());
    EXPECT_EQ(other.get("/api/v1/seals/" + id).status, 404);
    EXPECT_EQ(other.get("/api/v1/seals/" + id + "/seal.esl").status, 404);
    EXPECT_EQ(other.post("/api/v1/seals/" + id + "/suspend").status, 404);
    EXPECT_EQ(other.post("/api/v1/seals/" + id + "/bindings").status, 404);
    EXPECT_EQ(other.get("/api/v1/seals").json()["seals"].size(), 1u);
    EXPECT_EQ(admin.get("/api/v1/seals/" + id).json()["status"], "active");
    // Without a session: 401; a write without the CSRF token: 403.
    EXPECT_EQ(Browser(hall.port()).get("/api/v1/seals").status, 401);
    EXPECT_EQ(
        admin.send("POST", "/api/v1/seals/" + id + "/suspend", "{}", "application/json", false)
            .status,
        403);
}

TEST_F(SealApi, BindingAddsTheCertificateAndTheSealIsRemade) {
    const auto id = request_seal(admin);
    const auto before = esl(admin, id);
    const auto binding = start_binding(admin, id, true);
    EXPECT_EQ(binding["challenge"].get<std::string>().size(), 64u);
    EXPECT_EQ(binding["message"], ra::binding_message(binding["challenge"], id, binding["origin"]));
    auto r = complete(admin, id, binding, org_cert.der, sign(*org_key, binding));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["bound_certificates"], json::array({org_cert.serial}));
    const auto after = esl(admin, id);
    EXPECT_EQ(after.es_id, before.es_id);
    EXPECT_EQ(after.picture.data, before.picture.data);
    ASSERT_EQ(after.property.certificates.size(), 1u);
    EXPECT_EQ(after.property.certificates[0], org_cert.der);
    EXPECT_NE(after.signed_value, before.signed_value);
    EXPECT_TRUE(seal::verify_seal(after, trust(), hall.clock().now()).ok());
    // The challenge is spent.
    r = complete(admin, id, binding, org_cert.der, sign(*org_key, binding));
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json()["code"], "binding.challenge_used");
    // Binding the same certificate again is refused.
    const auto again = start_binding(admin, id, true);
    r = complete(admin, id, again, org_cert.der, sign(*org_key, again));
    EXPECT_EQ(r.status, 403);
    EXPECT_TRUE(has(problem_codes(r), "binding.already_bound"));
    const auto actions = audit_actions();
    EXPECT_TRUE(has(actions, "seal.binding_start"));
    EXPECT_TRUE(has(actions, "seal.binding_verified"));
    EXPECT_TRUE(has(actions, "seal.bind"));
    EXPECT_TRUE(has(actions, "identity.passed"));
}

TEST_F(SealApi, BindingIsRefusedWithEveryReasonAndTheSealUnchanged) {
    const auto id = request_seal(admin);
    const auto before = admin.get("/api/v1/seals/" + id + "/seal.esl").body;
    // Failed face check, a signature over something else, another organization's certificate.
    auto other_key = crypto::SoftKey::generate(m_alg);
    const auto other = issue(*other_key, other_code, kOtherOrg);
    const auto binding = start_binding(admin, id, false);
    auto wrong = other_key->sign(core::as_bytes(std::string("something else")));
    ASSERT_TRUE(wrong);
    auto r = complete(admin, id, binding, other.der, *wrong);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(r.json()["code"], "binding.refused") << r.body;
    const auto codes = problem_codes(r);
    EXPECT_TRUE(has(codes, "binding.face_check_failed"));
    EXPECT_TRUE(has(codes, "binding.signature_invalid"));
    EXPECT_TRUE(has(codes, "binding.certificate_other_organization"));
    // A passed face check does not save a bad signature.
    const auto second = start_binding(admin, id, true);
    r = complete(admin, id, second, org_cert.der, *wrong);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(problem_codes(r), std::vector<std::string>{"binding.signature_invalid"});
    // A certificate that is not ours.
    const auto third = start_binding(admin, id, true);
    auto foreign = org_cert.der;
    foreign[foreign.size() - 5] ^=
        0x01;  // inside the CA's signature: parses, but is not what we issued
    r = complete(admin, id, third, foreign, sign(*org_key, third));
    EXPECT_EQ(r.status, 403);
    EXPECT_TRUE(has(problem_codes(r), "binding.certificate_unknown"));
    EXPECT_EQ(admin.get("/api/v1/seals/" + id + "/seal.esl").body, before);
    EXPECT_TRUE(admin.get("/api/v1/seals/" + id).json()["bound_certificates"].empty());
    EXPECT_TRUE(has(audit_actions(), "seal.binding_refused"));
}

TEST_F(SealApi, ForgedFaceCallbackForABindingIsRefused) {
    const auto id = request_seal(admin);
    auto started = admin.post("/api/v1/seals/" + id + "/bindings");
    ASSERT_EQ(started.status, 201);
    const std::string url = started.json()["identity_check"]["url"];
    auto cb = hall.services().face_sandbox().make_callback(
        url.substr(url.rfind('/') + 1), ra::providers::FaceOutcome::pass, 0.99, "");
    ASSERT_TRUE(cb);
    EXPECT_NE(cb->url.find("/api/v1/callbacks/seal-binding"), std::string::npos) << cb->url;
    auto forged = *cb;
    forged.headers["x-sandbox-signature"] =
        "t=" +
        std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(hall.clock().now().time_since_epoch())
                .count()) +
        ",v1=" + std::string(64, 'a');
    auto reply = http_post(forged.url, HeaderList(forged.headers.begin(), forged.headers.end()),
                           forged.body);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 403);
    const auto binding =
        admin.get("/api/v1/seals/" + id + "/bindings/" + started.json()["id"].get<std::string>())
            .json();
    EXPECT_EQ(binding["identity_check"]["status"], "pending");
    // The genuine one is accepted.
    reply = http_post(cb->url, HeaderList(cb->headers.begin(), cb->headers.end()), cb->body);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200) << reply->body;
}

TEST_F(SealApi, ChallengeExpiresAfterFiveMinutes) {
    const auto id = request_seal(admin);
    const auto binding = start_binding(admin, id, true);
    hall.clock().advance(std::chrono::seconds(301));
    auto r = complete(admin, id, binding, org_cert.der, sign(*org_key, binding));
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json()["code"], "binding.challenge_expired");
    EXPECT_TRUE(admin.get("/api/v1/seals/" + id).json()["bound_certificates"].empty());
}

TEST_F(SealApi, AuthorizedPeopleUseTheSealAndEveryUseIsLogged) {
    const auto id = request_seal(admin);
    const auto binding = start_binding(admin, id, true);
    ASSERT_EQ(complete(admin, id, binding, org_cert.der, sign(*org_key, binding)).status, 200);
    const std::string base = "/api/v1/seals/" + id;
    Browser clerk(hall.port());
    clerk.login("13600136000");
    EXPECT_EQ(clerk.get(base).status, 404);  // not yet authorized
    auto bad = admin.post(base + "/authorizations", {{"name", "李四"}, {"phone", "12345"}});
    EXPECT_EQ(bad.status, 422);
    auto granted =
        admin.post(base + "/authorizations", {{"name", "李四"}, {"phone", "13600136000"}});
    ASSERT_EQ(granted.status, 201) << granted.body;
    EXPECT_EQ(
        admin.post(base + "/authorizations", {{"name", "李四"}, {"phone", "13600136000"}}).status,
        409);
    EXPECT_EQ(clerk.get(base).status, 200);
    EXPECT_EQ(clerk.get(base + "/authorizations").status, 404);  // managing is the admin's

    const std::string doc =
        core::hex_encode(crypto::sha256(core::as_bytes(std::string("合同正文"))));
    auto use = clerk.post(base + "/uses", {{"document_sha256", doc},
                                           {"document_name", "合同.pdf"},
                                           {"certificate_serial", org_cert.serial}});
    ASSERT_EQ(use.status, 201) << use.body;
    auto unbound =
        clerk.post(base + "/uses", {{"document_sha256", "xyz"}, {"certificate_serial", "01"}});
    EXPECT_EQ(unbound.status, 422);
    const auto codes = problem_codes(unbound);
    EXPECT_TRUE(has(codes, "use.document_hash_invalid"));
    EXPECT_TRUE(has(codes, "use.certificate_not_bound"));

    const auto log = admin.get(base + "/uses").json()["uses"];
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0]["document_sha256"], doc);
    EXPECT_EQ(log[0]["certificate_serial"], org_cert.serial);
    EXPECT_EQ(log[0]["signer"], "applicant:13600136000 (李四)");
    EXPECT_EQ(log[0]["at"], core::format_utc(hall.clock().now()));
    EXPECT_EQ(clerk.get(base + "/uses").status, 404);  // the log is the admin's

    // A suspended seal cannot be used.
    ASSERT_EQ(admin.post(base + "/suspend").status, 200);
    auto refused = clerk.post(base + "/uses",
                              {{"document_sha256", doc}, {"certificate_serial", org_cert.serial}});
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(refused.json()["code"], "seal.not_usable");
    ASSERT_EQ(admin.post(base + "/resume").status, 200);

    // Withdrawn: the person no longer sees the seal.
    const auto auth_id = granted.json()["id"].get<std::int64_t>();
    EXPECT_EQ(admin.send("DELETE", base + "/authorizations/" + std::to_string(auth_id)).status,
              204);
    EXPECT_EQ(clerk.get(base).status, 404);
    EXPECT_EQ(clerk
                  .post(base + "/uses",
                        {{"document_sha256", doc}, {"certificate_serial", org_cert.serial}})
                  .status,
              404);
    EXPECT_EQ(
        admin.get(base + "/authorizations").json()["authorizations"][0]["revoked_at"].is_string(),
        true);
    EXPECT_TRUE(has(audit_actions(), "seal.use"));
}

// The use logged from the signed PDF itself: the server verifies it and finds a valid signature
// by the seal's bound certificate; the hash is its own. Every refusal leaves the log unchanged.
TEST_F(SealApi, UseIsRecordedFromTheSignedDocumentOnlyWhenItProvesTheSeal) {
    const auto id = request_seal(admin);
    const auto binding = start_binding(admin, id, true);
    ASSERT_EQ(complete(admin, id, binding, org_cert.der, sign(*org_key, binding)).status, 200);
    const std::string base = "/api/v1/seals/" + id;
    const auto seal = esl(admin, id);
    const std::vector<core::Bytes> chain{hierarchy->issuing.record.certificate};
    const auto dir = hall.dir() / "docs";
    fs::create_directories(dir);
    const auto post = [&](const std::string& target, const std::string& body) {
        return admin.send("POST", target, body, "application/pdf");
    };
    const auto log_size = [&] { return admin.get(base + "/uses").json()["uses"].size(); };

    // Refusals first: each a 422 with its code, nothing logged.
    auto r = post(base + "/uses/document", "just some text, not a PDF");
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json()["code"], "use.not_pdf");
    r = post(base + "/uses/document", one_page_pdf());  // a PDF, but unsigned
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json()["code"], "use.no_seal_signature");
    // Signed with a certificate the seal does not bind.
    auto other_key = crypto::SoftKey::generate(m_alg);
    const auto other = issue(*other_key, other_code, kOtherOrg);
    r = post(base + "/uses/document",
             sealed_pdf(dir, seal, *other_key, other.der, chain, hall.clock().now()));
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json()["code"], "use.no_seal_signature");
    // Signed with the bound certificate, then changed inside the signed bytes.
    auto signed_pdf = sealed_pdf(dir, seal, *org_key, org_cert.der, chain, hall.clock().now());
    ASSERT_FALSE(signed_pdf.empty());
    auto tampered = signed_pdf;
    tampered[tampered.find("(Contract)") + 1] = 'K';
    r = post(base + "/uses/document", tampered);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json()["code"], "use.signature_invalid");
    EXPECT_FALSE(problem_codes(r).empty());
    EXPECT_EQ(log_size(), 0u);

    // The genuine document: recorded, verified, with the server's hash of the bytes sent.
    r = post(base + "/uses/document?name=%E5%90%88%E5%90%8C.pdf", signed_pdf);
    ASSERT_EQ(r.status, 201) << r.body;
    const auto use = r.json();
    EXPECT_EQ(use["verified"], true);
    EXPECT_EQ(use["document_sha256"], core::hex_encode(crypto::sha256(core::as_bytes(signed_pdf))));
    EXPECT_EQ(use["document_name"], "合同.pdf");
    EXPECT_EQ(use["certificate_serial"], org_cert.serial);
    // The JSON route still trusts its caller, and says so.
    r = admin.post(base + "/uses", {{"document_sha256", std::string(64, 'a')},
                                    {"certificate_serial", org_cert.serial}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["verified"], false);
    const auto log = admin.get(base + "/uses").json()["uses"];
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0]["verified"], false);
    EXPECT_EQ(log[1]["verified"], true);

    // Another seal of the organization, not bound: the same document proves nothing for it.
    const auto second = request_seal(admin, {{"kind", "finance"}});
    r = post("/api/v1/seals/" + second + "/uses/document", signed_pdf);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json()["code"], "use.no_seal_signature");
    // Someone else's seal does not exist for them; without a session, 401.
    Browser stranger(hall.port());
    stranger.login("13700137000");
    EXPECT_EQ(stranger.send("POST", base + "/uses/document", signed_pdf, "application/pdf").status,
              404);
    EXPECT_EQ(Browser(hall.port())
                  .send("POST", base + "/uses/document", signed_pdf, "application/pdf", false)
                  .status,
              401);
    // A suspended seal cannot be used, even with a proven document.
    ASSERT_EQ(admin.post(base + "/suspend").status, 200);
    r = post(base + "/uses/document", signed_pdf);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.json()["code"], "seal.not_usable");
    EXPECT_EQ(log_size(), 2u);
}

TEST_F(SealApi, PictureIsTheSealsPng) {
    const auto id = request_seal(admin, {{"kind", "official"}});
    auto r = admin.get("/api/v1/seals/" + id + "/picture.png");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers["content-type"], "image/png");
    EXPECT_EQ(r.headers["cache-control"], "private");
    EXPECT_EQ(r.body, core::to_string(esl(admin, id).picture.data));
    EXPECT_EQ(r.body.substr(1, 3), "PNG");
    Browser stranger(hall.port());
    stranger.login("13700137000");
    EXPECT_EQ(stranger.get("/api/v1/seals/" + id + "/picture.png").status, 404);
}

// Outside tools judge the re-made seal: python3-asn1crypto decodes it from the standard's ASN.1
// (tests/interop/seal_asn1.py, not our DER code) and the openssl CLI checks the maker's signature
// over DER(SES_SealInfo) with the maker's certificate (SM2 with the GM/T 0009 ID, SM3).
TEST_F(SealApi, RemadeSealDecodesIndependentlyAndOpensslVerifiesTheMaker) {
    const auto script = fs::path(__FILE__).parent_path().parent_path().parent_path() / "tests" /
                        "interop" / "seal_asn1.py";
    if (!fs::exists(script) || !fs::exists("/usr/bin/python3") || !fs::exists("/usr/bin/openssl"))
        GTEST_SKIP() << "needs " << script << ", python3 and openssl";
    const auto id = request_seal(admin, {{"kind", "official"}});
    const auto binding = start_binding(admin, id, true);
    ASSERT_EQ(complete(admin, id, binding, org_cert.der, sign(*org_key, binding)).status, 200);
    const auto dir = hall.dir() / "interop";
    fs::create_directories(dir);
    const auto write = [](const fs::path& p, std::string_view data) {
        std::ofstream(p, std::ios::binary) << data;
    };
    write(dir / "seal.esl", admin.get("/api/v1/seals/" + id + "/seal.esl").body);
    write(dir / "signer.der", core::to_string(org_cert.der));
    const std::string q = "'";
    auto decoded = run("/usr/bin/python3 " + q + script.string() + q + " seal " +
                           (dir / "seal.esl").string() + " " + dir.string() + " --name " + q +
                           kOrg + q + " --type 1 --signer " + (dir / "signer.der").string(),
                       [](const std::string&) {});
    EXPECT_EQ(decoded.exit_code, 0) << decoded.output;
    auto verified =
        run("cd " + dir.string() +
                " && openssl x509 -inform DER -in maker.der -pubkey -noout > maker.pub && "
                "openssl pkeyutl -verify -pubin -inkey maker.pub -rawin -digest sm3 "
                "-pkeyopt distid:1234567812345678 -in sealinfo.der -sigfile seal.sig",
            [](const std::string&) {});
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
    EXPECT_NE(verified.output.find("Signature Verified Successfully"), std::string::npos)
        << verified.output;
}

}  // namespace
}  // namespace eseal::server::testing
