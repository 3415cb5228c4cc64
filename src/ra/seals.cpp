#include "ra/seals.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "pki/x509.hpp"
#include "ra/validation.hpp"
#include "seal/image.hpp"
#include "seal/seal_type.hpp"
#include "seal/seseal.hpp"

namespace eseal::ra {
namespace {

using nlohmann::json;

core::AuditEvent seal_event(const Actor& actor, core::TimePoint at, const std::string& action,
                            const std::string& seal_id, json detail) {
    return {at, actor.audit_name(), action, "seal:" + seal_id, detail.dump()};
}

json describe(const SealRecord& s) {
    return {{"credit_code", s.credit_code},
            {"kind", s.kind},
            {"name", s.name},
            {"status", to_string(s.status)},
            {"bound", s.bound},
            {"valid_end", core::format_utc(s.valid_end)}};
}

core::Result<SealRecord> not_found(const std::string& id) {
    return core::fail(core::Errc::not_found, "seal.not_found", "no seal " + id);
}

bool is_hex64(std::string_view s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c));
           });
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::string_view to_string(SealStatus s) noexcept {
    switch (s) {
        case SealStatus::active:
            return "active";
        case SealStatus::suspended:
            return "suspended";
        case SealStatus::revoked:
            return "revoked";
        case SealStatus::expired:
            return "expired";
    }
    return "active";
}

std::optional<SealStatus> parse_seal_status(std::string_view s) noexcept {
    for (auto v :
         {SealStatus::active, SealStatus::suspended, SealStatus::revoked, SealStatus::expired})
        if (to_string(v) == s)
            return v;
    return std::nullopt;
}

SealStatus effective_status(const SealRecord& s, core::TimePoint now) noexcept {
    if (s.status == SealStatus::revoked)
        return s.status;
    return now >= s.valid_end ? SealStatus::expired : s.status;
}

void SealService::set_maker(SealMaker maker) {
    const std::lock_guard lock(m_maker_mutex);
    m_maker = std::move(maker);
}

core::Result<SealAdmin> SealService::admin_of(const Actor& actor, const std::string& credit_code) {
    if (actor.kind != Actor::Kind::applicant)
        return core::fail(core::Errc::permission_denied, "seal.not_admin",
                          "seals are managed by the organization's seal admin");
    ApplicationQuery q;
    q.account_id = actor.account_id;
    q.limit = 1000;
    auto apps = m_applications.find_applications(q);
    if (!apps)
        return std::unexpected(apps.error());
    const Application* issued = nullptr;
    for (const auto& a : *apps)
        if (a.form.organization.credit_code == credit_code &&
            (a.state == State::issued || a.state == State::shipped || a.state == State::delivered))
            issued = &a;
    if (!issued)
        return core::fail(
            core::Errc::permission_denied, "seal.not_admin",
            "this account has no issued certificate application for organization " + credit_code);
    pki::CertificateQuery cq;
    cq.credit_code = credit_code;
    cq.status = pki::CertificateStatus::valid;
    auto certs = m_certificates.find_certificates(cq);
    if (!certs)
        return std::unexpected(certs.error());
    const auto now = m_clock.now();
    const pki::CertificateRecord* best = nullptr;
    for (const auto& c : *certs)
        if (c.profile == "org" && c.credit_code == credit_code &&
            c.status == pki::CertificateStatus::valid && c.not_before <= now && now < c.not_after &&
            (!best || c.not_after > best->not_after))
            best = &c;
    if (!best)
        return core::fail(core::Errc::permission_denied, "seal.no_org_certificate",
                          "organization " + credit_code +
                              " holds no valid organization certificate from this CA");
    return SealAdmin{credit_code, best->organization, *best, issued->form.handler};
}

core::Result<SealRecord> SealService::request(const Actor& actor, const SealDraft& draft) {
    auto admin = admin_of(actor, draft.credit_code);
    if (!admin)
        return std::unexpected(admin.error());
    const auto now = m_clock.now();
    std::vector<core::Problem> problems;
    const auto kind = seal::parse_seal_kind(draft.kind);
    if (!kind)
        problems.push_back({"seal.kind_unknown",
                            "kind must be official, finance, invoice, contract or legal-rep",
                            "kind"});
    std::string name = draft.name.empty() ? admin->organization : draft.name;
    if (kind == seal::SealKind::legal_representative && draft.name.empty())
        problems.push_back(
            {"seal.name_missing", "a legal representative's seal needs the person's name", "name"});
    const auto valid_end = draft.valid_end.value_or(admin->certificate.not_after);
    if (valid_end > admin->certificate.not_after)
        problems.push_back({"seal.validity_too_long",
                            "the seal cannot outlive the organization certificate (valid to " +
                                core::format_utc(admin->certificate.not_after) + ")",
                            "valid_end"});
    if (valid_end <= now)
        problems.push_back(
            {"seal.validity_invalid", "valid_end must be in the future", "valid_end"});
    if (!draft.scan.empty() && draft.scan_width_mm <= 0)
        problems.push_back(
            {"seal.scan_width", "give the scanned seal's physical width in mm", "scan_width_mm"});
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "seal.request_invalid",
                          "the seal request has errors", std::move(problems));

    core::Result<seal::SealImage> image = [&]() -> core::Result<seal::SealImage> {
        if (!draft.scan.empty())
            return seal::import_seal_scan(draft.scan, draft.scan_width_mm);
        seal::SealDesign design;
        design.kind = *kind;
        design.name = name;
        design.code = draft.code;
        // The invoice seal carries the taxpayer number: an organization's is its credit code.
        if (*kind == seal::SealKind::invoice)
            design.taxpayer = draft.taxpayer.empty() ? admin->credit_code : draft.taxpayer;
        else
            design.taxpayer = draft.taxpayer;
        return seal::render_seal(design);
    }();
    if (!image)
        return std::unexpected(image.error());

    seal::SealRequest req;
    req.type = seal::info(*kind).code;
    req.name = name;
    req.picture = {"PNG", image->png, static_cast<int>(std::lround(image->width_mm)),
                   static_cast<int>(std::lround(image->height_mm))};
    req.valid_start = now;
    req.valid_end = valid_end;
    core::Result<seal::Seal> made = [&]() -> core::Result<seal::Seal> {
        const std::lock_guard lock(m_maker_mutex);
        if (!m_maker)
            return core::fail(core::Errc::unsupported, "seal.maker_missing",
                              "the platform has no seal maker configured");
        return seal::make_seal(req, *m_maker->key, m_maker->certificate, m_clock);
    }();
    if (!made)
        return std::unexpected(made.error());

    SealRecord s;
    s.id = made->es_id;
    s.credit_code = admin->credit_code;
    s.organization = admin->organization;
    s.admin_account = actor.account_id;
    s.kind = std::string(seal::info(*kind).cli_name);
    s.name = name;
    s.status = SealStatus::active;
    s.picture_source = draft.scan.empty() ? "generated" : "scan";
    s.org_certificate = admin->certificate.serial;
    s.der = made->der;
    s.valid_start = made->property.valid_start;
    s.valid_end = made->property.valid_end;
    s.created_at = now;
    s.updated_at = now;
    auto detail = describe(s);
    detail["org_certificate"] = s.org_certificate;
    detail["picture"] = s.picture_source;
    if (auto r = m_seals.add_seal(s, seal_event(actor, now, "seal.request", s.id, detail)); !r)
        return std::unexpected(r.error());
    spdlog::info("seal {} ({} {}) made for {}", s.id, s.kind, s.name, s.credit_code);
    return s;
}

core::Result<std::vector<SealRecord>> SealService::list(const Actor& actor) {
    if (actor.kind != Actor::Kind::applicant)
        return std::vector<SealRecord>{};
    ApplicationQuery q;
    q.account_id = actor.account_id;
    q.limit = 1000;
    auto apps = m_applications.find_applications(q);
    if (!apps)
        return std::unexpected(apps.error());
    std::vector<std::string> orgs;
    for (const auto& a : *apps)
        if (std::find(orgs.begin(), orgs.end(), a.form.organization.credit_code) == orgs.end())
            orgs.push_back(a.form.organization.credit_code);
    std::vector<SealRecord> out;
    for (const auto& code : orgs) {
        if (!admin_of(actor, code))
            continue;
        auto seals = m_seals.seals_of(code);
        if (!seals)
            return std::unexpected(seals.error());
        out.insert(out.end(), seals->begin(), seals->end());
    }
    return out;
}

core::Result<SealRecord> SealService::managed(const Actor& actor, const std::string& id) {
    auto found = m_seals.find_seal(id);
    if (!found)
        return std::unexpected(found.error());
    if (!*found || !admin_of(actor, (*found)->credit_code))
        return not_found(id);
    return **found;
}

core::Result<SealRecord> SealService::get(const Actor& actor, const std::string& id) {
    auto found = m_seals.find_seal(id);
    if (!found)
        return std::unexpected(found.error());
    if (!*found)
        return not_found(id);
    if (admin_of(actor, (*found)->credit_code))
        return **found;
    if (actor.kind == Actor::Kind::applicant) {
        auto auths = m_seals.authorizations(id);
        if (!auths)
            return std::unexpected(auths.error());
        for (const auto& a : *auths)
            if (a.phone == actor.name && !a.revoked_at)
                return **found;
    }
    return not_found(id);
}

core::Result<SealRecord> SealService::update(const Actor& actor, SealRecord s,
                                             const std::string& action,
                                             const std::string& detail_json) {
    const auto now = m_clock.now();
    s.updated_at = now;
    auto detail = describe(s);
    if (!detail_json.empty())
        detail["detail"] = json::parse(detail_json, nullptr, false);
    if (auto r = m_seals.update_seal(s, seal_event(actor, now, action, s.id, detail)); !r)
        return std::unexpected(r.error());
    ++s.version;
    return s;
}

core::Result<SealRecord> SealService::move(const Actor& actor, const std::string& id, SealStatus to,
                                           const std::string& reason) {
    auto s = managed(actor, id);
    if (!s)
        return s;
    const auto now = m_clock.now();
    const auto current = effective_status(*s, now);
    if (current == SealStatus::revoked)
        return core::fail(core::Errc::conflict, "seal.revoked",
                          "seal " + id + " is revoked; a revoked seal stays revoked");
    if (current == SealStatus::expired)
        return core::fail(
            core::Errc::conflict, "seal.expired",
            "seal " + id + " expired at " + core::format_utc(s->valid_end) + "; request a new one");
    if (to == SealStatus::suspended && current != SealStatus::active)
        return core::fail(
            core::Errc::conflict, "seal.not_active",
            "only an active seal can be suspended (it is " + std::string(to_string(current)) + ")");
    if (to == SealStatus::active && current != SealStatus::suspended)
        return core::fail(
            core::Errc::conflict, "seal.not_suspended",
            "only a suspended seal can be resumed (it is " + std::string(to_string(current)) + ")");
    const auto from = s->status;
    s->status = to;
    s->status_reason = reason;
    const std::string action = to == SealStatus::suspended ? "seal.suspend"
                               : to == SealStatus::active  ? "seal.resume"
                                                           : "seal.revoke";
    return update(
        actor, std::move(*s), action,
        json{{"from", to_string(from)}, {"to", to_string(to)}, {"reason", reason}}.dump());
}

core::Result<SealRecord> SealService::suspend(const Actor& actor, const std::string& id,
                                              const std::string& reason) {
    return move(actor, id, SealStatus::suspended, reason);
}
core::Result<SealRecord> SealService::resume(const Actor& actor, const std::string& id) {
    return move(actor, id, SealStatus::active, "");
}
core::Result<SealRecord> SealService::revoke(const Actor& actor, const std::string& id,
                                             const std::string& reason) {
    return move(actor, id, SealStatus::revoked, reason);
}

core::Result<SealAuthorization> SealService::authorize(const Actor& actor, const std::string& id,
                                                       const std::string& person_name,
                                                       const std::string& phone) {
    auto s = managed(actor, id);
    if (!s)
        return std::unexpected(s.error());
    std::vector<core::Problem> problems;
    if (person_name.empty() || person_name.size() > 120)
        problems.push_back({"authorization.name_invalid", "give the person's name", "name"});
    if (!is_mainland_mobile(phone))
        problems.push_back({"authorization.phone_invalid",
                            "is not a mainland mobile number (11 digits, 1[3-9]…)", "phone"});
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "seal.authorization_invalid",
                          "the authorization has errors", std::move(problems));
    if (effective_status(*s, m_clock.now()) == SealStatus::revoked)
        return core::fail(core::Errc::conflict, "seal.revoked", "seal " + id + " is revoked");
    const auto now = m_clock.now();
    SealAuthorization a{0, id, person_name, phone, actor.audit_name(), now, std::nullopt};
    return m_seals.add_authorization(a, seal_event(actor, now, "seal.authorize", id,
                                                   {{"person", person_name}, {"phone", phone}}));
}

core::Result<void> SealService::withdraw(const Actor& actor, const std::string& id,
                                         std::int64_t authorization) {
    auto s = managed(actor, id);
    if (!s)
        return std::unexpected(s.error());
    const auto now = m_clock.now();
    return m_seals.revoke_authorization(id, authorization, now,
                                        seal_event(actor, now, "seal.authorization_withdraw", id,
                                                   {{"authorization", authorization}}));
}

core::Result<std::vector<SealAuthorization>> SealService::authorizations(const Actor& actor,
                                                                         const std::string& id) {
    auto s = managed(actor, id);
    if (!s)
        return std::unexpected(s.error());
    return m_seals.authorizations(id);
}

core::Result<SealUse> SealService::record_use(const Actor& actor, const std::string& id,
                                              const std::string& document_sha256,
                                              const std::string& document_name,
                                              const std::string& certificate_serial) {
    return add_use(actor, id, document_sha256, document_name, certificate_serial, false);
}

core::Result<SealUse> SealService::record_verified_use(const Actor& actor, const std::string& id,
                                                       const std::string& document_sha256,
                                                       const std::string& document_name,
                                                       core::ByteView signer_certificate) {
    auto cert = pki::parse_certificate(signer_certificate);
    if (!cert)
        return std::unexpected(cert.error());
    return add_use(actor, id, document_sha256, document_name, pki::serial_hex(cert->get()), true);
}

core::Result<std::vector<core::Bytes>> SealService::trusted_cas() {
    auto cas = m_certificates.list_cas();
    if (!cas)
        return std::unexpected(cas.error());
    std::vector<core::Bytes> out;
    for (const auto& ca : *cas) out.push_back(ca.certificate);
    return out;
}

core::Result<SealUse> SealService::add_use(const Actor& actor, const std::string& id,
                                           const std::string& document_sha256,
                                           const std::string& document_name,
                                           const std::string& certificate_serial, bool verified) {
    auto s = m_seals.find_seal(id);
    if (!s)
        return std::unexpected(s.error());
    if (!*s)
        return std::unexpected(not_found(id).error());
    std::string signer;
    if (admin_of(actor, (*s)->credit_code)) {
        signer = actor.audit_name() + " (seal admin)";
    } else if (actor.kind == Actor::Kind::applicant) {
        auto auths = m_seals.authorizations(id);
        if (!auths)
            return std::unexpected(auths.error());
        for (const auto& a : *auths)
            if (a.phone == actor.name && !a.revoked_at)
                signer = actor.audit_name() + " (" + a.person_name + ")";
    }
    if (signer.empty())
        return std::unexpected(not_found(id).error());
    std::vector<core::Problem> problems;
    if (!is_hex64(document_sha256))
        problems.push_back({"use.document_hash_invalid",
                            "document_sha256 must be 64 hex digits (SHA-256)", "document_sha256"});
    const auto serial = lower(certificate_serial);
    if (std::find((*s)->bound.begin(), (*s)->bound.end(), serial) == (*s)->bound.end())
        problems.push_back({"use.certificate_not_bound",
                            "certificate " + certificate_serial + " is not bound to this seal",
                            "certificate_serial"});
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "seal.use_invalid",
                          "the use cannot be recorded", std::move(problems));
    const auto now = m_clock.now();
    const auto status = effective_status(**s, now);
    if (status != SealStatus::active)
        return core::fail(
            core::Errc::conflict, "seal.not_usable",
            "seal " + id + " is " + std::string(to_string(status)) + " and cannot be used");
    SealUse u{0, id, lower(document_sha256), document_name, signer, serial, now, verified};
    return m_seals.add_use(u, seal_event(actor, now, "seal.use", id,
                                         {{"document_sha256", u.document_sha256},
                                          {"document", document_name},
                                          {"signer", signer},
                                          {"certificate", serial},
                                          {"verified", verified}}));
}

core::Result<std::vector<SealUse>> SealService::uses(const Actor& actor, const std::string& id,
                                                     std::size_t limit) {
    auto s = managed(actor, id);
    if (!s)
        return std::unexpected(s.error());
    return m_seals.uses(id, limit);
}

core::Result<SealRecord> SealService::bind_certificate(const Actor& actor, SealRecord s,
                                                       const pki::CertificateRecord& certificate,
                                                       const std::string& evidence_json) {
    auto current = seal::parse_seal(s.der);
    if (!current)
        return std::unexpected(current.error());
    seal::SealRequest req;
    req.type = current->property.type;
    req.name = current->property.name;
    req.signer_certificates = current->property.certificates;
    req.signer_certificates.push_back(certificate.der);
    req.picture = current->picture;
    req.valid_start = current->property.valid_start;
    req.valid_end = current->property.valid_end;
    req.es_id = current->es_id;
    core::Result<seal::Seal> made = [&]() -> core::Result<seal::Seal> {
        const std::lock_guard lock(m_maker_mutex);
        if (!m_maker)
            return core::fail(core::Errc::unsupported, "seal.maker_missing",
                              "the platform has no seal maker configured");
        return seal::make_seal(req, *m_maker->key, m_maker->certificate, m_clock);
    }();
    if (!made)
        return std::unexpected(made.error());
    s.der = made->der;
    s.bound.push_back(certificate.serial);
    return update(actor, std::move(s), "seal.bind", evidence_json);
}

}  // namespace eseal::ra
