#pragma once
// What the business needs from storage and from outside services (STYLE, after step-ca: the
// consumer declares the interface). store/ implements the repositories; providers/ holds the
// sandbox providers that speak the real services' shapes.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/application.hpp"

namespace eseal::ra {

// ---- accounts, login codes, sessions, consent ----------------------------------------------

struct Account {
    std::int64_t id = 0;
    std::string phone;
    core::TimePoint created_at{};
};

struct LoginCode {
    std::int64_t id = 0;
    std::string phone;
    std::string code_hash;  // SHA-256 of salt || code, hex; the code itself is never stored
    std::string salt;       // hex
    std::string client;     // client address that asked for it
    core::TimePoint created_at{};
    core::TimePoint expires_at{};
    int attempts = 0;
    bool used = false;
};

struct Session {
    std::string token_hash;  // SHA-256 of the cookie value, hex
    std::int64_t account_id = 0;
    std::string csrf_token;  // sent to the client; echoed in X-CSRF-Token on writes
    std::string client;
    core::TimePoint created_at{};
    core::TimePoint expires_at{};
};

struct Consent {
    std::int64_t account_id = 0;
    std::string document;  // "agreement" | "privacy"
    std::string version;
    std::string client;
    core::TimePoint at{};
};

class AccountRepository {
  public:
    virtual ~AccountRepository() = default;
    // The account of this phone, created on first login.
    [[nodiscard]] virtual core::Result<Account> account_for_phone(const std::string& phone,
                                                                  core::TimePoint now,
                                                                  const core::AuditEvent& event) = 0;
    [[nodiscard]] virtual core::Result<std::optional<Account>> find_account(std::int64_t id) = 0;

    [[nodiscard]] virtual core::Result<void> add_login_code(const LoginCode& code) = 0;
    // The newest unused code for the phone.
    [[nodiscard]] virtual core::Result<std::optional<LoginCode>> latest_login_code(
        const std::string& phone) = 0;
    // Counts one more attempt, and marks the code used when `used`.
    [[nodiscard]] virtual core::Result<void> update_login_code(std::int64_t id, int attempts,
                                                               bool used) = 0;
    // Codes asked for since `since` by this phone / from this client address (rate limits).
    [[nodiscard]] virtual core::Result<int> login_codes_since(const std::string& phone,
                                                              const std::string& client,
                                                              core::TimePoint since,
                                                              int& by_client) = 0;

    [[nodiscard]] virtual core::Result<void> add_session(const Session& s) = 0;
    [[nodiscard]] virtual core::Result<std::optional<Session>> find_session(
        const std::string& token_hash) = 0;
    [[nodiscard]] virtual core::Result<void> delete_session(const std::string& token_hash) = 0;

    [[nodiscard]] virtual core::Result<void> add_consents(const std::vector<Consent>& consents,
                                                          const core::AuditEvent& event) = 0;
    [[nodiscard]] virtual core::Result<std::vector<Consent>> consents_of(std::int64_t account_id) = 0;
};

// ---- outgoing messages (SMS, e-mail): an outbox written with the change it reports -----------

enum class MessageChannel { sms, email };

struct OutboxMessage {
    std::int64_t id = 0;
    MessageChannel channel = MessageChannel::sms;
    std::string recipient;  // phone or e-mail address
    std::string subject;    // e-mail only
    std::string body;
    std::string attachment_name;  // e-mail only: a file from the blob store
    std::string attachment_blob;  // its blob id (SHA-256 hex)
    core::TimePoint created_at{};
    std::optional<core::TimePoint> sent_at;
    std::string provider_ref;  // the provider's message id once sent
    int attempts = 0;
    std::string last_error;
};

// ---- applications, timeline, materials -----------------------------------------------------

struct ApplicationQuery {
    std::optional<std::int64_t> account_id;
    std::optional<State> state;
    std::size_t limit = 100;
};

// A change to an application: the new row (its `version` is the one read; the store bumps it and
// refuses with conflict if someone else changed it since), a timeline line, messages to send and
// the audit event, all in one transaction.
struct ApplicationChange {
    std::vector<TimelineEntry> timeline;
    std::vector<OutboxMessage> messages;
    core::AuditEvent event;
};

enum class MaterialKind {
    application_form,   // the generated form, printed, stamped, scanned
    business_licence,
    handler_id_front,
    handler_id_back,
    holder_id,          // organization-individual only
    payment_receipt,    // bank transfer
};
[[nodiscard]] std::string_view to_string(MaterialKind k) noexcept;
[[nodiscard]] std::optional<MaterialKind> parse_material_kind(std::string_view s) noexcept;

struct Material {
    std::string application_id;
    MaterialKind kind = MaterialKind::business_licence;
    std::string blob;          // SHA-256 hex of the content: the blob store's key
    std::string content_type;  // sniffed: image/jpeg, image/png, application/pdf
    std::int64_t size = 0;
    std::string file_name;     // as sent, for display only
    core::TimePoint uploaded_at{};
    std::string verdict;       // staff: "" (not reviewed), "accepted", "rejected"
    std::string verdict_reason;
};

class ApplicationRepository {
  public:
    virtual ~ApplicationRepository() = default;
    [[nodiscard]] virtual core::Result<void> add_application(const Application& a,
                                                             const ApplicationChange& change) = 0;
    // conflict if the stored version differs from a.version; on success the stored version is
    // a.version + 1.
    [[nodiscard]] virtual core::Result<void> update_application(const Application& a,
                                                                const ApplicationChange& change) = 0;
    [[nodiscard]] virtual core::Result<std::optional<Application>> find_application(
        const std::string& id) = 0;
    [[nodiscard]] virtual core::Result<std::vector<Application>> find_applications(
        const ApplicationQuery& q) = 0;
    [[nodiscard]] virtual core::Result<std::vector<TimelineEntry>> timeline(
        const std::string& application_id) = 0;

    // Replaces the material of that kind (one per kind), with its timeline line and audit event.
    [[nodiscard]] virtual core::Result<void> put_material(const Material& m,
                                                          const ApplicationChange& change) = 0;
    [[nodiscard]] virtual core::Result<void> delete_material(const std::string& application_id,
                                                             MaterialKind kind,
                                                             const ApplicationChange& change) = 0;
    [[nodiscard]] virtual core::Result<std::vector<Material>> materials(
        const std::string& application_id) = 0;

    [[nodiscard]] virtual core::Result<std::vector<OutboxMessage>> unsent_messages(
        std::size_t limit) = 0;
    [[nodiscard]] virtual core::Result<void> mark_message(const OutboxMessage& m) = 0;
};

// Content-addressed files on disk (materials, generated PDFs): the key is the SHA-256 hex.
class BlobStore {
  public:
    virtual ~BlobStore() = default;
    // A fresh path in the store's own directory to stream an upload into (same file system, so
    // adopt() is a rename).
    [[nodiscard]] virtual core::Result<std::filesystem::path> temp_path() = 0;
    // Moves a finished file in under its SHA-256; an identical blob is kept once.
    [[nodiscard]] virtual core::Result<void> adopt(const std::filesystem::path& file,
                                                   const std::string& sha256_hex) = 0;
    [[nodiscard]] virtual core::Result<std::string> put(core::ByteView content) = 0;  // → id
    [[nodiscard]] virtual core::Result<std::filesystem::path> path_of(const std::string& id) = 0;
    [[nodiscard]] virtual core::Result<core::Bytes> read(const std::string& id) = 0;
};

// ---- identity (face) checks ------------------------------------------------------------------

enum class CheckStatus { pending, passed, failed };
[[nodiscard]] std::string_view to_string(CheckStatus s) noexcept;
[[nodiscard]] std::optional<CheckStatus> parse_check_status(std::string_view s) noexcept;

struct IdentityCheck {
    std::string id;               // ours
    std::string application_id;   // or "" for a seal binding
    std::string purpose;          // "application" | "ukey-binding"
    std::string name;
    std::string id_number;
    std::string provider;         // "sandbox-face"
    std::string provider_ref;     // the provider's session id
    std::string url;              // where the person goes (shown as a QR code)
    CheckStatus status = CheckStatus::pending;
    std::string detail;           // provider's reason, score
    core::TimePoint created_at{};
    std::optional<core::TimePoint> finished_at;
};

class IdentityRepository {
  public:
    virtual ~IdentityRepository() = default;
    [[nodiscard]] virtual core::Result<void> add_check(const IdentityCheck& c,
                                                       const ApplicationChange& change) = 0;
    // Records the result once: a repeated callback for a finished check changes nothing.
    [[nodiscard]] virtual core::Result<bool> finish_check(const IdentityCheck& c,
                                                          const ApplicationChange& change) = 0;
    [[nodiscard]] virtual core::Result<std::optional<IdentityCheck>> find_check(
        const std::string& id) = 0;
    [[nodiscard]] virtual core::Result<std::optional<IdentityCheck>> find_check_by_ref(
        const std::string& provider, const std::string& provider_ref) = 0;
    [[nodiscard]] virtual core::Result<std::vector<IdentityCheck>> checks_of(
        const std::string& application_id) = 0;
};

// ---- payments --------------------------------------------------------------------------------

enum class PaymentMethod { wechat, alipay, bank_transfer, counter };
enum class PaymentStatus { created, paid, refunding, refunded, closed, rejected };
[[nodiscard]] std::string_view to_string(PaymentMethod m) noexcept;
[[nodiscard]] std::string_view to_string(PaymentStatus s) noexcept;
[[nodiscard]] std::optional<PaymentMethod> parse_payment_method(std::string_view s) noexcept;
[[nodiscard]] std::optional<PaymentStatus> parse_payment_status(std::string_view s) noexcept;

struct Payment {
    std::string order_no;        // ours (out_trade_no): unique
    std::string application_id;
    PaymentMethod method = PaymentMethod::wechat;
    std::int64_t amount_fen = 0;
    PaymentStatus status = PaymentStatus::created;
    std::string qr_content;      // code_url / qr_code the applicant scans
    std::string transaction_id;  // the provider's, once paid
    std::string receipt_blob;    // bank transfer: the uploaded receipt
    std::string refund_no;
    core::TimePoint created_at{};
    std::optional<core::TimePoint> paid_at;
    std::optional<core::TimePoint> refunded_at;
};

class PaymentRepository {
  public:
    virtual ~PaymentRepository() = default;
    [[nodiscard]] virtual core::Result<void> add_payment(const Payment& p,
                                                         const ApplicationChange& change) = 0;
    // Writes the payment's status fields and, when given, the application's new row, in one
    // transaction (paid → application paid; refunded → cancelled stays cancelled).
    [[nodiscard]] virtual core::Result<void> update_payment(const Payment& p,
                                                            const std::optional<Application>& a,
                                                            const ApplicationChange& change) = 0;
    [[nodiscard]] virtual core::Result<std::optional<Payment>> find_payment(
        const std::string& order_no) = 0;
    [[nodiscard]] virtual core::Result<std::vector<Payment>> payments_of(
        const std::string& application_id) = 0;
};

// ---- providers: outside services behind interfaces (DESIGN §5) -------------------------------

struct SentMessage {
    std::string provider_ref;
};

class MessageProvider {
  public:
    virtual ~MessageProvider() = default;
    [[nodiscard]] virtual std::string name() const = 0;
    // Sends one message; an error leaves it in the outbox for a retry.
    [[nodiscard]] virtual core::Result<SentMessage> send(const OutboxMessage& m) = 0;
};

// Header names in lowercase.
using HeaderMap = std::map<std::string, std::string, std::less<>>;

struct IdentitySession {
    std::string provider_ref;
    std::string url;
};

struct IdentityResult {
    std::string provider_ref;
    CheckStatus status = CheckStatus::failed;
    std::string detail;
};

class IdentityProvider {
  public:
    virtual ~IdentityProvider() = default;
    [[nodiscard]] virtual std::string name() const = 0;
    [[nodiscard]] virtual core::Result<IdentitySession> start(const IdentityCheck& check) = 0;
    // Authenticates and reads a result callback; invalid_input / crypto for a forged one.
    [[nodiscard]] virtual core::Result<IdentityResult> parse_callback(const HeaderMap& headers,
                                                                      const std::string& body) = 0;
};

struct PaymentOrder {
    std::string qr_content;  // what the QR code encodes
    std::string provider_ref;
};

struct PaymentNotice {
    std::string order_no;
    std::string transaction_id;
    std::int64_t amount_fen = 0;
    bool success = false;
    std::string notify_id;  // the provider's id of this notification
};

class PaymentProvider {
  public:
    virtual ~PaymentProvider() = default;
    [[nodiscard]] virtual PaymentMethod method() const = 0;
    [[nodiscard]] virtual core::Result<PaymentOrder> create_order(const Payment& p,
                                                                  const std::string& description) = 0;
    // Authenticates and reads an asynchronous notification; invalid_input / crypto if forged.
    [[nodiscard]] virtual core::Result<PaymentNotice> parse_notification(
        const HeaderMap& headers, const std::string& body) = 0;
    // What the provider expects as the HTTP body of our answer to a notification.
    [[nodiscard]] virtual std::string acknowledge(bool ok) const = 0;
    [[nodiscard]] virtual core::Result<void> refund(const Payment& p, const std::string& refund_no) = 0;
};

}  // namespace eseal::ra
