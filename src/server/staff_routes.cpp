#include "server/staff_routes.hpp"

#include <algorithm>
#include <charconv>

#include "ra/duties.hpp"
#include "ra/render/invoice_pdf.hpp"
#include "server/api_support.hpp"
#include "server/hall_json.hpp"

namespace eseal::server {
namespace {

using nlohmann::json;
using ra::Duty;

using StaffHandler = std::function<Response(StaffContext&, const Request&, const Captures&, const ra::Actor&)>;

struct StaffRoute {
    StaffRouteRule rule;
    const char* summary;
    json request;   // JSON body schema, or null
    int status;
    json response;  // JSON schema
    std::vector<int> errors;
    StaffHandler handler;
};

json str() { return {{"type", "string"}}; }
json boolean() { return {{"type", "boolean"}}; }
json app_ref() { return {{"$ref", "#/components/schemas/Application"}}; }
json object(json properties, std::vector<std::string> required = {}) {
    json o = {{"type", "object"}, {"properties", std::move(properties)}};
    if (!required.empty()) o["required"] = required;
    return o;
}
json desk_schema() {
    return object({{"application", app_ref()},
                   {"review_due", str()},
                   {"ship_due", {{"type", "string"}, {"nullable", true}}},
                   {"overdue", boolean()},
                   {"desk", {{"type", "object"}, {"additionalProperties", true}}}});
}

std::string opt_time(const std::optional<core::TimePoint>& t) { return t ? core::format_utc(*t) : std::string(); }

json desk_json(const ra::DeskRecord& d) {
    return {{"reviewer", d.reviewer},
            {"review_started_at", opt_time(d.review_started_at)},
            {"decided_by", d.decided_by},
            {"approved_at", opt_time(d.approved_at)},
            {"return_reason", d.return_reason},
            {"counter_checked", d.counter_checked},
            {"fulfilled_by", d.fulfilled_by},
            {"fulfilled_at", opt_time(d.fulfilled_at)},
            {"token_serial", d.token_serial},
            {"token_driver", d.token_driver},
            {"certificate_serial", d.certificate_serial},
            {"replaced_serial", d.replaced_serial},
            {"replaced_reason", d.replaced_reason},
            {"carrier", d.carrier},
            {"tracking_no", d.tracking_no},
            {"shipped_at", opt_time(d.shipped_at)},
            {"delivered_at", opt_time(d.delivered_at)}};
}

json item_json(StaffContext& ctx, const ra::QueueItem& item) {
    return {{"application", to_json(item.application, ctx.hall.applications.quote(item.application))},
            {"due", core::format_utc(item.due)},
            {"overdue", item.overdue},
            {"reviewer", item.reviewer}};
}

Response app_response(StaffContext& ctx, const core::Result<ra::Application>& a) {
    if (!a) return problem_response(a.error());
    return json_response(200, to_json(*a, ctx.hall.applications.quote(*a)));
}

Response queue_response(StaffContext& ctx, const core::Result<std::vector<ra::QueueItem>>& q) {
    if (!q) return problem_response(q.error());
    json items = json::array();
    for (const auto& item : *q) items.push_back(item_json(ctx, item));
    return json_response(200, {{"items", items}});
}

// ---- the staff console (issue 9) ----
json nullable(json schema) {
    schema["nullable"] = true;
    return schema;
}
json audit_event_schema() {
    return object({{"id", {{"type", "integer"}}}, {"at", str()}, {"actor", str()}, {"action", str()}, {"object", str()},
                   {"detail", str()}, {"hash", str()}});
}
json certificate_schema() {
    return object({{"serial", str()},
                   {"subject", str()},
                   {"credit_code", nullable(str())},
                   {"algorithm", nullable({{"type", "string"}, {"enum", {"sm2", "ecdsa-p256", "rsa2048", "rsa3072"}}})},
                   {"issuer", str()},
                   {"not_before", str()},
                   {"not_after", str()},
                   {"status", {{"type", "string"}, {"enum", {"good", "revoked", "expired"}}}},
                   {"revoked_at", nullable(str())},
                   {"revocation_reason", nullable(str())},
                   {"application_id", nullable(str())}});
}
json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json certificate_json(const ra::CertificateView& v) {
    const auto& c = v.record;
    return {{"serial", c.serial},
            {"subject", c.subject},
            {"credit_code", text_or_null(c.credit_code)},
            {"algorithm", v.algorithm ? json(std::string(crypto::to_string(*v.algorithm))) : json(nullptr)},
            {"issuer", c.ca},
            {"not_before", core::format_utc(c.not_before)},
            {"not_after", core::format_utc(c.not_after)},
            {"status", std::string(ra::to_string(v.state))},
            {"revoked_at", c.revoked_at ? json(core::format_utc(*c.revoked_at)) : json(nullptr)},
            {"revocation_reason", text_or_null(c.revocation_reason)},
            {"application_id", text_or_null(v.application_id)}};
}
// An integer query parameter; a problem at its name if it is not one.
std::optional<std::int64_t> integer_param(const Request& req, std::string_view name, std::vector<core::Problem>& problems) {
    const auto text = query_param(req, name);
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || text->empty()) {
        problems.push_back({"field.type", "must be an integer", std::string(name)});
        return std::nullopt;
    }
    return value;
}
// A page size as the domain checks it (out of range stays out of range, and is refused there).
std::size_t clamp_limit(std::int64_t n) { return n < 1 ? 0 : static_cast<std::size_t>(std::min<std::int64_t>(n, 100000)); }
std::optional<std::string> nonempty_param(const Request& req, std::string_view name) {
    auto v = query_param(req, name);
    if (v && v->empty()) return std::nullopt;
    return v;
}
// Query parameters of the staff GET routes, for the OpenAPI document.
std::vector<std::pair<std::string, json>> query_parameters(const std::string& path) {
    const json integer = {{"type", "integer"}};
    if (path == "/api/v1/staff/audit")
        return {{"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", ra::kAuditPageMax}, {"default", 50}}},
                {"before", integer}, {"actor", str()}, {"action", str()}, {"object", str()}};
    if (path == "/api/v1/staff/certificates")
        return {{"q", str()}, {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", ra::kCertificatePageMax}, {"default", 50}}}};
    if (path == "/api/v1/staff/tokens") return {{"state", str()}};
    return {};
}

// The body as an object, or an empty one when there is none.
core::Result<json> optional_body(const Request& req) {
    if (req.body.empty()) return json::object();
    return json_body(req);
}

std::vector<StaffRoute> routes() {
    const std::vector<int> writes{401, 403, 404, 409, 422};
    return {
        {{"GET", "/api/v1/staff/review-queue", {Duty::read}},
         "Paid and in-review applications, most urgent first (review due one working day after payment)", nullptr, 200,
         object({{"items", {{"type", "array"}, {"items", object({{"application", app_ref()}, {"due", str()}, {"overdue", boolean()}, {"reviewer", str()}})}}}}),
         {401, 403},
         [](StaffContext& ctx, const Request&, const Captures&, const ra::Actor& actor) {
             return queue_response(ctx, ctx.desk.review_queue(actor));
         }},
        {{"GET", "/api/v1/staff/fulfilment-queue", {Duty::read}},
         "Approved and issued applications by ship due (three working days after approval)", nullptr, 200,
         object({{"items", {{"type", "array"}, {"items", object({{"application", app_ref()}, {"due", str()}, {"overdue", boolean()}, {"reviewer", str()}})}}}}),
         {401, 403},
         [](StaffContext& ctx, const Request&, const Captures&, const ra::Actor& actor) {
             return queue_response(ctx, ctx.desk.fulfilment_queue(actor));
         }},
        {{"GET", "/api/v1/staff/applications/{id}/desk", {Duty::read}},
         "An application with what staff did with it, its deadlines and whether they are passed", nullptr, 200, desk_schema(),
         {401, 403, 404},
         [](StaffContext& ctx, const Request&, const Captures& c, const ra::Actor& actor) {
             auto a = ctx.hall.applications.get(actor, c.at("id"));
             if (!a) return problem_response(a.error());
             auto d = ctx.desk.record(actor, a->id);
             if (!d) return problem_response(d.error());
             auto due = ctx.desk.review_due(*a);
             if (!due) return problem_response(due.error());
             auto ship = ctx.desk.ship_due(*a, *d);
             if (!ship) return problem_response(ship.error());
             const auto now = ctx.hall.clock.now();
             const bool reviewing = a->state == ra::State::paid || a->state == ra::State::in_review;
             const bool shipping = a->state == ra::State::approved || a->state == ra::State::issued;
             return json_response(200, {{"application", to_json(*a, ctx.hall.applications.quote(*a))},
                                        {"review_due", core::format_utc(*due)},
                                        {"ship_due", *ship ? json(core::format_utc(**ship)) : json(nullptr)},
                                        {"overdue", (reviewing && *due < now) || (shipping && *ship && **ship < now)},
                                        {"desk", *d ? desk_json(**d) : json::object()}});
         }},
        {{"POST", "/api/v1/staff/applications/{id}/claim", {Duty::review}}, "Start reviewing a paid application", nullptr,
         200, app_ref(), writes,
         [](StaffContext& ctx, const Request&, const Captures& c, const ra::Actor& actor) {
             return app_response(ctx, ctx.desk.claim(actor, c.at("id")));
         }},
        {{"PUT", "/api/v1/staff/applications/{id}/materials/{kind}/verdict", {Duty::review}},
         "Accept a material, or reject it with the reason the applicant will read",
         object({{"accepted", boolean()}, {"reason", str()}}, {"accepted"}), 200,
         {{"$ref", "#/components/schemas/Material"}}, writes,
         nullptr},  // verdict_handler (below)
        {{"POST", "/api/v1/staff/applications/{id}/approve", {Duty::review}},
         "Approve (every material accepted; the certificate concerned is the organization's own)", nullptr, 200, app_ref(),
         writes,
         [](StaffContext& ctx, const Request&, const Captures& c, const ra::Actor& actor) {
             return app_response(ctx, ctx.desk.approve(actor, c.at("id")));
         }},
        {{"POST", "/api/v1/staff/applications/{id}/return", {Duty::review}},
         "Return to the applicant with the rejected materials' reasons (and an overall one)", object({{"reason", str()}}),
         200, app_ref(), writes,
         [](StaffContext& ctx, const Request& req, const Captures& c, const ra::Actor& actor) {
             auto body = optional_body(req);
             if (!body) return problem_response(body.error());
             JsonReader r(*body);
             const auto reason = r.text("reason");
             if (!r.problems().empty())
                 return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", r.problems()});
             return app_response(ctx, ctx.desk.send_back(actor, c.at("id"), reason));
         }},
        {{"POST", "/api/v1/staff/applications/{id}/fulfil", {Duty::issue, Duty::revoke}},
         "Fulfil an approved application: key generated on a Ukey from the inventory and the certificate written to it "
         "(PIN by SMS); unlock; revoke (CA operator)",
         object({{"token_serial", str()}, {"label", str()}}), 200, app_ref(), {401, 403, 404, 409, 422, 501},
         [](StaffContext& ctx, const Request& req, const Captures& c, const ra::Actor& actor) {
             auto body = optional_body(req);
             if (!body) return problem_response(body.error());
             JsonReader r(*body);
             ra::FulfilRequest f;
             f.token_serial = r.text("token_serial");
             f.label = r.text("label");
             if (!r.problems().empty())
                 return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", r.problems()});
             return app_response(ctx, ctx.desk.fulfil(actor, c.at("id"), f));
         }},
        {{"POST", "/api/v1/staff/applications/{id}/ship", {Duty::ship}}, "Record the parcel: carrier and tracking number (SMS to the handler)",
         object({{"carrier", str()}, {"tracking_no", str()}}, {"carrier", "tracking_no"}), 200, app_ref(), writes,
         [](StaffContext& ctx, const Request& req, const Captures& c, const ra::Actor& actor) {
             auto body = json_body(req);
             if (!body) return problem_response(body.error());
             JsonReader r(*body);
             const auto carrier = r.text("carrier");
             const auto tracking = r.text("tracking_no");
             if (!r.problems().empty())
                 return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", r.problems()});
             return app_response(ctx, ctx.desk.ship(actor, c.at("id"), carrier, tracking));
         }},
        {{"POST", "/api/v1/staff/applications/{id}/deliver", {Duty::ship, Duty::hand_over}},
         "Delivered: the courier's notice (shipped), or handed over at a service point (issued)", nullptr, 200, app_ref(),
         writes,
         [](StaffContext& ctx, const Request&, const Captures& c, const ra::Actor& actor) {
             return app_response(ctx, ctx.desk.deliver(actor, c.at("id")));
         }},
        {{"POST", "/api/v1/staff/counter/applications", {Duty::counter}},
         "Counter: open and submit an application for a walk-in handler, with the counter materials checked",
         object({{"business", str()}, {"cert_type", str()}, {"form", {{"$ref", "#/components/schemas/ApplicationForm"}}},
                 {"checked", {{"type", "array"}, {"items", str()}}}},
                {"business", "cert_type", "form", "checked"}),
         201, app_ref(), writes,
         [](StaffContext& ctx, const Request& req, const Captures&, const ra::Actor& actor) {
             auto body = json_body(req);
             if (!body) return problem_response(body.error());
             std::vector<core::Problem> problems;
             JsonReader r(*body);
             r.share(problems);
             const auto business = ra::parse_business(r.text("business", true));
             const auto type = ra::parse_cert_type(r.text("cert_type", true));
             if (!business && body->contains("business"))
                 problems.push_back({"field.enum", "is one of new, renew, change, lost-key, unlock, revoke", "business"});
             if (!type && body->contains("cert_type"))
                 problems.push_back({"field.enum", "is organization or organization-individual", "cert_type"});
             std::vector<std::string> checked;
             const auto list = body->find("checked");
             if (list == body->end() || !list->is_array() ||
                 !std::all_of(list->begin(), list->end(), [](const json& x) { return x.is_string(); }))
                 problems.push_back({"field.type", "a list of the counter list's items checked", "checked"});
             else
                 for (const auto& x : *list) checked.push_back(x.get<std::string>());
             const json* form_doc = r.object("form");
             if (!form_doc && problems.empty()) problems.push_back({"field.required", "is required", "form"});
             std::optional<ra::ApplicationForm> form;
             if (form_doc) {
                 auto f = form_from_json(*form_doc);
                 if (!f) for (auto& p : f.error().problems) problems.push_back({p.code, p.message, "form." + p.field});
                 else form = *f;
             }
             if (!problems.empty())
                 return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", problems});
             auto opened = ctx.desk.counter_open(actor, *business, *type, *form, checked);
             if (!opened) return problem_response(opened.error());
             auto res = json_response(201, to_json(*opened, ctx.hall.applications.quote(*opened)));
             res.set("Location", "/api/v1/applications/" + opened->id);
             return res;
         }},
        {{"POST", "/api/v1/staff/counter/applications/{id}/payment", {Duty::counter}},
         "Counter: take payment in cash or by card (the application is then paid)",
         object({{"method", {{"type", "string"}, {"enum", {"cash", "card"}}}}, {"reference", str()}}, {"method", "reference"}), 201,
         {{"$ref", "#/components/schemas/Payment"}}, writes,
         [](StaffContext& ctx, const Request& req, const Captures& c, const ra::Actor& actor) {
             auto body = json_body(req);
             if (!body) return problem_response(body.error());
             JsonReader r(*body);
             const auto method = r.text("method");
             const auto reference = r.text("reference");
             if (!r.problems().empty())
                 return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", r.problems()});
             auto paid = ctx.desk.counter_payment(actor, c.at("id"), method, reference);
             if (!paid) return problem_response(paid.error());
             return json_response(201, to_json(*paid));
         }},
        {{"GET", "/api/v1/staff/tokens", {Duty::issue, Duty::counter}}, "The Ukey inventory (?state=in_stock)", nullptr, 200,
         object({{"tokens", {{"type", "array"}, {"items", object({{"serial", str()}, {"driver", str()}, {"label", str()}, {"state", str()}})}}}}),
         {401, 403, 422},
         [](StaffContext& ctx, const Request& req, const Captures&, const ra::Actor&) {
             std::optional<token::TokenState> state;
             if (auto s = query_param(req, "state")) {
                 state = token::parse_token_state(*s);
                 if (!state) return problem_response(422, "request.state", "unknown token state " + *s);
             }
             auto list = ctx.tokens.list_tokens(state);
             if (!list) return problem_response(list.error());
             json out = json::array();
             for (const auto& t : *list)
                 if (!state || t.state == *state)
                     out.push_back({{"serial", t.serial}, {"driver", t.driver}, {"label", t.label}, {"state", token::to_string(t.state)}});
             return json_response(200, {{"tokens", out}});
         }},
        // ---- the staff console (issue 9): audit log, certificates and revocation, bank transfers ----
        {{"GET", "/api/v1/staff/audit", {Duty::audit}},
         "The hash-chained audit log, newest first, filtered (actor and object exact, action by prefix); next_before pages back",
         nullptr, 200,
         object({{"events", {{"type", "array"}, {"items", audit_event_schema()}}},
                 {"next_before", {{"type", "integer"}, {"nullable", true}}}}),
         {401, 403, 422},
         [](StaffContext& ctx, const Request& req, const Captures&, const ra::Actor& actor) {
             std::vector<core::Problem> problems;
             ra::AuditQuery q;
             if (auto limit = integer_param(req, "limit", problems)) q.limit = clamp_limit(*limit);
             q.before = integer_param(req, "before", problems);
             q.actor = nonempty_param(req, "actor");
             q.action_prefix = nonempty_param(req, "action");
             q.object = nonempty_param(req, "object");
             if (!problems.empty())
                 return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", problems});
             auto page = ctx.audit.list(actor, q);
             if (!page) return problem_response(page.error());
             json events = json::array();
             for (const auto& e : page->events)
                 events.push_back({{"id", e.id},
                                   {"at", core::format_utc(e.event.at)},
                                   {"actor", e.event.actor},
                                   {"action", e.event.action},
                                   {"object", e.event.object},
                                   {"detail", e.event.detail},
                                   {"hash", e.hash}});
             return json_response(200, {{"events", events},
                                        {"next_before", page->next_before ? json(*page->next_before) : json(nullptr)}});
         }},
        {{"GET", "/api/v1/staff/audit/verify", {Duty::audit}},
         "Check the whole audit chain and list every break (recorded as audit.verify)", nullptr, 200,
         object({{"events", {{"type", "integer"}}},
                 {"ok", boolean()},
                 {"breaks", {{"type", "array"}, {"items", object({{"id", {{"type", "integer"}}}, {"problem", str()}})}}}}),
         {401, 403},
         [](StaffContext& ctx, const Request&, const Captures&, const ra::Actor& actor) {
             auto check = ctx.audit.verify(actor);
             if (!check) return problem_response(check.error());
             json breaks = json::array();
             for (const auto& b : check->breaks) breaks.push_back({{"id", b.id}, {"problem", b.problem}});
             return json_response(200, {{"events", check->events}, {"ok", check->ok()}, {"breaks", breaks}});
         }},
        {{"GET", "/api/v1/staff/certificates", {Duty::read}},
         "Certificates by serial (hex, any case, colons allowed), credit code or subject text (?q=), newest first", nullptr,
         200, object({{"certificates", {{"type", "array"}, {"items", certificate_schema()}}}}), {401, 403, 422},
         [](StaffContext& ctx, const Request& req, const Captures&, const ra::Actor& actor) {
             std::vector<core::Problem> problems;
             std::size_t limit = 50;
             if (auto l = integer_param(req, "limit", problems)) limit = clamp_limit(*l);
             if (!problems.empty())
                 return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", problems});
             auto found = ctx.certificate_desk.search(actor, query_param(req, "q").value_or(""), limit);
             if (!found) return problem_response(found.error());
             json out = json::array();
             for (const auto& c : *found) out.push_back(certificate_json(c));
             return json_response(200, {{"certificates", out}});
         }},
        {{"POST", "/api/v1/staff/certificates/{serial}/revoke", {Duty::revoke}},
         "Revoke a certificate directly (a court order, a key compromise reported by phone), with the reason and a note; "
         "the CRL and OCSP show it after the revocation services' next pass",
         object({{"reason", {{"type", "string"},
                             {"enum", {"keyCompromise", "cessationOfOperation", "affiliationChanged", "superseded",
                                       "privilegeWithdrawn", "unspecified"}}}},
                 {"note", {{"type", "string"}, {"maxLength", ra::kRevocationNoteMax}}}},
                {"reason", "note"}),
         200, certificate_schema(), writes,
         [](StaffContext& ctx, const Request& req, const Captures& c, const ra::Actor& actor) {
             auto body = json_body(req);
             if (!body) return problem_response(body.error());
             JsonReader r(*body);
             const auto reason = r.text("reason");
             const auto note = r.text("note");
             if (!r.problems().empty())
                 return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", r.problems()});
             auto revoked = ctx.certificate_desk.revoke(actor, c.at("serial"), reason, note);
             if (!revoked) return problem_response(revoked.error());
             return json_response(200, certificate_json(*revoked));
         }},
        {{"POST", "/api/v1/staff/applications/{id}/payments/{order}/confirm", {Duty::confirm_payment}},
         "Confirm a bank transfer from its uploaded receipt (note: the bank's reference); the application is then paid",
         object({{"note", {{"type", "string"}, {"maxLength", 500}}}}, {"note"}), 200,
         {{"$ref", "#/components/schemas/Payment"}}, writes,
         [](StaffContext& ctx, const Request& req, const Captures& c, const ra::Actor& actor) {
             auto body = optional_body(req);
             if (!body) return problem_response(body.error());
             JsonReader r(*body);
             const auto note = r.text("note");
             if (!r.problems().empty())
                 return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", r.problems()});
             auto paid = ctx.desk.confirm_transfer(actor, c.at("id"), c.at("order"), note);
             if (!paid) return problem_response(paid.error());
             return json_response(200, to_json(*paid));
         }},
    };
}

Response verdict_handler(StaffContext& ctx, const Request& req, const Captures& c, const ra::Actor& actor) {
    const auto kind = ra::parse_material_kind(c.at("kind"));
    if (!kind) return problem_response(404, "material.kind", "no material kind " + c.at("kind"));
    auto body = json_body(req);
    if (!body) return problem_response(body.error());
    JsonReader r(*body);
    const auto reason = r.text("reason");
    const auto accepted = body->find("accepted");
    if (accepted == body->end() || !accepted->is_boolean())
        r.problems().push_back({"field.required", "true or false", "accepted"});
    if (!r.problems().empty())
        return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", r.problems()});
    auto m = ctx.desk.verdict(actor, c.at("id"), *kind, accepted->get<bool>(), reason);
    if (!m) return problem_response(m.error());
    return json_response(200, to_json(*m, c.at("id")));
}

std::vector<StaffRoute> all_routes() {
    auto list = routes();
    for (auto& r : list)
        if (r.rule.path.ends_with("/verdict")) r.handler = verdict_handler;
    return list;
}

// Staff holding a role of any of the duties (either channel: the domain then checks the
// application's own channel); anyone else 403 with the roles needed.
core::Result<void> may_use(const ra::Actor& actor, const std::vector<Duty>& duties) {
    std::optional<core::Error> first;
    for (auto d : duties)
        for (auto channel : {ra::Channel::online, ra::Channel::counter}) {
            auto r = ra::require(actor, d, channel);
            if (r) return {};
            if (!first) first = r.error();
        }
    return std::unexpected(*first);
}

}  // namespace

const std::vector<StaffRouteRule>& staff_route_rules() {
    static const std::vector<StaffRouteRule> rules = [] {
        std::vector<StaffRouteRule> out;
        for (const auto& r : all_routes()) out.push_back(r.rule);
        return out;
    }();
    return rules;
}

void add_staff_desk_routes(Router& router, StaffContext& ctx) {
    for (auto& route : all_routes()) {
        router.add(route.rule.method, route.rule.path,
                   with_session(ctx.hall, [&ctx, duties = route.rule.duties, fn = route.handler](
                                              const Request& req, const Captures& c, const SessionInfo& s) {
                       if (auto r = may_use(s.actor, duties); !r) return problem_response(r.error());
                       return fn(ctx, req, c, s.actor);
                   }));
    }
}

void add_invoice_routes(Router& router, StaffContext& ctx) {
    router.add("GET", "/api/v1/applications/{id}/invoices",
               with_session(ctx.hall, [&ctx](const Request&, const Captures& c, const SessionInfo& s) {
                   auto list = ctx.invoices.invoices_of(s.actor, c.at("id"));
                   if (!list) return problem_response(list.error());
                   json out = json::array();
                   for (const auto& inv : *list)
                       out.push_back({{"number", inv.number},
                                      {"number_text", ra::invoice_number_text(inv.number)},
                                      {"order_no", inv.order_no},
                                      {"amount_fen", inv.amount_fen},
                                      {"tax_fen", inv.tax_fen},
                                      {"tax_rate_permille", inv.tax_rate_permille},
                                      {"issued_at", core::format_utc(inv.issued_at)},
                                      {"pdf", inv.blob.empty() ? json(nullptr)
                                                               : json("/api/v1/invoices/" + std::to_string(inv.number) + "/invoice.pdf")}});
                   return json_response(200, {{"invoices", out}});
               }));
    router.add("GET", "/api/v1/invoices/{number}/invoice.pdf",
               with_session(ctx.hall, [&ctx](const Request&, const Captures& c, const SessionInfo& s) {
                   std::int64_t number = 0;
                   const auto& text = c.at("number");
                   if (text.empty() || text.size() > 18 || !std::all_of(text.begin(), text.end(), [](unsigned char ch) { return std::isdigit(ch); }))
                       return problem_response(404, "invoice.not_found", "no invoice " + text);
                   number = std::stoll(text);
                   auto pdf = ctx.invoices.pdf(s.actor, number);
                   if (!pdf) return problem_response(pdf.error());
                   Response r;
                   r.content_type = "application/pdf";
                   r.body = core::to_string(pdf->second);
                   r.set("Cache-Control", "private, no-store");
                   r.set("Content-Disposition", "attachment; filename=\"invoice-" + ra::invoice_number_text(number) + ".pdf\"");
                   return r;
               }));
}

json staff_openapi_paths() {
    json paths = json::object();
    const auto read_op = [](const char* summary, const char* path, const char* param, json ok_content) {
        json responses = json::object();
        responses["200"] = {{"description", "success"}, {"content", std::move(ok_content)}};
        responses["401"] = {{"description", "Unauthorized"}};
        responses["404"] = {{"description", "Not Found"}};
        json parameters = json::array();
        parameters.push_back({{"name", param}, {"in", "path"}, {"required", true}, {"schema", str()}});
        json security = json::array();
        security.push_back({{"session", json::array()}});
        return json{{"summary", summary},
                    {"operationId", std::string("get") + path},
                    {"security", security},
                    {"parameters", parameters},
                    {"responses", responses}};
    };
    json list_schema = object({{"invoices", {{"type", "array"}, {"items", {{"type", "object"}}}}}});
    json list_content = json::object();
    list_content["application/json"] = {{"schema", list_schema}};
    json pdf_content = json::object();
    pdf_content["application/pdf"] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
    paths["/api/v1/applications/{id}/invoices"]["get"] =
        read_op("The application's e-invoices", "/api/v1/applications/{id}/invoices", "id", list_content);
    paths["/api/v1/invoices/{number}/invoice.pdf"]["get"] =
        read_op("An e-invoice as PDF", "/api/v1/invoices/{number}/invoice.pdf", "number", pdf_content);
    for (const auto& r : all_routes()) {
        std::string method = r.rule.method;
        for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        std::string roles;
        for (auto d : r.rule.duties)
            for (auto channel : {ra::Channel::online, ra::Channel::counter})
                for (auto role : ra::roles_for(d, channel))
                    if (roles.find(ra::to_string(role)) == std::string::npos)
                        roles += (roles.empty() ? "" : ", ") + std::string(ra::to_string(role));
        json o = {{"summary", r.summary},
                  {"description", "Staff only; roles: " + roles + "."},
                  {"operationId", method + r.rule.path},
                  {"security", json::array({{{"session", json::array()}}})}};
        json params = json::array();
        for (std::size_t at = r.rule.path.find('{'); at != std::string::npos; at = r.rule.path.find('{', at + 1)) {
            const auto name = r.rule.path.substr(at + 1, r.rule.path.find('}', at) - at - 1);
            params.push_back({{"name", name}, {"in", "path"}, {"required", true}, {"schema", str()}});
        }
        for (auto& [name, schema] : query_parameters(r.rule.path))
            params.push_back({{"name", name}, {"in", "query"}, {"required", false}, {"schema", schema}});
        if (method != "get") params.push_back({{"name", "X-CSRF-Token"}, {"in", "header"}, {"required", true}, {"schema", str()}});
        if (!params.empty()) o["parameters"] = params;
        if (!r.request.is_null())
            o["requestBody"] = {{"required", false}, {"content", {{"application/json", {{"schema", r.request}}}}}};
        json responses = json::object();
        for (int s : r.errors)
            responses[std::to_string(s)] = {{"description", std::string(reason_phrase(s))},
                                            {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
        responses[std::to_string(r.status)] = {{"description", "success"}, {"content", {{"application/json", {{"schema", r.response}}}}}};
        o["responses"] = responses;
        paths[r.rule.path][method] = o;
    }
    return paths;
}

}  // namespace eseal::server
