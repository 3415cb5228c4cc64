#include "ra/application.hpp"

#include "ra/names.hpp"

namespace eseal::ra {
namespace {

constexpr detail::NameTable<Business, 6> kBusiness{{
    {Business::new_cert, "new"},
    {Business::renew, "renew"},
    {Business::change, "change"},
    {Business::lost_key, "lost-key"},
    {Business::unlock, "unlock"},
    {Business::revoke, "revoke"},
}};
constexpr detail::NameTable<CertType, 2> kCertType{{
    {CertType::organization, "organization"},
    {CertType::organization_individual, "organization-individual"},
}};
constexpr detail::NameTable<Channel, 2> kChannel{{
    {Channel::online, "online"},
    {Channel::counter, "counter"},
}};
constexpr detail::NameTable<State, 11> kState{{
    {State::draft, "draft"},
    {State::submitted, "submitted"},
    {State::awaiting_payment, "awaiting_payment"},
    {State::paid, "paid"},
    {State::in_review, "in_review"},
    {State::returned, "returned"},
    {State::approved, "approved"},
    {State::issued, "issued"},
    {State::shipped, "shipped"},
    {State::delivered, "delivered"},
    {State::cancelled, "cancelled"},
}};

}  // namespace

std::string_view to_string(Business b) noexcept { return detail::name_of(kBusiness, b); }
std::string_view to_string(CertType c) noexcept { return detail::name_of(kCertType, c); }
std::string_view to_string(Channel c) noexcept { return detail::name_of(kChannel, c); }
std::string_view to_string(State s) noexcept { return detail::name_of(kState, s); }
std::optional<Business> parse_business(std::string_view s) noexcept { return detail::value_of(kBusiness, s); }
std::optional<CertType> parse_cert_type(std::string_view s) noexcept { return detail::value_of(kCertType, s); }
std::optional<Channel> parse_channel(std::string_view s) noexcept { return detail::value_of(kChannel, s); }
std::optional<State> parse_state(std::string_view s) noexcept { return detail::value_of(kState, s); }

}  // namespace eseal::ra
