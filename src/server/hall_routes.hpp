#pragma once
// The online business hall's JSON API under /api/v1 (DESIGN §7; guide §3-§7): login by SMS code,
// agreements and consent, the catalogue, service points, applications with their materials,
// identity check, payment and timeline, and the providers' callbacks. Handlers are thin: decode,
// authenticate, call the domain, render. Sessions are cookies (HttpOnly; SameSite=Strict) and
// every write carries the session's CSRF token in X-CSRF-Token.
#include <cstdint>
#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "ra/agreements.hpp"
#include "ra/applications.hpp"
#include "ra/identity.hpp"
#include "ra/login.hpp"
#include "ra/payments.hpp"
#include "ra/staff.hpp"
#include "server/router.hpp"

namespace eseal::server {

inline constexpr std::string_view kSessionCookie = "eseal_session";

struct HallContext {
    ra::LoginService& login;
    ra::StaffService& staff;
    ra::ApplicationService& applications;
    ra::PaymentService& payments;
    ra::IdentityService& identity;
    const ra::Agreements& agreements;
    ra::BlobStore& blobs;
    const core::Clock& clock;
    // The service points as the API shows them, open or not at the given time (now if empty).
    std::function<nlohmann::json(std::optional<core::TimePoint>)> service_points;
    // A QR code as PNG.
    std::function<core::Result<core::Bytes>(std::string_view)> qr_png;
    std::uint64_t upload_limit = 10 * 1024 * 1024;
    bool secure_cookies = false;  // add Secure (behind TLS)
};

void add_hall_routes(Router& router, HallContext& hall);

// A logged-in applicant or staff member (401 without a live session, 403 for a write without
// the session's CSRF token), for the staff routes (server/staff_routes.cpp).
struct SessionInfo {
    ra::Actor actor;
    std::string csrf_token;
    core::TimePoint expires_at{};
};
using SessionHandler = std::function<Response(const Request&, const Captures&, const SessionInfo&)>;
[[nodiscard]] Handler with_session(HallContext& hall, SessionHandler fn);

}  // namespace eseal::server
