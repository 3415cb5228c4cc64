#include "pki/subject.hpp"

#include "pki/identifiers.hpp"
#include "pki/x509.hpp"

namespace eseal::pki {
namespace {

// RFC 5280 Appendix A upper bounds, in characters.
constexpr std::size_t kMaxOrganization = 64;
constexpr std::size_t kMaxCommonName = 64;
constexpr std::size_t kMaxStateOrLocality = 128;

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::optional<std::string> entry(const X509_NAME* name, int nid) {
    auto v = name_entry(name, nid);
    if (v.empty()) return std::nullopt;
    return v;
}

void add(X509_NAME* name, int nid, const std::string& value) {
    X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.data()),
                               static_cast<int>(value.size()), -1, 0);
}

}  // namespace

std::string_view to_string(Profile p) noexcept {
    return p == Profile::organization ? "org" : "org-individual";
}

std::optional<Profile> parse_profile(std::string_view name) noexcept {
    if (name == "org" || name == "organization") return Profile::organization;
    if (name == "org-individual" || name == "organization-individual") return Profile::organization_individual;
    return std::nullopt;
}

void SubjectFields::apply(const SubjectFields& over) {
    for (auto [mine, theirs] : {std::pair{&country, &over.country}, {&province, &over.province},
                                {&locality, &over.locality}, {&organization, &over.organization},
                                {&credit_code, &over.credit_code}, {&person_name, &over.person_name},
                                {&person_id, &over.person_id}}) {
        if (theirs->has_value()) *mine = *theirs;
    }
}

SubjectFields subject_fields_of(const X509_NAME* name, Profile profile) {
    SubjectFields s;
    s.country = entry(name, NID_countryName);
    s.province = entry(name, NID_stateOrProvinceName);
    s.locality = entry(name, NID_localityName);
    s.organization = entry(name, NID_organizationName);
    s.credit_code = entry(name, NID_organizationIdentifier);
    if (profile == Profile::organization_individual) {
        s.person_name = entry(name, NID_commonName);
        s.person_id = entry(name, NID_serialNumber);  // where a CSR may carry it
    }
    return s;
}

std::vector<core::Problem> check_subject(const SubjectFields& s, Profile profile) {
    std::vector<core::Problem> problems;
    const auto missing = [&](const char* field, const char* what, const char* flag) {
        problems.push_back({std::string("subject.") + field + ".missing",
                            std::string(what) + " is missing (put it in the CSR or give " + flag + ")", field});
    };
    const auto too_long = [&](const std::optional<std::string>& v, const char* field, std::size_t max) {
        if (v && utf8_length(*v) > max)
            problems.push_back({std::string("subject.") + field + ".too_long",
                                std::string(field) + " has " + std::to_string(utf8_length(*v)) +
                                    " characters; at most " + std::to_string(max) + " fit (RFC 5280 Appendix A)",
                                field});
    };
    if (s.country && *s.country != "CN")
        problems.push_back({"subject.country.not_cn", "the country must be CN, not " + *s.country, "country"});
    if (!s.province) missing("province", "the province (ST)", "--province");
    if (!s.locality) missing("locality", "the city (L)", "--locality");
    if (!s.organization) missing("organization", "the organization name (O)", "--org");
    if (!s.credit_code) {
        missing("credit_code", "the unified social credit code", "--credit-code");
    } else if (auto p = check_credit_code(*s.credit_code)) {
        problems.push_back({"subject." + p->code, p->message, "credit_code"});
    }
    too_long(s.organization, "organization", kMaxOrganization);
    too_long(s.province, "province", kMaxStateOrLocality);
    too_long(s.locality, "locality", kMaxStateOrLocality);
    if (profile == Profile::organization_individual) {
        if (!s.person_name) missing("person_name", "the holder's name (CN)", "--name");
        too_long(s.person_name, "person_name", kMaxCommonName);
        if (!s.person_id) {
            missing("person_id", "the holder's resident ID number", "--id-number");
        } else if (auto p = check_resident_id(*s.person_id)) {
            problems.push_back({"subject." + p->code, p->message, "person_id"});
        }
    }
    return problems;
}

crypto::X509NamePtr build_subject_name(const SubjectFields& s, Profile profile) {
    crypto::X509NamePtr name(X509_NAME_new());
    add(name.get(), NID_countryName, "CN");
    add(name.get(), NID_stateOrProvinceName, s.province.value_or(""));
    add(name.get(), NID_localityName, s.locality.value_or(""));
    add(name.get(), NID_organizationName, s.organization.value_or(""));
    add(name.get(), NID_organizationIdentifier, s.credit_code.value_or(""));
    // CN: the organization for an organization certificate (what PDF readers show as the signer),
    // the holder for an organization-individual certificate.
    add(name.get(), NID_commonName,
        profile == Profile::organization ? s.organization.value_or("") : s.person_name.value_or(""));
    return name;
}

}  // namespace eseal::pki
