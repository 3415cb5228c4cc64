#include "ra/applications.hpp"

#include <fstream>

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.hpp"
#include "ra/materials.hpp"
#include "ra/payments.hpp"
#include "ra/state_machine.hpp"
#include "ra/validation.hpp"

namespace eseal::ra {
namespace {

core::Error not_found(const std::string& id) {
    return core::Error{core::Errc::not_found, "application.not_found", "no application " + id, {}};
}

core::Error invalid_form(std::vector<core::Problem> problems) {
    return core::Error{core::Errc::invalid_input, "application.invalid",
                       "the application has " + std::to_string(problems.size()) + " problem" +
                           (problems.size() == 1 ? "" : "s"),
                       std::move(problems)};
}

}  // namespace

std::string new_application_id(core::TimePoint now) {
    const auto local = std::chrono::floor<std::chrono::days>(now + std::chrono::hours(8));
    const std::chrono::year_month_day ymd{local};
    char date[9];
    std::snprintf(date, sizeof date, "%04d%02u%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    const auto r = crypto::random_bytes(8);
    std::string digits;
    for (auto b : r) digits.push_back(static_cast<char>('0' + b % 10));
    return "A" + std::string(date) + digits;
}

std::string yuan(std::int64_t fen) {
    const auto abs = fen < 0 ? -fen : fen;
    char cents[3];
    std::snprintf(cents, sizeof cents, "%02lld", static_cast<long long>(abs % 100));
    return (fen < 0 ? "-" : "") + std::to_string(abs / 100) + "." + cents;
}

core::Result<Application> ApplicationService::visible(const Actor& actor, const std::string& id) {
    auto found = m.applications.find_application(id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return std::unexpected(not_found(id));
    // Another applicant's application does not exist as far as they can tell (DESIGN §7).
    if (actor.kind == Actor::Kind::applicant && (*found)->account_id != actor.account_id)
        return std::unexpected(not_found(id));
    return std::move(**found);
}

ApplicationChange ApplicationService::change(const Actor& actor, const Application& a, std::string event,
                                             std::string message, std::string from, std::string to) {
    const auto now = m.clock.now();
    ApplicationChange c;
    c.timeline.push_back({a.id, now, actor.audit_name(), std::move(from), std::move(to), event, message});
    c.event = core::AuditEvent{now, actor.audit_name(), "application." + event, "application:" + a.id,
                               nlohmann::json{{"state", to_string(a.state)}, {"message", message}, {"client", actor.client}}.dump()};
    return c;
}

void ApplicationService::flush() {
    if (auto r = m.notifier.flush(); !r) spdlog::warn("outbox: {}", r.error().describe());
}

core::Result<Application> ApplicationService::create(const Actor& actor, Business business, CertType type,
                                                     Channel channel, const ApplicationForm& form) {
    if (actor.kind == Actor::Kind::applicant && channel != Channel::online)
        return core::fail(core::Errc::permission_denied, "application.channel", "applicants apply online; the counter is for staff");
    auto problems = validate_form(business, type, channel, form, {m.catalogue, m.service_points});
    if (!problems.empty()) return std::unexpected(invalid_form(std::move(problems)));
    const auto now = m.clock.now();
    Application a;
    a.id = new_application_id(now);
    a.account_id = actor.account_id;
    a.business = business;
    a.cert_type = type;
    a.channel = channel;
    a.state = State::draft;
    a.form = form;
    a.fee_fen = quote(a).total_fen;
    a.created_at = a.updated_at = now;
    auto c = change(actor, a, "created",
                    "申请已创建：" + m.catalogue.rule(business).label + " · " + m.catalogue.offer(type)->label, "", "draft");
    if (auto r = m.applications.add_application(a, c); !r) return std::unexpected(r.error());
    spdlog::info("application {} created by {} ({} {})", a.id, actor.audit_name(), to_string(business), to_string(type));
    return a;
}

core::Result<Application> ApplicationService::update_form(const Actor& actor, const std::string& id,
                                                          std::int64_t version, const ApplicationForm& form) {
    auto a = visible(actor, id);
    if (!a) return a;
    if (!editable(a->state))
        return core::fail(core::Errc::conflict, "application.not_editable",
                          "the form can be changed only in draft or when returned (it is " + std::string(to_string(a->state)) + ")");
    if (a->version != version)
        return core::fail(core::Errc::conflict, "application.changed",
                          "the application changed since it was read (version " + std::to_string(a->version) + ")");
    auto problems = validate_form(a->business, a->cert_type, a->channel, form, {m.catalogue, m.service_points});
    if (!problems.empty()) return std::unexpected(invalid_form(std::move(problems)));
    a->form = form;
    a->fee_fen = quote(*a).total_fen;
    a->updated_at = m.clock.now();
    if (auto r = m.applications.update_application(*a, change(actor, *a, "form.updated", "申请信息已修改")); !r)
        return std::unexpected(r.error());
    ++a->version;
    return a;
}

core::Result<Application> ApplicationService::get(const Actor& actor, const std::string& id) { return visible(actor, id); }

core::Result<std::vector<Application>> ApplicationService::list(const Actor& actor, std::optional<State> state) {
    ApplicationQuery q;
    q.state = state;
    if (actor.kind == Actor::Kind::applicant) q.account_id = actor.account_id;
    return m.applications.find_applications(q);
}

core::Result<std::vector<TimelineEntry>> ApplicationService::timeline(const Actor& actor, const std::string& id) {
    if (auto a = visible(actor, id); !a) return std::unexpected(a.error());
    return m.applications.timeline(id);
}

core::Result<void> ApplicationService::consent(const Actor& actor, const std::string& agreement_version,
                                               const std::string& privacy_version) {
    std::vector<core::Problem> problems;
    const auto* agreement = m.agreements.find("agreement");
    const auto* privacy = m.agreements.find("privacy");
    if (!agreement || agreement->version != agreement_version)
        problems.push_back({"consent.version", "the service agreement's current version is " + (agreement ? agreement->version : std::string("?")), "agreement_version"});
    if (!privacy || privacy->version != privacy_version)
        problems.push_back({"consent.version", "the privacy policy's current version is " + (privacy ? privacy->version : std::string("?")), "privacy_version"});
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "consent.outdated", "consent must name the current versions", std::move(problems));
    const auto now = m.clock.now();
    std::vector<Consent> consents{{actor.account_id, "agreement", agreement_version, actor.client, now},
                                  {actor.account_id, "privacy", privacy_version, actor.client, now}};
    return m.accounts.add_consents(
        consents, {now, actor.audit_name(), "consent.give", "account:" + std::to_string(actor.account_id),
                   nlohmann::json{{"agreement", agreement_version}, {"privacy", privacy_version}, {"client", actor.client}}.dump()});
}

core::Result<std::vector<MaterialStatus>> ApplicationService::materials(const Actor& actor, const std::string& id) {
    auto a = visible(actor, id);
    if (!a) return std::unexpected(a.error());
    auto uploaded = m.applications.materials(id);
    if (!uploaded) return std::unexpected(uploaded.error());
    std::vector<MaterialStatus> out;
    for (auto& rule : m.catalogue.required_materials(a->business, a->cert_type, a->channel)) {
        MaterialStatus s{rule, std::nullopt};
        for (const auto& u : *uploaded)
            if (to_string(u.kind) == rule.kind) s.uploaded = u;
        out.push_back(std::move(s));
    }
    for (const auto& u : *uploaded)  // e.g. a bank-transfer receipt: not in the checklist
        if (std::none_of(out.begin(), out.end(), [&](const MaterialStatus& s) { return s.rule.kind == to_string(u.kind); }))
            out.push_back({MaterialRule{std::string(to_string(u.kind)), std::string(to_string(u.kind)), std::nullopt, false}, u});
    return out;
}

core::Result<Material> ApplicationService::attach(const Actor& actor, const std::string& id, MaterialKind kind,
                                                  const Upload& upload) {
    struct Cleanup {
        const std::filesystem::path& file;
        ~Cleanup() {
            std::error_code ec;
            std::filesystem::remove(file, ec);
        }
    } cleanup{upload.file};
    auto a = visible(actor, id);
    if (!a) return std::unexpected(a.error());
    const bool receipt = kind == MaterialKind::payment_receipt;
    if (receipt ? a->state != State::awaiting_payment : !editable(a->state))
        return core::fail(core::Errc::conflict, "material.not_editable",
                          receipt ? std::string("a transfer receipt is uploaded while the application awaits payment")
                                  : "materials can be changed only in draft or when returned (it is " +
                                        std::string(to_string(a->state)) + ")");
    if (!receipt) {
        const auto required = m.catalogue.required_materials(a->business, a->cert_type, a->channel);
        if (std::none_of(required.begin(), required.end(), [&](const MaterialRule& r) { return r.kind == to_string(kind); }))
            return core::fail(core::Errc::invalid_input, "material.not_required",
                              std::string(to_string(kind)) + " is not among the materials this application needs",
                              {{"material.not_required", "not needed for this application", "kind"}});
    }
    std::ifstream in(upload.file, std::ios::binary);
    core::Bytes head(kSniffBytes);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    auto type = sniff_material_type(head);
    if (!type) {
        spdlog::warn("application {}: upload \"{}\" refused: {}", id, clean_file_name(upload.file_name), type.error().message);
        return std::unexpected(type.error());
    }
    if (auto r = m.blobs.adopt(upload.file, upload.sha256_hex); !r) return std::unexpected(r.error());
    Material mat;
    mat.application_id = id;
    mat.kind = kind;
    mat.blob = upload.sha256_hex;
    mat.content_type = *type;
    mat.size = upload.size;
    mat.file_name = clean_file_name(upload.file_name);
    mat.uploaded_at = m.clock.now();
    auto c = change(actor, *a, "material.uploaded", "已上传材料：" + std::string(to_string(kind)) + "（" + mat.file_name + "）");
    if (auto r = m.applications.put_material(mat, c); !r) return std::unexpected(r.error());
    spdlog::info("application {}: {} uploaded ({} bytes, {}, sha256 {})", id, to_string(kind), mat.size, mat.content_type,
                 mat.blob);
    return mat;
}

core::Result<void> ApplicationService::detach(const Actor& actor, const std::string& id, MaterialKind kind) {
    auto a = visible(actor, id);
    if (!a) return std::unexpected(a.error());
    if (!editable(a->state))
        return core::fail(core::Errc::conflict, "material.not_editable", "materials can be changed only in draft or when returned");
    return m.applications.delete_material(id, kind, change(actor, *a, "material.deleted", "已删除材料：" + std::string(to_string(kind))));
}

core::Result<std::pair<Material, std::filesystem::path>> ApplicationService::material_file(const Actor& actor,
                                                                                           const std::string& id,
                                                                                           MaterialKind kind) {
    if (auto a = visible(actor, id); !a) return std::unexpected(a.error());
    auto list = m.applications.materials(id);
    if (!list) return std::unexpected(list.error());
    for (auto& mat : *list) {
        if (mat.kind != kind) continue;
        auto path = m.blobs.path_of(mat.blob);
        if (!path) return std::unexpected(path.error());
        return std::make_pair(std::move(mat), std::move(*path));
    }
    return core::fail(core::Errc::not_found, "material.not_found", "no " + std::string(to_string(kind)) + " uploaded");
}

core::Result<core::Bytes> ApplicationService::form_pdf(const Actor& actor, const std::string& id) {
    auto a = visible(actor, id);
    if (!a) return std::unexpected(a.error());
    return m.render_form(*a);
}

Quote ApplicationService::quote(const Application& a) const {
    return m.catalogue.quote(a.business, a.cert_type, a.form.years);
}

std::vector<core::Problem> ApplicationService::missing_for_submit(const Actor& actor, const Application& a) {
    auto problems = validate_form(a.business, a.cert_type, a.channel, a.form, {m.catalogue, m.service_points});
    if (a.channel != Channel::online) return problems;
    // Consent to the current texts (guide §3 online step 2).
    if (actor.kind == Actor::Kind::applicant) {
        auto consents = m.accounts.consents_of(a.account_id);
        for (const auto& text : m.agreements.current()) {
            const bool given = consents && std::any_of(consents->begin(), consents->end(), [&](const Consent& c) {
                                   return c.document == text.document && c.version == text.version;
                               });
            if (!given)
                problems.push_back({"consent.missing", "accept the current " + text.title + " (version " + text.version + ")",
                                    "consent." + text.document});
        }
    }
    // Materials (guide §4).
    auto uploaded = m.applications.materials(a.id);
    for (const auto& rule : m.catalogue.required_materials(a.business, a.cert_type, a.channel)) {
        const bool there = uploaded && std::any_of(uploaded->begin(), uploaded->end(),
                                                   [&](const Material& u) { return to_string(u.kind) == rule.kind; });
        if (!there) problems.push_back({"material.missing", "upload: " + rule.label, "materials." + rule.kind});
    }
    // The handler's identity check (guide §3 online step 4).
    auto checks = m.identity.checks_of(a.id);
    const bool passed = checks && std::any_of(checks->begin(), checks->end(), [](const IdentityCheck& c) {
                            return c.status == CheckStatus::passed;
                        });
    if (!passed) problems.push_back({"identity.not_verified", "the handler has not passed the identity check", "identity"});
    return problems;
}

core::Result<void> ApplicationService::transition(const Actor& actor, Application& a, State to, std::string event,
                                                  std::string message, std::vector<OutboxMessage> messages) {
    if (auto r = check_transition(a.state, to, actor.kind); !r) return r;
    const std::string from(to_string(a.state));
    a.state = to;
    a.updated_at = m.clock.now();
    auto c = change(actor, a, std::move(event), std::move(message), from, std::string(to_string(to)));
    c.messages = std::move(messages);
    if (auto r = m.applications.update_application(a, c); !r) {
        return r;
    }
    ++a.version;
    spdlog::info("application {}: {} → {} by {}", a.id, from, to_string(to), actor.audit_name());
    flush();
    return {};
}

core::Result<Application> ApplicationService::submit(const Actor& actor, const std::string& id) {
    auto a = visible(actor, id);
    if (!a) return a;
    if (auto r = check_transition(a->state, State::submitted, actor.kind); !r) return std::unexpected(r.error());
    auto problems = missing_for_submit(actor, *a);
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "application.incomplete",
                          "the application cannot be submitted yet: " + std::to_string(problems.size()) + " thing" +
                              (problems.size() == 1 ? "" : "s") + " to do",
                          std::move(problems));
    const auto now = m.clock.now();
    a->fee_fen = quote(*a).total_fen;
    a->submitted_at = now;
    if (auto r = transition(actor, *a, State::submitted, "submitted", "申请已提交",
                            handler_messages(a->form.handler, "申请已提交 " + a->id, "您的数字证书申请" + a->id + "已提交。", now));
        !r)
        return std::unexpected(r.error());
    // Paid before (a returned application coming back), or nothing to pay: on to review.
    auto already = m.payments.paid_amount(a->id);
    if (!already) return std::unexpected(already.error());
    if (a->fee_fen == 0 || *already >= a->fee_fen) {
        a->paid_at = a->paid_at.value_or(now);
        if (auto r = transition(Actor::system(), *a, State::paid, a->fee_fen == 0 ? "free" : "already_paid",
                                a->fee_fen == 0 ? "本业务免费，等待审核" : "已付款，等待审核");
            !r)
            return std::unexpected(r.error());
    } else {
        if (auto r = transition(Actor::system(), *a, State::awaiting_payment, "awaiting_payment",
                                "待支付 " + yuan(a->fee_fen) + " 元",
                                handler_messages(a->form.handler, "申请待支付 " + a->id, "申请" + a->id + "待支付" + yuan(a->fee_fen) + "元，请在网上营业厅完成支付。", now));
            !r)
            return std::unexpected(r.error());
    }
    return a;
}

core::Result<Application> ApplicationService::cancel(const Actor& actor, const std::string& id, const std::string& reason) {
    auto a = visible(actor, id);
    if (!a) return a;
    if (auto r = check_transition(a->state, State::cancelled, actor.kind); !r) return std::unexpected(r.error());
    const auto now = m.clock.now();
    if (auto r = transition(actor, *a, State::cancelled, "cancelled", reason.empty() ? "申请已取消" : "申请已取消：" + reason,
                            handler_messages(a->form.handler, "申请已取消 " + a->id, "您的申请" + a->id + "已取消。", now));
        !r)
        return std::unexpected(r.error());
    // Refund after the state change: a cancelled application is never charged again, and a
    // refund the provider refused stays visible as a paid payment of a cancelled application.
    if (auto r = m.payments.refund_all(actor, *a); !r) return std::unexpected(r.error());
    return visible(actor, id);
}

}  // namespace eseal::ra
