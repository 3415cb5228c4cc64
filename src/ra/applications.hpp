#pragma once
// The applicant's side of an application (guide §3 online, §4 materials, §5 fees; DESIGN §5):
// create and edit a draft, upload materials, submit, cancel, read the timeline. Every change is
// one transaction with its timeline lines, notifications and audit event. Applications belong to
// their account: anyone else (but staff) is told it does not exist.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/actor.hpp"
#include "ra/agreements.hpp"
#include "ra/application.hpp"
#include "ra/catalogue.hpp"
#include "ra/notifier.hpp"
#include "ra/ports.hpp"

namespace eseal::ra {

class PaymentService;

// A finished upload, streamed to a file in the blob store's temporary directory.
struct Upload {
    std::filesystem::path file;
    std::int64_t size = 0;
    std::string sha256_hex;
    std::string file_name;  // as sent
};

// What each required material looks like now, for the applicant's checklist.
struct MaterialStatus {
    MaterialRule rule;
    std::optional<Material> uploaded;
};

using FormRenderer = std::function<core::Result<core::Bytes>(const Application&)>;

struct ApplicationServiceDeps {
    ApplicationRepository& applications;
    AccountRepository& accounts;
    IdentityRepository& identity;
    BlobStore& blobs;
    PaymentService& payments;
    Notifier& notifier;
    const Catalogue& catalogue;
    const Agreements& agreements;
    std::vector<std::string> service_points;
    const core::Clock& clock;
    FormRenderer render_form;
};

class ApplicationService {
  public:
    explicit ApplicationService(ApplicationServiceDeps deps) : m(std::move(deps)) {}

    // A new draft; the form is checked as a whole (every problem at once, by field).
    [[nodiscard]] core::Result<Application> create(const Actor& actor, Business business, CertType type,
                                                   Channel channel, const ApplicationForm& form);
    // Replaces the form of a draft (or a returned application); `version` is the one the caller
    // read (conflict if it changed since).
    [[nodiscard]] core::Result<Application> update_form(const Actor& actor, const std::string& id,
                                                        std::int64_t version, const ApplicationForm& form);
    [[nodiscard]] core::Result<Application> get(const Actor& actor, const std::string& id);
    [[nodiscard]] core::Result<std::vector<Application>> list(const Actor& actor, std::optional<State> state);
    [[nodiscard]] core::Result<std::vector<TimelineEntry>> timeline(const Actor& actor, const std::string& id);

    // Records consent to the current agreement and privacy policy versions; a version that is
    // not current is refused (the text changed since the page was shown).
    [[nodiscard]] core::Result<void> consent(const Actor& actor, const std::string& agreement_version,
                                             const std::string& privacy_version);
    [[nodiscard]] core::Result<std::vector<Consent>> consents(const Actor& actor) {
        return m.accounts.consents_of(actor.account_id);
    }

    [[nodiscard]] core::Result<std::vector<MaterialStatus>> materials(const Actor& actor, const std::string& id);
    // Adopts the upload into the blob store as the material of that kind (replacing one), after
    // checking its type by content. The upload file is consumed or removed either way.
    [[nodiscard]] core::Result<Material> attach(const Actor& actor, const std::string& id, MaterialKind kind,
                                                const Upload& upload);
    [[nodiscard]] core::Result<void> detach(const Actor& actor, const std::string& id, MaterialKind kind);
    // The material's file (to stream back) and its record.
    [[nodiscard]] core::Result<std::pair<Material, std::filesystem::path>> material_file(
        const Actor& actor, const std::string& id, MaterialKind kind);

    // The application form PDF generated from the data entered (guide §4).
    [[nodiscard]] core::Result<core::Bytes> form_pdf(const Actor& actor, const std::string& id);

    // Everything missing is reported at once: form problems, consent, materials, identity check.
    [[nodiscard]] core::Result<Application> submit(const Actor& actor, const std::string& id);
    // Before issue; a paid application is refunded (PaymentService).
    [[nodiscard]] core::Result<Application> cancel(const Actor& actor, const std::string& id,
                                                   const std::string& reason);

    [[nodiscard]] Quote quote(const Application& a) const;
    [[nodiscard]] const Catalogue& catalogue() const { return m.catalogue; }

    // For the other services: the application if this actor may see it, else not_found.
    [[nodiscard]] core::Result<Application> visible(const Actor& actor, const std::string& id);
    // Moves an application to `to` (checked against the state machine) with one timeline line,
    // messages and the audit event, then flushes the outbox. The application is updated in place.
    [[nodiscard]] core::Result<void> transition(const Actor& actor, Application& a, State to, std::string event,
                                                std::string message, std::vector<OutboxMessage> messages = {});

  private:
    [[nodiscard]] std::vector<core::Problem> missing_for_submit(const Actor& actor, const Application& a);
    [[nodiscard]] ApplicationChange change(const Actor& actor, const Application& a, std::string event,
                                           std::string message, std::string from = {}, std::string to = {});
    void flush();

    ApplicationServiceDeps m;
};

// A new application id: "A" + the date (China time) + 8 random digits.
[[nodiscard]] std::string new_application_id(core::TimePoint now);
// Amounts for people: 20000 → "200.00".
[[nodiscard]] std::string yuan(std::int64_t fen);

}  // namespace eseal::ra
