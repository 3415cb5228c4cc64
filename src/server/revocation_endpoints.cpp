#include "server/revocation_endpoints.hpp"

#include <algorithm>

#include "core/bytes.hpp"

namespace eseal::server {
namespace {

std::string_view media_type(const Request& r) {
    std::string_view t = r.header("content-type");
    t = t.substr(0, t.find(';'));
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    return t;
}

bool media_type_is(const Request& r, std::string_view expected) {
    const auto t = media_type(r);
    return t.size() == expected.size() &&
           std::equal(t.begin(), t.end(), expected.begin(),
                      [](char a, char b) { return std::tolower(a) == b; });
}

std::int64_t seconds_until(core::TimePoint t, core::TimePoint now) {
    return std::max<std::int64_t>(0, (t - now).count());
}

Response binary(std::string content_type, core::ByteView der) {
    Response r;
    r.content_type = std::move(content_type);
    r.body.assign(der.begin(), der.end());
    return r;
}

Response ocsp_response(const RevocationServices& s, core::ByteView request, bool get) {
    const auto answer = s.ocsp().respond(request);
    auto r = binary("application/ocsp-response", *answer.der);
    if (get && answer.cacheable) {
        // RFC 5019 §6.2: let HTTP caches keep a pre-signed answer until its nextUpdate.
        const auto now = s.clock().now();
        r.set("Cache-Control", "max-age=" + std::to_string(seconds_until(answer.next_update, now)) +
                                   ", public, no-transform, must-revalidate");
        r.set("Last-Modified", http_date(std::chrono::system_clock::to_time_t(answer.produced_at)));
        r.set("Expires", http_date(std::chrono::system_clock::to_time_t(answer.next_update)));
        r.set("ETag", answer.etag);
    } else {
        r.set("Cache-Control", "no-store");
    }
    return r;
}

}  // namespace

void add_revocation_routes(Router& router, const RevocationServices& s) {
    router.add("GET", "/crl/{ca}.crl", [&s](const Request& req, const Captures& c) {
        auto crl = s.crl(c.at("ca"));
        if (!crl)
            return text_response(404, "no CRL for that CA");
        const std::string etag = "\"" + crl->ca + "-" + std::to_string(crl->number) + "\"";
        Response r;
        if (req.header("if-none-match") == etag) {
            r.status = 304;
        } else {
            r = binary("application/pkix-crl", crl->der);
        }
        r.set("Cache-Control",
              "max-age=" + std::to_string(seconds_until(crl->next_update, s.clock().now())) +
                  ", public, no-transform, must-revalidate");
        r.set("ETag", etag);
        r.set("Last-Modified", http_date(std::chrono::system_clock::to_time_t(crl->this_update)));
        r.set("Expires", http_date(std::chrono::system_clock::to_time_t(crl->next_update)));
        return r;
    });

    const auto post_ocsp = [&s](const Request& req, const Captures&) {
        if (!media_type_is(req, "application/ocsp-request"))
            return text_response(415, "an OCSP request is sent as application/ocsp-request");
        return ocsp_response(s, core::as_bytes(req.body), false);
    };
    router.add("POST", "/ocsp", post_ocsp);
    router.add("POST", "/ocsp/", post_ocsp);
    router.add("GET", "/ocsp/{request...}", [&s](const Request&, const Captures& c) {
        // RFC 6960 Appendix A.1: the URL-encoded base64 of the DER request. What does not decode
        // is a malformed request, answered as such.
        const auto decoded = percent_decode(c.at("request"));
        const auto der = decoded ? core::base64_decode(*decoded) : std::nullopt;
        if (!der)
            return ocsp_response(s, {}, true);
        return ocsp_response(s, *der, true);
    });

    const auto tsa = [&s](const Request& req, const Captures& c) {
        const auto it = c.find("ca");
        const auto* authority =
            s.tsa(it == c.end() ? std::string_view{} : std::string_view(it->second));
        if (authority == nullptr)
            return text_response(404, "no time-stamping authority here");
        if (!media_type_is(req, "application/timestamp-query"))
            return text_response(415,
                                 "a time-stamp request is sent as application/timestamp-query");
        const auto reply = authority->respond(core::as_bytes(req.body));
        auto r = binary("application/timestamp-reply", reply.der);
        r.set("Cache-Control", "no-store");
        return r;
    };
    router.add("POST", "/tsa", tsa);
    router.add("POST", "/tsa/{ca}", tsa);
}

}  // namespace eseal::server
