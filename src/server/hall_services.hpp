#pragma once
// The online hall put together (the composition of DESIGN §5's business with its providers):
// the services of ra on the store, the outside services' sandboxes (WeChat Pay, Alipay, face
// check, SMS, e-mail) answering in-process, and the delivery of their callbacks over HTTP to our
// own callback URLs, as the real services would. `serve` builds one; the API tests too.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/desk_ports.hpp"
#include "ra/invoices.hpp"
#include "pki/authority.hpp"
#include "token/ukey_service.hpp"
#include "server/http_client.hpp"
#include "server/router.hpp"
#include "store/sqlite_store.hpp"

namespace eseal::ra::providers {
class SandboxSmsProvider;
class SandboxEmailProvider;
class WechatPaySandbox;
class AlipaySandbox;
class SandboxFaceService;
}  // namespace eseal::ra::providers
namespace eseal::ra {
class SealService;
}

namespace eseal::server {

struct HallSettings {
    // Where this server is reached: the providers' callbacks and the sandbox pages use it.
    std::string public_url = "http://127.0.0.1:8080";
    std::filesystem::path blob_dir;                    // uploaded materials
    std::optional<std::filesystem::path> sandbox_dir;  // sandbox SMS / e-mail as JSON lines
    std::uint64_t upload_limit = 10 * 1024 * 1024;
    // /api/v1/dev/messages (the sandbox SMS and e-mail) and the /sandbox/ pages (face check,
    // paying an order): development only.
    bool dev_endpoints = false;
    bool secure_cookies = false;
    std::filesystem::path catalogue_file;       // empty: the guide's
    std::filesystem::path service_points_file;  // empty: the guide's nine
    std::filesystem::path calendar_file;        // empty: the built-in 2025-2027 calendar
    DeliveryOptions delivery;
    // ---- CA side (issue 7) ----
    // The CA and Ukey drivers that issuance uses; nullopt: the staff API reviews, ships and
    // revokes but refuses to issue or unlock (501 issuance.unavailable).
    std::optional<ra::IssuanceTools> issuance;
    // Seller, tax rate and link base of the e-invoices (public_url: this server's when empty).
    ra::InvoiceSettings invoice;
    // ---- end CA side ----
};

// ---- CA side (issue 7) ----
// IssuanceTools over a home's CAs and Ukey drivers, for `eseal serve`: the issuing CA whose key
// is of the requested suite (opened once, by name, through open_ca), and each driver opened once
// through open_driver. Thread-safe.
using CaOpener = std::function<core::Result<pki::CertificateAuthority>(std::string_view name)>;
using DriverOpener = std::function<core::Result<std::unique_ptr<token::UkeyService>>(const std::string& driver)>;
[[nodiscard]] ra::IssuanceTools issuance_tools(pki::CertificateRepository& cas, CaOpener open_ca, DriverOpener open_driver);
// ---- end CA side ----

class HallServices {
  public:
    [[nodiscard]] static core::Result<std::unique_ptr<HallServices>> open(store::SqliteStore& store,
                                                                          const core::Clock& clock,
                                                                          HallSettings settings);
    ~HallServices();
    HallServices(const HallServices&) = delete;
    HallServices& operator=(const HallServices&) = delete;

    // /api/v1 (hall + OpenAPI) and, with dev_endpoints, /api/v1/dev and /sandbox.
    void add_routes(Router& router);

    // For tests and the demo: the sandboxes, and the callbacks on their way.
    [[nodiscard]] SandboxDelivery& delivery();
    [[nodiscard]] ra::providers::SandboxSmsProvider& sms();
    [[nodiscard]] ra::providers::SandboxEmailProvider& email();
    [[nodiscard]] ra::BlobStore& blobs();  // CA side (issue 7): the stored PDFs, for tests
    [[nodiscard]] ra::providers::WechatPaySandbox& wechat_sandbox();
    [[nodiscard]] ra::providers::AlipaySandbox& alipay_sandbox();
    [[nodiscard]] ra::providers::SandboxFaceService& face_sandbox();
    // Seal management (issue 8): the caller gives it the platform's seal maker (set_maker).
    [[nodiscard]] ra::SealService& seals();

    struct Parts;

  private:
    explicit HallServices(std::unique_ptr<Parts> parts);
    std::unique_ptr<Parts> m;
};

}  // namespace eseal::server
