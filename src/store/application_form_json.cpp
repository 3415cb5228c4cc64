#include "store/application_form_json.hpp"

#include <nlohmann/json.hpp>

#include "store/row_values.hpp"

namespace eseal::store {
namespace {

using nlohmann::json;

constexpr std::string_view kPost = "post";
constexpr std::string_view kPickup = "pickup";

json person_json(const ra::Person& p) {
    return {{"name", p.name}, {"id_number", p.id_number}, {"phone", p.phone}, {"email", p.email}};
}

// Throws json::type_error when the key holds another type; the caller turns that into an error.
template <class T>
void read_key(const json& j, const char* key, T& out) {
    if (const auto it = j.find(key); it != j.end())
        out = it->get<T>();
}

ra::Person read_person(const json& j) {
    ra::Person p;
    read_key(j, "name", p.name);
    read_key(j, "id_number", p.id_number);
    read_key(j, "phone", p.phone);
    read_key(j, "email", p.email);
    return p;
}

}  // namespace

core::Result<std::string> form_to_json(const ra::ApplicationForm& f) {
    json j = {
        {"organization",
         {{"name", f.organization.name}, {"credit_code", f.organization.credit_code}}},
        {"handler", person_json(f.handler)},
        {"holder", f.holder ? person_json(*f.holder) : json(nullptr)},
        {"algorithm", f.algorithm},
        {"years", f.years},
        {"delivery", f.delivery == ra::Delivery::post ? kPost : kPickup},
        {"address", f.address},
        {"recipient", f.recipient},
        {"recipient_phone", f.recipient_phone},
        {"service_point", f.service_point},
        {"certificate_serial", f.certificate_serial},
        {"revoke_reason", f.revoke_reason},
        {"remarks", f.remarks},
    };
    try {
        return j.dump();  // strict: invalid UTF-8 throws rather than being altered
    } catch (const json::exception& e) {
        return core::fail(core::Errc::invalid_input, "application.form_encoding",
                          std::string("the form is not valid UTF-8: ") + e.what());
    }
}

core::Result<ra::ApplicationForm> form_from_json(std::string_view text, std::string_view where) {
    const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object())
        return std::unexpected(corrupt(where, "the form is not a JSON object"));
    ra::ApplicationForm f;
    try {
        if (const auto it = j.find("organization"); it != j.end()) {
            read_key(*it, "name", f.organization.name);
            read_key(*it, "credit_code", f.organization.credit_code);
        }
        if (const auto it = j.find("handler"); it != j.end())
            f.handler = read_person(*it);
        if (const auto it = j.find("holder"); it != j.end() && !it->is_null())
            f.holder = read_person(*it);
        read_key(j, "algorithm", f.algorithm);
        read_key(j, "years", f.years);
        std::string delivery(kPost);
        read_key(j, "delivery", delivery);
        if (delivery == kPost)
            f.delivery = ra::Delivery::post;
        else if (delivery == kPickup)
            f.delivery = ra::Delivery::pickup;
        else
            return std::unexpected(corrupt(where, "unknown delivery '" + delivery + "'"));
        read_key(j, "address", f.address);
        read_key(j, "recipient", f.recipient);
        read_key(j, "recipient_phone", f.recipient_phone);
        read_key(j, "service_point", f.service_point);
        read_key(j, "certificate_serial", f.certificate_serial);
        read_key(j, "revoke_reason", f.revoke_reason);
        read_key(j, "remarks", f.remarks);
    } catch (const json::exception& e) {
        return std::unexpected(corrupt(where, std::string("malformed form: ") + e.what()));
    }
    return f;
}

}  // namespace eseal::store
