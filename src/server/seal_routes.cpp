#include "server/seal_routes.hpp"

#include <nlohmann/json.hpp>

#include "core/bytes.hpp"
#include "ra/render/qr.hpp"
#include "server/api_support.hpp"
#include "server/hall_routes.hpp"

namespace eseal::server {
namespace {

using nlohmann::json;

struct Auth {
    ra::Actor actor;
    std::string csrf;
};

using AuthedHandler = std::function<Response(const Request&, const Captures&, const Auth&)>;

// As the hall's: a live applicant (or staff) session; writes carry its CSRF token (DESIGN §7).
Handler authed(SealContext& ctx, AuthedHandler fn) {
    return [&ctx, fn = std::move(fn)](const Request& req, const Captures& captures) -> Response {
        const auto cookie = cookie_value(req, kSessionCookie);
        std::optional<Auth> auth;
        auto applicant = ctx.login.authenticate(cookie, client_address(req));
        if (!applicant)
            return problem_response(applicant.error());
        if (*applicant) {
            auth = Auth{std::move((*applicant)->first), (*applicant)->second.csrf_token};
        } else {
            auto staff = ctx.staff.authenticate(cookie, client_address(req));
            if (!staff)
                return problem_response(staff.error());
            if (*staff)
                auth = Auth{std::move((*staff)->first), (*staff)->second.csrf_token};
        }
        if (!auth)
            return problem_response(401, "auth.required", "log in first");
        if (req.method != "GET" && req.method != "HEAD" && req.header("x-csrf-token") != auth->csrf)
            return problem_response(403, "auth.csrf",
                                    "the X-CSRF-Token header is missing or wrong");
        return fn(req, captures, *auth);
    };
}

template <class T>
Response or_problem(const core::Result<T>& r, auto&& render) {
    if (!r)
        return problem_response(r.error());
    return render(*r);
}

Response invalid(std::vector<core::Problem> problems) {
    return problem_response({core::Errc::invalid_input, "request.invalid", "the request has errors",
                             std::move(problems)});
}

json opt_time(const std::optional<core::TimePoint>& t) {
    return t ? json(core::format_utc(*t)) : json(nullptr);
}

json to_json(const ra::SealRecord& s, core::TimePoint now) {
    return {{"id", s.id},
            {"credit_code", s.credit_code},
            {"organization", s.organization},
            {"kind", s.kind},
            {"name", s.name},
            {"status", ra::to_string(ra::effective_status(s, now))},
            {"status_reason", s.status_reason},
            {"picture_source", s.picture_source},
            {"org_certificate", s.org_certificate},
            {"bound_certificates", s.bound},
            {"valid_start", core::format_utc(s.valid_start)},
            {"valid_end", core::format_utc(s.valid_end)},
            {"created_at", core::format_utc(s.created_at)},
            {"updated_at", core::format_utc(s.updated_at)},
            {"esl", "/api/v1/seals/" + s.id + "/seal.esl"}};
}

json to_json(const ra::SealAuthorization& a) {
    return {{"id", a.id},
            {"name", a.person_name},
            {"phone", a.phone},
            {"granted_by", a.granted_by},
            {"granted_at", core::format_utc(a.granted_at)},
            {"revoked_at", opt_time(a.revoked_at)}};
}

json to_json(const ra::SealUse& u) {
    return {{"id", u.id},
            {"seal_id", u.seal_id},
            {"document_sha256", u.document_sha256},
            {"document_name", u.document_name},
            {"signer", u.signer},
            {"certificate_serial", u.certificate_serial},
            {"at", core::format_utc(u.at)}};
}

json to_json(const ra::BindingStart& b) {
    const auto& c = b.check;
    const std::string base = "/api/v1/seals/" + b.challenge.seal_id + "/bindings/" + b.challenge.id;
    return {{"id", b.challenge.id},
            {"seal_id", b.challenge.seal_id},
            {"challenge", b.challenge.challenge},
            {"origin", b.challenge.origin},
            {"message", b.message},
            {"expires_at", core::format_utc(b.challenge.expires_at)},
            {"used_at", opt_time(b.challenge.used_at)},
            {"identity_check",
             {{"id", c.id},
              {"url", c.url},
              {"qr_png", base + "/qr.png"},
              {"status", ra::to_string(c.status)},
              {"detail", c.detail},
              {"finished_at", opt_time(c.finished_at)}}}};
}

std::optional<core::TimePoint> time_field(JsonReader& r, const std::string& key) {
    const auto text = r.text(key);
    if (text.empty())
        return std::nullopt;
    core::TimePoint t{};
    if (!core::parse_utc(text, t)) {
        r.problems().push_back(
            {"request.time_invalid", "not a UTC time like 2027-01-01T00:00:00Z", key});
        return std::nullopt;
    }
    return t;
}

std::optional<core::Bytes> base64_field(JsonReader& r, const std::string& key, bool required) {
    const auto text = r.text(key, required);
    if (text.empty())
        return std::nullopt;
    auto bytes = core::base64_decode(text);
    if (!bytes)
        r.problems().push_back({"request.base64_invalid", "not base64", key});
    return bytes;
}

void add_management_routes(Router& router, SealContext& ctx) {
    router.add("GET", "/api/v1/seals",
               authed(ctx, [&ctx](const Request&, const Captures&, const Auth& a) {
                   return or_problem(ctx.seals.list(a.actor),
                                     [&](const std::vector<ra::SealRecord>& list) {
                                         json out = json::array();
                                         for (const auto& s : list)
                                             out.push_back(to_json(s, ctx.clock.now()));
                                         return json_response(200, {{"seals", out}});
                                     });
               }));
    router.add(
        "POST", "/api/v1/seals",
        authed(ctx, [&ctx](const Request& req, const Captures&, const Auth& a) {
            auto body = json_body(req);
            if (!body)
                return problem_response(body.error());
            JsonReader r(*body);
            ra::SealDraft d;
            d.credit_code = r.text("credit_code", true);
            d.kind = r.text("kind", true);
            d.name = r.text("name");
            d.code = r.text("code");
            d.taxpayer = r.text("taxpayer");
            d.valid_end = time_field(r, "valid_end");
            if (auto scan = base64_field(r, "scan_base64", false))
                d.scan = std::move(*scan);
            if (body->contains("scan_width_mm")) {
                if ((*body)["scan_width_mm"].is_number())
                    d.scan_width_mm = (*body)["scan_width_mm"].get<double>();
                else
                    r.problems().push_back({"request.type", "must be a number", "scan_width_mm"});
            }
            if (!r.problems().empty())
                return invalid(r.problems());
            return or_problem(ctx.seals.request(a.actor, d), [&](const ra::SealRecord& s) {
                return json_response(201, to_json(s, ctx.clock.now()));
            });
        }));
    router.add("GET", "/api/v1/seals/{seal}",
               authed(ctx, [&ctx](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(ctx.seals.get(a.actor, c.at("seal")),
                                     [&](const ra::SealRecord& s) {
                                         return json_response(200, to_json(s, ctx.clock.now()));
                                     });
               }));
    router.add(
        "GET", "/api/v1/seals/{seal}/seal.esl",
        authed(ctx, [&ctx](const Request&, const Captures& c, const Auth& a) {
            return or_problem(ctx.seals.get(a.actor, c.at("seal")), [&](const ra::SealRecord& s) {
                Response res;
                res.content_type = "application/octet-stream";
                res.body = core::to_string(s.der);
                res.set("Content-Disposition", "attachment; filename=\"" + s.id + ".esl\"");
                res.set("Cache-Control", "private, no-store");
                return res;
            });
        }));
    auto transition = [&ctx](std::string action) {
        return authed(ctx, [&ctx, action](const Request& req, const Captures& c, const Auth& a) {
            std::string reason;
            if (!req.body.empty()) {
                auto body = json_body(req);
                if (!body)
                    return problem_response(body.error());
                JsonReader r(*body);
                reason = r.text("reason");
                if (!r.problems().empty())
                    return invalid(r.problems());
            }
            const auto& id = c.at("seal");
            auto done = action == "suspend"  ? ctx.seals.suspend(a.actor, id, reason)
                        : action == "resume" ? ctx.seals.resume(a.actor, id)
                                             : ctx.seals.revoke(a.actor, id, reason);
            return or_problem(done, [&](const ra::SealRecord& s) {
                return json_response(200, to_json(s, ctx.clock.now()));
            });
        });
    };
    router.add("POST", "/api/v1/seals/{seal}/suspend", transition("suspend"));
    router.add("POST", "/api/v1/seals/{seal}/resume", transition("resume"));
    router.add("POST", "/api/v1/seals/{seal}/revoke", transition("revoke"));

    router.add("GET", "/api/v1/seals/{seal}/authorizations",
               authed(ctx, [&ctx](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(ctx.seals.authorizations(a.actor, c.at("seal")),
                                     [](const std::vector<ra::SealAuthorization>& list) {
                                         json out = json::array();
                                         for (const auto& x : list) out.push_back(to_json(x));
                                         return json_response(200, {{"authorizations", out}});
                                     });
               }));
    router.add("POST", "/api/v1/seals/{seal}/authorizations",
               authed(ctx, [&ctx](const Request& req, const Captures& c, const Auth& a) {
                   auto body = json_body(req);
                   if (!body)
                       return problem_response(body.error());
                   JsonReader r(*body);
                   const auto name = r.text("name", true);
                   const auto phone = r.text("phone", true);
                   if (!r.problems().empty())
                       return invalid(r.problems());
                   return or_problem(ctx.seals.authorize(a.actor, c.at("seal"), name, phone),
                                     [](const ra::SealAuthorization& x) {
                                         return json_response(201, to_json(x));
                                     });
               }));
    router.add("DELETE", "/api/v1/seals/{seal}/authorizations/{authorization}",
               authed(ctx, [&ctx](const Request&, const Captures& c, const Auth& a) {
                   std::int64_t id = 0;
                   try {
                       id = std::stoll(c.at("authorization"));
                   } catch (const std::exception&) {
                       return problem_response(404, "seal.authorization_unknown",
                                               "no authorization " + c.at("authorization"));
                   }
                   if (auto r = ctx.seals.withdraw(a.actor, c.at("seal"), id); !r)
                       return problem_response(r.error());
                   Response res;
                   res.status = 204;
                   return res;
               }));
    router.add("GET", "/api/v1/seals/{seal}/uses",
               authed(ctx, [&ctx](const Request& req, const Captures& c, const Auth& a) {
                   std::size_t limit = 100;
                   if (auto l = query_param(req, "limit")) {
                       try {
                           limit =
                               static_cast<std::size_t>(std::clamp(std::stoll(*l), 1LL, 1000LL));
                       } catch (const std::exception&) {
                           return invalid({{"request.limit_invalid",
                                            "limit must be a number from 1 to 1000", "limit"}});
                       }
                   }
                   return or_problem(ctx.seals.uses(a.actor, c.at("seal"), limit),
                                     [](const std::vector<ra::SealUse>& list) {
                                         json out = json::array();
                                         for (const auto& u : list) out.push_back(to_json(u));
                                         return json_response(200, {{"uses", out}});
                                     });
               }));
    router.add("POST", "/api/v1/seals/{seal}/uses",
               authed(ctx, [&ctx](const Request& req, const Captures& c, const Auth& a) {
                   auto body = json_body(req);
                   if (!body)
                       return problem_response(body.error());
                   JsonReader r(*body);
                   const auto hash = r.text("document_sha256", true);
                   const auto name = r.text("document_name");
                   const auto serial = r.text("certificate_serial", true);
                   if (!r.problems().empty())
                       return invalid(r.problems());
                   return or_problem(
                       ctx.seals.record_use(a.actor, c.at("seal"), hash, name, serial),
                       [](const ra::SealUse& u) { return json_response(201, to_json(u)); });
               }));
}

void add_binding_routes(Router& router, SealContext& ctx) {
    router.add("POST", "/api/v1/seals/{seal}/bindings",
               authed(ctx, [&ctx](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(
                       ctx.binding.start(a.actor, c.at("seal")),
                       [](const ra::BindingStart& b) { return json_response(201, to_json(b)); });
               }));
    router.add("GET", "/api/v1/seals/{seal}/bindings/{binding}",
               authed(ctx, [&ctx](const Request&, const Captures& c, const Auth& a) {
                   return or_problem(
                       ctx.binding.status(a.actor, c.at("seal"), c.at("binding")),
                       [](const ra::BindingStart& b) { return json_response(200, to_json(b)); });
               }));
    router.add("GET", "/api/v1/seals/{seal}/bindings/{binding}/qr.png",
               authed(ctx, [&ctx](const Request&, const Captures& c, const Auth& a) {
                   auto b = ctx.binding.status(a.actor, c.at("seal"), c.at("binding"));
                   if (!b)
                       return problem_response(b.error());
                   return or_problem(ra::render_qr_png(b->check.url), [](const core::Bytes& png) {
                       Response res;
                       res.content_type = "image/png";
                       res.body = core::to_string(png);
                       res.set("Cache-Control", "private, no-store");
                       return res;
                   });
               }));
    router.add("POST", "/api/v1/seals/{seal}/bindings/{binding}/complete",
               authed(ctx, [&ctx](const Request& req, const Captures& c, const Auth& a) {
                   auto body = json_body(req);
                   if (!body)
                       return problem_response(body.error());
                   JsonReader r(*body);
                   auto certificate = base64_field(r, "certificate", true);
                   auto signature = base64_field(r, "signature", true);
                   if (!r.problems().empty())
                       return invalid(r.problems());
                   return or_problem(ctx.binding.complete(a.actor, c.at("seal"), c.at("binding"),
                                                          *certificate, *signature),
                                     [&](const ra::SealRecord& s) {
                                         return json_response(200, to_json(s, ctx.clock.now()));
                                     });
               }));
    // The face provider's result for a binding check: no session; authenticated by its HMAC.
    router.add("POST", "/api/v1/callbacks/seal-binding",
               [&ctx](const Request& req, const Captures&) {
                   ra::HeaderMap headers;
                   for (const auto& [k, v] : req.headers) headers.emplace(k, v);
                   auto check = ctx.binding.callback(headers, req.body);
                   if (!check)
                       return problem_response(check.error().kind == core::Errc::not_found
                                                   ? check.error()
                                                   : core::Error{core::Errc::permission_denied,
                                                                 "identity.callback_refused",
                                                                 check.error().message,
                                                                 {}});
                   return json_response(
                       200, {{"received", true}, {"status", ra::to_string(check->status)}});
               });
}

}  // namespace

void add_seal_routes(Router& router, SealContext& context) {
    add_management_routes(router, context);
    add_binding_routes(router, context);
}

}  // namespace eseal::server
