#include "ra/providers/sandbox_face_provider.hpp"

#include <nlohmann/json.hpp>

#include "ra/providers/face_signature.hpp"

namespace eseal::ra::providers {
namespace {

using nlohmann::json;

std::string string_at(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

SandboxFaceProvider::SandboxFaceProvider(SandboxFaceConfig config, ApiTransport& api,
                                         const core::Clock& clock)
    : m_config(std::move(config)), m_api(api), m_clock(clock) {}

core::Result<IdentitySession> SandboxFaceProvider::start(const IdentityCheck& check) {
    const json request = {
        {"reference", check.id},
        {"name", check.name},
        {"id_number", check.id_number},
        {"purpose", check.purpose},
        {"callback_url", m_config.callback_url},
    };
    const HeaderMap headers{{"authorization", "Bearer " + std::string(m_config.api_key.view())},
                            {"content-type", "application/json"}};
    auto reply = m_api.exchange("POST", std::string(kFaceSessionsPath), headers, request.dump());
    if (!reply)
        return std::unexpected(reply.error());
    const auto j = json::parse(reply->body, nullptr, false);
    if (reply->status >= 500)
        return core::fail(core::Errc::io, "face.unavailable",
                          "the face-check service failed: HTTP " + std::to_string(reply->status));
    if (reply->status < 200 || reply->status > 299)
        return core::fail(core::Errc::invalid_input, "face.refused",
                          "the face-check service refused: " +
                              (j.is_object() ? string_at(j, "error") : reply->body));
    IdentitySession session;
    if (j.is_object()) {
        session.provider_ref = string_at(j, "ref");
        session.url = string_at(j, "url");
    }
    if (session.provider_ref.empty() || session.url.empty())
        return core::fail(core::Errc::io, "face.reply_malformed",
                          "the face-check service gave no ref and url");
    return session;
}

core::Result<IdentityResult> SandboxFaceProvider::parse_callback(const HeaderMap& headers,
                                                                 const std::string& body) {
    if (auto ok =
            face_verify_signature(m_config.webhook_secret.view(), headers, body, m_clock.now());
        !ok)
        return std::unexpected(ok.error());
    const auto j = json::parse(body, nullptr, false);
    if (!j.is_object() || string_at(j, "ref").empty() || !j.contains("result"))
        return core::fail(core::Errc::invalid_input, "face.malformed",
                          "the callback is not {ref, result, score, reason}");
    const std::string result = string_at(j, "result");
    if (result != "pass" && result != "fail")
        return core::fail(core::Errc::invalid_input, "face.result_unknown",
                          "result \"" + result + "\" (pass or fail expected)");
    IdentityResult out;
    out.provider_ref = string_at(j, "ref");
    out.status = result == "pass" ? CheckStatus::passed : CheckStatus::failed;
    const auto score = j.find("score");
    if (score != j.end() && score->is_number())
        out.detail = "score " + score->dump();
    if (const std::string reason = string_at(j, "reason"); !reason.empty())
        out.detail += (out.detail.empty() ? "" : "; ") + reason;
    return out;
}

}  // namespace eseal::ra::providers
