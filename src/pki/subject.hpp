#pragma once
// The subject of an end-entity certificate, as the CSR gives it and as the RA overrides it.
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "crypto/ossl.hpp"

namespace eseal::pki {

enum class Profile { organization, organization_individual };
[[nodiscard]] std::string_view to_string(Profile p) noexcept;  // "org", "org-individual"
[[nodiscard]] std::optional<Profile> parse_profile(std::string_view name) noexcept;

struct SubjectFields {
    std::optional<std::string> country;       // C
    std::optional<std::string> province;      // ST
    std::optional<std::string> locality;      // L
    std::optional<std::string> organization;  // O
    std::optional<std::string> credit_code;   // organizationIdentifier (2.5.4.97)
    std::optional<std::string> person_name;   // CN of an organization-individual certificate
    std::optional<std::string> person_id;     // resident ID number (organization-individual)

    // Each field set in `over` replaces this one's.
    void apply(const SubjectFields& over);
};

// What a CSR's subject says, read the way we write it (see docs/certificate-profiles.md).
[[nodiscard]] SubjectFields subject_fields_of(const X509_NAME* name, Profile profile);

// Every problem with the subject for this profile (empty when it is fine).
[[nodiscard]] std::vector<core::Problem> check_subject(const SubjectFields& s, Profile profile);

// The X.509 Name for a checked subject: C, ST, L, O, organizationIdentifier, CN.
[[nodiscard]] crypto::X509NamePtr build_subject_name(const SubjectFields& s, Profile profile);

}  // namespace eseal::pki
