#pragma once
// Development only (HallSettings::dev_endpoints): what a developer or a test does in place of a
// phone — read the sandbox SMS and e-mail (/api/v1/dev/messages), pass or fail a face check
// (/sandbox/face/<ref>), pay or fail an order as if the QR code had been scanned
// (/sandbox/pay/<method>/<order>). The sandboxes then call our callbacks over HTTP, signed, as
// the real services would.
#include "ra/providers/alipay_sandbox.hpp"
#include "ra/providers/sandbox_email_provider.hpp"
#include "ra/providers/sandbox_face_service.hpp"
#include "ra/providers/sandbox_sms_provider.hpp"
#include "ra/providers/wechat_pay_sandbox.hpp"
#include "server/http_client.hpp"
#include "server/router.hpp"

namespace eseal::server {

struct SandboxContext {
    ra::providers::SandboxSmsProvider& sms;
    ra::providers::SandboxEmailProvider& email;
    ra::providers::WechatPaySandbox& wechat;
    ra::providers::AlipaySandbox& alipay;
    ra::providers::SandboxFaceService& face;
    SandboxDelivery& delivery;
};

void add_sandbox_routes(Router& router, SandboxContext context);

}  // namespace eseal::server
