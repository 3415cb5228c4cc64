#pragma once
// Seal management's JSON API under /api/v1/seals (issue 8; docs/seals.md): request a seal,
// suspend / resume / revoke it, download its SESeal, authorize people, log and read its uses,
// and bind a Ukey (challenge + face check, then the signed challenge). Same sessions, CSRF and
// problem details as the hall (hall_routes.hpp); the face provider's binding callback too.
#include "core/clock.hpp"
#include "ra/login.hpp"
#include "ra/seal_binding.hpp"
#include "ra/seals.hpp"
#include "ra/staff.hpp"
#include "server/router.hpp"

namespace eseal::server {

struct SealContext {
    ra::LoginService& login;
    ra::StaffService& staff;
    ra::SealService& seals;
    ra::SealBindingService& binding;
    const core::Clock& clock;
    // POST …/uses/document: the signed PDF's size limit (413 over it) and where it is streamed
    // (default: a file in the system's temporary directory).
    std::uint64_t document_limit = 100 * 1024 * 1024;
    std::function<core::Result<std::filesystem::path>()> temp_file = {};
};

void add_seal_routes(Router& router, SealContext& context);

}  // namespace eseal::server
