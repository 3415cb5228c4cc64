#include "token/pkcs11_service.hpp"

#include <nlohmann/json.hpp>

#include "crypto/digest.hpp"
#include "crypto/sealed.hpp"
#include "pki/csr.hpp"
#include "pki/x509.hpp"
#include "token/pin.hpp"

namespace eseal::token {
namespace {

core::AuditEvent event(core::TimePoint at, const std::string& actor, std::string action, const std::string& serial,
                       nlohmann::json detail = nlohmann::json::object()) {
    return {at, actor, std::move(action), "token:" + serial, detail.dump()};
}

}  // namespace

core::Result<TokenRecord> Pkcs11Service::known_token(const std::string& serial) {
    auto rec = m_tokens->find_token(serial);
    if (!rec) return std::unexpected(rec.error());
    if (!*rec)
        return core::fail(core::Errc::not_found, "token.unknown",
                          "token " + serial + " is not in the CA's inventory (eseal token init)");
    return std::move(**rec);
}

core::Result<core::SecureString> Pkcs11Service::so_pin(const TokenRecord& record) {
    return crypto::unseal(m_passphrase, record.so_pin_sealed);
}

core::Result<Session> Pkcs11Service::so_session(const TokenRecord& record) {
    auto info = m_module->find_token(record.serial);
    if (!info) return std::unexpected(info.error());
    auto pin = so_pin(record);
    if (!pin) return std::unexpected(pin.error());
    auto session = Session::open(m_module, info->slot, SessionMode::read_write);
    if (!session) return std::unexpected(session.error());
    if (auto r = session->login(UserType::so, *pin); !r) return std::unexpected(r.error());
    return session;
}

core::Result<TokenRecord> Pkcs11Service::init_blank(const std::string& label, const std::string& actor) {
    auto blank = m_module->find_blank_token();
    if (!blank) return std::unexpected(blank.error());
    const auto pin = random_so_pin();
    auto sealed = crypto::seal(m_passphrase, core::as_bytes(pin.view()));
    if (!sealed) return std::unexpected(sealed.error());
    if (auto r = init_token(*m_module, blank->slot, pin, label); !r) return std::unexpected(r.error());
    // The token now has a serial; its slot may have moved (SoftHSM2 renumbers), so find it by
    // label among the initialized tokens the inventory does not know yet.
    auto all = m_module->tokens();
    if (!all) return std::unexpected(all.error());
    std::optional<TokenInfo> made;
    for (auto& t : *all) {
        if (!t.initialized() || t.label != label) continue;
        auto known = m_tokens->find_token(t.serial);
        if (known && !*known) made = t;
    }
    if (!made) return core::fail(core::Errc::io, "token.init", "the token was initialized but cannot be found again");
    const auto now = m_clock->now();
    TokenRecord rec{made->serial, "pkcs11", m_module->path().string(), label, TokenState::in_stock, std::move(*sealed),
                    now, now, {}};
    if (auto r = m_tokens->add_token(rec, event(now, actor, "token.init", rec.serial, {{"label", label}})); !r)
        return std::unexpected(r.error());
    return rec;
}

core::Result<Enrolled> Pkcs11Service::enroll(const pki::CertificateAuthority& ca, const EnrollRequest& request) {
    if (request.pin_digits < 6 || request.pin_digits > 8)
        return core::fail(core::Errc::invalid_input, "token.pin_length", "a user PIN has 6 to 8 digits");
    const std::string& actor = request.issue.actor;
    TokenRecord record;
    if (request.token_serial.empty()) {
        auto made = init_blank(request.label, actor);
        if (!made) return std::unexpected(made.error());
        record = std::move(*made);
    } else {
        auto known = known_token(request.token_serial);
        if (!known) return std::unexpected(known.error());
        record = std::move(*known);
        if (record.state != TokenState::in_stock)
            return core::fail(core::Errc::conflict, "token.not_in_stock",
                              "token " + record.serial + " is " + std::string(to_string(record.state)) +
                                  ", not in stock" + (record.state == TokenState::failed ? " (wipe it first)" : ""));
    }
    auto info = m_module->find_token(record.serial);
    if (!info) return std::unexpected(info.error());

    // 1. A fresh user PIN, set by the SO.
    auto pin = random_pin(request.pin_digits);
    {
        auto so = so_session(record);
        if (!so) return std::unexpected(so.error());
        if (auto r = init_user_pin(*so, pin); !r) return std::unexpected(r.error());
    }
    // 2. The key pair, generated on the token.
    auto session = Session::open(m_module, info->slot, SessionMode::read_write);
    if (!session) return std::unexpected(session.error());
    if (auto r = session->login(UserType::user, pin); !r) return std::unexpected(r.error());
    const auto id = crypto::random_bytes(16);
    const auto key_id = core::hex_encode(id);
    auto kp = generate_key_pair(*session, request.algorithm, request.label, id);
    if (!kp) return std::unexpected(kp.error());
    const auto undo_keys = [&] { (void)destroy_objects(*session, id); };

    // 3. The CSR, signed on the token, and the certificate from the CA.
    auto signer_session = Session::open(m_module, info->slot, SessionMode::read_only);
    if (!signer_session) return undo_keys(), std::unexpected(signer_session.error());
    if (auto r = signer_session->login(UserType::user, pin); !r) return undo_keys(), std::unexpected(r.error());
    auto signer = Pkcs11Signer::open(std::move(*signer_session), id);
    if (!signer) return undo_keys(), std::unexpected(signer.error());
    auto subject = pki::build_subject_name(request.issue.overrides, request.issue.profile);
    auto csr = pki::make_csr(subject.get(), **signer);
    if (!csr) return undo_keys(), std::unexpected(csr.error());
    pki::IssueRequest issue = request.issue;
    issue.csr = *csr;
    auto cert = ca.issue(issue);
    if (!cert) return undo_keys(), std::unexpected(cert.error());

    // 4. The certificate on the token, read back. From here a failure must not leave a valid
    // certificate for a key that is gone: revoke it and mark the token failed.
    const auto now = m_clock->now();
    const auto fail_after_issue = [&](core::Error e) -> core::Result<Enrolled> {
        undo_keys();
        if (auto r = m_revoker->revoke(cert->serial, "cessationOfOperation", actor); !r)
            e.message += "; and revoking certificate " + cert->serial + " failed too: " + r.error().message;
        record.state = TokenState::failed;
        record.updated_at = now;
        (void)m_tokens->update_token(record, event(now, actor, "token.enroll_failed", record.serial,
                                                   {{"certificate", cert->serial}, {"error", e.code}}));
        return std::unexpected(e);
    };
    if (auto w = write_certificate(*session, cert->der, id, request.label); !w) return fail_after_issue(w.error());
    auto objects = list_objects(*session);
    if (!objects) return fail_after_issue(objects.error());
    bool found = false;
    for (const auto& o : *objects) found = found || (o.kind == "certificate" && o.id == id && o.value == cert->der);
    auto spki = public_key_info(*session, kp->public_key);
    auto parsed = pki::parse_certificate(cert->der);
    if (!found || !spki || !parsed || crypto::public_key_der(X509_get0_pubkey(parsed->get())) != *spki)
        return fail_after_issue(core::Error{core::Errc::io, "token.readback",
                                            "the certificate read back from the token does not match", {}});

    TokenCertificate link{cert->serial, key_id, now};
    if (auto r = m_tokens->link_certificate(record.serial, link, TokenState::active, now,
                                            event(now, actor, "token.enroll", record.serial,
                                                  {{"certificate", cert->serial}, {"key_id", key_id}}));
        !r)
        return fail_after_issue(r.error());
    record.state = TokenState::active;
    record.certificates.push_back(link);
    return Enrolled{std::move(record), std::move(*cert), key_id, std::move(pin)};
}

core::Result<core::SecureString> Pkcs11Service::unlock(const std::string& serial, int pin_digits, const std::string& actor) {
    if (pin_digits < 6 || pin_digits > 8)
        return core::fail(core::Errc::invalid_input, "token.pin_length", "a user PIN has 6 to 8 digits");
    auto record = known_token(serial);
    if (!record) return std::unexpected(record.error());
    if (record->state != TokenState::active && record->state != TokenState::locked)
        return core::fail(core::Errc::conflict, "token.state",
                          "token " + serial + " is " + std::string(to_string(record->state)) + "; only an issued key is unlocked");
    auto so = so_session(*record);
    if (!so) return std::unexpected(so.error());
    auto pin = random_pin(pin_digits);
    if (auto r = init_user_pin(*so, pin); !r) return std::unexpected(r.error());
    record->state = TokenState::active;
    record->updated_at = m_clock->now();
    if (auto r = m_tokens->update_token(*record, event(record->updated_at, actor, "token.unlock", serial)); !r)
        return std::unexpected(r.error());
    return pin;
}

core::Result<void> Pkcs11Service::change_pin(const std::string& serial, const core::SecureString& old_pin,
                                             const core::SecureString& new_pin, const std::string& actor) {
    if (auto r = check_new_pin(new_pin); !r) return r;
    auto info = m_module->find_token(serial);
    if (!info) return std::unexpected(info.error());
    auto session = Session::open(m_module, info->slot, SessionMode::read_write);
    if (!session) return std::unexpected(session.error());
    if (auto r = session->login(UserType::user, old_pin); !r) return std::unexpected(r.error());
    if (auto r = token::change_pin(*session, old_pin, new_pin); !r) return std::unexpected(r.error());
    if (auto known = m_tokens->find_token(serial); known && *known)
        (void)m_tokens->update_token(**known, event(m_clock->now(), actor, "token.pin_change", serial));
    return {};
}

core::Result<void> Pkcs11Service::wipe(const std::string& serial, TokenState then, pki::CertificateRepository& certs,
                                       const std::string& actor) {
    auto record = known_token(serial);
    if (!record) return std::unexpected(record.error());
    const auto now = m_clock->now();
    if (auto r = check_no_valid_certificate(*record, certs, now); !r) return r;
    auto info = m_module->find_token(serial);
    if (!info) return std::unexpected(info.error());
    auto pin = so_pin(*record);
    if (!pin) return std::unexpected(pin.error());
    if (auto r = init_token(*m_module, info->slot, *pin, record->label); !r) return std::unexpected(r.error());
    record->state = then;
    record->updated_at = now;
    return m_tokens->update_token(*record, event(now, actor, "token.wipe", serial, {{"state", to_string(then)}}));
}

core::Result<std::vector<TokenObject>> Pkcs11Service::objects(const std::string& serial, const core::SecureString* pin) {
    auto info = m_module->find_token(serial);
    if (!info) return std::unexpected(info.error());
    auto session = Session::open(m_module, info->slot, SessionMode::read_only);
    if (!session) return std::unexpected(session.error());
    if (pin != nullptr)
        if (auto r = session->login(UserType::user, *pin); !r) return std::unexpected(r.error());
    return list_objects(*session);
}

core::Result<std::unique_ptr<crypto::Signer>> Pkcs11Service::signer(const std::string& serial, const std::string& key_id,
                                                                  const core::SecureString& pin) {
    auto id = core::hex_decode(key_id);
    if (!id) return core::fail(core::Errc::invalid_input, "token.key_id", "a key ID is hex");
    auto info = m_module->find_token(serial);
    if (!info) return std::unexpected(info.error());
    auto session = Session::open(m_module, info->slot, SessionMode::read_only);
    if (!session) return std::unexpected(session.error());
    if (auto r = session->login(UserType::user, pin); !r) return std::unexpected(r.error());
    auto s = Pkcs11Signer::open(std::move(*session), *id);
    if (!s) return std::unexpected(s.error());
    return std::unique_ptr<crypto::Signer>(std::move(*s));
}

core::Result<std::vector<PresentToken>> Pkcs11Service::present() {
    auto all = m_module->tokens();
    if (!all) return std::unexpected(all.error());
    std::vector<PresentToken> out;
    for (const auto& t : *all)
        out.push_back({t.initialized() ? t.serial : std::string{}, t.label, !t.initialized(), t.user_pin_locked(),
                       "slot " + std::to_string(t.slot) + ", " + t.manufacturer + " " + t.model});
    return out;
}

}  // namespace eseal::token
