#pragma once
// The certificate application form the online business hall generates from what the applicant
// entered (guide §4 online materials item 1; DESIGN §5): one A4 page in Chinese, printed, stamped
// with the organization's official seal, signed by the handler and uploaded as a scan.
#include <string>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/application.hpp"

namespace eseal::ra {

// What the form says that is not in the application. The names come from configuration.
struct FormContext {
    std::string ca_name;             // 深圳市电子商务安全证书管理有限公司
    std::string product_name;        // 深圳市统一电子印章管理平台（Ukey）
    core::TimePoint generated_at{};  // shown in China Standard Time (UTC+8, no DST)
    std::string agreement_version;   // the electronic certification service agreement accepted
    // Pick-up: the service point as people know it (name and address). Empty: the form's id.
    std::string service_point;
};

// PDF bytes. Errors: invalid_input "form.invalid" with one problem per bad field (text that is
// not UTF-8, a missing CA name, product, agreement version or application id); invalid_input
// "form.too_long" when the content does not fit on the page; unsupported "form.glyph_missing"
// when a character has no glyph in the installed fonts (it would print as a box).
[[nodiscard]] core::Result<core::Bytes> render_application_form(const Application& application,
                                                                const FormContext& context);

}  // namespace eseal::ra
