#pragma once
// The online hall put together (the composition of DESIGN §5's business with its providers):
// the services of ra on the store, the outside services' sandboxes (WeChat Pay, Alipay, face
// check, SMS, e-mail) answering in-process, and the delivery of their callbacks over HTTP to our
// own callback URLs, as the real services would. `serve` builds one; the API tests too.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
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
};

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
    [[nodiscard]] ra::providers::WechatPaySandbox& wechat_sandbox();
    [[nodiscard]] ra::providers::AlipaySandbox& alipay_sandbox();
    [[nodiscard]] ra::providers::SandboxFaceService& face_sandbox();

    struct Parts;

  private:
    explicit HallServices(std::unique_ptr<Parts> parts);
    std::unique_ptr<Parts> m;
};

}  // namespace eseal::server
