#include "ra/providers/face_signature.hpp"

#include <charconv>
#include <vector>

#include "core/bytes.hpp"
#include "ra/providers/hmac.hpp"
#include "ra/providers/service_time.hpp"

namespace eseal::ra::providers {
namespace {

core::Bytes mac(std::string_view secret, std::string_view t, std::string_view body) {
    std::string signed_payload(t);
    signed_payload += '.';
    signed_payload += body;
    return hmac_sha256(core::as_bytes(secret), core::as_bytes(signed_payload));
}

}  // namespace

std::string face_signature_header(std::string_view secret, std::string_view body,
                                  core::TimePoint now) {
    const std::string t = std::to_string(unix_seconds(now));
    return "t=" + t + ",v1=" + core::hex_encode(mac(secret, t, body));
}

core::Result<void> face_verify_signature(std::string_view secret, const HeaderMap& headers,
                                         std::string_view body, core::TimePoint now) {
    const auto it = headers.find(kFaceSignatureHeader);
    if (it == headers.end() || it->second.empty())
        return core::fail(core::Errc::invalid_input, "face.signature_missing",
                          "the callback has no x-sandbox-signature header");
    std::string_view t;
    std::vector<std::string_view> candidates;
    std::string_view rest = it->second;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const auto item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (item.starts_with("t="))
            t = item.substr(2);
        else if (item.starts_with("v1="))
            candidates.push_back(item.substr(3));
    }
    std::int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), seconds);
    if (t.empty() || ec != std::errc{} || end != t.data() + t.size() || candidates.empty())
        return core::fail(core::Errc::invalid_input, "face.signature_malformed",
                          "x-sandbox-signature is not t=<unix>,v1=<hex>");
    const std::int64_t skew = unix_seconds(now) - seconds;
    if (skew > kFaceMaxSkew.count() || -skew > kFaceMaxSkew.count())
        return core::fail(core::Errc::invalid_input, "face.timestamp_stale",
                          "the callback was signed more than 5 minutes from now (a replay, or a "
                          "clock off)");
    const auto expected = mac(secret, t, body);
    for (const auto candidate : candidates) {
        const auto given = core::hex_decode(candidate);
        if (given && equal_constant_time(*given, expected))
            return {};
    }
    return core::fail(core::Errc::crypto, "face.signature_invalid",
                      "the callback signature does not verify (forged, or the body was altered)");
}

}  // namespace eseal::ra::providers
