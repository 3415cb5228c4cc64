#pragma once
// The application form as data: every word it shows, in reading order, with no drawing. Kept apart
// from the painter so the wording can be read and tested on its own.
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/application.hpp"
#include "ra/render/application_form.hpp"

namespace eseal::ra::render {

struct FormField {
    std::string label;
    std::string value;
    std::string source;  // the input it comes from ("form.organization.name"), for errors
};

// One field spans the table; two share it half and half.
struct FormRow {
    std::vector<FormField> fields;
};

struct FormSection {
    std::string title;
    std::vector<FormRow> rows;
};

struct FormModel {
    std::string ca_name;
    std::string product_name;
    std::string title;     // 数字证书申请表
    std::string subtitle;  // （机构证书） / （机构个人证书）
    std::string application_id;
    std::vector<FormSection> sections;
    std::string declaration;
    std::string seal_box;       // 单位公章
    std::string signature_box;  // 经办人签字
    std::string date_line;      // 日期：    年    月    日
    std::string footer;
};

// Every problem with the input at once (BoringSSL CertErrors style): a missing application id,
// CA name, product name or agreement version, and any text that is not valid UTF-8.
[[nodiscard]] std::vector<core::Problem> check_form_input(const Application& application,
                                                          const FormContext& context);

[[nodiscard]] FormModel build_form_model(const Application& application,
                                         const FormContext& context);

// "2026年05月01日 18:20:30（北京时间）": UTC+8, which China keeps all year.
[[nodiscard]] std::string format_china_time(core::TimePoint t);

[[nodiscard]] std::string_view business_label(Business b) noexcept;
[[nodiscard]] std::string_view cert_type_label(CertType t) noexcept;
// "sm2" → "SM2", "ecdsa-p256" → "ECDSA P-256", "rsa2048" → "RSA 2048"; other names as given.
[[nodiscard]] std::string algorithm_label(std::string_view algorithm);
// RFC 5280 §5.3.1 reason name → Chinese; unknown names as given.
[[nodiscard]] std::string revoke_reason_label(std::string_view reason);

}  // namespace eseal::ra::render
