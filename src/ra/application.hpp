#pragma once
// An application for certificate business (DESIGN §5): what the applicant enters, where it is in
// its life, and the words the API and the store use for each value.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace eseal::ra {

// Guide §3, §8.
enum class Business { new_cert, renew, change, lost_key, unlock, revoke };
// The two certificate types of the product (guide §4, §5; pki profiles org / org-individual).
enum class CertType { organization, organization_individual };
enum class Channel { online, counter };

// DESIGN §5: draft → submitted → awaiting_payment → paid → in_review → returned | approved →
// issued → shipped → delivered; cancelled (before issue; a paid one is refunded). Free business
// (change, unlock, revoke) goes from submitted straight to paid.
enum class State {
    draft,
    submitted,
    awaiting_payment,
    paid,
    in_review,
    returned,
    approved,
    issued,
    shipped,
    delivered,
    cancelled,
};

[[nodiscard]] std::string_view to_string(Business b) noexcept;
[[nodiscard]] std::string_view to_string(CertType c) noexcept;
[[nodiscard]] std::string_view to_string(Channel c) noexcept;
[[nodiscard]] std::string_view to_string(State s) noexcept;
[[nodiscard]] std::optional<Business> parse_business(std::string_view s) noexcept;
[[nodiscard]] std::optional<CertType> parse_cert_type(std::string_view s) noexcept;
[[nodiscard]] std::optional<Channel> parse_channel(std::string_view s) noexcept;
[[nodiscard]] std::optional<State> parse_state(std::string_view s) noexcept;

struct Organization {
    std::string name;         // as on the business licence
    std::string credit_code;  // unified social credit code, GB 32100
};

struct Person {
    std::string name;
    std::string id_number;  // resident ID, GB 11643
    std::string phone;      // mainland mobile
    std::string email;
};

enum class Delivery { post, pickup };

// What the applicant fills in; validated as a whole (validation.hpp).
struct ApplicationForm {
    Organization organization;
    Person handler;                // 经办人: logs in, verifies identity, gets the PIN
    std::optional<Person> holder;  // the person an organization-individual certificate is for
    std::string algorithm = "sm2";  // sm2 | ecdsa-p256 | rsa2048 (catalogue)
    int years = 1;
    Delivery delivery = Delivery::post;
    std::string address;          // delivery address (post)
    std::string recipient;        // who receives the parcel (post); defaults to the handler
    std::string recipient_phone;
    std::string service_point;    // pick-up point id (pickup)
    std::string certificate_serial;  // the certificate the business concerns (all but new)
    std::string revoke_reason;       // revoke: RFC 5280 reason name
    std::string remarks;
};

struct Application {
    std::string id;          // "A" + 12 digits of date + random: public, unguessable enough
    std::int64_t account_id = 0;
    Business business = Business::new_cert;
    CertType cert_type = CertType::organization;
    Channel channel = Channel::online;
    State state = State::draft;
    ApplicationForm form;
    std::int64_t fee_fen = 0;  // quoted when submitted
    std::int64_t version = 0;  // bumped on each update (optimistic concurrency)
    core::TimePoint created_at{};
    core::TimePoint updated_at{};
    std::optional<core::TimePoint> submitted_at;
    std::optional<core::TimePoint> paid_at;
};

// One line of the applicant's timeline: every transition and notable step.
struct TimelineEntry {
    std::string application_id;
    core::TimePoint at{};
    std::string actor;          // "applicant:13800138000", "system", "staff:alice"
    std::string from_state;     // "" for non-transitions
    std::string to_state;
    std::string event;          // "submitted", "material.uploaded", "payment.paid", ...
    std::string message;        // for people
};

}  // namespace eseal::ra
