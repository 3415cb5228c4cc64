#pragma once
// The CA staff's API under /api/v1/staff (issue 7; guide §3 review, §8 on-site service): review
// queue and review, fulfilment (issue onto a Ukey, unlock, revoke), shipping and hand-over, the
// token inventory. Every route is in one table with the duties it needs (ra/duties.hpp); the
// router gets each through a wrapper that refuses anyone without one of those duties' roles.
#include <nlohmann/json.hpp>

#include "ra/audit_trail.hpp"
#include "ra/certificates.hpp"
#include "ra/desk.hpp"
#include "ra/duties.hpp"
#include "ra/invoices.hpp"
#include "server/hall_routes.hpp"
#include "server/router.hpp"
#include "token/ports.hpp"

namespace eseal::server {

struct StaffContext {
    HallContext& hall;
    ra::CaDesk& desk;
    token::TokenRepository& tokens;
    ra::InvoiceService& invoices;
    ra::AuditTrail& audit;                  // the audit log (issue 9)
    ra::CertificateDesk& certificate_desk;  // certificate search and direct revocation (issue 9)
};

// One staff route and the duties that may use it (any of them).
struct StaffRouteRule {
    std::string method;
    std::string path;
    std::vector<ra::Duty> duties;
};
// The table the routes are registered from (and tests read).
[[nodiscard]] const std::vector<StaffRouteRule>& staff_route_rules();

void add_staff_desk_routes(Router& router, StaffContext& ctx);
// The applicant's (and staff's) e-invoices: GET /api/v1/applications/{id}/invoices and
// GET /api/v1/invoices/{number}/invoice.pdf.
void add_invoice_routes(Router& router, StaffContext& ctx);

// The routes' OpenAPI paths (merged into openapi.cpp's document).
[[nodiscard]] nlohmann::json staff_openapi_paths();

}  // namespace eseal::server
