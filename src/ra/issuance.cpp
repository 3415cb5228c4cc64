// CaDesk: fulfilment of an approved application (guide §3: the key pair is generated on the Ukey,
// the certificate issued and written to it, the PIN sent by SMS; §7 unlock; §8 change, lost key,
// revoke), shipping and delivery.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/secure_string.hpp"
#include "ra/desk.hpp"
#include "ra/duties.hpp"
#include "ra/state_machine.hpp"

namespace eseal::ra {
namespace {

std::string masked_phone(const std::string& phone) {
    return phone.size() == 11 ? phone.substr(0, 3) + "****" + phone.substr(7) : std::string("****");
}

// The business's effect on the certificate it concerns. A lost key is out of its holder's
// control, so its certificate is revoked as keyCompromise (RFC 5280 §5.3.1: the key is
// "suspected" compromised); a change or a renewal replaces the certificate: superseded.
std::optional<pki::RevocationReason> old_certificate_fate(Business b) {
    switch (b) {
        case Business::renew:
        case Business::change: return pki::RevocationReason::superseded;
        case Business::lost_key: return pki::RevocationReason::key_compromise;
        default: return std::nullopt;
    }
}

struct BusyGuard {
    std::mutex& mutex;
    std::set<std::string>& busy;
    std::string id;
    bool held = false;
    BusyGuard(std::mutex& mx, std::set<std::string>& b, std::string i) : mutex(mx), busy(b), id(std::move(i)) {
        const std::lock_guard lock(mutex);
        held = busy.insert(id).second;
    }
    ~BusyGuard() {
        if (!held) return;
        const std::lock_guard lock(mutex);
        busy.erase(id);
    }
};

}  // namespace

void CaDesk::send_pin(const Application& a, const core::SecureString& pin, const std::string& token_serial) {
    // The PIN goes straight to the SMS provider and is never written to the outbox, the timeline,
    // the audit log or the logs: only the fact that it was sent is recorded.
    OutboxMessage sms = sms_message(a.form.handler.phone,
                                    "您的数字证书Ukey（" + token_serial + "）PIN码为" + std::string(pin.view()) +
                                        "，请妥善保管，首次使用后请修改。",
                                    m.clock.now());
    auto sent = m.notifier.send_unstored(sms);
    core::secure_wipe(sms.body.data(), sms.body.size());
    auto d = desk_of(a.id);
    if (!d) return;
    const Actor system = Actor::system();
    if (sent) {
        (void)note(system, a, *d, "pin.sent", "PIN 已通过短信发送至 " + masked_phone(a.form.handler.phone));
    } else {
        spdlog::error("application {}: the PIN SMS was not sent: {}", a.id, sent.error().describe());
        (void)note(system, a, *d, "pin.not_sent",
                   "PIN 短信发送失败，请办理介质解锁以重设 PIN（" + sent.error().code + "）");
    }
}

core::Result<void> CaDesk::revoke_old(const Actor& actor, const Application& a, DeskRecord& d,
                                      pki::RevocationReason reason) {
    auto done = pki::revoke_certificate(m.certificates, m.revocations,
                                        {a.form.certificate_serial, reason, m.clock.now(), std::nullopt},
                                        actor.audit_name(), m.clock);
    if (!done) return std::unexpected(done.error());
    d.replaced_serial = a.form.certificate_serial;
    d.replaced_reason = std::string(pki::to_string(reason));
    return {};
}

core::Result<Application> CaDesk::fulfil(const Actor& actor, const std::string& id, const FulfilRequest& req) {
    auto a = load(actor, id);
    if (!a) return a;
    const Duty duty = a->business == Business::revoke ? Duty::revoke : Duty::issue;
    if (auto r = require(actor, duty, a->channel); !r) return std::unexpected(r.error());
    if (a->state != State::approved)
        return core::fail(core::Errc::conflict, "issuance.not_approved",
                          "only an approved application is fulfilled (it is " + std::string(to_string(a->state)) + ")");
    BusyGuard busy(m_busy_mutex, m_busy, id);
    if (!busy.held)
        return core::fail(core::Errc::conflict, "issuance.busy", "application " + id + " is being fulfilled by someone else");
    auto d = desk_of(id);
    if (!d) return std::unexpected(d.error());
    std::optional<pki::CertificateRecord> old;
    if (a->business != Business::new_cert) {
        auto cert = concerned_certificate(*a);  // checked again: it may have changed since approval
        if (!cert) return std::unexpected(cert.error());
        old = std::move(*cert);
    }
    const auto now = m.clock.now();
    d->fulfilled_by = actor.name;
    d->fulfilled_at = now;

    if (a->business == Business::revoke) {
        // The form's reason was validated on entry (RFC 5280 names); revoked now, so that the CRL
        // and OCSP (which read the revocation journal) reflect it at once.
        const auto reason = pki::parse_revocation_reason(a->form.revoke_reason);
        if (!reason)
            return core::fail(core::Errc::invalid_input, "revocation.reason", "unknown reason " + a->form.revoke_reason);
        if (auto r = revoke_old(actor, *a, *d, *reason); !r) return std::unexpected(r.error());
        if (auto r = move(actor, *a, State::issued, *d, "revoked",
                          "证书 " + d->replaced_serial + " 已注销（" + d->replaced_reason + "）",
                          handler_messages(a->form.handler, "证书已注销 " + a->id,
                                           "您的数字证书" + d->replaced_serial + "已注销，申请" + a->id + "已办结。", now));
            !r)
            return std::unexpected(r.error());
        if (auto r = move(actor, *a, State::delivered, *d, "completed", "业务已办结"); !r) return std::unexpected(r.error());
        return a;
    }

    if (!m.tools)
        return core::fail(core::Errc::unsupported, "issuance.unavailable", "this server has no CA or Ukey drivers configured");

    if (a->business == Business::unlock) {
        // The Ukey holding the certificate: its SO / admin PIN (kept sealed by the CA) resets the
        // user PIN (guide §7 介质解锁).
        auto tokens = m.tokens.list_tokens(std::nullopt);
        if (!tokens) return std::unexpected(tokens.error());
        std::optional<token::TokenRecord> holder;
        for (const auto& t : *tokens) {
            auto full = m.tokens.find_token(t.serial);
            if (!full) return std::unexpected(full.error());
            if (*full && std::any_of((*full)->certificates.begin(), (*full)->certificates.end(),
                                     [&](const token::TokenCertificate& c) { return c.certificate_serial == a->form.certificate_serial; }))
                holder = **full;
        }
        if (!holder)
            return core::fail(core::Errc::not_found, "issuance.no_token",
                              "no Ukey in the inventory holds certificate " + a->form.certificate_serial);
        auto driver = m.tools->ukeys(holder->driver);
        if (!driver) return std::unexpected(driver.error());
        auto pin = (*driver)->unlock(holder->serial, 8, actor.audit_name());
        if (!pin) return std::unexpected(pin.error());
        d->token_serial = holder->serial;
        d->token_driver = holder->driver;
        if (auto r = move(actor, *a, State::issued, *d, "unlocked", "Ukey " + holder->serial + " 已解锁，新 PIN 已通过短信发送"); !r)
            return std::unexpected(r.error());
        send_pin(*a, *pin, holder->serial);
        return a;
    }

    // new, renew, change, lost-key: a token from the inventory (lost-key: necessarily a new one).
    const auto algorithm = crypto::parse_key_algorithm(a->form.algorithm);
    if (!algorithm)
        return core::fail(core::Errc::invalid_input, "issuance.algorithm", "unknown algorithm " + a->form.algorithm);
    if (req.token_serial.empty())
        return core::fail(core::Errc::invalid_input, "issuance.token_required", "pick a blank token from the inventory",
                          {{"field.required", "a token in stock", "token_serial"}});
    auto tok = m.tokens.find_token(req.token_serial);
    if (!tok) return std::unexpected(tok.error());
    if (!*tok)
        return core::fail(core::Errc::not_found, "issuance.token_unknown", "token " + req.token_serial + " is not in the inventory");
    if ((*tok)->state != token::TokenState::in_stock)
        return core::fail(core::Errc::conflict, "issuance.token_not_blank",
                          "token " + req.token_serial + " is " + std::string(token::to_string((*tok)->state)) + ", not in stock");
    const bool wants_skf = *algorithm == crypto::KeyAlgorithm::sm2;
    if (wants_skf != ((*tok)->driver == "skf"))
        return core::fail(core::Errc::invalid_input, "issuance.token_algorithm",
                          "an " + a->form.algorithm + " certificate goes on " + (wants_skf ? "an SKF (SM2) Ukey" : "a PKCS#11 token") +
                              "; token " + req.token_serial + " is " + (*tok)->driver);
    auto ca = m.tools->ca(*algorithm);
    if (!ca) return std::unexpected(ca.error());
    auto driver = m.tools->ukeys((*tok)->driver);
    if (!driver) return std::unexpected(driver.error());

    token::EnrollRequest er;
    er.token_serial = req.token_serial;
    er.label = req.label.empty() ? (*tok)->label : req.label;
    er.algorithm = *algorithm;
    er.pin_digits = 8;
    const bool individual = a->cert_type == CertType::organization_individual;
    er.issue.profile = individual ? pki::Profile::organization_individual : pki::Profile::organization;
    er.issue.years = a->form.years;
    er.issue.overrides.organization = a->form.organization.name;
    er.issue.overrides.credit_code = a->form.organization.credit_code;
    er.issue.overrides.province = m.province;
    er.issue.overrides.locality = m.locality;
    if (individual && a->form.holder) {
        er.issue.overrides.person_name = a->form.holder->name;
        er.issue.overrides.person_id = a->form.holder->id_number;
    }
    if (a->business == Business::renew) {
        // Guide §8 renewal: validity continues from the old certificate's end.
        auto previous = m.certificates.find_certificate(a->form.certificate_serial);
        if (!previous) return std::unexpected(previous.error());
        if (*previous) er.issue.continues_from = (*previous)->not_after;
    }
    er.issue.actor = actor.audit_name();
    auto enrolled = (*driver)->enroll(**ca, er);
    if (!enrolled) return std::unexpected(enrolled.error());
    d->token_serial = enrolled->token.serial;
    d->token_driver = (*tok)->driver;
    d->certificate_serial = enrolled->certificate.serial;

    if (const auto fate = old_certificate_fate(a->business)) {
        if (auto r = revoke_old(actor, *a, *d, *fate); !r) {
            spdlog::error("application {}: new certificate {} issued but the old one {} not revoked: {}", id,
                          d->certificate_serial, a->form.certificate_serial, r.error().describe());
            return std::unexpected(r.error());
        }
    }
    std::string message = "证书 " + d->certificate_serial + " 已写入 Ukey " + d->token_serial;
    if (!d->replaced_serial.empty()) message += "；原证书 " + d->replaced_serial + " 已注销（" + d->replaced_reason + "）";
    auto moved = move(actor, *a, State::issued, *d, "issued", message,
                      handler_messages(a->form.handler, "证书已制作 " + a->id,
                                       "您的数字证书已制作完成（证书序列号" + d->certificate_serial + "），PIN码将另行短信发送。", now));
    if (!moved) {
        // The certificate exists but the application could not record it: revoke it so that no
        // certificate stays valid that the records do not account for.
        spdlog::error("application {}: certificate {} issued but not recorded: {}", id, d->certificate_serial,
                      moved.error().describe());
        (void)pki::revoke_certificate(m.certificates, m.revocations,
                                      {d->certificate_serial, pki::RevocationReason::cessation_of_operation, m.clock.now(),
                                       std::nullopt},
                                      "system", m.clock);
        return std::unexpected(moved.error());
    }
    send_pin(*a, enrolled->user_pin, d->token_serial);
    return a;
}

core::Result<Application> CaDesk::ship(const Actor& actor, const std::string& id, const std::string& carrier,
                                       const std::string& tracking_no) {
    auto a = load(actor, id);
    if (!a) return a;
    if (auto r = require(actor, Duty::ship, a->channel); !r) return std::unexpected(r.error());
    std::vector<core::Problem> problems;
    if (carrier.empty()) problems.push_back({"field.required", "the carrier (e.g. 顺丰速运, EMS)", "carrier"});
    if (tracking_no.empty() || tracking_no.size() > 40 ||
        !std::all_of(tracking_no.begin(), tracking_no.end(), [](unsigned char c) { return std::isalnum(c); }))
        problems.push_back({"field.tracking_no", "1 to 40 letters and digits", "tracking_no"});
    if (a->form.delivery != Delivery::post)
        problems.push_back({"shipping.pickup", "the applicant collects it at a service point; hand it over instead", "delivery"});
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "shipping.invalid", "the parcel cannot be recorded", std::move(problems));
    auto d = desk_of(id);
    if (!d) return std::unexpected(d.error());
    const auto now = m.clock.now();
    d->carrier = carrier;
    d->tracking_no = tracking_no;
    d->shipped_at = now;
    const std::string text = "您的数字证书Ukey已由" + carrier + "寄出，运单号" + tracking_no + "。";
    if (auto r = move(actor, *a, State::shipped, *d, "shipped", "已寄出：" + carrier + " " + tracking_no,
                      handler_messages(a->form.handler, "已寄出 " + a->id, text, now));
        !r)
        return std::unexpected(r.error());
    return a;
}

core::Result<Application> CaDesk::deliver(const Actor& actor, const std::string& id) {
    auto a = load(actor, id);
    if (!a) return a;
    if (auto r = require(actor, a->state == State::shipped ? Duty::ship : Duty::hand_over, a->channel); !r)
        return std::unexpected(r.error());
    auto d = desk_of(id);
    if (!d) return std::unexpected(d.error());
    d->delivered_at = m.clock.now();
    const bool handed = a->state == State::issued;
    if (auto r = move(actor, *a, State::delivered, *d, handed ? "handed_over" : "delivered",
                      handed ? "已在服务网点交付 Ukey" : "已签收");
        !r)
        return std::unexpected(r.error());
    return a;
}

}  // namespace eseal::ra
