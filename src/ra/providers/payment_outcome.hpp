#pragma once
// What a payment sandbox is told happened when the applicant "scans" the code.

namespace eseal::ra::providers {

enum class PaymentOutcome { success, failure };

}  // namespace eseal::ra::providers
