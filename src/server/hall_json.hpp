#pragma once
// The online hall's JSON shapes (the DTOs the OpenAPI document describes): applications, forms,
// materials, timeline, payments, identity checks.
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "ra/applications.hpp"
#include "ra/catalogue.hpp"
#include "ra/ports.hpp"

namespace eseal::server {

[[nodiscard]] nlohmann::json to_json(const ra::Application& a, const ra::Quote& quote);
[[nodiscard]] nlohmann::json to_json(const ra::ApplicationForm& f);
[[nodiscard]] nlohmann::json to_json(const ra::TimelineEntry& t);
[[nodiscard]] nlohmann::json to_json(const ra::MaterialStatus& m, const std::string& application_id);
[[nodiscard]] nlohmann::json to_json(const ra::Material& m, const std::string& application_id);
[[nodiscard]] nlohmann::json to_json(const ra::Payment& p);
[[nodiscard]] nlohmann::json to_json(const ra::IdentityCheck& c);
[[nodiscard]] nlohmann::json to_json(const ra::Quote& q);

// The form from JSON; every type error reported at once on its path (the domain then checks
// the values).
[[nodiscard]] core::Result<ra::ApplicationForm> form_from_json(const nlohmann::json& doc);

// ID numbers are shown masked outside the form itself: 4403**********1234.
[[nodiscard]] std::string mask_id(const std::string& id);

}  // namespace eseal::server
