#include "ra/ports.hpp"

#include "ra/names.hpp"

namespace eseal::ra {
namespace {

constexpr detail::NameTable<MaterialKind, 6> kMaterialKind{{
    {MaterialKind::application_form, "application_form"},
    {MaterialKind::business_licence, "business_licence"},
    {MaterialKind::handler_id_front, "handler_id_front"},
    {MaterialKind::handler_id_back, "handler_id_back"},
    {MaterialKind::holder_id, "holder_id"},
    {MaterialKind::payment_receipt, "payment_receipt"},
}};
constexpr detail::NameTable<CheckStatus, 3> kCheckStatus{{
    {CheckStatus::pending, "pending"},
    {CheckStatus::passed, "passed"},
    {CheckStatus::failed, "failed"},
}};
constexpr detail::NameTable<PaymentMethod, 4> kPaymentMethod{{
    {PaymentMethod::wechat, "wechat"},
    {PaymentMethod::alipay, "alipay"},
    {PaymentMethod::bank_transfer, "bank_transfer"},
    {PaymentMethod::counter, "counter"},
}};
constexpr detail::NameTable<PaymentStatus, 6> kPaymentStatus{{
    {PaymentStatus::created, "created"},
    {PaymentStatus::paid, "paid"},
    {PaymentStatus::refunding, "refunding"},
    {PaymentStatus::refunded, "refunded"},
    {PaymentStatus::closed, "closed"},
    {PaymentStatus::rejected, "rejected"},
}};

}  // namespace

std::string_view to_string(MaterialKind k) noexcept { return detail::name_of(kMaterialKind, k); }
std::optional<MaterialKind> parse_material_kind(std::string_view s) noexcept {
    return detail::value_of(kMaterialKind, s);
}
std::string_view to_string(CheckStatus s) noexcept { return detail::name_of(kCheckStatus, s); }
std::optional<CheckStatus> parse_check_status(std::string_view s) noexcept {
    return detail::value_of(kCheckStatus, s);
}
std::string_view to_string(PaymentMethod m) noexcept { return detail::name_of(kPaymentMethod, m); }
std::string_view to_string(PaymentStatus s) noexcept { return detail::name_of(kPaymentStatus, s); }
std::optional<PaymentMethod> parse_payment_method(std::string_view s) noexcept {
    return detail::value_of(kPaymentMethod, s);
}
std::optional<PaymentStatus> parse_payment_status(std::string_view s) noexcept {
    return detail::value_of(kPaymentStatus, s);
}

}  // namespace eseal::ra
