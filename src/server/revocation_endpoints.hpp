#pragma once
// The public endpoints (DESIGN §7): GET /crl/<ca>.crl, OCSP by POST /ocsp and GET /ocsp/<base64>
// (RFC 6960 Appendix A), time-stamps by POST /tsa and /tsa/<ca> (RFC 3161 §3.4). Handlers only
// decode, call the services and render; protocol errors are the protocol's own answers
// (malformedRequest, a TSA rejection), HTTP errors are for what is not the protocol at all.
#include "server/revocation_services.hpp"
#include "server/router.hpp"

namespace eseal::server {

void add_revocation_routes(Router& router, const RevocationServices& services);

}  // namespace eseal::server
