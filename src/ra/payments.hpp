#pragma once
// Payment (guide §3 online step 5, §7 FAQ 1; DESIGN §5): WeChat Pay and Alipay orders shown as a
// QR code, confirmed by the provider's signed asynchronous notification; corporate bank transfer
// by an uploaded receipt that staff confirm; refunds when a paid application is cancelled.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/actor.hpp"
#include "ra/application.hpp"
#include "ra/notifier.hpp"
#include "ra/ports.hpp"

namespace eseal::ra {

class ApplicationService;

struct NotificationOutcome {
    bool accepted = false;
    std::string acknowledgement;  // the body the provider expects back
};

class PaymentService {
  public:
    PaymentService(PaymentRepository& payments, ApplicationRepository& applications, Notifier& notifier,
                   const core::Clock& clock)
        : m_payments(payments), m_applications(applications), m_notifier(notifier), m_clock(clock) {}

    void add_provider(PaymentProvider& provider) { m_providers[provider.method()] = &provider; }
    // Set once the application service exists (they refer to each other).
    void set_applications(ApplicationService& service) { m_service = &service; }
    // Called after a payment is recorded as paid (the e-invoice; issue 7). Its failure is logged
    // and does not undo the payment.
    void set_on_paid(std::function<void(const Payment&)> fn) { m_on_paid = std::move(fn); }

    // An order for an application awaiting payment. For WeChat / Alipay the payment carries the
    // QR content; an open order of the same method is returned again rather than duplicated.
    [[nodiscard]] core::Result<Payment> start(const Actor& actor, const std::string& application_id,
                                              PaymentMethod method);
    // A provider's notification: authenticated, matched to our order and amount, applied once.
    // Anything forged, unknown or altered is refused, logged, and changes nothing.
    [[nodiscard]] NotificationOutcome notify(PaymentMethod method, const HeaderMap& headers, const std::string& body);
    // Staff confirm a bank transfer or take payment at the counter.
    [[nodiscard]] core::Result<Payment> confirm_offline(const Actor& staff, const std::string& order_no,
                                                        const std::string& reference);
    [[nodiscard]] core::Result<std::vector<Payment>> payments_of(const Actor& actor, const std::string& application_id);
    [[nodiscard]] core::Result<Payment> find(const Actor& actor, const std::string& order_no);

    // What the application has been paid and not refunded.
    [[nodiscard]] core::Result<std::int64_t> paid_amount(const std::string& application_id);
    // Refunds every paid payment of the application (it was cancelled).
    [[nodiscard]] core::Result<void> refund_all(const Actor& actor, const Application& a);

  private:
    [[nodiscard]] core::Result<void> mark_paid(const Actor& actor, Payment& p, const std::string& transaction_id);

    PaymentRepository& m_payments;
    ApplicationRepository& m_applications;
    Notifier& m_notifier;
    const core::Clock& m_clock;
    ApplicationService* m_service = nullptr;
    std::map<PaymentMethod, PaymentProvider*> m_providers;
    std::function<void(const Payment&)> m_on_paid;
};

}  // namespace eseal::ra
