#include "ra/render/form_model.hpp"

#include <chrono>
#include <cstdio>
#include <utility>

#include <glib.h>

#include "pki/revocation.hpp"

namespace eseal::ra::render {
namespace {

constexpr std::string_view kNone = "—";

std::string or_none(const std::string& s) {
    return s.empty() ? std::string(kNone) : s;
}

std::vector<FormRow> person_rows(const Person& p, const std::string& source) {
    return {
        FormRow{{{"姓名", or_none(p.name), source + ".name"},
                 {"手机号码", or_none(p.phone), source + ".phone"}}},
        FormRow{{{"身份证号码", or_none(p.id_number), source + ".id_number"},
                 {"电子邮箱", or_none(p.email), source + ".email"}}},
    };
}

// The product and the CA are in the page's header, not repeated here.
FormSection application_section(const Application& a) {
    FormSection s{"申请信息", {}};
    s.rows.push_back({{{"申请编号", or_none(a.id), "id"},
                       {"业务类型", std::string(business_label(a.business)), "business"}}});
    s.rows.push_back({{{"证书类型", std::string(cert_type_label(a.cert_type)), "cert_type"},
                       {"密钥算法", algorithm_label(a.form.algorithm), "form.algorithm"}}});
    s.rows.push_back(
        {{{"证书有效期", std::to_string(a.form.years) + " 年", "form.years"},
          {"受理渠道", a.channel == Channel::online ? "网上营业厅" : "服务网点柜台", "channel"}}});
    if (a.business != Business::new_cert)
        s.rows.push_back(
            {{{"原证书序列号", or_none(a.form.certificate_serial), "form.certificate_serial"}}});
    if (a.business == Business::revoke)
        s.rows.push_back(
            {{{"注销原因", revoke_reason_label(a.form.revoke_reason), "form.revoke_reason"}}});
    return s;
}

// Only what was filled in: a business that ships nothing (revoke, say) leaves both empty. The
// way of delivery goes in the section's title, to keep the page to one sheet.
std::optional<FormSection> delivery_section(const ApplicationForm& f, const FormContext& c) {
    if (f.delivery == Delivery::post && !f.address.empty()) {
        FormSection s{"证书领取：邮寄（邮费到付）", {}};
        s.rows.push_back(
            {{{"收件人", f.recipient.empty() ? or_none(f.handler.name) : f.recipient,
               "form.recipient"},
              {"收件人电话",
               f.recipient_phone.empty() ? or_none(f.handler.phone) : f.recipient_phone,
               "form.recipient_phone"}}});
        s.rows.push_back({{{"收件地址", f.address, "form.address"}}});
        return s;
    }
    if (f.delivery == Delivery::pickup && !(f.service_point.empty() && c.service_point.empty())) {
        FormSection s{"证书领取：到服务网点自取", {}};
        if (c.service_point.empty())
            s.rows.push_back({{{"服务网点", f.service_point, "form.service_point"}}});
        else
            s.rows.push_back({{{"服务网点", c.service_point, "context.service_point"}}});
        return s;
    }
    return std::nullopt;
}

std::string declaration(const Application& a, const FormContext& c) {
    std::string text =
        "申请单位声明：本单位确认本表所填信息及所提交的材料真实、准确、完整，已阅读、理解并同意"
        "接受《电子认证服务协议》（版本：" +
        c.agreement_version + "）的全部条款，委托上述经办人办理本次证书业务，并同意" + c.ca_name +
        "依据本表信息签发和管理数字证书。";
    if (a.cert_type == CertType::organization_individual)
        text += "证书持有人已知悉并同意以其身份信息申请机构个人证书。";
    text += "如因信息不实造成损失，由本单位承担相应责任。";
    return text;
}

// Section numbers follow what is shown, so none is skipped.
constexpr std::string_view kNumbers[] = {"一", "二", "三", "四", "五", "六", "七"};

}  // namespace

std::vector<core::Problem> check_form_input(const Application& a, const FormContext& c) {
    std::vector<core::Problem> problems;
    const std::pair<std::string_view, const std::string&> required[] = {
        {"id", a.id},
        {"context.ca_name", c.ca_name},
        {"context.product_name", c.product_name},
        {"context.agreement_version", c.agreement_version},
    };
    for (const auto& [field, value] : required)
        if (value.empty())
            problems.push_back({"form.required", "不能为空", std::string(field)});

    const ApplicationForm& f = a.form;
    std::vector<std::pair<std::string, const std::string*>> texts = {
        {"id", &a.id},
        {"context.ca_name", &c.ca_name},
        {"context.product_name", &c.product_name},
        {"context.agreement_version", &c.agreement_version},
        {"context.service_point", &c.service_point},
        {"form.organization.name", &f.organization.name},
        {"form.organization.credit_code", &f.organization.credit_code},
        {"form.algorithm", &f.algorithm},
        {"form.address", &f.address},
        {"form.recipient", &f.recipient},
        {"form.recipient_phone", &f.recipient_phone},
        {"form.service_point", &f.service_point},
        {"form.certificate_serial", &f.certificate_serial},
        {"form.revoke_reason", &f.revoke_reason},
        {"form.remarks", &f.remarks},
    };
    const auto add_person = [&texts](const Person& p, const std::string& prefix) {
        texts.emplace_back(prefix + ".name", &p.name);
        texts.emplace_back(prefix + ".id_number", &p.id_number);
        texts.emplace_back(prefix + ".phone", &p.phone);
        texts.emplace_back(prefix + ".email", &p.email);
    };
    add_person(f.handler, "form.handler");
    if (f.holder)
        add_person(*f.holder, "form.holder");
    // Pango would draw invalid bytes as boxes; an embedded NUL is not text either.
    for (const auto& [field, value] : texts)
        if (!g_utf8_validate(value->data(), static_cast<gssize>(value->size()), nullptr))
            problems.push_back({"form.bad_utf8", "不是有效的 UTF-8 文本", field});
    return problems;
}

std::string_view business_label(Business b) noexcept {
    switch (b) {
        case Business::new_cert:
            return "新办";
        case Business::renew:
            return "续期";
        case Business::change:
            return "变更";
        case Business::lost_key:
            return "补办（遗失）";
        case Business::unlock:
            return "解锁";
        case Business::revoke:
            return "注销";
    }
    return "?";
}

std::string_view cert_type_label(CertType t) noexcept {
    switch (t) {
        case CertType::organization:
            return "机构证书";
        case CertType::organization_individual:
            return "机构个人证书";
    }
    return "?";
}

std::string algorithm_label(std::string_view algorithm) {
    if (algorithm == "sm2")
        return "SM2";
    if (algorithm == "ecdsa-p256")
        return "ECDSA P-256";
    if (algorithm == "rsa2048")
        return "RSA 2048";
    if (algorithm == "rsa3072")
        return "RSA 3072";
    return std::string(algorithm);
}

std::string revoke_reason_label(std::string_view reason) {
    const auto r = pki::parse_revocation_reason(reason);
    if (!r)
        return reason.empty() ? std::string(kNone) : std::string(reason);
    switch (*r) {
        case pki::RevocationReason::unspecified:
            return "未说明";
        case pki::RevocationReason::key_compromise:
            return "密钥泄露";
        case pki::RevocationReason::ca_compromise:
            return "CA 密钥泄露";
        case pki::RevocationReason::affiliation_changed:
            return "隶属关系变更";
        case pki::RevocationReason::superseded:
            return "证书被取代";
        case pki::RevocationReason::cessation_of_operation:
            return "停止使用";
        case pki::RevocationReason::certificate_hold:
            return "证书冻结";
        case pki::RevocationReason::remove_from_crl:
            return "从 CRL 移除";
        case pki::RevocationReason::privilege_withdrawn:
            return "权限撤销";
        case pki::RevocationReason::aa_compromise:
            return "AA 密钥泄露";
    }
    return std::string(reason);
}

std::string format_china_time(core::TimePoint t) {
    using namespace std::chrono;
    const auto local = t + hours(8);
    const auto day = floor<days>(local);
    const year_month_day ymd(day);
    const hh_mm_ss hms(local - day);
    char out[64];
    std::snprintf(out, sizeof out, "%04d年%02u月%02u日 %02d:%02d:%02d（北京时间）",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return out;
}

FormModel build_form_model(const Application& a, const FormContext& c) {
    const ApplicationForm& f = a.form;
    FormModel m;
    m.ca_name = c.ca_name;
    m.product_name = c.product_name;
    m.title = "数字证书申请表";
    m.subtitle = "（" + std::string(cert_type_label(a.cert_type)) + "）";
    m.application_id = a.id;

    std::vector<FormSection> sections;
    sections.push_back(application_section(a));
    sections.push_back({"机构信息",
                        {{{{"机构名称", or_none(f.organization.name), "form.organization.name"}}},
                         {{{"统一社会信用代码", or_none(f.organization.credit_code),
                            "form.organization.credit_code"}}}}});
    sections.push_back({"经办人信息", person_rows(f.handler, "form.handler")});
    if (a.cert_type == CertType::organization_individual)
        sections.push_back({"证书持有人信息", f.holder ? person_rows(*f.holder, "form.holder")
                                                       : person_rows(Person{}, "form.holder")});
    if (auto d = delivery_section(f, c))
        sections.push_back(std::move(*d));
    if (!f.remarks.empty())
        sections.push_back({"备注", {{{{"备注", f.remarks, "form.remarks"}}}}});
    for (std::size_t i = 0; i < sections.size(); ++i)
        sections[i].title = std::string(kNumbers[i]) + "、" + sections[i].title;
    m.sections = std::move(sections);

    m.declaration = declaration(a, c);
    m.seal_box = "单位公章";
    m.signature_box = "经办人签字";
    m.date_line = "日期：          年      月      日";
    m.footer =
        "本表由" + c.ca_name + "网上营业厅于 " + format_china_time(c.generated_at) +
        " 根据申请人填写的信息自动生成。请打印本表，加盖单位公章并由经办人签字后，扫描上传。";
    return m;
}

}  // namespace eseal::ra::render
