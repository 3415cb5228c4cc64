#include "ra/catalogue.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace eseal::ra {
namespace {

using nlohmann::json;

// The guide's rules (§3 category and product, §4 materials, §5 fees, §8 other business) and
// DESIGN §5's reading where the guide is silent (unlock's and revoke's materials). Amounts in fen.
// "only" restricts a material to one certificate type; "stamped": false marks the handler's ID
// photos, the only uploads that need no official seal (guide §4).
constexpr const char* kStandard = R"json({
  "category": "电子政务",
  "product": "深圳市统一电子印章管理平台（Ukey）",
  "algorithms": ["sm2", "ecdsa-p256", "rsa2048"],
  "cert_types": [
    {"type": "organization", "label": "机构证书", "years": [1, 2, 3, 4, 5]},
    {"type": "organization-individual", "label": "机构个人证书", "years": [1]}
  ],
  "business": [
    {"business": "new", "label": "新办", "token": "new",
     "fees": {"organization": {"per_year_fen": 20000, "item": "证书服务费"},
              "organization-individual": {"flat_fen": 20000, "item": "证书服务费"}},
     "online": ["application_form", "business_licence",
                {"kind": "handler_id_front", "stamped": false}, {"kind": "handler_id_back", "stamped": false},
                {"kind": "holder_id", "only": "organization-individual"}],
     "counter": ["paper_forms", "business_licence_copy", "handler_id_copy",
                 {"kind": "holder_id_copy", "only": "organization-individual"},
                 {"kind": "attachment_page", "only": "organization-individual"}]},
    {"business": "renew", "label": "续期", "token": "same",
     "fees": {"organization": {"per_year_fen": 20000, "item": "证书服务费"},
              "organization-individual": {"flat_fen": 20000, "item": "证书服务费"}},
     "online": ["application_form",
                {"kind": "handler_id_front", "stamped": false}, {"kind": "handler_id_back", "stamped": false},
                {"kind": "holder_id", "only": "organization-individual"}],
     "counter": ["paper_forms", "handler_id_copy",
                 {"kind": "holder_id_copy", "only": "organization-individual"},
                 {"kind": "attachment_page", "only": "organization-individual"}, "ukey"]},
    {"business": "change", "label": "变更", "token": "same",
     "online": ["application_form", "business_licence",
                {"kind": "handler_id_front", "stamped": false}, {"kind": "handler_id_back", "stamped": false},
                {"kind": "holder_id", "only": "organization-individual"}],
     "counter": ["paper_forms", "business_licence_copy", "handler_id_copy",
                 {"kind": "holder_id_copy", "only": "organization-individual"},
                 {"kind": "attachment_page", "only": "organization-individual"}, "ukey"]},
    {"business": "lost-key", "label": "补办（遗失）", "token": "new",
     "fees": {"organization": {"flat_fen": 12000, "item": "介质费"},
              "organization-individual": {"flat_fen": 12000, "item": "介质费"}},
     "online": ["application_form", "business_licence",
                {"kind": "handler_id_front", "stamped": false}, {"kind": "handler_id_back", "stamped": false},
                {"kind": "holder_id", "only": "organization-individual"}],
     "counter": ["paper_forms", "business_licence_copy", "handler_id_copy",
                 {"kind": "holder_id_copy", "only": "organization-individual"}]},
    {"business": "unlock", "label": "解锁", "token": "same",
     "online": ["application_form",
                {"kind": "handler_id_front", "stamped": false}, {"kind": "handler_id_back", "stamped": false}],
     "counter": ["paper_forms", "handler_id_copy", "ukey"]},
    {"business": "revoke", "label": "注销", "token": "none",
     "online": ["application_form", "business_licence",
                {"kind": "handler_id_front", "stamped": false}, {"kind": "handler_id_back", "stamped": false}],
     "counter": ["paper_forms", "business_licence_copy", "handler_id_copy"]}
  ]
})json";

// Labels of the documents (guide §4).
const std::map<std::string, std::string, std::less<>> kLabels = {
    {"application_form", "数字证书申请表（系统生成，盖公章后扫描上传）"},
    {"business_licence", "营业执照扫描件"},
    {"handler_id_front", "经办人身份证正面照片"},
    {"handler_id_back", "经办人身份证反面照片"},
    {"holder_id", "证书持有人身份证扫描件"},
    {"payment_receipt", "对公转账回单"},
    {"paper_forms", "申请表两份、服务协议两份、个人信息授权书一份"},
    {"business_licence_copy", "营业执照复印件"},
    {"handler_id_copy", "经办人身份证复印件（正反面同一张A4纸）"},
    {"holder_id_copy", "证书持有人身份证复印件（正反面同一张A4纸）"},
    {"attachment_page", "机构个人证书附页"},
    {"ukey", "Ukey（证书介质）"},
};

core::Problem problem(std::string code, std::string message, std::string field) {
    return core::Problem{std::move(code), std::move(message), std::move(field)};
}

std::optional<TokenAction> parse_token_action(std::string_view s) {
    if (s == "new") return TokenAction::new_token;
    if (s == "same") return TokenAction::same_token;
    if (s == "none") return TokenAction::none;
    return std::nullopt;
}

std::string_view to_string(TokenAction t) {
    switch (t) {
        case TokenAction::new_token: return "new";
        case TokenAction::same_token: return "same";
        case TokenAction::none: return "none";
    }
    return "?";
}

void read_materials(const json& list, bool online, const std::string& where,
                    std::vector<MaterialRule>& out, std::vector<core::Problem>& problems) {
    if (!list.is_array()) {
        problems.push_back(problem("catalogue.materials", "must be a list", where));
        return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        const json& item = list[i];
        const std::string at = where + "[" + std::to_string(i) + "]";
        MaterialRule rule;
        if (item.is_string()) {
            rule.kind = item.get<std::string>();
        } else if (item.is_object() && item.contains("kind") && item["kind"].is_string()) {
            rule.kind = item["kind"].get<std::string>();
            if (item.contains("only")) {
                const auto only = item["only"].is_string()
                                      ? parse_cert_type(item["only"].get<std::string>())
                                      : std::nullopt;
                if (!only)
                    problems.push_back(problem("catalogue.material.only",
                                               "\"only\" must name a certificate type", at));
                rule.only = only;
            }
            if (item.contains("stamped")) rule.stamped = item["stamped"].is_boolean() && item["stamped"].get<bool>();
        } else {
            problems.push_back(problem("catalogue.material", "a material is a name or {kind, only, stamped}", at));
            continue;
        }
        if (online && !parse_material_kind(rule.kind))
            problems.push_back(problem("catalogue.material.kind", "unknown online material \"" + rule.kind + "\"", at));
        const auto label = kLabels.find(rule.kind);
        rule.label = label != kLabels.end() ? label->second : rule.kind;
        out.push_back(std::move(rule));
    }
}

}  // namespace

const Catalogue& Catalogue::standard() {
    static const Catalogue catalogue = [] {
        auto parsed = parse(json::parse(kStandard));
        if (!parsed) throw std::logic_error("built-in catalogue: " + parsed.error().describe());
        return std::move(*parsed);
    }();
    return catalogue;
}

core::Result<Catalogue> Catalogue::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return core::fail(core::Errc::io, "catalogue.unreadable", "cannot read " + file.string());
    std::stringstream text;
    text << in.rdbuf();
    json doc = json::parse(text.str(), nullptr, false);
    if (doc.is_discarded())
        return core::fail(core::Errc::invalid_input, "catalogue.syntax", file.string() + " is not valid JSON");
    return parse(doc);
}

core::Result<Catalogue> Catalogue::parse(const json& doc) {
    Catalogue c;
    std::vector<core::Problem> problems;
    if (!doc.is_object()) return core::fail(core::Errc::invalid_input, "catalogue.syntax", "the catalogue must be a JSON object");
    c.m_category = doc.value("category", "");
    c.m_product = doc.value("product", "");
    if (doc.contains("algorithms") && doc["algorithms"].is_array())
        for (const auto& a : doc["algorithms"])
            if (a.is_string()) c.m_algorithms.push_back(a.get<std::string>());
    if (c.m_algorithms.empty()) problems.push_back(problem("catalogue.algorithms", "at least one algorithm", "algorithms"));
    for (const auto& t : doc.value("cert_types", json::array())) {
        CertTypeOffer offer;
        const auto type = parse_cert_type(t.value("type", ""));
        if (!type) {
            problems.push_back(problem("catalogue.cert_type", "unknown certificate type", "cert_types"));
            continue;
        }
        offer.type = *type;
        offer.label = t.value("label", std::string(to_string(*type)));
        for (const auto& y : t.value("years", json::array()))
            if (y.is_number_integer() && y.get<int>() >= 1 && y.get<int>() <= 5) offer.years.push_back(y.get<int>());
            else problems.push_back(problem("catalogue.years", "validity years are 1 to 5", "cert_types"));
        if (offer.years.empty()) problems.push_back(problem("catalogue.years", "no validity option", "cert_types"));
        c.m_cert_types.push_back(std::move(offer));
    }
    c.m_rules.resize(6);
    std::vector<bool> seen(6, false);
    for (const auto& b : doc.value("business", json::array())) {
        const auto business = parse_business(b.value("business", ""));
        if (!business) {
            problems.push_back(problem("catalogue.business", "unknown business \"" + b.value("business", "") + "\"", "business"));
            continue;
        }
        const auto index = static_cast<std::size_t>(*business);
        const std::string where = "business." + std::string(to_string(*business));
        BusinessRule& rule = c.m_rules[index];
        seen[index] = true;
        rule.business = *business;
        rule.label = b.value("label", std::string(to_string(*business)));
        const auto token = parse_token_action(b.value("token", "new"));
        if (!token) problems.push_back(problem("catalogue.token", "token is new, same or none", where));
        rule.token = token.value_or(TokenAction::none);
        const json fees = b.value("fees", json::object());
        for (const auto& [type_name, fee] : fees.items()) {
            const auto type = parse_cert_type(type_name);
            if (!type || !fee.is_object()) {
                problems.push_back(problem("catalogue.fee", "fees are keyed by certificate type", where));
                continue;
            }
            FeeRule f{fee.value("per_year_fen", std::int64_t{0}), fee.value("flat_fen", std::int64_t{0}),
                      fee.value("item", std::string("证书服务费"))};
            if (f.per_year_fen < 0 || f.flat_fen < 0) problems.push_back(problem("catalogue.fee", "a fee cannot be negative", where));
            rule.fees[*type] = f;
        }
        read_materials(b.value("online", json::array()), true, where + ".online", rule.online, problems);
        read_materials(b.value("counter", json::array()), false, where + ".counter", rule.counter, problems);
    }
    for (std::size_t i = 0; i < seen.size(); ++i)
        if (!seen[i])
            problems.push_back(problem("catalogue.business.missing",
                                       "no rule for " + std::string(to_string(static_cast<Business>(i))), "business"));
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "catalogue.invalid", "the catalogue has errors", std::move(problems));
    return c;
}

const BusinessRule& Catalogue::rule(Business b) const { return m_rules.at(static_cast<std::size_t>(b)); }

const CertTypeOffer* Catalogue::offer(CertType t) const {
    for (const auto& o : m_cert_types)
        if (o.type == t) return &o;
    return nullptr;
}

bool Catalogue::offers_algorithm(std::string_view a) const {
    return std::find(m_algorithms.begin(), m_algorithms.end(), a) != m_algorithms.end();
}

std::vector<MaterialRule> Catalogue::required_materials(Business b, CertType t, Channel c) const {
    std::vector<MaterialRule> out;
    const auto& list = c == Channel::online ? rule(b).online : rule(b).counter;
    for (const auto& m : list)
        if (!m.only || *m.only == t) out.push_back(m);
    return out;
}

Quote Catalogue::quote(Business b, CertType t, int years) const {
    Quote q;
    const auto& fees = rule(b).fees;
    const auto fee = fees.find(t);
    if (fee == fees.end()) return q;  // free business
    if (fee->second.per_year_fen > 0)
        q.lines.push_back({fee->second.item + "（" + std::to_string(years) + "年）", fee->second.per_year_fen, years,
                           fee->second.per_year_fen * years});
    if (fee->second.flat_fen > 0) q.lines.push_back({fee->second.item, fee->second.flat_fen, 1, fee->second.flat_fen});
    for (const auto& line : q.lines) q.total_fen += line.amount_fen;
    return q;
}

json Catalogue::to_json() const {
    json types = json::array();
    for (const auto& t : m_cert_types)
        types.push_back({{"type", to_string(t.type)}, {"label", t.label}, {"years", t.years}});
    json business = json::array();
    for (const auto& r : m_rules) {
        json fees = json::object();
        for (const auto& [type, f] : r.fees)
            fees[std::string(to_string(type))] = {{"per_year_fen", f.per_year_fen}, {"flat_fen", f.flat_fen}, {"item", f.item}};
        auto materials = [](const std::vector<MaterialRule>& list) {
            json out = json::array();
            for (const auto& m : list) {
                json item = {{"kind", m.kind}, {"label", m.label}, {"stamped", m.stamped}};
                if (m.only) item["only"] = to_string(*m.only);
                out.push_back(std::move(item));
            }
            return out;
        };
        business.push_back({{"business", to_string(r.business)}, {"label", r.label}, {"token", to_string(r.token)},
                            {"fees", fees}, {"online", materials(r.online)}, {"counter", materials(r.counter)}});
    }
    return {{"categories",
             json::array({{{"name", m_category},
                           {"products", json::array({{{"name", m_product},
                                                      {"cert_types", types},
                                                      {"algorithms", m_algorithms},
                                                      {"business", business}}})}}})}};
}

}  // namespace eseal::ra
