#include "server/openapi.hpp"

#include "server/api_support.hpp"
#include "server/staff_routes.hpp"  // CA side (issue 7)

namespace eseal::server {
namespace {

using nlohmann::json;

json ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }
json str() { return {{"type", "string"}}; }
json integer() { return {{"type", "integer"}}; }
json nullable_str() { return {{"type", "string"}, {"nullable", true}}; }
json array_of(json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
json enum_of(std::initializer_list<const char*> values) {
    json e = json::array();
    for (auto v : values) e.push_back(v);
    return {{"type", "string"}, {"enum", e}};
}
json object(json properties, std::initializer_list<const char*> required = {}) {
    json o = {{"type", "object"}, {"properties", std::move(properties)}};
    if (required.size()) o["required"] = json(required);
    return o;
}

json problem_responses(const std::vector<int>& statuses) {
    json out = json::object();
    for (int s : statuses)
        out[std::to_string(s)] = {{"description", std::string(reason_phrase(s))},
                                  {"content", {{"application/problem+json", {{"schema", ref("Problem")}}}}}};
    return out;
}

json json_content(json schema) { return {{"application/json", {{"schema", std::move(schema)}}}}; }

struct Op {
    const char* method;
    const char* path;
    const char* summary;
    bool session;          // needs the session cookie (and X-CSRF-Token on writes)
    json request;          // JSON body schema, or null
    int status;            // success status
    json response;         // JSON schema, or a media type object for non-JSON
    std::vector<int> errors;
};

json id_param(const char* name, const char* description) {
    return {{"name", name}, {"in", "path"}, {"required", true}, {"schema", str()}, {"description", description}};
}

json schemas() {
    json person = object({{"name", str()}, {"id_number", str()}, {"phone", str()}, {"email", str()}}, {"name", "id_number"});
    json form = object({{"organization", object({{"name", str()}, {"credit_code", str()}}, {"name", "credit_code"})},
                        {"handler", ref("Person")},
                        {"holder", {{"allOf", json::array({ref("Person")})}, {"nullable", true}}},
                        {"algorithm", enum_of({"sm2", "ecdsa-p256", "rsa2048"})},
                        {"years", integer()},
                        {"delivery", enum_of({"post", "pickup"})},
                        {"address", str()},
                        {"recipient", str()},
                        {"recipient_phone", str()},
                        {"service_point", str()},
                        {"certificate_serial", str()},
                        {"revoke_reason", str()},
                        {"remarks", str()}},
                       {"organization", "handler"});
    json quote = object({{"total_fen", integer()},
                         {"total", str()},
                         {"lines", array_of(object({{"item", str()}, {"unit_fen", integer()}, {"quantity", integer()}, {"amount_fen", integer()}}))}});
    json application = object({{"id", str()},
                               {"business", enum_of({"new", "renew", "change", "lost-key", "unlock", "revoke"})},
                               {"cert_type", enum_of({"organization", "organization-individual"})},
                               {"channel", enum_of({"online", "counter"})},
                               {"state", enum_of({"draft", "submitted", "awaiting_payment", "paid", "in_review", "returned",
                                                  "approved", "issued", "shipped", "delivered", "cancelled"})},
                               {"version", integer()},
                               {"form", ref("ApplicationForm")},
                               {"fee_fen", integer()},
                               {"quote", ref("Quote")},
                               {"created_at", str()},
                               {"updated_at", str()},
                               {"submitted_at", nullable_str()},
                               {"paid_at", nullable_str()}});
    json material = object({{"kind", str()}, {"content_type", enum_of({"image/jpeg", "image/png", "application/pdf"})},
                            {"size", integer()}, {"sha256", str()}, {"file_name", str()}, {"uploaded_at", str()},
                            {"verdict", str()}, {"verdict_reason", str()}, {"href", str()}});
    json payment = object({{"order_no", str()}, {"application_id", str()},
                           {"method", enum_of({"wechat", "alipay", "bank_transfer", "counter"})},
                           {"amount_fen", integer()}, {"amount", str()},
                           {"status", enum_of({"created", "paid", "refunding", "refunded", "closed", "rejected"})},
                           {"qr_content", str()}, {"qr_png", nullable_str()}, {"transaction_id", str()},
                           {"created_at", str()}, {"paid_at", nullable_str()}, {"refunded_at", nullable_str()}});
    json check = object({{"id", str()}, {"application_id", str()}, {"name", str()}, {"id_number", str()},
                         {"provider", str()}, {"url", str()}, {"qr_png", str()},
                         {"status", enum_of({"pending", "passed", "failed"})}, {"detail", str()},
                         {"created_at", str()}, {"finished_at", nullable_str()}});
    json problem = object({{"type", str()}, {"title", str()}, {"status", integer()}, {"code", str()}, {"detail", str()},
                           {"problems", array_of(object({{"field", str()}, {"code", str()}, {"message", str()}}))}},
                          {"type", "status", "code"});
    return {{"Person", person},
            {"ApplicationForm", form},
            {"Quote", quote},
            {"Application", application},
            {"Material", material},
            {"MaterialStatus", object({{"kind", str()}, {"label", str()}, {"stamped", {{"type", "boolean"}}},
                                       {"uploaded", {{"allOf", json::array({ref("Material")})}, {"nullable", true}}}})},
            {"TimelineEntry", object({{"at", str()}, {"actor", str()}, {"event", str()}, {"from", str()}, {"to", str()}, {"message", str()}})},
            {"Payment", payment},
            {"IdentityCheck", check},
            {"ServicePoint", {{"type", "object"}, {"additionalProperties", true}}},
            {"Problem", problem}};
}

std::vector<Op> operations() {
    const json png = {{"image/png", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
    const json pdf = {{"application/pdf", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
    const json any_file = {{"application/octet-stream", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
    return {
        {"post", "/api/v1/auth/sms-code", "Send a login code by SMS", false, object({{"phone", str()}}, {"phone"}), 202,
         object({{"sent", {{"type", "boolean"}}}, {"expires_in", integer()}}), {422, 429}},
        {"post", "/api/v1/auth/login", "Log in with the SMS code; sets the session cookie", false,
         object({{"phone", str()}, {"code", str()}}, {"phone", "code"}), 200,
         object({{"account_id", integer()}, {"phone", str()}, {"csrf_token", str()}, {"expires_at", str()}}), {401, 422}},
        {"post", "/api/v1/auth/logout", "Log out", true, nullptr, 204, nullptr, {401, 403}},
        {"post", "/api/v1/staff/login", "CA staff log in with login and password; sets the session cookie", false,
         object({{"login", str()}, {"password", str()}}, {"login", "password"}), 200,
         object({{"login", str()}, {"display_name", str()}, {"roles", array_of(str())}, {"csrf_token", str()}, {"expires_at", str()}}),
         {401, 422}},
        {"get", "/api/v1/staff/me", "The logged-in staff member, roles and CSRF token", true, nullptr, 200,
         object({{"login", str()}, {"roles", array_of(str())}, {"csrf_token", str()}, {"expires_at", str()}}), {401, 403}},
        {"get", "/api/v1/me", "The logged-in applicant, CSRF token and consents", true, nullptr, 200,
         object({{"account_id", integer()}, {"phone", str()}, {"csrf_token", str()}, {"consent_current", {{"type", "boolean"}}}}), {401}},
        {"get", "/api/v1/agreements", "Current service agreement and privacy policy", false, nullptr, 200,
         object({{"agreements", array_of(object({{"document", str()}, {"version", str()}, {"title", str()}, {"text", str()}}))}}), {}},
        {"post", "/api/v1/consents", "Accept the current agreement and privacy policy", true,
         object({{"agreement_version", str()}, {"privacy_version", str()}}, {"agreement_version", "privacy_version"}), 201,
         object({{"agreement_version", str()}, {"privacy_version", str()}}), {401, 403, 422}},
        {"get", "/api/v1/catalogue", "Categories, product, certificate types, fees and materials", false, nullptr, 200,
         {{"type", "object"}}, {}},
        {"get", "/api/v1/service-points", "Service points, open now or at ?at=", false, nullptr, 200,
         object({{"service_points", array_of(ref("ServicePoint"))}}), {422}},
        {"post", "/api/v1/applications", "Create an application (a draft)", true,
         object({{"business", str()}, {"cert_type", str()}, {"form", ref("ApplicationForm")}}, {"business", "cert_type", "form"}),
         201, ref("Application"), {401, 403, 422}},
        {"get", "/api/v1/applications", "My applications (?state=)", true, nullptr, 200,
         object({{"applications", array_of(ref("Application"))}}), {401, 422}},
        {"get", "/api/v1/applications/{id}", "One application", true, nullptr, 200, ref("Application"), {401, 404}},
        {"put", "/api/v1/applications/{id}", "Change the form of a draft or returned application", true,
         object({{"version", integer()}, {"form", ref("ApplicationForm")}}, {"version", "form"}), 200, ref("Application"),
         {401, 403, 404, 409, 422}},
        {"get", "/api/v1/applications/{id}/timeline", "What happened, in order", true, nullptr, 200,
         object({{"timeline", array_of(ref("TimelineEntry"))}}), {401, 404}},
        {"get", "/api/v1/applications/{id}/quote", "The fee", true, nullptr, 200, ref("Quote"), {401, 404}},
        {"get", "/api/v1/applications/{id}/form.pdf", "The application form generated from the data entered", true, nullptr,
         200, pdf, {401, 404}},
        {"post", "/api/v1/applications/{id}/submit", "Submit (everything missing is reported at once)", true, nullptr, 200,
         ref("Application"), {401, 403, 404, 409, 422}},
        {"post", "/api/v1/applications/{id}/cancel", "Cancel before issue; a paid application is refunded", true,
         object({{"reason", str()}}), 200, ref("Application"), {401, 403, 404, 409}},
        {"get", "/api/v1/applications/{id}/materials", "Required materials and what is uploaded", true, nullptr, 200,
         object({{"materials", array_of(ref("MaterialStatus"))}, {"limit_bytes", integer()}}), {401, 404}},
        {"put", "/api/v1/applications/{id}/materials/{kind}",
         "Upload a material: the body is the file (JPEG, PNG or PDF, judged by content); ?filename=", true, any_file, 201,
         ref("Material"), {401, 403, 404, 409, 413, 422}},
        {"get", "/api/v1/applications/{id}/materials/{kind}", "Download a material", true, nullptr, 200, any_file, {401, 404}},
        {"delete", "/api/v1/applications/{id}/materials/{kind}", "Delete a material (draft or returned)", true, nullptr, 204,
         nullptr, {401, 403, 404, 409}},
        {"post", "/api/v1/applications/{id}/identity-checks", "Start the handler's face verification", true, nullptr, 201,
         ref("IdentityCheck"), {401, 403, 404, 409}},
        {"get", "/api/v1/applications/{id}/identity-checks", "The handler's identity checks", true, nullptr, 200,
         object({{"identity_checks", array_of(ref("IdentityCheck"))}}), {401, 404}},
        {"get", "/api/v1/identity-checks/{check}/qr.png", "The face verification link as a QR code", true, nullptr, 200, png,
         {401, 404}},
        {"post", "/api/v1/applications/{id}/payments", "Pay: WeChat Pay / Alipay order with QR code, or bank transfer", true,
         object({{"method", enum_of({"wechat", "alipay", "bank_transfer"})}}, {"method"}), 201, ref("Payment"),
         {401, 403, 404, 409, 422}},
        {"get", "/api/v1/applications/{id}/payments", "The application's payments", true, nullptr, 200,
         object({{"payments", array_of(ref("Payment"))}}), {401, 404}},
        {"get", "/api/v1/payments/{order}/qr.png", "The payment QR code", true, nullptr, 200, png, {401, 404}},
        {"post", "/api/v1/callbacks/payments/wechat", "WeChat Pay notification (signed, encrypted resource)", false,
         {{"type", "object"}}, 200, {{"type", "object"}}, {400}},
        {"post", "/api/v1/callbacks/payments/alipay", "Alipay notification (form-encoded, RSA2-signed)", false, nullptr, 200,
         nullptr, {400}},
        {"post", "/api/v1/callbacks/identity", "Face verification result (HMAC-signed)", false, {{"type", "object"}}, 200,
         object({{"received", {{"type", "boolean"}}}, {"status", str()}}), {403, 404}},
        // ---- seal management (issue 8; server/seal_routes.cpp, docs/seals.md) ----
        {"get", "/api/v1/seals", "Seals of the organizations I am seal admin of", true, nullptr, 200,
         object({{"seals", array_of({{"type", "object"}})}}), {401}},
        {"post", "/api/v1/seals", "Request a seal (drawn, or from a scan); made by the platform's seal maker", true,
         object({{"credit_code", str()}, {"kind", enum_of({"official", "finance", "invoice", "contract", "legal-rep"})},
                 {"name", str()}, {"code", str()}, {"taxpayer", str()}, {"valid_end", str()}, {"scan_base64", str()},
                 {"scan_width_mm", {{"type", "number"}}}},
                {"credit_code", "kind"}),
         201, {{"type", "object"}}, {401, 403, 422, 501}},
        {"get", "/api/v1/seals/{seal}", "One seal (its admin, or a person authorized to use it)", true, nullptr, 200,
         {{"type", "object"}}, {401, 404}},
        {"get", "/api/v1/seals/{seal}/seal.esl", "The SESeal (GB/T 38540-2020), DER", true, nullptr, 200, any_file, {401, 404}},
        {"post", "/api/v1/seals/{seal}/suspend", "Suspend an active seal", true, object({{"reason", str()}}), 200,
         {{"type", "object"}}, {401, 403, 404, 409}},
        {"post", "/api/v1/seals/{seal}/resume", "Resume a suspended seal", true, nullptr, 200, {{"type", "object"}},
         {401, 403, 404, 409}},
        {"post", "/api/v1/seals/{seal}/revoke", "Revoke a seal (final)", true, object({{"reason", str()}}), 200,
         {{"type", "object"}}, {401, 403, 404, 409}},
        {"get", "/api/v1/seals/{seal}/authorizations", "Who may use the seal", true, nullptr, 200,
         object({{"authorizations", array_of({{"type", "object"}})}}), {401, 404}},
        {"post", "/api/v1/seals/{seal}/authorizations", "Authorize a named person (name + mobile) to use the seal", true,
         object({{"name", str()}, {"phone", str()}}, {"name", "phone"}), 201, {{"type", "object"}}, {401, 403, 404, 409, 422}},
        {"delete", "/api/v1/seals/{seal}/authorizations/{authorization}", "Withdraw an authorization", true, nullptr, 204,
         nullptr, {401, 403, 404}},
        {"get", "/api/v1/seals/{seal}/uses", "The seal's usage log, newest first (?limit=)", true, nullptr, 200,
         object({{"uses", array_of({{"type", "object"}})}}), {401, 404, 422}},
        {"post", "/api/v1/seals/{seal}/uses", "Log one use of the seal (document hash, signer certificate)", true,
         object({{"document_sha256", str()}, {"document_name", str()}, {"certificate_serial", str()}},
                {"document_sha256", "certificate_serial"}),
         201, {{"type", "object"}}, {401, 403, 404, 409, 422}},
        {"post", "/api/v1/seals/{seal}/uses/document",
         "Log one use from the signed PDF itself (the body; ?name=): recorded, verified: true, only if a "
         "signature in it is valid and made with a certificate the seal binds; the hash is the server's",
         true, any_file, 201, {{"type", "object"}}, {401, 403, 404, 409, 413, 422}},
        {"get", "/api/v1/seals/{seal}/picture.png", "The seal's picture (PNG, from the stored SESeal)", true, nullptr,
         200, png, {401, 404}},
        {"post", "/api/v1/seals/{seal}/bindings", "Start binding a Ukey: a one-time challenge and a face check", true, nullptr,
         201, {{"type", "object"}}, {401, 403, 404, 409}},
        {"get", "/api/v1/seals/{seal}/bindings/{binding}", "A binding's challenge and face check", true, nullptr, 200,
         {{"type", "object"}}, {401, 404}},
        {"get", "/api/v1/seals/{seal}/bindings/{binding}/qr.png", "The binding's face check link as a QR code", true, nullptr,
         200, png, {401, 404}},
        {"post", "/api/v1/seals/{seal}/bindings/{binding}/complete",
         "Finish binding: the Ukey's certificate and its signature over the challenge message (base64)", true,
         object({{"certificate", str()}, {"signature", str()}}, {"certificate", "signature"}), 200, {{"type", "object"}},
         {401, 403, 404, 409, 422}},
        {"post", "/api/v1/callbacks/seal-binding", "Face verification result for a Ukey binding (HMAC-signed)", false,
         {{"type", "object"}}, 200, object({{"received", {{"type", "boolean"}}}, {"status", str()}}), {403, 404}},
        // ---- end of seal management ----
        // ---- public verification (issue 9; server/verify_routes.cpp) ----
        {"post", "/api/v1/verify",
         "Verify every signature of a PDF or OFD (the body; judged by content) against the platform's CAs; no login",
         false, any_file, 200,
         object({{"kind", enum_of({"pdf", "ofd"})}, {"valid", {{"type", "boolean"}}}, {"file_size", integer()},
                 {"sha256", str()}, {"verified_at", str()}, {"signatures", array_of({{"type", "object"}})},
                 {"problems", array_of({{"type", "object"}})}, {"warnings", array_of({{"type", "object"}})}}),
         {400, 413, 422}},
        // ---- end of public verification ----
        {"get", "/api/v1/openapi.json", "This document", false, nullptr, 200, {{"type", "object"}}, {}},
    };
}

}  // namespace

json openapi_document() {
    json paths = json::object();
    for (const auto& op : operations()) {
        json o = {{"summary", op.summary}, {"operationId", std::string(op.method) + std::string(op.path)}};
        json params = json::array();
        const std::string path = op.path;
        for (std::size_t at = path.find('{'); at != std::string::npos; at = path.find('{', at + 1)) {
            const auto name = path.substr(at + 1, path.find('}', at) - at - 1);
            params.push_back(id_param(name.c_str(), name == "id" ? "application id" : name.c_str()));
        }
        if (!params.empty()) o["parameters"] = params;
        if (op.session) {
            o["security"] = json::array({{{"session", json::array()}}});
            if (std::string(op.method) != "get")
                o["parameters"].push_back({{"name", "X-CSRF-Token"}, {"in", "header"}, {"required", true}, {"schema", str()}});
        }
        if (!op.request.is_null()) {
            const bool raw = op.request.contains("application/octet-stream");
            o["requestBody"] = {{"required", true}, {"content", raw ? op.request : json_content(op.request)}};
        }
        json responses = problem_responses(op.errors);
        json ok = {{"description", "success"}};
        if (!op.response.is_null()) {
            const bool media = op.response.contains("image/png") || op.response.contains("application/pdf") ||
                               op.response.contains("application/octet-stream");
            ok["content"] = media ? op.response : json_content(op.response);
        }
        responses[std::to_string(op.status)] = ok;
        o["responses"] = responses;
        paths[op.path][op.method] = o;
    }
    // ---- CA side (issue 7): the staff routes describe themselves (server/staff_routes.cpp) ----
    const json staff_paths = staff_openapi_paths();
    for (const auto& [path, ops] : staff_paths.items())
        for (const auto& [method, o] : ops.items()) paths[path][method] = o;
    // ---- end CA side ----
    return {{"openapi", "3.0.3"},
            {"info", {{"title", "eseal online business hall"}, {"version", "1"},
                      {"description", "Applications for organization certificates on Ukeys (DESIGN §5, §7). Errors are RFC 9457 problem details with a stable code."}}},
            {"paths", paths},
            {"components",
             {{"schemas", schemas()},
              {"securitySchemes", {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "eseal_session"}}}}}}}};
}

void add_openapi_route(Router& router) {
    router.add("GET", "/api/v1/openapi.json", [doc = openapi_document().dump()](const Request&, const Captures&) {
        Response r;
        r.content_type = "application/json; charset=utf-8";
        r.body = doc;
        r.set("Cache-Control", "public, max-age=300");
        return r;
    });
}

}  // namespace eseal::server
