#pragma once
// The CA's side of an application (guide §3 review and on-site service, §5, §7, §8; DESIGN §5):
// the review queue ordered by deadline, a verdict per material, approve or return; fulfilment
// (a key generated on a Ukey from the inventory and a certificate from the product's CA, a PIN
// by SMS; unlock; revoke); shipping or handing over. Every step is a state-machine transition
// written in one transaction with its timeline line, messages and audit event, and each is
// checked against the duties table (ra/duties.hpp).
#include <functional>
#include <mutex>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/working_days.hpp"
#include "crypto/algorithm.hpp"
#include "pki/authority.hpp"
#include "pki/ports.hpp"
#include "pki/revocation.hpp"
#include "ra/actor.hpp"
#include "ra/application.hpp"
#include "ra/applications.hpp"
#include "ra/desk_ports.hpp"
#include "ra/notifier.hpp"
#include "ra/payments.hpp"
#include "ra/ports.hpp"
#include "token/ports.hpp"
#include "token/ukey_service.hpp"

namespace eseal::ra {

// One line of the review queue.
struct QueueItem {
    Application application;
    core::TimePoint due{};  // review due (paid / in review) or ship due (issued)
    bool overdue = false;
    std::string reviewer;   // who claimed it
};

struct FulfilRequest {
    std::string token_serial;  // new, renew, change, lost-key: a token in stock (the inventory)
    std::string label;         // the token's label; default "eseal Ukey <application id>"
};

struct DeskDeps {
    ApplicationRepository& applications;
    DeskRepository& desk;
    pki::CertificateRepository& certificates;
    pki::RevocationRepository& revocations;
    token::TokenRepository& tokens;
    ApplicationService& service;
    Notifier& notifier;
    const core::WorkingCalendar& calendar;
    const core::Clock& clock;
    std::optional<IssuanceTools> tools;  // nullopt: this server does not issue (503-like error)
    std::string province = "广东省";     // ST and L of the certificates' subjects
    std::string locality = "深圳市";
    PaymentService* payments = nullptr;  // counter payments
};

class CaDesk {
  public:
    explicit CaDesk(DeskDeps deps) : m(std::move(deps)) {}

    // ---- review (review.cpp) ------------------------------------------------------------
    // Paid and in-review applications, the most urgent first: review is due one working day
    // after payment (or after the resubmission of a returned one).
    [[nodiscard]] core::Result<std::vector<QueueItem>> review_queue(const Actor& actor);
    // Approved and issued applications by ship due (three working days after approval).
    [[nodiscard]] core::Result<std::vector<QueueItem>> fulfilment_queue(const Actor& actor);
    [[nodiscard]] core::Result<core::TimePoint> review_due(const Application& a) const;
    [[nodiscard]] core::Result<std::optional<core::TimePoint>> ship_due(const Application& a,
                                                                        const std::optional<DeskRecord>& d) const;
    // paid → in_review, claimed by the actor.
    [[nodiscard]] core::Result<Application> claim(const Actor& actor, const std::string& id);
    // A verdict on one material: accepted, or rejected with the reason the applicant will read.
    [[nodiscard]] core::Result<Material> verdict(const Actor& actor, const std::string& id, MaterialKind kind,
                                                 bool accepted, const std::string& reason);
    // in_review → approved: every required material accepted (online), the certificate the
    // business concerns valid and the organization's own.
    [[nodiscard]] core::Result<Application> approve(const Actor& actor, const std::string& id);
    // in_review → returned, with the rejected materials' reasons and an overall one.
    [[nodiscard]] core::Result<Application> send_back(const Actor& actor, const std::string& id,
                                                      const std::string& reason);
    [[nodiscard]] core::Result<std::optional<DeskRecord>> record(const Actor& actor, const std::string& id);

    // ---- fulfilment (issuance.cpp) ------------------------------------------------------
    // approved → issued: new / renew / change / lost-key: a key generated on the chosen token, a
    // certificate from the product's CA written beside it, a random PIN texted to the handler
    // (never stored); change / lost-key / renew revoke the old certificate afterwards; unlock:
    // the SO PIN resets the user PIN of the token holding the certificate, new PIN by SMS;
    // revoke: the certificate is revoked with the form's reason (CA operator only) and the
    // application is done (delivered).
    [[nodiscard]] core::Result<Application> fulfil(const Actor& actor, const std::string& id, const FulfilRequest& r);
    // issued → shipped: carrier and tracking number, SMS to the handler.
    [[nodiscard]] core::Result<Application> ship(const Actor& actor, const std::string& id, const std::string& carrier,
                                                 const std::string& tracking_no);
    // shipped → delivered (courier's notice), or issued → delivered (handed over at a point).
    [[nodiscard]] core::Result<Application> deliver(const Actor& actor, const std::string& id);

    // ---- counter (counter.cpp; guide §8 on-site service) ----------------------------------
    // A clerk opens the application for a walk-in handler (channel counter, no applicant
    // account) with the counter checklist's items checked on paper (every one required, all
    // missing ones reported at once), and submits it: awaiting payment, or paid when free.
    [[nodiscard]] core::Result<Application> counter_open(const Actor& actor, Business business, CertType type,
                                                         const ApplicationForm& form,
                                                         const std::vector<std::string>& checked);
    // Payment taken at the counter ("cash" or "card", with the receipt's reference): paid.
    [[nodiscard]] core::Result<Payment> counter_payment(const Actor& actor, const std::string& id,
                                                        const std::string& method, const std::string& reference);

    // ---- bank transfers (desk_transfers.cpp; guide §3 step 5) -------------------------------
    // Staff confirm a bank-transfer order of the application from its uploaded receipt (material
    // payment_receipt); `note` is the bank's reference as read from the receipt (required, at most
    // 500 characters) and becomes the payment's transaction id. The application then moves on as
    // for a WeChat payment (paid, awaiting review). not_found "payment.not_found" (not the
    // application's order); conflict "payment.not_offline", "payment.already_paid",
    // "payment.not_open", "payment.no_receipt"; invalid_input at "note".
    [[nodiscard]] core::Result<Payment> confirm_transfer(const Actor& actor, const std::string& id,
                                                         const std::string& order_no, const std::string& note);

    // The certificate named by a non-new application: exists, valid, and the organization's own.
    [[nodiscard]] core::Result<pki::CertificateRecord> concerned_certificate(const Application& a);

  private:
    [[nodiscard]] core::Result<Application> load(const Actor& actor, const std::string& id);
    [[nodiscard]] core::Result<DeskRecord> desk_of(const std::string& id);
    // Moves the application (checked against the state machine) and writes the desk row.
    [[nodiscard]] core::Result<void> move(const Actor& actor, Application& a, State to, const DeskRecord& d,
                                          std::string event, std::string message,
                                          std::vector<OutboxMessage> messages = {},
                                          std::vector<Material> materials = {});
    [[nodiscard]] core::Result<void> note(const Actor& actor, const Application& a, const DeskRecord& d,
                                          std::string event, std::string message,
                                          std::vector<Material> materials = {});
    [[nodiscard]] core::Result<void> revoke_old(const Actor& actor, const Application& a, DeskRecord& d,
                                                pki::RevocationReason reason);
    void send_pin(const Application& a, const core::SecureString& pin, const std::string& token_serial);

    DeskDeps m;
    std::mutex m_busy_mutex;
    std::set<std::string> m_busy;  // applications being fulfilled: one issuer at a time
};

}  // namespace eseal::ra
