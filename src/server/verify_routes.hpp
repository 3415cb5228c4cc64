#pragma once
// Public document verification (DESIGN §7 /verify, guide §2 "anyone can check a sealed
// document"): POST /api/v1/verify takes a PDF or an OFD as the request body (streamed to a temp
// file, the hall's upload limit), recognises it by content, verifies every signature against the
// platform's own CA certificates as trust anchors and answers a JSON report. No login.
#include <cstdint>
#include <filesystem>
#include <functional>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "pki/ports.hpp"
#include "server/router.hpp"

namespace eseal::server {

struct VerifyContext {
    pki::CertificateRepository& cas;  // read on every request: a CA made later is trusted at once
    const core::Clock& clock;
    std::uint64_t upload_limit = 10 * 1024 * 1024;
    std::function<core::Result<std::filesystem::path>()> temp_file;
};

void add_verify_routes(Router& router, VerifyContext context);

}  // namespace eseal::server
