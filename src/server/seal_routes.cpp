#include "server/seal_routes.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/bytes.hpp"
#include "crypto/digest.hpp"
#include "document/pdf/cms.hpp"
#include "document/pdf/pdf_verify.hpp"
#include "ra/render/qr.hpp"
#include "seal/seseal.hpp"
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
    // The picture's real size, for placing it on a page preview at scale.
    json picture = nullptr;
    if (auto parsed = seal::parse_seal(s.der))
        picture = {{"png", "/api/v1/seals/" + s.id + "/picture.png"},
                   {"type", parsed->picture.type},
                   {"width_mm", parsed->picture.width_mm},
                   {"height_mm", parsed->picture.height_mm}};
    return {{"id", s.id},
            {"picture", picture},
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
            {"at", core::format_utc(u.at)},
            {"verified", u.verified}};
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

// A fresh path for an upload: the context's, else one in the system's temporary directory.
core::Result<std::filesystem::path> temp_file(const SealContext& ctx) {
    if (ctx.temp_file)
        return ctx.temp_file();
    std::string name = (std::filesystem::temp_directory_path() / "eseal-use-XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0)
        return core::fail(core::Errc::io, "upload.temp_file", "cannot make a temporary file");
    ::close(fd);
    ::unlink(name.c_str());  // the server creates it afresh (O_EXCL): a unique, unused name
    return std::filesystem::path(name);
}

// The signer's certificate (DER) of a PDF signature, read again from its /Contents (ISO 32000-1
// §12.8.1: the gap the /ByteRange leaves) and its CMS SignerInfo's sid (RFC 5652 §5.3); empty
// when the signature is too broken to name one.
core::Bytes signer_certificate(const std::filesystem::path& file,
                               const document::pdf::SignatureCheck& s) {
    if (!s.byte_range_ok)
        return {};
    const auto a = s.byte_range[1], b = s.byte_range[2];
    std::ifstream in(file, std::ios::binary);
    std::string gap(static_cast<std::size_t>(b - a), '\0');
    if (!in.seekg(static_cast<std::streamoff>(a)) ||
        !in.read(gap.data(), static_cast<std::streamsize>(gap.size())) || gap.size() < 2)
        return {};
    auto der = core::hex_decode(std::string_view(gap).substr(1, gap.size() - 2));
    if (!der)
        return {};
    auto cms = document::pdf::parse_signed_data(*der);
    if (!cms || !cms->signer_index || *cms->signer_index >= cms->certificates.size())
        return {};
    return cms->certificates[*cms->signer_index];
}

// GB/T 38540-2020 §6.1 certList: the seal binds the certificate itself or its hash.
bool seal_binds(const seal::Seal& seal, const core::Bytes& cert) {
    if (cert.empty())
        return false;
    for (const auto& c : seal.property.certificates)
        if (c == cert)
            return true;
    for (const auto& d : seal.property.cert_digests)
        if (d.value == crypto::sm3(cert) || d.value == crypto::sha256(cert))
            return true;
    return false;
}

// POST …/uses/document: the signed PDF itself; the use is recorded only if a signature in it is
// valid and made with a certificate the seal binds, with the server's SHA-256 of the file.
Response record_document_use(SealContext& ctx, const Request& req, const Captures& c,
                             const Auth& a) {
    const auto& id = c.at("seal");
    auto s = ctx.seals.get(a.actor, id);
    if (!s)
        return problem_response(s.error());
    auto parsed = seal::parse_seal(s->der);
    if (!parsed)
        return problem_response(parsed.error());
    if (!req.upload || req.upload->size == 0)
        return problem_response(422, "use.not_pdf",
                                "the request body is empty: send the signed PDF");
    {
        std::ifstream in(req.upload->file, std::ios::binary);
        char head[5] = {};
        if (!in.read(head, 5) || std::string_view(head, 5) != "%PDF-")
            return problem_response(422, "use.not_pdf",
                                    "not a PDF (no %PDF- header): send the signed PDF");
    }
    auto trust = ctx.seals.trusted_cas();
    if (!trust)
        return problem_response(trust.error());
    document::pdf::VerifyOptions options;
    options.trust = std::move(*trust);
    options.now = ctx.clock.now();
    options.seal_images = false;  // only who signed and whether it holds matter here
    auto report = document::pdf::verify_pdf(req.upload->file.string(), options);
    if (!report)
        return problem_response(422, "use.not_pdf",
                                "the file cannot be read as a PDF: " + report.error().message);
    const document::pdf::SignatureCheck* invalid_one = nullptr;
    for (const auto& sig : report->signatures) {
        const auto cert = signer_certificate(req.upload->file, sig);
        if (!seal_binds(*parsed, cert))
            continue;
        if (!sig.valid()) {
            invalid_one = &sig;
            continue;
        }
        std::string name;
        if (auto n = query_param(req, "name"))
            name = *n;
        return or_problem(
            ctx.seals.record_verified_use(a.actor, id, req.upload->sha256_hex, name, cert),
            [](const ra::SealUse& u) { return json_response(201, to_json(u)); });
    }
    if (invalid_one != nullptr) {
        core::Error e{core::Errc::invalid_input, "use.signature_invalid",
                      "the signature " + invalid_one->field_name +
                          " made with this seal's certificate is not valid",
                      invalid_one->problems};
        return problem_response(e);
    }
    return problem_response(
        422, "use.no_seal_signature",
        report->signatures.empty()
            ? "the PDF has no signature"
            : "no signature in the PDF was made with a certificate this seal binds");
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
    router.add("GET", "/api/v1/seals/{seal}/picture.png",
               authed(ctx, [&ctx](const Request&, const Captures& c, const Auth& a) {
                   auto s = ctx.seals.get(a.actor, c.at("seal"));
                   if (!s)
                       return problem_response(s.error());
                   auto parsed = seal::parse_seal(s->der);
                   if (!parsed)
                       return problem_response(parsed.error());
                   if (parsed->picture.type != "PNG")
                       return problem_response(409, "seal.picture_not_png",
                                               "the seal's picture is " + parsed->picture.type);
                   Response res;
                   res.content_type = "image/png";
                   res.body = core::to_string(parsed->picture.data);
                   res.set("Cache-Control", "private");
                   return res;
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
    router.add_upload(
        "POST", "/api/v1/seals/{seal}/uses/document",
        UploadSpec{ctx.document_limit, [&ctx] { return temp_file(ctx); }},
        [&ctx, handler = authed(ctx, [&ctx](const Request& req, const Captures& c, const Auth& a) {
                   return record_document_use(ctx, req, c, a);
               })](const Request& req, const Captures& c) {
            // The upload is ours to remove, whatever the answer (refused sessions included).
            struct Remove {
                std::filesystem::path file;
                ~Remove() {
                    std::error_code ec;
                    if (!file.empty())
                        std::filesystem::remove(file, ec);
                }
            } remove{req.upload ? req.upload->file : std::filesystem::path()};
            return handler(req, c);
        });
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
