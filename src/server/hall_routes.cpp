#include "server/hall_routes.hpp"

#include <fstream>
#include <sstream>

#include "server/api_support.hpp"
#include "server/hall_json.hpp"

namespace eseal::server {
namespace {

using nlohmann::json;

struct Auth {
    ra::Actor actor;
    ra::Session session;
};

using AuthedHandler = std::function<Response(const Request&, const Captures&, const Auth&)>;

bool is_write(std::string_view method) { return method != "GET" && method != "HEAD"; }

// Wraps a handler that needs a logged-in applicant: 401 without a live session, 403 for a write
// without the session's CSRF token (DESIGN §7).
Handler authed(HallContext& hall, AuthedHandler fn) {
    return [&hall, fn = std::move(fn)](const Request& req, const Captures& captures) -> Response {
        const auto cookie = cookie_value(req, kSessionCookie);
        auto auth = hall.login.authenticate(cookie, client_address(req));
        if (!auth) return problem_response(auth.error());
        if (!*auth) {
            // A staff member's session (ra/staff.hpp): the same cookie name, its own table.
            auto staff = hall.staff.authenticate(cookie, client_address(req));
            if (!staff) return problem_response(staff.error());
            if (*staff) {
                const auto& s = (*staff)->second;
                *auth = std::make_pair(std::move((*staff)->first),
                                       ra::Session{s.token_hash, 0, s.csrf_token, s.client, s.created_at, s.expires_at});
            }
        }
        if (!*auth) return problem_response(401, "auth.required", "log in first");
        if (is_write(req.method) && req.header("x-csrf-token") != (*auth)->second.csrf_token)
            return problem_response(403, "auth.csrf", "the X-CSRF-Token header is missing or wrong");
        return fn(req, captures, Auth{std::move((*auth)->first), std::move((*auth)->second)});
    };
}

// The applicant's own writes (their application, materials, checks, payments, consent): a staff
// session is refused, so staff act only through the staff routes and their duties (ra/duties.hpp).
Handler applicant_only(HallContext& hall, AuthedHandler fn) {
    return authed(hall, [fn = std::move(fn)](const Request& req, const Captures& c, const Auth& a) -> Response {
        if (a.actor.kind != ra::Actor::Kind::applicant)
            return problem_response(403, "auth.applicant_only", "this is the applicant's own step; staff use /api/v1/staff/…");
        return fn(req, c, a);
    });
}

std::string session_cookie(const std::string& value, long max_age, bool secure) {
    return std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
           std::to_string(max_age) + (secure ? "; Secure" : "");
}

template <class T>
Response or_problem(const core::Result<T>& r, auto&& render) {
    if (!r) return problem_response(r.error());
    return render(*r);
}

std::optional<ra::MaterialKind> kind_of(const Captures& c) { return ra::parse_material_kind(c.at("kind")); }

Response bytes_response(std::string content_type, std::string body, std::string disposition = {}) {
    Response r;
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    r.set("Cache-Control", "private, no-store");
    r.set("X-Content-Type-Options", "nosniff");
    if (!disposition.empty()) r.set("Content-Disposition", disposition);
    return r;
}

// RFC 6266 / RFC 8187: an ASCII fallback and the UTF-8 name.
std::string attachment(const std::string& name, const std::string& ascii_fallback, bool inline_ = true) {
    std::string encoded;
    for (unsigned char c : name) {
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_') encoded.push_back(static_cast<char>(c));
        else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            encoded += buf;
        }
    }
    return std::string(inline_ ? "inline" : "attachment") + "; filename=\"" + ascii_fallback + "\"; filename*=UTF-8''" + encoded;
}

void add_auth_routes(Router& router, HallContext& hall) {
    router.add("POST", "/api/v1/auth/sms-code", [&hall](const Request& req, const Captures&) {
        auto body = json_body(req);
        if (!body) return problem_response(body.error());
        JsonReader r(*body);
        const auto phone = r.text("phone", true);
        if (!r.problems().empty())
            return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", r.problems()});
        auto sent = hall.login.request_code(phone, client_address(req));
        if (!sent) return problem_response(sent.error());
        return json_response(202, {{"sent", true}, {"expires_in", 300}});
    });
    router.add("POST", "/api/v1/auth/login", [&hall](const Request& req, const Captures&) {
        auto body = json_body(req);
        if (!body) return problem_response(body.error());
        JsonReader r(*body);
        const auto phone = r.text("phone", true);
        const auto code = r.text("code", true);
        if (!r.problems().empty())
            return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", r.problems()});
        auto session = hall.login.verify_code(phone, code, client_address(req));
        if (!session) return problem_response(session.error());
        const auto max_age = (session->session.expires_at - session->session.created_at).count();
        auto res = json_response(200, {{"account_id", session->session.account_id},
                                       {"phone", phone},
                                       {"csrf_token", session->session.csrf_token},
                                       {"expires_at", core::format_utc(session->session.expires_at)}});
        res.set("Set-Cookie", session_cookie(session->cookie, max_age, hall.secure_cookies));
        return res;
    });
    router.add("POST", "/api/v1/auth/logout", authed(hall, [&hall](const Request& req, const Captures&, const Auth&) {
                   if (auto r = hall.login.logout(cookie_value(req, kSessionCookie)); !r) return problem_response(r.error());
                   if (auto r = hall.staff.logout(cookie_value(req, kSessionCookie)); !r) return problem_response(r.error());
                   Response res;
                   res.status = 204;
                   res.set("Set-Cookie", session_cookie("", 0, hall.secure_cookies));
                   return res;
               }));
    router.add("GET", "/api/v1/me", authed(hall, [&hall](const Request&, const Captures&, const Auth& a) {
                   json consents = json::array();
                   bool current = true;
                   auto given = hall.applications.consents(a.actor);
                   if (!given) return problem_response(given.error());
                   for (const auto& c : *given)
                       consents.push_back({{"document", c.document}, {"version", c.version}, {"at", core::format_utc(c.at)}});
                   for (const auto& text : hall.agreements.current())
                       current = current && std::any_of(given->begin(), given->end(), [&](const ra::Consent& c) {
                                     return c.document == text.document && c.version == text.version;
                                 });
                   return json_response(200, {{"account_id", a.actor.account_id},
                                              {"phone", a.actor.name},
                                              {"csrf_token", a.session.csrf_token},
                                              {"expires_at", core::format_utc(a.session.expires_at)},
                                              {"consents", consents},
                                              {"consent_current", current}});
               }));
}

void add_reference_routes(Router& router, HallContext& hall) {
    router.add("GET", "/api/v1/agreements", [&hall](const Request&, const Captures&) {
        json list = json::array();
        for (const auto& a : hall.agreements.current())
            list.push_back({{"document", a.document}, {"version", a.version}, {"title", a.title}, {"text", a.text}});
        return json_response(200, {{"agreements", list}});
    });
    router.add("POST", "/api/v1/consents", applicant_only(hall, [&hall](const Request& req, const Captures&, const Auth& a) {
                   auto body = json_body(req);
                   if (!body) return problem_response(body.error());
                   JsonReader r(*body);
                   const auto agreement = r.text("agreement_version", true);
                   const auto privacy = r.text("privacy_version", true);
                   if (!r.problems().empty())
                       return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", r.problems()});
                   if (auto c = hall.applications.consent(a.actor, agreement, privacy); !c) return problem_response(c.error());
                   return json_response(201, {{"agreement_version", agreement}, {"privacy_version", privacy}});
               }));
    router.add("GET", "/api/v1/catalogue", [&hall](const Request&, const Captures&) {
        return json_response(200, hall.applications.catalogue().to_json());
    });
    router.add("GET", "/api/v1/service-points", [&hall](const Request& req, const Captures&) {
        std::optional<core::TimePoint> at;
        if (auto text = query_param(req, "at")) {
            core::TimePoint t;
            if (!core::parse_utc(*text, t))
                return problem_response(422, "request.at", "at is a time like 2026-10-01T02:00:00Z");
            at = t;
        }
        return json_response(200, hall.service_points(at));
    });
}

void add_application_routes(Router& router, HallContext& hall) {
    auto& apps = hall.applications;
    router.add("POST", "/api/v1/applications", applicant_only(hall, [&](const Request& req, const Captures&, const Auth& a) {
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
                   const json* form_doc = r.object("form");
                   if (!form_doc && problems.empty()) problems.push_back({"field.required", "is required", "form"});
                   std::optional<ra::ApplicationForm> form;
                   if (form_doc) {
                       auto f = form_from_json(*form_doc);
                       if (!f) for (auto& p : f.error().problems) problems.push_back({p.code, p.message, "form." + p.field});
                       else form = *f;
                   }
                   if (!problems.empty())
                       return problem_response({core::Errc::invalid_input, "application.invalid",
                                                "the application has " + std::to_string(problems.size()) + " problem(s)", problems});
                   auto created = apps.create(a.actor, *business, *type, ra::Channel::online, *form);
                   if (!created) {
                       auto e = created.error();
                       for (auto& p : e.problems) p.field = "form." + p.field;
                       return problem_response(e);
                   }
                   auto res = json_response(201, to_json(*created, apps.quote(*created)));
                   res.set("Location", "/api/v1/applications/" + created->id);
                   return res;
               }));
    router.add("GET", "/api/v1/applications", authed(hall, [&](const Request& req, const Captures&, const Auth& a) {
                   std::optional<ra::State> state;
                   if (auto s = query_param(req, "state")) {
                       state = ra::parse_state(*s);
                       if (!state) return problem_response(422, "request.state", "unknown state " + *s);
                   }
                   return or_problem(apps.list(a.actor, state), [&](const std::vector<ra::Application>& list) {
                       json out = json::array();
                       for (const auto& app : list) out.push_back(to_json(app, apps.quote(app)));
                       return json_response(200, {{"applications", out}});
                   });
               }));
    router.add("GET", "/api/v1/applications/{id}", authed(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(apps.get(a.actor, c.at("id")),
                                     [&](const ra::Application& app) { return json_response(200, to_json(app, apps.quote(app))); });
               }));
    router.add("PUT", "/api/v1/applications/{id}", applicant_only(hall, [&](const Request& req, const Captures& c, const Auth& a) {
                   auto body = json_body(req);
                   if (!body) return problem_response(body.error());
                   JsonReader r(*body);
                   const auto version = r.integer64("version", -1);
                   const json* form_doc = r.object("form");
                   if (version < 0) r.problems().push_back({"field.required", "the version read", "version"});
                   if (!form_doc) r.problems().push_back({"field.required", "is required", "form"});
                   if (!r.problems().empty())
                       return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", r.problems()});
                   auto form = form_from_json(*form_doc);
                   if (!form) return problem_response(form.error());
                   return or_problem(apps.update_form(a.actor, c.at("id"), version, *form),
                                     [&](const ra::Application& app) { return json_response(200, to_json(app, apps.quote(app))); });
               }));
    router.add("GET", "/api/v1/applications/{id}/timeline", authed(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(apps.timeline(a.actor, c.at("id")), [&](const std::vector<ra::TimelineEntry>& list) {
                       json out = json::array();
                       for (const auto& t : list) out.push_back(to_json(t));
                       return json_response(200, {{"timeline", out}});
                   });
               }));
    router.add("GET", "/api/v1/applications/{id}/quote", authed(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(apps.get(a.actor, c.at("id")),
                                     [&](const ra::Application& app) { return json_response(200, to_json(apps.quote(app))); });
               }));
    router.add("GET", "/api/v1/applications/{id}/form.pdf", authed(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(apps.form_pdf(a.actor, c.at("id")), [&](const core::Bytes& pdf) {
                       return bytes_response("application/pdf", core::to_string(pdf),
                                             attachment("数字证书申请表-" + c.at("id") + ".pdf", "application-form-" + c.at("id") + ".pdf"));
                   });
               }));
    router.add("POST", "/api/v1/applications/{id}/submit", applicant_only(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(apps.submit(a.actor, c.at("id")),
                                     [&](const ra::Application& app) { return json_response(200, to_json(app, apps.quote(app))); });
               }));
    router.add("POST", "/api/v1/applications/{id}/cancel", applicant_only(hall, [&](const Request& req, const Captures& c, const Auth& a) {
                   std::string reason;
                   if (!req.body.empty()) {
                       auto body = json_body(req);
                       if (!body) return problem_response(body.error());
                       JsonReader r(*body);
                       reason = r.text("reason");
                   }
                   return or_problem(apps.cancel(a.actor, c.at("id"), reason),
                                     [&](const ra::Application& app) { return json_response(200, to_json(app, apps.quote(app))); });
               }));
}

void add_material_routes(Router& router, HallContext& hall) {
    auto& apps = hall.applications;
    router.add("GET", "/api/v1/applications/{id}/materials", authed(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(apps.materials(a.actor, c.at("id")), [&](const std::vector<ra::MaterialStatus>& list) {
                       json out = json::array();
                       for (const auto& m : list) out.push_back(to_json(m, c.at("id")));
                       return json_response(200, {{"materials", out}, {"limit_bytes", hall.upload_limit}});
                   });
               }));
    // The body is the file itself (any Content-Type: the type is judged by content), streamed
    // to disk; ?filename= names it for display.
    router.add_upload("PUT", "/api/v1/applications/{id}/materials/{kind}",
                      UploadSpec{hall.upload_limit, [&hall] { return hall.blobs.temp_path(); }},
                      applicant_only(hall, [&](const Request& req, const Captures& c, const Auth& a) {
                          const auto kind = kind_of(c);
                          if (!kind) return problem_response(404, "material.kind", "no material kind " + c.at("kind"));
                          if (!req.upload) return problem_response(400, "material.body", "send the file as the request body");
                          ra::Upload upload{req.upload->file, static_cast<std::int64_t>(req.upload->size), req.upload->sha256_hex,
                                            query_param(req, "filename").value_or("upload")};
                          return or_problem(apps.attach(a.actor, c.at("id"), *kind, upload), [&](const ra::Material& m) {
                              return json_response(201, to_json(m, c.at("id")));
                          });
                      }));
    router.add("GET", "/api/v1/applications/{id}/materials/{kind}", authed(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   const auto kind = kind_of(c);
                   if (!kind) return problem_response(404, "material.kind", "no material kind " + c.at("kind"));
                   auto file = apps.material_file(a.actor, c.at("id"), *kind);
                   if (!file) return problem_response(file.error());
                   std::ifstream in(file->second, std::ios::binary);
                   std::stringstream content;
                   content << in.rdbuf();
                   return bytes_response(file->first.content_type, content.str(), attachment(file->first.file_name, "material"));
               }));
    router.add("DELETE", "/api/v1/applications/{id}/materials/{kind}", applicant_only(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   const auto kind = kind_of(c);
                   if (!kind) return problem_response(404, "material.kind", "no material kind " + c.at("kind"));
                   if (auto r = apps.detach(a.actor, c.at("id"), *kind); !r) return problem_response(r.error());
                   Response res;
                   res.status = 204;
                   return res;
               }));
}

void add_identity_and_payment_routes(Router& router, HallContext& hall) {
    router.add("POST", "/api/v1/applications/{id}/identity-checks", applicant_only(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(hall.identity.start(a.actor, c.at("id")),
                                     [&](const ra::IdentityCheck& check) { return json_response(201, to_json(check)); });
               }));
    router.add("GET", "/api/v1/applications/{id}/identity-checks", authed(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(hall.identity.checks(a.actor, c.at("id")), [&](const std::vector<ra::IdentityCheck>& list) {
                       json out = json::array();
                       for (const auto& check : list) out.push_back(to_json(check));
                       return json_response(200, {{"identity_checks", out}});
                   });
               }));
    router.add("POST", "/api/v1/applications/{id}/payments", applicant_only(hall, [&](const Request& req, const Captures& c, const Auth& a) {
                   auto body = json_body(req);
                   if (!body) return problem_response(body.error());
                   JsonReader r(*body);
                   const auto method = ra::parse_payment_method(r.text("method", true));
                   if (!method || *method == ra::PaymentMethod::counter)
                       return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors",
                                                {{"field.enum", "is wechat, alipay or bank_transfer", "method"}}});
                   return or_problem(hall.payments.start(a.actor, c.at("id"), *method),
                                     [&](const ra::Payment& p) { return json_response(201, to_json(p)); });
               }));
    router.add("GET", "/api/v1/applications/{id}/payments", authed(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(hall.payments.payments_of(a.actor, c.at("id")), [&](const std::vector<ra::Payment>& list) {
                       json out = json::array();
                       for (const auto& p : list) out.push_back(to_json(p));
                       return json_response(200, {{"payments", out}});
                   });
               }));
    router.add("GET", "/api/v1/payments/{order}/qr.png", authed(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   auto p = hall.payments.find(a.actor, c.at("order"));
                   if (!p) return problem_response(p.error());
                   if (p->qr_content.empty()) return problem_response(404, "payment.no_qr", "this payment has no QR code");
                   return or_problem(hall.qr_png(p->qr_content),
                                     [&](const core::Bytes& png) { return bytes_response("image/png", core::to_string(png)); });
               }));
    router.add("GET", "/api/v1/identity-checks/{check}/qr.png", authed(hall, [&](const Request&, const Captures& c, const Auth& a) {
                   auto check = hall.identity.find(a.actor, c.at("check"));
                   if (!check) return problem_response(check.error());
                   return or_problem(hall.qr_png(check->url),
                                     [&](const core::Bytes& png) { return bytes_response("image/png", core::to_string(png)); });
               }));

    // The providers' asynchronous notifications: no session, no CSRF; authenticated by the
    // provider's signature, answered in the provider's own words.
    auto notify = [&hall](ra::PaymentMethod method) {
        return [&hall, method](const Request& req, const Captures&) {
            ra::HeaderMap headers;
            for (const auto& [k, v] : req.headers) headers.emplace(k, v);
            const auto outcome = hall.payments.notify(method, headers, req.body);
            Response res;
            res.status = outcome.accepted ? 200 : 400;
            res.content_type = method == ra::PaymentMethod::alipay ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
            res.body = outcome.acknowledgement;
            return res;
        };
    };
    router.add("POST", "/api/v1/callbacks/payments/wechat", notify(ra::PaymentMethod::wechat));
    router.add("POST", "/api/v1/callbacks/payments/alipay", notify(ra::PaymentMethod::alipay));
    router.add("POST", "/api/v1/callbacks/identity", [&hall](const Request& req, const Captures&) {
        ra::HeaderMap headers;
        for (const auto& [k, v] : req.headers) headers.emplace(k, v);
        auto check = hall.identity.callback(headers, req.body);
        if (!check) return problem_response(check.error().kind == core::Errc::not_found ? check.error()
                                                : core::Error{core::Errc::permission_denied, "identity.callback_refused",
                                                              check.error().message, {}});
        return json_response(200, {{"received", true}, {"status", ra::to_string(check->status)}});
    });
}


json roles_of(const ra::Actor& actor) {
    json roles = json::array();
    for (const auto& r : actor.roles) roles.push_back(r);
    return roles;
}

// CA staff log in with login and password (ra/staff.hpp); the same session cookie as applicants.
void add_staff_routes(Router& router, HallContext& hall) {
    router.add("POST", "/api/v1/staff/login", [&hall](const Request& req, const Captures&) {
        auto body = json_body(req);
        if (!body) return problem_response(body.error());
        JsonReader r(*body);
        const auto login = r.text("login", true);
        const core::SecureString password(r.text("password", true));
        if (!r.problems().empty())
            return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors", r.problems()});
        auto session = hall.staff.login(login, password, client_address(req));
        if (!session) return problem_response(session.error());
        const auto max_age = (session->session.expires_at - session->session.created_at).count();
        json roles = json::array();
        for (auto role : session->account.roles) roles.push_back(std::string(ra::to_string(role)));
        auto res = json_response(200, {{"login", session->account.login},
                                       {"display_name", session->account.display_name},
                                       {"roles", roles},
                                       {"csrf_token", session->session.csrf_token},
                                       {"expires_at", core::format_utc(session->session.expires_at)}});
        res.set("Set-Cookie", session_cookie(session->cookie, max_age, hall.secure_cookies));
        return res;
    });
    router.add("GET", "/api/v1/staff/me", authed(hall, [](const Request&, const Captures&, const Auth& a) {
                   if (a.actor.kind != ra::Actor::Kind::staff)
                       return problem_response(403, "auth.staff_only", "this is for CA staff");
                   return json_response(200, {{"login", a.actor.name},
                                              {"roles", roles_of(a.actor)},
                                              {"csrf_token", a.session.csrf_token},
                                              {"expires_at", core::format_utc(a.session.expires_at)}});
               }));
}

}  // namespace

Handler with_session(HallContext& hall, SessionHandler fn) {
    return authed(hall, [fn = std::move(fn)](const Request& req, const Captures& c, const Auth& a) {
        return fn(req, c, SessionInfo{a.actor, a.session.csrf_token, a.session.expires_at});
    });
}

void add_hall_routes(Router& router, HallContext& hall) {
    add_auth_routes(router, hall);
    add_staff_routes(router, hall);
    add_reference_routes(router, hall);
    add_application_routes(router, hall);
    add_material_routes(router, hall);
    add_identity_and_payment_routes(router, hall);
}

}  // namespace eseal::server
