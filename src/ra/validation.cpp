#include "ra/validation.hpp"

#include <algorithm>
#include <cctype>

#include "pki/identifiers.hpp"
#include "pki/revocation.hpp"

namespace eseal::ra {
namespace {

class Checker {
  public:
    void add(std::string field, std::string code, std::string message) {
        m_problems.push_back(core::Problem{std::move(code), std::move(message), std::move(field)});
    }

    // Required text with a length range in characters; reports empty, too long, bad UTF-8.
    bool text(const std::string& field, std::string_view value, long min, long max) {
        const long n = utf8_length(value);
        if (n < 0) {
            add(field, "field.encoding", "is not valid UTF-8");
            return false;
        }
        if (n == 0) {
            add(field, "field.required", "is required");
            return false;
        }
        if (n < min || n > max) {
            add(field, "field.length",
                "must be " + std::to_string(min) + " to " + std::to_string(max) + " characters (is " + std::to_string(n) + ")");
            return false;
        }
        if (std::any_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
            add(field, "field.control_character", "contains control characters");
            return false;
        }
        return true;
    }

    void from(const std::optional<core::Problem>& p, const std::string& field) {
        if (p) add(field, p->code, p->message);
    }

    void phone(const std::string& field, std::string_view value, bool required) {
        if (value.empty()) {
            if (required) add(field, "field.required", "is required");
            return;
        }
        if (!is_mainland_mobile(value)) add(field, "phone.invalid", "is not a mainland mobile number (11 digits, 1[3-9]…)");
    }

    void email(const std::string& field, std::string_view value, bool required) {
        if (value.empty()) {
            if (required) add(field, "field.required", "is required");
            return;
        }
        if (!is_email(value)) add(field, "email.invalid", "is not an e-mail address");
    }

    void person(const std::string& prefix, const Person& p, bool contact_required) {
        text(prefix + ".name", p.name, 2, 30);
        if (p.id_number.empty()) add(prefix + ".id_number", "field.required", "is required");
        else from(pki::check_resident_id(p.id_number), prefix + ".id_number");
        phone(prefix + ".phone", p.phone, contact_required);
        email(prefix + ".email", p.email, contact_required);
    }

    std::vector<core::Problem> take() { return std::move(m_problems); }

  private:
    std::vector<core::Problem> m_problems;
};

}  // namespace

bool is_mainland_mobile(std::string_view phone) noexcept {
    return phone.size() == 11 && phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9' &&
           std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_email(std::string_view email) noexcept {
    if (email.size() > 254 || email.size() < 5) return false;
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return false;
    const auto domain = email.substr(at + 1);
    const auto dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
    return std::none_of(email.begin(), email.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == '"' || c == ',' || c == ';';
    });
}

long utf8_length(std::string_view text) noexcept {
    long n = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > text.size()) return -1;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return -1;
        i += len;
        ++n;
    }
    return n;
}

std::vector<core::Problem> validate_form(Business business, CertType type, Channel channel,
                                         const ApplicationForm& form, const ValidationContext& context) {
    Checker check;
    check.text("organization.name", form.organization.name, 2, 100);
    if (form.organization.credit_code.empty()) check.add("organization.credit_code", "field.required", "is required");
    else check.from(pki::check_credit_code(form.organization.credit_code), "organization.credit_code");

    check.person("handler", form.handler, true);
    if (type == CertType::organization_individual) {
        if (!form.holder) check.add("holder", "field.required", "an organization-individual certificate names its holder");
        else check.person("holder", *form.holder, false);
    } else if (form.holder) {
        check.add("holder", "field.not_applicable", "only an organization-individual certificate has a holder");
    }

    if (!context.catalogue.offers_algorithm(form.algorithm))
        check.add("algorithm", "algorithm.unsupported", "is not offered (" + form.algorithm + ")");
    const CertTypeOffer* offer = context.catalogue.offer(type);
    if (!offer) {
        check.add("cert_type", "cert_type.unsupported", "is not offered");
    } else if (business == Business::new_cert || business == Business::renew) {
        if (std::find(offer->years.begin(), offer->years.end(), form.years) == offer->years.end()) {
            std::string options;
            for (int y : offer->years) options += (options.empty() ? "" : ", ") + std::to_string(y);
            check.add("years", "years.unsupported", "must be one of " + options);
        }
    }

    if (business != Business::new_cert) {
        const auto& serial = form.certificate_serial;
        const bool hex = !serial.empty() && serial.size() <= 40 &&
                         std::all_of(serial.begin(), serial.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
        if (serial.empty()) check.add("certificate_serial", "field.required", "names the certificate this business concerns");
        else if (!hex) check.add("certificate_serial", "serial.invalid", "is a certificate serial number in hex");
    }
    if (business == Business::revoke) {
        const auto reason = pki::parse_revocation_reason(form.revoke_reason);
        if (form.revoke_reason.empty()) check.add("revoke_reason", "field.required", "is required");
        else if (!reason || !pki::check_revocation_reason(*reason))
            check.add("revoke_reason", "revoke_reason.invalid", "is not a reason a revocation may give (" + form.revoke_reason + ")");
    }

    // Delivery: only for business that hands over a token, and only online (the counter hands it
    // over on the spot).
    const bool ships = channel == Channel::online && context.catalogue.rule(business).token == TokenAction::new_token;
    if (ships) {
        if (form.delivery == Delivery::post) {
            check.text("address", form.address, 5, 200);
            if (!form.recipient.empty()) check.text("recipient", form.recipient, 2, 30);
            check.phone("recipient_phone", form.recipient_phone, false);
        } else if (std::find(context.service_points.begin(), context.service_points.end(), form.service_point) ==
                   context.service_points.end()) {
            check.add("service_point", form.service_point.empty() ? "field.required" : "service_point.unknown",
                      form.service_point.empty() ? "a pick-up names a service point" : "is not a service point");
        }
    }
    if (utf8_length(form.remarks) < 0 || utf8_length(form.remarks) > 500)
        check.add("remarks", "field.length", "at most 500 characters of UTF-8");
    return check.take();
}

}  // namespace eseal::ra
