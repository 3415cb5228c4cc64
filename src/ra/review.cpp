// CaDesk: the review queue, claims, verdicts per material, approve or return (guide §3 审核;
// DESIGN §5: review within one working day).
#include <algorithm>

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "ra/desk.hpp"
#include "ra/duties.hpp"
#include "ra/state_machine.hpp"

namespace eseal::ra {

core::Result<Application> CaDesk::load(const Actor& actor, const std::string& id) {
    if (auto r = require(actor, Duty::read); !r) return std::unexpected(r.error());
    return m.service.visible(actor, id);
}

core::Result<DeskRecord> CaDesk::desk_of(const std::string& id) {
    auto found = m.desk.find_desk(id);
    if (!found) return std::unexpected(found.error());
    if (*found) return std::move(**found);
    DeskRecord d;
    d.application_id = id;
    return d;
}

core::Result<std::optional<DeskRecord>> CaDesk::record(const Actor& actor, const std::string& id) {
    if (auto a = load(actor, id); !a) return std::unexpected(a.error());
    return m.desk.find_desk(id);
}

core::Result<void> CaDesk::move(const Actor& actor, Application& a, State to, const DeskRecord& d, std::string event,
                                std::string message, std::vector<OutboxMessage> messages,
                                std::vector<Material> materials) {
    if (auto r = check_transition(a.state, to, actor.kind); !r) return r;
    const std::string from(to_string(a.state));
    const auto now = m.clock.now();
    a.state = to;
    a.updated_at = now;
    ApplicationChange c;
    c.timeline.push_back({a.id, now, actor.audit_name(), from, std::string(to_string(to)), event, message});
    c.messages = std::move(messages);
    c.event = core::AuditEvent{now, actor.audit_name(), "application." + event, "application:" + a.id,
                               nlohmann::json{{"state", to_string(to)},
                                              {"from", from},
                                              {"message", message},
                                              {"token", d.token_serial},
                                              {"certificate", d.certificate_serial},
                                              {"client", actor.client}}
                                   .dump()};
    if (auto r = m.desk.save_desk(a, d, materials, c); !r) return r;
    ++a.version;
    spdlog::info("application {}: {} → {} by {} ({})", a.id, from, to_string(to), actor.audit_name(), event);
    if (auto f = m.notifier.flush(); !f) spdlog::warn("outbox: {}", f.error().describe());
    return {};
}

core::Result<void> CaDesk::note(const Actor& actor, const Application& a, const DeskRecord& d, std::string event,
                                std::string message, std::vector<Material> materials) {
    const auto now = m.clock.now();
    ApplicationChange c;
    c.timeline.push_back({a.id, now, actor.audit_name(), "", "", event, message});
    c.event = core::AuditEvent{now, actor.audit_name(), "application." + event, "application:" + a.id,
                               nlohmann::json{{"message", message}, {"client", actor.client}}.dump()};
    return m.desk.save_desk(std::nullopt, d, materials, c);
}

core::Result<core::TimePoint> CaDesk::review_due(const Application& a) const {
    // Paid, or resubmitted after a return (paid stays paid): whichever came last starts the clock.
    auto start = a.paid_at.value_or(a.updated_at);
    if (a.submitted_at && *a.submitted_at > start) start = *a.submitted_at;
    return m.calendar.due_after_working_days(start, 1);
}

core::Result<std::optional<core::TimePoint>> CaDesk::ship_due(const Application&,
                                                              const std::optional<DeskRecord>& d) const {
    if (!d || !d->approved_at) return std::optional<core::TimePoint>{};
    auto due = m.calendar.due_after_working_days(*d->approved_at, 3);
    if (!due) return std::unexpected(due.error());
    return std::optional<core::TimePoint>{*due};
}

core::Result<std::vector<QueueItem>> CaDesk::review_queue(const Actor& actor) {
    if (auto r = require(actor, Duty::read); !r) return std::unexpected(r.error());
    std::vector<QueueItem> out;
    const auto now = m.clock.now();
    for (auto state : {State::paid, State::in_review}) {
        auto list = m.applications.find_applications({std::nullopt, state, 10000});
        if (!list) return std::unexpected(list.error());
        for (auto& a : *list) {
            auto due = review_due(a);
            if (!due) return std::unexpected(due.error());
            auto d = m.desk.find_desk(a.id);
            if (!d) return std::unexpected(d.error());
            out.push_back({std::move(a), *due, *due < now, *d ? (*d)->reviewer : std::string()});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const QueueItem& x, const QueueItem& y) { return x.due < y.due; });
    return out;
}

core::Result<std::vector<QueueItem>> CaDesk::fulfilment_queue(const Actor& actor) {
    if (auto r = require(actor, Duty::read); !r) return std::unexpected(r.error());
    std::vector<QueueItem> out;
    const auto now = m.clock.now();
    for (auto state : {State::approved, State::issued}) {
        auto list = m.applications.find_applications({std::nullopt, state, 10000});
        if (!list) return std::unexpected(list.error());
        for (auto& a : *list) {
            auto d = m.desk.find_desk(a.id);
            if (!d) return std::unexpected(d.error());
            auto due = ship_due(a, *d);
            if (!due) return std::unexpected(due.error());
            const auto t = due->value_or(now);
            out.push_back({std::move(a), t, t < now, *d ? (*d)->reviewer : std::string()});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const QueueItem& x, const QueueItem& y) { return x.due < y.due; });
    return out;
}

core::Result<Application> CaDesk::claim(const Actor& actor, const std::string& id) {
    auto a = load(actor, id);
    if (!a) return a;
    if (auto r = require(actor, Duty::review, a->channel); !r) return std::unexpected(r.error());
    auto d = desk_of(id);
    if (!d) return std::unexpected(d.error());
    d->reviewer = actor.name;
    d->review_started_at = m.clock.now();
    d->return_reason.clear();
    if (auto r = move(actor, *a, State::in_review, *d, "review.started", "审核中（" + actor.name + "）"); !r)
        return std::unexpected(r.error());
    return a;
}

core::Result<Material> CaDesk::verdict(const Actor& actor, const std::string& id, MaterialKind kind, bool accepted,
                                       const std::string& reason) {
    auto a = load(actor, id);
    if (!a) return std::unexpected(a.error());
    if (auto r = require(actor, Duty::review, a->channel); !r) return std::unexpected(r.error());
    if (a->state != State::in_review)
        return core::fail(core::Errc::conflict, "review.not_in_review",
                          "verdicts are given while the application is in review (it is " +
                              std::string(to_string(a->state)) + "); claim it first");
    if (!accepted && reason.empty())
        return core::fail(core::Errc::invalid_input, "review.reason_required", "a rejected material needs a reason",
                          {{"field.required", "tell the applicant what is wrong", "reason"}});
    auto list = m.applications.materials(id);
    if (!list) return std::unexpected(list.error());
    auto it = std::find_if(list->begin(), list->end(), [&](const Material& x) { return x.kind == kind; });
    if (it == list->end())
        return core::fail(core::Errc::not_found, "material.not_found", "no " + std::string(to_string(kind)) + " uploaded");
    it->verdict = accepted ? "accepted" : "rejected";
    it->verdict_reason = accepted ? std::string() : reason;
    auto d = desk_of(id);
    if (!d) return std::unexpected(d.error());
    const std::string what = std::string(to_string(kind)) + (accepted ? " 审核通过" : " 不通过：" + reason);
    if (auto r = note(actor, *a, *d, accepted ? "material.accepted" : "material.rejected", what, {*it}); !r)
        return std::unexpected(r.error());
    return *it;
}

core::Result<pki::CertificateRecord> CaDesk::concerned_certificate(const Application& a) {
    const auto& serial = a.form.certificate_serial;
    auto found = m.certificates.find_certificate(serial);
    if (!found) return std::unexpected(found.error());
    if (!*found)
        return core::fail(core::Errc::invalid_input, "certificate.unknown",
                          "no certificate " + serial + " was issued by this CA",
                          {{"certificate.unknown", "no such certificate", "form.certificate_serial"}});
    const auto& cert = **found;
    // The certificate must belong to the application's organization (guide §8: the business is
    // the organization's own): same unified social credit code.
    if (cert.credit_code != a.form.organization.credit_code)
        return core::fail(core::Errc::invalid_input, "certificate.other_organization",
                          "certificate " + serial + " belongs to another organization (credit code " +
                              (cert.credit_code.empty() ? std::string("none") : cert.credit_code) + ", not " +
                              a.form.organization.credit_code + ")",
                          {{"certificate.other_organization", "not this organization's certificate", "form.certificate_serial"}});
    if (cert.status != pki::CertificateStatus::valid)
        return core::fail(core::Errc::conflict, "certificate.revoked",
                          "certificate " + serial + " is already revoked (" + cert.revocation_reason + ")");
    return cert;
}

core::Result<Application> CaDesk::approve(const Actor& actor, const std::string& id) {
    auto a = load(actor, id);
    if (!a) return a;
    if (auto r = require(actor, Duty::review, a->channel); !r) return std::unexpected(r.error());
    if (a->state != State::in_review)
        return core::fail(core::Errc::conflict, "review.not_in_review",
                          "only an application in review can be approved (it is " + std::string(to_string(a->state)) + ")");
    std::vector<core::Problem> problems;
    auto d = desk_of(id);
    if (!d) return std::unexpected(d.error());
    if (a->channel == Channel::online) {
        auto uploaded = m.applications.materials(id);
        if (!uploaded) return std::unexpected(uploaded.error());
        for (const auto& rule : m.service.catalogue().required_materials(a->business, a->cert_type, a->channel)) {
            const auto it = std::find_if(uploaded->begin(), uploaded->end(),
                                         [&](const Material& x) { return to_string(x.kind) == rule.kind; });
            if (it == uploaded->end())
                problems.push_back({"material.missing", rule.label + " is missing", "materials." + rule.kind});
            else if (it->verdict != "accepted")
                problems.push_back({it->verdict.empty() ? "material.not_reviewed" : "material.rejected",
                                    rule.label + (it->verdict.empty() ? " has no verdict yet" : " was rejected"),
                                    "materials." + rule.kind});
        }
    } else {
        for (const auto& rule : m.service.catalogue().required_materials(a->business, a->cert_type, a->channel))
            if (std::find(d->counter_checked.begin(), d->counter_checked.end(), rule.kind) == d->counter_checked.end())
                problems.push_back({"material.not_checked", rule.label + " was not checked at the counter",
                                    "counter_checked." + rule.kind});
    }
    if (a->business != Business::new_cert) {
        if (auto cert = concerned_certificate(*a); !cert) {
            if (cert.error().problems.empty())
                problems.push_back({cert.error().code, cert.error().message, "form.certificate_serial"});
            for (auto& p : cert.error().problems) problems.push_back({p.code, cert.error().message, p.field});
        }
    }
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "review.incomplete",
                          "the application cannot be approved: " + std::to_string(problems.size()) + " problem" +
                              (problems.size() == 1 ? "" : "s"),
                          std::move(problems));
    const auto now = m.clock.now();
    d->decided_by = actor.name;
    d->approved_at = now;
    auto due = m.calendar.due_after_working_days(now, 3);
    if (!due) return std::unexpected(due.error());
    if (auto r = move(actor, *a, State::approved, *d, "approved",
                      "审核通过，预计 " + core::format_date(core::china_date(*due)) + " 前发出",
                      handler_messages(a->form.handler, "审核通过 " + a->id, "您的申请" + a->id + "已审核通过，我们将尽快为您制作数字证书。", now));
        !r)
        return std::unexpected(r.error());
    return a;
}

core::Result<Application> CaDesk::send_back(const Actor& actor, const std::string& id, const std::string& reason) {
    auto a = load(actor, id);
    if (!a) return a;
    if (auto r = require(actor, Duty::review, a->channel); !r) return std::unexpected(r.error());
    if (a->state != State::in_review)
        return core::fail(core::Errc::conflict, "review.not_in_review",
                          "only an application in review can be returned (it is " + std::string(to_string(a->state)) + ")");
    auto uploaded = m.applications.materials(id);
    if (!uploaded) return std::unexpected(uploaded.error());
    std::string reasons;
    for (const auto& x : *uploaded)
        if (x.verdict == "rejected") reasons += (reasons.empty() ? "" : "；") + std::string(to_string(x.kind)) + "：" + x.verdict_reason;
    if (reasons.empty() && reason.empty())
        return core::fail(core::Errc::invalid_input, "review.reason_required",
                          "say why: reject a material with its reason, or give one for the whole application",
                          {{"field.required", "why the application goes back", "reason"}});
    const std::string all = reason.empty() ? reasons : (reasons.empty() ? reason : reason + "；" + reasons);
    auto d = desk_of(id);
    if (!d) return std::unexpected(d.error());
    d->decided_by = actor.name;
    d->return_reason = all;
    const auto now = m.clock.now();
    if (auto r = move(actor, *a, State::returned, *d, "returned", "退回修改：" + all,
                      handler_messages(a->form.handler, "申请退回 " + a->id,
                                       "您的申请" + a->id + "需要修改：" + all + "。请登录网上营业厅修改后重新提交。", now));
        !r)
        return std::unexpected(r.error());
    return a;
}

}  // namespace eseal::ra
