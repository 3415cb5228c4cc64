#pragma once
// Checks an application's form as a whole and reports every problem at once, by field (STYLE:
// errors are accumulated data). Field names are the API's JSON paths: "organization.credit_code".
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "ra/application.hpp"
#include "ra/catalogue.hpp"

namespace eseal::ra {

// Mainland China mobile number: 11 digits, 1[3-9]xxxxxxxxx (MIIT numbering plan).
[[nodiscard]] bool is_mainland_mobile(std::string_view phone) noexcept;
// A plausible address: local@domain.tld, no spaces, at most 254 characters (RFC 5321 §4.5.3.1).
[[nodiscard]] bool is_email(std::string_view email) noexcept;
// Length in Unicode code points of valid UTF-8; -1 if the text is not valid UTF-8.
[[nodiscard]] long utf8_length(std::string_view text) noexcept;

struct ValidationContext {
    const Catalogue& catalogue;
    std::vector<std::string> service_points;  // ids a pick-up may name
};

// Every problem of the form for this business, certificate type and channel; empty if none.
[[nodiscard]] std::vector<core::Problem> validate_form(Business business, CertType type, Channel channel,
                                                       const ApplicationForm& form,
                                                       const ValidationContext& context);

}  // namespace eseal::ra
