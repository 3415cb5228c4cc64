#include "ra/seal_binding.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "crypto/digest.hpp"
#include "crypto/public_key.hpp"
#include "pki/x509.hpp"

namespace eseal::ra {
namespace {

using nlohmann::json;

core::AuditEvent binding_event(const Actor& actor, core::TimePoint at, const std::string& action,
                               const std::string& seal_id, json detail) {
    return {at, actor.audit_name(), action, "seal:" + seal_id, detail.dump()};
}

// The certificate the client sent: ours (the same DER as issued), valid now, not revoked, and
// the seal's organization's. Problems are added; the record is returned when it is ours.
std::optional<pki::CertificateRecord> check_certificate(pki::CertificateRepository& certificates,
                                                        core::ByteView der, const SealRecord& seal,
                                                        core::TimePoint now,
                                                        std::vector<core::Problem>& problems,
                                                        crypto::PkeyPtr& key) {
    auto cert = pki::parse_certificate(der);
    if (!cert) {
        problems.push_back(
            {"binding.certificate_invalid",
             "the certificate is not a DER X.509 certificate: " + cert.error().message,
             "certificate"});
        return std::nullopt;
    }
    EVP_PKEY* pkey = X509_get0_pubkey(cert->get());
    if (pkey) {
        EVP_PKEY_up_ref(pkey);
        key.reset(pkey);
    }
    auto found = certificates.find_certificate(pki::serial_hex(cert->get()));
    if (!found || !*found || (*found)->der != core::Bytes(der.begin(), der.end())) {
        problems.push_back({"binding.certificate_unknown",
                            "the certificate was not issued by this CA", "certificate"});
        return std::nullopt;
    }
    const auto& rec = **found;
    if (rec.status == pki::CertificateStatus::revoked)
        problems.push_back(
            {"binding.certificate_revoked",
             "certificate " + rec.serial + " is revoked (" + rec.revocation_reason + ")",
             "certificate"});
    if (now < rec.not_before || now >= rec.not_after)
        problems.push_back({"binding.certificate_expired",
                            "certificate " + rec.serial + " is valid from " +
                                core::format_utc(rec.not_before) + " to " +
                                core::format_utc(rec.not_after) + ", not now",
                            "certificate"});
    if (rec.credit_code != seal.credit_code)
        problems.push_back({"binding.certificate_other_organization",
                            "certificate " + rec.serial + " belongs to organization " +
                                rec.credit_code + ", not " + seal.credit_code,
                            "certificate"});
    if (std::find(seal.bound.begin(), seal.bound.end(), rec.serial) != seal.bound.end())
        problems.push_back({"binding.already_bound",
                            "certificate " + rec.serial + " is already bound to this seal",
                            "certificate"});
    return rec;
}

}  // namespace

std::string binding_message(const std::string& challenge_hex, const std::string& seal_id,
                            const std::string& origin) {
    return "eseal ukey-binding v1\nchallenge=" + challenge_hex + "\nseal=" + seal_id +
           "\norigin=" + origin + "\n";
}

core::Result<BindingStart> SealBindingService::start(const Actor& actor,
                                                     const std::string& seal_id) {
    auto seal = m_seals.managed(actor, seal_id);
    if (!seal)
        return std::unexpected(seal.error());
    const auto now = m_clock.now();
    if (const auto st = effective_status(*seal, now); st != SealStatus::active)
        return core::fail(core::Errc::conflict, "seal.not_active",
                          "a Ukey can be bound to an active seal only (it is " +
                              std::string(to_string(st)) + ")");
    auto admin = m_seals.admin_of(actor, seal->credit_code);
    if (!admin)
        return std::unexpected(admin.error());

    IdentityCheck c;
    c.id = "F" + core::hex_encode(crypto::random_bytes(10));
    c.purpose = "ukey-binding";
    c.name = admin->handler.name;
    c.id_number = admin->handler.id_number;
    c.provider = m_face.name();
    c.created_at = now;
    auto session = m_face.start(c);
    if (!session)
        return std::unexpected(session.error());
    c.provider_ref = session->provider_ref;
    c.url = session->url;
    ApplicationChange change;
    change.event = binding_event(actor, now, "identity.started", seal_id,
                                 {{"check", c.id},
                                  {"purpose", c.purpose},
                                  {"provider", c.provider},
                                  {"provider_ref", c.provider_ref}});
    if (auto r = m_checks.add_check(c, change); !r)
        return std::unexpected(r.error());

    BindingChallenge ch;
    ch.id = "B" + core::hex_encode(crypto::random_bytes(10));
    ch.seal_id = seal_id;
    ch.account_id = actor.account_id;
    ch.challenge = core::hex_encode(crypto::random_bytes(32));
    ch.origin = m_origin;
    ch.check_id = c.id;
    ch.created_at = now;
    ch.expires_at = now + kChallengeLifetime;
    if (auto r =
            m_repository.add_challenge(ch, binding_event(actor, now, "seal.binding_start", seal_id,
                                                         {{"challenge", ch.id}, {"check", c.id}}));
        !r)
        return std::unexpected(r.error());
    spdlog::info("seal {}: Ukey binding {} started (face check {})", seal_id, ch.id, c.id);
    return BindingStart{ch, c, binding_message(ch.challenge, seal_id, m_origin)};
}

core::Result<IdentityCheck> SealBindingService::callback(const HeaderMap& headers,
                                                         const std::string& body) {
    auto result = m_face.parse_callback(headers, body);
    if (!result) {
        spdlog::warn("binding face callback refused: {}", result.error().describe());
        return std::unexpected(result.error());
    }
    auto found = m_checks.find_check_by_ref(m_face.name(), result->provider_ref);
    if (!found)
        return std::unexpected(found.error());
    if (!*found || (*found)->purpose != "ukey-binding")
        return core::fail(core::Errc::not_found, "identity.unknown_session",
                          "no binding check " + result->provider_ref);
    IdentityCheck c = **found;
    if (c.status != CheckStatus::pending)
        return c;  // a repeated callback
    const auto now = m_clock.now();
    c.status = result->status;
    c.detail = result->detail;
    c.finished_at = now;
    ApplicationChange change;
    change.event = {
        now, "system",
        std::string("identity.") + (c.status == CheckStatus::passed ? "passed" : "failed"),
        "identity:" + c.id,
        json{{"purpose", c.purpose},
             {"provider_ref", c.provider_ref},
             {"status", to_string(c.status)},
             {"detail", c.detail}}
            .dump()};
    auto changed = m_checks.finish_check(c, change);
    if (!changed)
        return std::unexpected(changed.error());
    return c;
}

core::Result<BindingStart> SealBindingService::status(const Actor& actor,
                                                      const std::string& seal_id,
                                                      const std::string& challenge_id) {
    auto seal = m_seals.managed(actor, seal_id);
    if (!seal)
        return std::unexpected(seal.error());
    auto ch = m_repository.find_challenge(challenge_id);
    if (!ch)
        return std::unexpected(ch.error());
    if (!*ch || (*ch)->seal_id != seal_id || (*ch)->account_id != actor.account_id)
        return core::fail(core::Errc::not_found, "binding.challenge_unknown",
                          "no binding " + challenge_id + " for this seal");
    auto check = m_checks.find_check((*ch)->check_id);
    if (!check)
        return std::unexpected(check.error());
    if (!*check)
        return core::fail(core::Errc::storage, "storage.corrupt",
                          "binding " + challenge_id + " has no face check");
    return BindingStart{**ch, **check, binding_message((*ch)->challenge, seal_id, (*ch)->origin)};
}

core::Result<SealRecord> SealBindingService::complete(const Actor& actor,
                                                      const std::string& seal_id,
                                                      const std::string& challenge_id,
                                                      core::ByteView certificate_der,
                                                      core::ByteView signature) {
    auto started = status(actor, seal_id, challenge_id);
    if (!started)
        return std::unexpected(started.error());
    auto seal = m_seals.managed(actor, seal_id);
    if (!seal)
        return std::unexpected(seal.error());
    const auto now = m_clock.now();
    const auto& ch = started->challenge;
    if (ch.used_at)
        return core::fail(core::Errc::conflict, "binding.challenge_used",
                          "challenge " + ch.id + " was used at " + core::format_utc(*ch.used_at) +
                              "; start again");
    if (now >= ch.expires_at)
        return core::fail(core::Errc::conflict, "binding.challenge_expired",
                          "challenge " + ch.id + " expired at " + core::format_utc(ch.expires_at) +
                              "; start again");

    std::vector<core::Problem> problems;
    if (const auto st = effective_status(*seal, now); st != SealStatus::active)
        problems.push_back(
            {"binding.seal_not_active", "the seal is " + std::string(to_string(st)), "seal"});
    const auto& check = started->check;
    if (check.status == CheckStatus::pending)
        problems.push_back({"binding.face_check_pending", "the face check has not been done yet",
                            "identity_check"});
    else if (check.status == CheckStatus::failed)
        problems.push_back({"binding.face_check_failed", "the face check failed: " + check.detail,
                            "identity_check"});
    crypto::PkeyPtr key;
    auto cert = check_certificate(m_certificates, certificate_der, *seal, now, problems, key);
    if (key) {
        const auto described = crypto::describe_key(key.get());
        bool ok = false;
        if (described.algorithm) {
            const auto alg = crypto::signature_algorithm_for(*described.algorithm);
            ok = static_cast<bool>(crypto::verify_signature(
                key.get(), alg, core::as_bytes(started->message), signature));
        }
        if (!ok)
            problems.push_back(
                {"binding.signature_invalid",
                 "the signature does not verify over the challenge with the certificate's key",
                 "signature"});
    }

    json detail = {
        {"challenge", ch.id}, {"check", check.id}, {"face_check", to_string(check.status)}};
    if (cert)
        detail["certificate"] = cert->serial;
    json refused = json::array();
    for (const auto& p : problems) refused.push_back(p.code);
    detail["refused"] = refused;
    auto first_use = m_repository.use_challenge(
        ch.id, now,
        binding_event(actor, now,
                      problems.empty() ? "seal.binding_verified" : "seal.binding_refused", seal_id,
                      detail));
    if (!first_use)
        return std::unexpected(first_use.error());
    if (!*first_use)
        return core::fail(core::Errc::conflict, "binding.challenge_used",
                          "challenge " + ch.id + " was used; start again");
    if (!problems.empty()) {
        spdlog::warn("seal {}: Ukey binding {} refused ({})", seal_id, ch.id, refused.dump());
        return core::fail(core::Errc::permission_denied, "binding.refused",
                          "the Ukey binding was refused", std::move(problems));
    }
    auto bound = m_seals.bind_certificate(actor, std::move(*seal), *cert, detail.dump());
    if (bound)
        spdlog::info("seal {}: certificate {} bound (challenge {})", seal_id, cert->serial, ch.id);
    return bound;
}

}  // namespace eseal::ra
