#include "ra/providers/sandbox_face_service.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "ra/providers/face_signature.hpp"
#include "ra/providers/hmac.hpp"
#include "ra/providers/random_text.hpp"

namespace eseal::ra::providers {
namespace {

using nlohmann::json;

std::string string_at(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

ApiReply error_reply(int status, std::string_view message) {
    return {status, {{"content-type", "application/json"}}, json{{"error", message}}.dump()};
}

}  // namespace

SandboxFaceService::SandboxFaceService(core::SecureString api_key,
                                       core::SecureString webhook_secret, std::string base_url,
                                       const core::Clock& clock)
    : m_api_key(std::move(api_key)),
      m_webhook_secret(std::move(webhook_secret)),
      m_base_url(std::move(base_url)),
      m_clock(clock) {
    while (m_base_url.ends_with('/')) m_base_url.pop_back();
}

SandboxFaceConfig SandboxFaceService::client_config(std::string callback_url) const {
    return SandboxFaceConfig{core::SecureString(m_api_key.view()),
                             core::SecureString(m_webhook_secret.view()), std::move(callback_url)};
}

core::Result<ApiReply> SandboxFaceService::exchange(const std::string& method,
                                                    const std::string& path,
                                                    const HeaderMap& headers,
                                                    const std::string& body) {
    if (method != "POST" || path != kFaceSessionsPath)
        return error_reply(404, "no such API");
    const auto auth = headers.find("authorization");
    const std::string expected = "Bearer " + std::string(m_api_key.view());
    if (auth == headers.end() ||
        !equal_constant_time(core::as_bytes(auth->second), core::as_bytes(expected)))
        return error_reply(401, "invalid API key");
    const auto j = json::parse(body, nullptr, false);
    if (!j.is_object() || string_at(j, "name").empty() || string_at(j, "id_number").empty() ||
        string_at(j, "callback_url").empty())
        return error_reply(400, "name, id_number and callback_url are required");
    FaceSession s;
    s.ref = "fv_" + random_alnum(24);
    s.reference = string_at(j, "reference");
    s.name = string_at(j, "name");
    s.id_number = string_at(j, "id_number");
    s.purpose = string_at(j, "purpose");
    s.callback_url = string_at(j, "callback_url");
    s.url = m_base_url + "/sandbox/face/" + s.ref;
    s.created_at = m_clock.now();
    {
        std::lock_guard lock(m_mutex);
        m_sessions.push_back(s);
    }
    return ApiReply{
        200, {{"content-type", "application/json"}}, json{{"ref", s.ref}, {"url", s.url}}.dump()};
}

std::optional<FaceSession> SandboxFaceService::session(const std::string& ref) const {
    std::lock_guard lock(m_mutex);
    const auto it = std::ranges::find(m_sessions, ref, &FaceSession::ref);
    if (it == m_sessions.end())
        return std::nullopt;
    return *it;
}

core::Result<Callback> SandboxFaceService::make_callback(const std::string& ref,
                                                         FaceOutcome outcome, double score,
                                                         const std::string& reason) {
    const auto s = session(ref);
    if (!s)
        return core::fail(core::Errc::not_found, "face_sandbox.unknown_ref",
                          "no face-check session " + ref + " in the sandbox");
    const json payload = {
        {"ref", ref},
        {"result", outcome == FaceOutcome::pass ? "pass" : "fail"},
        {"score", score},
        {"reason", reason},
    };
    Callback c;
    c.url = s->callback_url;
    c.body = payload.dump();
    c.headers = {{"content-type", "application/json"},
                 {std::string(kFaceSignatureHeader),
                  face_signature_header(m_webhook_secret.view(), c.body, m_clock.now())}};
    return c;
}

}  // namespace eseal::ra::providers
