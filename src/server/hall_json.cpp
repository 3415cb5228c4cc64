#include "server/hall_json.hpp"

#include "server/api_support.hpp"

namespace eseal::server {
namespace {

using nlohmann::json;

json opt_time(const std::optional<core::TimePoint>& t) { return t ? json(core::format_utc(*t)) : json(nullptr); }

json person(const ra::Person& p) {
    return {{"name", p.name}, {"id_number", p.id_number}, {"phone", p.phone}, {"email", p.email}};
}

ra::Person read_person(JsonReader& r) {
    ra::Person p;
    p.name = r.text("name", true);
    p.id_number = r.text("id_number", true);
    p.phone = r.text("phone");
    p.email = r.text("email");
    return p;
}

}  // namespace

std::string mask_id(const std::string& id) {
    if (id.size() <= 8) return std::string(id.size(), '*');
    return id.substr(0, 4) + std::string(id.size() - 8, '*') + id.substr(id.size() - 4);
}

json to_json(const ra::ApplicationForm& f) {
    json out = {{"organization", {{"name", f.organization.name}, {"credit_code", f.organization.credit_code}}},
                {"handler", person(f.handler)},
                {"holder", f.holder ? person(*f.holder) : json(nullptr)},
                {"algorithm", f.algorithm},
                {"years", f.years},
                {"delivery", f.delivery == ra::Delivery::post ? "post" : "pickup"},
                {"address", f.address},
                {"recipient", f.recipient},
                {"recipient_phone", f.recipient_phone},
                {"service_point", f.service_point},
                {"certificate_serial", f.certificate_serial},
                {"revoke_reason", f.revoke_reason},
                {"remarks", f.remarks}};
    return out;
}

json to_json(const ra::Quote& q) {
    json lines = json::array();
    for (const auto& l : q.lines)
        lines.push_back({{"item", l.item}, {"unit_fen", l.unit_fen}, {"quantity", l.quantity}, {"amount_fen", l.amount_fen}});
    return {{"total_fen", q.total_fen}, {"total", ra::yuan(q.total_fen)}, {"lines", lines}};
}

json to_json(const ra::Application& a, const ra::Quote& quote) {
    return {{"id", a.id},
            {"business", ra::to_string(a.business)},
            {"cert_type", ra::to_string(a.cert_type)},
            {"channel", ra::to_string(a.channel)},
            {"state", ra::to_string(a.state)},
            {"version", a.version},
            {"form", to_json(a.form)},
            {"fee_fen", a.fee_fen},
            {"quote", to_json(quote)},
            {"created_at", core::format_utc(a.created_at)},
            {"updated_at", core::format_utc(a.updated_at)},
            {"submitted_at", opt_time(a.submitted_at)},
            {"paid_at", opt_time(a.paid_at)}};
}

json to_json(const ra::TimelineEntry& t) {
    return {{"at", core::format_utc(t.at)}, {"actor", t.actor}, {"event", t.event}, {"from", t.from_state},
            {"to", t.to_state}, {"message", t.message}};
}

json to_json(const ra::Material& m, const std::string& application_id) {
    const std::string kind(ra::to_string(m.kind));
    return {{"kind", kind},
            {"content_type", m.content_type},
            {"size", m.size},
            {"sha256", m.blob},
            {"file_name", m.file_name},
            {"uploaded_at", core::format_utc(m.uploaded_at)},
            {"verdict", m.verdict},
            {"verdict_reason", m.verdict_reason},
            {"href", "/api/v1/applications/" + application_id + "/materials/" + kind}};
}

json to_json(const ra::MaterialStatus& m, const std::string& application_id) {
    json out = {{"kind", m.rule.kind}, {"label", m.rule.label}, {"stamped", m.rule.stamped},
                {"uploaded", m.uploaded ? to_json(*m.uploaded, application_id) : json(nullptr)}};
    return out;
}

json to_json(const ra::Payment& p) {
    return {{"order_no", p.order_no},
            {"application_id", p.application_id},
            {"method", ra::to_string(p.method)},
            {"amount_fen", p.amount_fen},
            {"amount", ra::yuan(p.amount_fen)},
            {"status", ra::to_string(p.status)},
            {"qr_content", p.qr_content},
            {"qr_png", p.qr_content.empty() ? json(nullptr) : json("/api/v1/payments/" + p.order_no + "/qr.png")},
            {"transaction_id", p.transaction_id},
            {"created_at", core::format_utc(p.created_at)},
            {"paid_at", opt_time(p.paid_at)},
            {"refunded_at", opt_time(p.refunded_at)}};
}

json to_json(const ra::IdentityCheck& c) {
    return {{"id", c.id},
            {"application_id", c.application_id},
            {"name", c.name},
            {"id_number", mask_id(c.id_number)},
            {"provider", c.provider},
            {"url", c.url},
            {"qr_png", "/api/v1/identity-checks/" + c.id + "/qr.png"},
            {"status", ra::to_string(c.status)},
            {"detail", c.detail},
            {"created_at", core::format_utc(c.created_at)},
            {"finished_at", opt_time(c.finished_at)}};
}

core::Result<ra::ApplicationForm> form_from_json(const json& doc) {
    std::vector<core::Problem> problems;
    JsonReader r(doc);
    r.share(problems);
    ra::ApplicationForm f;
    if (const json* org = r.object("organization")) {
        JsonReader o(*org, "organization");
        o.share(problems);
        f.organization.name = o.text("name", true);
        f.organization.credit_code = o.text("credit_code", true);
    } else if (problems.empty()) {
        problems.push_back({"field.required", "is required", "organization"});
    }
    if (const json* h = r.object("handler")) {
        JsonReader hr(*h, "handler");
        hr.share(problems);
        f.handler = read_person(hr);
    } else {
        problems.push_back({"field.required", "is required", "handler"});
    }
    if (const json* h = r.object("holder")) {
        JsonReader hr(*h, "holder");
        hr.share(problems);
        f.holder = read_person(hr);
    }
    if (auto a = r.text("algorithm"); !a.empty()) f.algorithm = a;
    f.years = r.integer("years", 1);
    const auto delivery = r.text("delivery");
    if (delivery == "pickup") f.delivery = ra::Delivery::pickup;
    else if (delivery.empty() || delivery == "post") f.delivery = ra::Delivery::post;
    else problems.push_back({"field.enum", "is post or pickup", "delivery"});
    f.address = r.text("address");
    f.recipient = r.text("recipient");
    f.recipient_phone = r.text("recipient_phone");
    f.service_point = r.text("service_point");
    f.certificate_serial = r.text("certificate_serial");
    f.revoke_reason = r.text("revoke_reason");
    f.remarks = r.text("remarks");
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "application.invalid", "the form has type errors", std::move(problems));
    return f;
}

}  // namespace eseal::server
