#pragma once
// The OpenAPI 3.0 description of /api/v1, served at /api/v1/openapi.json (issue: "an OpenAPI 3
// document of every route"). Tests hold the router and this document to each other.
#include <nlohmann/json.hpp>

#include "server/router.hpp"

namespace eseal::server {

[[nodiscard]] nlohmann::json openapi_document();
void add_openapi_route(Router& router);

}  // namespace eseal::server
