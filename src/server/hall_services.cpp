#include "server/hall_services.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <mutex>

#include "core/bytes.hpp"
#include "core/working_days.hpp"
#include "crypto/digest.hpp"
#include "crypto/soft_key.hpp"
#include "ra/agreements.hpp"
#include "ra/applications.hpp"
#include "ra/catalogue.hpp"
#include "ra/desk.hpp"  // CA side (issue 7)
#include "ra/invoices.hpp"  // CA side (issue 7)
#include "ra/identity.hpp"
#include "ra/login.hpp"
#include "ra/notifier.hpp"
#include "ra/payments.hpp"
#include "ra/providers/alipay_provider.hpp"
#include "ra/providers/alipay_sandbox.hpp"
#include "ra/providers/sandbox_email_provider.hpp"
#include "ra/providers/sandbox_face_provider.hpp"
#include "ra/providers/sandbox_face_service.hpp"
#include "ra/providers/sandbox_sms_provider.hpp"
#include "ra/providers/wechat_pay_provider.hpp"
#include "ra/providers/wechat_pay_sandbox.hpp"
#include "ra/render/application_form.hpp"
#include "ra/render/qr.hpp"
#include "ra/service_points.hpp"
#include "ra/staff.hpp"
#include "server/hall_routes.hpp"
#include "server/openapi.hpp"
#include "server/sandbox_routes.hpp"
#include "server/staff_routes.hpp"  // CA side (issue 7)
#include "server/seal_routes.hpp"
#include "server/verify_routes.hpp"  // public verification (issue 9)
#include "store/blob_store.hpp"

namespace eseal::server {

namespace rp = ra::providers;

// Declared in the order they are built; destroyed in reverse, so nothing outlives what it uses.
struct HallServices::Parts {
    store::SqliteStore& store;
    const core::Clock& clock;
    HallSettings settings;
    std::unique_ptr<store::FileBlobStore> blobs;
    ra::Catalogue catalogue;
    ra::Agreements agreements = ra::Agreements::standard();
    std::vector<ra::ServicePoint> points;
    const core::WorkingCalendar* calendar = nullptr;
    std::optional<core::WorkingCalendar> own_calendar;

    // The outside services (sandboxes) and our providers for them.
    std::unique_ptr<rp::SandboxSmsProvider> sms;
    std::unique_ptr<rp::SandboxEmailProvider> email;
    std::optional<crypto::SoftKey> wechat_merchant_key;
    std::unique_ptr<rp::WechatPaySandbox> wechat_sandbox;
    std::unique_ptr<rp::WechatPayProvider> wechat;
    std::optional<crypto::SoftKey> alipay_app_key;
    std::unique_ptr<rp::AlipaySandbox> alipay_sandbox;
    std::unique_ptr<rp::AlipayProvider> alipay;
    std::unique_ptr<rp::SandboxFaceService> face_sandbox;
    std::unique_ptr<rp::SandboxFaceProvider> face;

    std::unique_ptr<ra::Notifier> notifier;
    std::unique_ptr<ra::LoginService> login;
    std::unique_ptr<ra::StaffService> staff;
    std::unique_ptr<ra::PaymentService> payments;
    std::unique_ptr<ra::ApplicationService> applications;
    std::unique_ptr<ra::IdentityService> identity;
    std::unique_ptr<HallContext> context;
    // ---- CA side (issue 7) ----
    std::unique_ptr<ra::CaDesk> desk;
    std::unique_ptr<ra::InvoiceService> invoices;
    std::unique_ptr<ra::AuditTrail> audit;                 // staff console (issue 9)
    std::unique_ptr<ra::CertificateDesk> certificate_desk;  // staff console (issue 9)
    std::unique_ptr<StaffContext> staff_context;
    // ---- end CA side ----
    // Seal management (issue 8): its own face provider instance, whose callbacks go to the binding URL.
    std::unique_ptr<rp::SandboxFaceProvider> binding_face;
    std::unique_ptr<ra::SealService> seals;
    std::unique_ptr<ra::SealBindingService> binding;
    std::unique_ptr<SealContext> seal_context;
    SandboxDelivery delivery;

    Parts(store::SqliteStore& s, const core::Clock& c, HallSettings hs)
        : store(s), clock(c), settings(std::move(hs)), catalogue(ra::Catalogue::standard()), delivery(settings.delivery) {}
};

namespace {

std::string random_serial() { return core::hex_encode(crypto::random_bytes(20), true); }

core::Result<void> make_payment_sandboxes(HallServices::Parts& p) {
    const std::string& base = p.settings.public_url;
    auto merchant_key = crypto::SoftKey::generate(crypto::KeyAlgorithm::rsa2048);
    if (!merchant_key) return std::unexpected(merchant_key.error());
    p.wechat_merchant_key = std::move(*merchant_key);
    const rp::WechatPayCertificate merchant_cert{random_serial(), p.wechat_merchant_key->public_key()};
    // The APIv3 key: 32 characters the merchant sets (WeChat Pay API v3).
    const std::string api_v3_key = core::hex_encode(crypto::random_bytes(16));
    auto wechat_sandbox = rp::WechatPaySandbox::create({"1900000109", "wx8888888888888888"}, core::SecureString(api_v3_key),
                                                       merchant_cert, p.clock);
    if (!wechat_sandbox) return std::unexpected(wechat_sandbox.error());
    p.wechat_sandbox = std::move(*wechat_sandbox);
    auto wechat_config = p.wechat_sandbox->merchant_config(base + "/api/v1/callbacks/payments/wechat");
    wechat_config.merchant_serial = merchant_cert.serial;
    p.wechat = std::make_unique<rp::WechatPayProvider>(std::move(wechat_config), *p.wechat_merchant_key, *p.wechat_sandbox,
                                                       p.clock);

    auto app_key = crypto::SoftKey::generate(crypto::KeyAlgorithm::rsa2048);
    if (!app_key) return std::unexpected(app_key.error());
    p.alipay_app_key = std::move(*app_key);
    auto alipay_sandbox = rp::AlipaySandbox::create("2021000000000000", p.alipay_app_key->public_key(), p.clock);
    if (!alipay_sandbox) return std::unexpected(alipay_sandbox.error());
    p.alipay_sandbox = std::move(*alipay_sandbox);
    p.alipay = std::make_unique<rp::AlipayProvider>(p.alipay_sandbox->merchant_config(base + "/api/v1/callbacks/payments/alipay"),
                                                    *p.alipay_app_key, *p.alipay_sandbox, p.clock);
    return {};
}

}  // namespace

core::Result<std::unique_ptr<HallServices>> HallServices::open(store::SqliteStore& store, const core::Clock& clock,
                                                               HallSettings settings) {
    auto p = std::make_unique<Parts>(store, clock, std::move(settings));
    const auto& s = p->settings;
    auto blobs = store::FileBlobStore::open(s.blob_dir);
    if (!blobs) return std::unexpected(blobs.error());
    p->blobs = std::move(*blobs);
    if (!s.catalogue_file.empty()) {
        auto c = ra::Catalogue::load(s.catalogue_file);
        if (!c) return std::unexpected(c.error());
        p->catalogue = std::move(*c);
    }
    if (!s.service_points_file.empty()) {
        auto points = ra::load_service_points(s.service_points_file);
        if (!points) return std::unexpected(points.error());
        p->points = std::move(*points);
    } else {
        p->points = ra::default_service_points();
    }
    if (!s.calendar_file.empty()) {
        auto cal = core::WorkingCalendar::load(s.calendar_file.string());
        if (!cal) return std::unexpected(cal.error());
        p->own_calendar = std::move(*cal);
        p->calendar = &*p->own_calendar;
    } else {
        p->calendar = &core::WorkingCalendar::china_default();
    }

    rp::SandboxSmsOptions sms_options;
    sms_options.signature = "【深圳CA】";
    sms_options.mailbox.directory = s.sandbox_dir;
    p->sms = std::make_unique<rp::SandboxSmsProvider>(sms_options, clock);
    rp::SandboxEmailOptions email_options;
    email_options.mailbox.directory = s.sandbox_dir;
    p->email = std::make_unique<rp::SandboxEmailProvider>(email_options, clock);
    if (auto r = make_payment_sandboxes(*p); !r) return std::unexpected(r.error());
    const std::string face_key = core::hex_encode(crypto::random_bytes(16));
    const std::string face_secret = core::hex_encode(crypto::random_bytes(32));
    p->face_sandbox = std::make_unique<rp::SandboxFaceService>(core::SecureString(face_key), core::SecureString(face_secret),
                                                               s.public_url, clock);
    p->face = std::make_unique<rp::SandboxFaceProvider>(p->face_sandbox->client_config(s.public_url + "/api/v1/callbacks/identity"),
                                                        *p->face_sandbox, clock);

    p->notifier = std::make_unique<ra::Notifier>(store, *p->sms, *p->email, clock);
    p->login = std::make_unique<ra::LoginService>(store, *p->sms, clock);
    p->staff = std::make_unique<ra::StaffService>(store, clock);
    p->payments = std::make_unique<ra::PaymentService>(store, store, *p->notifier, clock);
    p->payments->add_provider(*p->wechat);
    p->payments->add_provider(*p->alipay);
    std::vector<std::string> point_ids;
    for (const auto& point : p->points) point_ids.push_back(point.id);
    Parts* parts = p.get();
    p->applications = std::make_unique<ra::ApplicationService>(ra::ApplicationServiceDeps{
        store, store, store, *p->blobs, *p->payments, *p->notifier, p->catalogue, p->agreements, point_ids, clock,
        [parts](const ra::Application& a) {
            ra::FormContext context;
            context.ca_name = "深圳市电子商务安全证书管理有限公司";
            context.product_name = "深圳市统一电子印章管理平台（Ukey）";
            context.generated_at = parts->clock.now();
            if (const auto* agreement = parts->agreements.find("agreement")) context.agreement_version = agreement->version;
            for (const auto& point : parts->points)
                if (point.id == a.form.service_point) context.service_point = point.name + "（" + point.address + "）";
            return ra::render_application_form(a, context);
        }});
    p->payments->set_applications(*p->applications);
    p->identity = std::make_unique<ra::IdentityService>(store, *p->face, *p->applications, clock);
    p->context = std::make_unique<HallContext>(HallContext{
        *p->login, *p->staff, *p->applications, *p->payments, *p->identity, p->agreements, *p->blobs, clock,
        [parts](std::optional<core::TimePoint> at) {
            const auto t = at.value_or(parts->clock.now());
            nlohmann::json list = nlohmann::json::array();
            for (const auto& point : parts->points) list.push_back(ra::to_json(point, t, *parts->calendar));
            return nlohmann::json{{"at", ra::format_china_time(t)}, {"service_points", list}};
        },
        [](std::string_view text) { return ra::render_qr_png(text); }, s.upload_limit, s.secure_cookies});
    // Seal management (issue 8): seals, Ukey binding (face callbacks to their own URL).
    p->binding_face = std::make_unique<rp::SandboxFaceProvider>(
        p->face_sandbox->client_config(s.public_url + "/api/v1/callbacks/seal-binding"), *p->face_sandbox, clock);
    p->seals = std::make_unique<ra::SealService>(store, store, store, clock);
    p->binding = std::make_unique<ra::SealBindingService>(*p->seals, store, store, store, *p->binding_face, s.public_url, clock);
    p->seal_context = std::make_unique<SealContext>(SealContext{*p->login, *p->staff, *p->seals, *p->binding, clock});
    // Signed documents for the usage log stream into the blob store's tmp/ (same disk, 0600) and
    // keep the 100 MB cap.
    p->seal_context->temp_file = [b = p->blobs.get()] { return b->temp_path(); };
    // ---- CA side (issue 7): review, fulfilment, shipping ----
    ra::DeskDeps desk_deps{store, store, store, store, store, *p->applications, *p->notifier, *p->calendar, clock, s.issuance};
    desk_deps.payments = p->payments.get();
    p->desk = std::make_unique<ra::CaDesk>(std::move(desk_deps));
    ra::InvoiceSettings invoice_settings = s.invoice;
    if (invoice_settings.public_url.empty()) invoice_settings.public_url = s.public_url;
    p->invoices = std::make_unique<ra::InvoiceService>(
        ra::InvoiceDeps{store, store, *p->blobs, *p->applications, *p->notifier, clock, invoice_settings});
    p->payments->set_on_paid([parts](const ra::Payment& paid) {
        if (auto inv = parts->invoices->issue_for(paid); !inv)
            spdlog::error("payment {}: no invoice: {}", paid.order_no, inv.error().describe());
    });
    p->audit = std::make_unique<ra::AuditTrail>(store, clock);
    p->certificate_desk = std::make_unique<ra::CertificateDesk>(ra::CertificateDeskDeps{store, store, store, clock});
    p->staff_context = std::make_unique<StaffContext>(
        StaffContext{*p->context, *p->desk, store, *p->invoices, *p->audit, *p->certificate_desk});
    // ---- end CA side ----
    spdlog::info("online hall ready: callbacks to {}, uploads up to {} bytes, sandboxes for payment, face check, SMS and e-mail",
                 s.public_url, s.upload_limit);
    return std::unique_ptr<HallServices>(new HallServices(std::move(p)));
}

// ---- CA side (issue 7) ----
ra::IssuanceTools issuance_tools(pki::CertificateRepository& cas, CaOpener open_ca, DriverOpener open_driver) {
    struct Cache {
        std::mutex mutex;
        std::map<crypto::Suite, std::unique_ptr<pki::CertificateAuthority>> cas;
        std::map<std::string, std::unique_ptr<token::UkeyService>> drivers;
    };
    auto cache = std::make_shared<Cache>();
    ra::IssuanceTools tools;
    tools.ca = [cache, &cas, open_ca = std::move(open_ca)](crypto::KeyAlgorithm a) -> core::Result<const pki::CertificateAuthority*> {
        const std::lock_guard lock(cache->mutex);
        const auto suite = crypto::suite_of(a);
        if (auto it = cache->cas.find(suite); it != cache->cas.end()) return it->second.get();
        auto all = cas.list_cas();
        if (!all) return std::unexpected(all.error());
        for (const auto& record : *all) {
            if (record.parent.empty() || crypto::suite_of(record.algorithm) != suite) continue;
            auto opened = open_ca(record.name);
            if (!opened) return std::unexpected(opened.error());
            auto& slot = cache->cas[suite];
            slot = std::make_unique<pki::CertificateAuthority>(std::move(*opened));
            return slot.get();
        }
        return core::fail(core::Errc::not_found, "issuance.no_ca",
                          "no issuing CA for " + std::string(crypto::to_string(a)) + " keys: run `eseal ca init --algo …`");
    };
    tools.ukeys = [cache, open_driver = std::move(open_driver)](std::string_view driver) -> core::Result<token::UkeyService*> {
        const std::lock_guard lock(cache->mutex);
        const std::string name(driver);
        if (auto it = cache->drivers.find(name); it != cache->drivers.end()) return it->second.get();
        auto opened = open_driver(name);
        if (!opened) return std::unexpected(opened.error());
        auto& slot = cache->drivers[name];
        slot = std::move(*opened);
        return slot.get();
    };
    return tools;
}
// ---- end CA side ----

HallServices::HallServices(std::unique_ptr<Parts> parts) : m(std::move(parts)) {}
HallServices::~HallServices() = default;

void HallServices::add_routes(Router& router) {
    add_hall_routes(router, *m->context);
    add_staff_desk_routes(router, *m->staff_context);  // CA side (issue 7)
    add_invoice_routes(router, *m->staff_context);     // CA side (issue 7)
    add_openapi_route(router);
    add_seal_routes(router, *m->seal_context);
    // Public verification (issue 9): the platform's CAs are the trust anchors.
    add_verify_routes(router, VerifyContext{m->store, m->clock, m->settings.upload_limit, [b = m->blobs.get()] { return b->temp_path(); }});
    if (m->settings.dev_endpoints)
        add_sandbox_routes(router, SandboxContext{*m->sms, *m->email, *m->wechat_sandbox, *m->alipay_sandbox, *m->face_sandbox,
                                                  m->delivery});
}

SandboxDelivery& HallServices::delivery() { return m->delivery; }
rp::SandboxSmsProvider& HallServices::sms() { return *m->sms; }
rp::SandboxEmailProvider& HallServices::email() { return *m->email; }
ra::BlobStore& HallServices::blobs() { return *m->blobs; }  // CA side (issue 7)
rp::WechatPaySandbox& HallServices::wechat_sandbox() { return *m->wechat_sandbox; }
rp::AlipaySandbox& HallServices::alipay_sandbox() { return *m->alipay_sandbox; }
rp::SandboxFaceService& HallServices::face_sandbox() { return *m->face_sandbox; }
ra::SealService& HallServices::seals() { return *m->seals; }

}  // namespace eseal::server
