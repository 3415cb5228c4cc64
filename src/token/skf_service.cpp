#include "token/skf_service.hpp"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>

#include "crypto/algorithm.hpp"
#include "crypto/digest.hpp"
#include "crypto/public_key.hpp"
#include "crypto/sealed.hpp"
#include "pki/csr.hpp"
#include "pki/x509.hpp"
#include "token/pin.hpp"

namespace eseal::token {
namespace {

core::AuditEvent event(core::TimePoint at, const std::string& actor, std::string action, const std::string& serial,
                       nlohmann::json detail = nlohmann::json::object()) {
    return {at, actor, std::move(action), "token:" + serial, detail.dump()};
}

LPSTR str(std::string& s) { return reinterpret_cast<LPSTR>(s.data()); }
LPSTR str(const core::SecureString& s) { return reinterpret_cast<LPSTR>(const_cast<char*>(s.c_str())); }

std::string field(const CHAR* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), strnlen(reinterpret_cast<const char*>(data), size));
}

// Signs through an SKF container: the key never leaves the device. SKF_ECCSignData signs a
// digest, so the Z-prefixed SM3 digest of GB/T 32918.2 §6.1 is made by the device first
// (SKF_DigestInit with the public key and the ID, GM/T 0016 §7.7.1).
class SkfSigner final : public crypto::Signer {
public:
    SkfSigner(SkfDevice dev, SkfHandle app, SkfHandle container, ECCPUBLICKEYBLOB blob)
        : m_dev(std::move(dev)), m_app(std::move(app)), m_container(std::move(container)), m_blob(blob),
          m_spki(sm2_spki_from_blob(blob)) {}
    [[nodiscard]] crypto::SignatureAlgorithm algorithm() const override { return crypto::SignatureAlgorithm::sm2_sm3; }
    [[nodiscard]] core::Bytes public_key() const override { return m_spki; }
    [[nodiscard]] core::Result<core::Bytes> sign(core::ByteView message) const override {
        std::lock_guard lock(m_mutex);
        const auto& api = m_dev.api();
        std::string id(crypto::kSm2DefaultId);
        HANDLE hash = nullptr;
        ECCPUBLICKEYBLOB blob = m_blob;
        if (ULONG rv = api.DigestInit(m_dev.handle(), SGD_SM3, &blob, reinterpret_cast<BYTE*>(id.data()),
                                      static_cast<ULONG>(id.size()), &hash);
            rv != SAR_OK)
            return std::unexpected(skf_error(rv, "SKF_DigestInit"));
        BYTE digest[32];
        ULONG digest_len = sizeof digest;
        const ULONG rv = api.Digest(hash, const_cast<BYTE*>(message.data()), static_cast<ULONG>(message.size()), digest,
                                    &digest_len);
        api.CloseHandle(hash);
        if (rv != SAR_OK) return std::unexpected(skf_error(rv, "SKF_Digest"));
        ECCSIGNATUREBLOB sig{};
        if (ULONG r = api.ECCSignData(m_container.get(), digest, digest_len, &sig); r != SAR_OK)
            return std::unexpected(skf_error(r, "SKF_ECCSignData"));
        return der_signature_from_blob(sig);
    }

private:
    mutable std::mutex m_mutex;
    SkfDevice m_dev;
    SkfHandle m_app;
    SkfHandle m_container;
    ECCPUBLICKEYBLOB m_blob;
    core::Bytes m_spki;
};

core::Result<SkfHandle> open_container(const SkfDevice& dev, const SkfHandle& app, const std::string& name) {
    HCONTAINER h = nullptr;
    std::string n = name;
    if (ULONG rv = dev.api().OpenContainer(app.get(), str(n), &h); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_OpenContainer " + name));
    return SkfHandle(h, dev.api().CloseContainer);
}

core::Result<ECCPUBLICKEYBLOB> export_public_key(const SkfDevice& dev, const SkfHandle& container) {
    ECCPUBLICKEYBLOB blob{};
    ULONG len = sizeof blob;
    if (ULONG rv = dev.api().ExportPublicKey(container.get(), TRUE, reinterpret_cast<BYTE*>(&blob), &len); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_ExportPublicKey"));
    return blob;
}

core::Result<core::Bytes> export_certificate(const SkfDevice& dev, const SkfHandle& container) {
    ULONG len = 0;
    if (ULONG rv = dev.api().ExportCertificate(container.get(), TRUE, nullptr, &len); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_ExportCertificate"));
    core::Bytes der(len);
    if (ULONG rv = dev.api().ExportCertificate(container.get(), TRUE, der.data(), &len); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_ExportCertificate"));
    der.resize(len);
    return der;
}

core::Result<std::vector<std::string>> containers(const SkfDevice& dev, const SkfHandle& app) {
    ULONG size = 0;
    if (ULONG rv = dev.api().EnumContainer(app.get(), nullptr, &size); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_EnumContainer"));
    std::vector<char> buf(size + 2, '\0');
    if (ULONG rv = dev.api().EnumContainer(app.get(), reinterpret_cast<LPSTR>(buf.data()), &size); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_EnumContainer"));
    return split_name_list(buf);
}

}  // namespace

core::Result<SkfOptions> skf_options_from_environment() {
    SkfOptions o;
    const char* env = std::getenv("ESEAL_SKF_DEVAUTH_KEY");
    if (env == nullptr || *env == '\0') {
        o.dev_auth_key = core::to_bytes("1234567812345678");  // the usual vendor default
        return o;
    }
    auto key = core::hex_decode(env);
    if (!key || key->size() != 16)
        return core::fail(core::Errc::invalid_input, "token.dev_auth_key", "ESEAL_SKF_DEVAUTH_KEY must be 32 hex digits");
    o.dev_auth_key = std::move(*key);
    return o;
}

core::Result<SkfDevice> SkfService::find_device(const std::string& serial) {
    auto names = m_lib->devices();
    if (!names) return std::unexpected(names.error());
    for (const auto& n : *names) {
        auto dev = SkfDevice::connect(m_lib, n);
        if (!dev) continue;
        auto info = dev->info();
        if (info && field(info->SerialNumber, sizeof info->SerialNumber) == serial) return std::move(*dev);
    }
    return core::fail(core::Errc::not_found, "token.absent",
                      "no SKF key with serial " + serial + " is plugged in (library " + m_lib->path().string() + ")");
}

core::Result<TokenRecord> SkfService::known_token(const std::string& serial) {
    auto rec = m_tokens->find_token(serial);
    if (!rec) return std::unexpected(rec.error());
    if (!*rec)
        return core::fail(core::Errc::not_found, "token.unknown",
                          "token " + serial + " is not in the CA's inventory (eseal token init)");
    return std::move(**rec);
}

core::Result<SkfHandle> SkfService::open_application(const SkfDevice& dev, const std::string& serial, ULONG pin_type,
                                                     const core::SecureString& pin) {
    HAPPLICATION h = nullptr;
    std::string name = kSkfApplication;
    if (ULONG rv = dev.api().OpenApplication(dev.handle(), str(name), &h); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_OpenApplication " + name + " (is the key initialized?)"));
    SkfHandle app(h, dev.api().CloseApplication);
    ULONG retries = ~0u;
    const ULONG rv = dev.api().VerifyPIN(app.get(), pin_type, str(pin), &retries);
    if (rv == SAR_OK) return app;
    // The key counts wrong PINs itself (§7.3.4); the inventory follows when it locks.
    if ((rv == SAR_PIN_LOCKED || (rv == SAR_PIN_INCORRECT && retries == 0)) && pin_type == USER_TYPE) {
        if (auto rec = m_tokens->find_token(serial); rec && *rec && (*rec)->state == TokenState::active) {
            auto locked = **rec;
            locked.state = TokenState::locked;
            locked.updated_at = m_clock->now();
            (void)m_tokens->update_token(locked, event(locked.updated_at, "system", "token.locked", serial));
        }
    }
    return std::unexpected(skf_error(rv, pin_type == USER_TYPE ? "user PIN" : "admin PIN", retries));
}

core::Result<core::SecureString> SkfService::create_application(const SkfDevice& dev) {
    if (auto r = dev.authenticate(m_options.dev_auth_key); !r) return std::unexpected(r.error());
    auto admin = random_so_pin();
    auto user = random_pin(8);  // replaced at enrollment; nobody learns this one
    std::string name = kSkfApplication;
    HAPPLICATION h = nullptr;
    if (ULONG rv = dev.api().CreateApplication(dev.handle(), str(name), str(admin), kSkfAdminPinRetries, str(user),
                                               kSkfUserPinRetries, SECURE_USER_ACCOUNT, &h);
        rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_CreateApplication"));
    dev.api().CloseApplication(h);
    return admin;
}

core::Result<std::vector<PresentToken>> SkfService::present() {
    auto names = m_lib->devices();
    if (!names) return std::unexpected(names.error());
    std::vector<PresentToken> out;
    for (const auto& n : *names) {
        auto dev = SkfDevice::connect(m_lib, n);
        if (!dev) return std::unexpected(dev.error());
        auto info = dev->info();
        if (!info) return std::unexpected(info.error());
        auto apps = dev->applications();
        if (!apps) return std::unexpected(apps.error());
        const bool ours = std::find(apps->begin(), apps->end(), kSkfApplication) != apps->end();
        out.push_back({field(info->SerialNumber, sizeof info->SerialNumber), field(info->Label, sizeof info->Label), !ours,
                       false, "device " + n + ", " + field(info->Manufacturer, sizeof info->Manufacturer)});
    }
    return out;
}

core::Result<TokenRecord> SkfService::init_blank(const std::string& label, const std::string& actor) {
    auto present_now = present();
    if (!present_now) return std::unexpected(present_now.error());
    for (const auto& t : *present_now) {
        if (!t.blank) continue;
        auto known = m_tokens->find_token(t.serial);
        if (known && *known) continue;
        auto dev = find_device(t.serial);
        if (!dev) return std::unexpected(dev.error());
        auto admin = create_application(*dev);
        if (!admin) return std::unexpected(admin.error());
        auto sealed = crypto::seal(m_passphrase, core::as_bytes(admin->view()));
        if (!sealed) return std::unexpected(sealed.error());
        const auto now = m_clock->now();
        TokenRecord rec{t.serial, "skf", m_lib->path().string(), label, TokenState::in_stock, std::move(*sealed), now, now, {}};
        if (auto r = m_tokens->add_token(rec, event(now, actor, "token.init", rec.serial, {{"label", label}})); !r)
            return std::unexpected(r.error());
        return rec;
    }
    return core::fail(core::Errc::not_found, "token.no_blank", "no blank SKF key (without an ESEAL application) is plugged in");
}

core::Result<Enrolled> SkfService::enroll(const pki::CertificateAuthority& ca, const EnrollRequest& request) {
    if (request.algorithm != crypto::KeyAlgorithm::sm2)
        return core::fail(core::Errc::unsupported, "token.algorithm", "SKF keys hold SM2 keys (use --algo sm2)");
    if (request.pin_digits < 6 || request.pin_digits > 8)
        return core::fail(core::Errc::invalid_input, "token.pin_length", "a user PIN has 6 to 8 digits");
    const std::string& actor = request.issue.actor;
    TokenRecord record;
    if (request.token_serial.empty()) {
        auto made = init_blank(request.label, actor);
        if (!made) return std::unexpected(made.error());
        record = std::move(*made);
    } else {
        auto known = known_token(request.token_serial);
        if (!known) return std::unexpected(known.error());
        record = std::move(*known);
        if (record.state != TokenState::in_stock)
            return core::fail(core::Errc::conflict, "token.not_in_stock",
                              "token " + record.serial + " is " + std::string(to_string(record.state)) + ", not in stock");
    }
    auto dev = find_device(record.serial);
    if (!dev) return std::unexpected(dev.error());
    auto admin = crypto::unseal(m_passphrase, record.so_pin_sealed);
    if (!admin) return std::unexpected(admin.error());

    // 1. A fresh user PIN, set with the admin PIN (§7.3.5 SKF_UnblockPIN).
    auto pin = random_pin(request.pin_digits);
    {
        HAPPLICATION h = nullptr;
        std::string name = kSkfApplication;
        if (ULONG rv = dev->api().OpenApplication(dev->handle(), str(name), &h); rv != SAR_OK)
            return std::unexpected(skf_error(rv, "SKF_OpenApplication"));
        SkfHandle app(h, dev->api().CloseApplication);
        ULONG retries = ~0u;
        if (ULONG rv = dev->api().UnblockPIN(app.get(), str(*admin), str(pin), &retries); rv != SAR_OK)
            return std::unexpected(skf_error(rv, "SKF_UnblockPIN", retries));
    }
    // 2. The SM2 key pair, generated in a new container.
    auto app = open_application(*dev, record.serial, USER_TYPE, pin);
    if (!app) return std::unexpected(app.error());
    std::string container_name = "eseal-" + core::hex_encode(crypto::random_bytes(8));
    HCONTAINER hc = nullptr;
    if (ULONG rv = dev->api().CreateContainer(app->get(), str(container_name), &hc); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_CreateContainer"));
    SkfHandle container(hc, dev->api().CloseContainer);
    const auto undo = [&] {
        container = SkfHandle();
        (void)dev->api().DeleteContainer(app->get(), str(container_name));
    };
    ECCPUBLICKEYBLOB blob{};
    if (ULONG rv = dev->api().GenECCKeyPair(container.get(), SGD_SM2_1, &blob); rv != SAR_OK)
        return undo(), std::unexpected(skf_error(rv, "SKF_GenECCKeyPair"));

    // 3. The CSR, signed on the key, and the certificate from the CA.
    auto signer = this->signer(record.serial, container_name, pin);
    if (!signer) return undo(), std::unexpected(signer.error());
    auto subject = pki::build_subject_name(request.issue.overrides, request.issue.profile);
    auto csr = pki::make_csr(subject.get(), **signer);
    signer->reset();
    if (!csr) return undo(), std::unexpected(csr.error());
    pki::IssueRequest issue = request.issue;
    issue.csr = *csr;
    auto cert = ca.issue(issue);
    if (!cert) return undo(), std::unexpected(cert.error());

    // 4. Into the container's signing slot, and read back.
    const auto now = m_clock->now();
    const auto fail_after_issue = [&](core::Error e) -> core::Result<Enrolled> {
        undo();
        if (auto r = m_revoker->revoke(cert->serial, "cessationOfOperation", actor); !r)
            e.message += "; and revoking certificate " + cert->serial + " failed too: " + r.error().message;
        record.state = TokenState::failed;
        record.updated_at = now;
        (void)m_tokens->update_token(record, event(now, actor, "token.enroll_failed", record.serial,
                                                   {{"certificate", cert->serial}, {"error", e.code}}));
        return std::unexpected(e);
    };
    if (ULONG rv = dev->api().ImportCertificate(container.get(), TRUE, cert->der.data(), static_cast<ULONG>(cert->der.size()));
        rv != SAR_OK)
        return fail_after_issue(skf_error(rv, "SKF_ImportCertificate"));
    auto back = export_certificate(*dev, container);
    auto key_back = export_public_key(*dev, container);
    auto parsed = pki::parse_certificate(cert->der);
    if (!back || *back != cert->der || !key_back || !parsed ||
        sm2_spki_from_blob(*key_back) != crypto::public_key_der(X509_get0_pubkey(parsed->get())))
        return fail_after_issue(core::Error{core::Errc::io, "token.readback",
                                            "the certificate read back from the key does not match", {}});
    TokenCertificate link{cert->serial, container_name, now};
    if (auto r = m_tokens->link_certificate(record.serial, link, TokenState::active, now,
                                            event(now, actor, "token.enroll", record.serial,
                                                  {{"certificate", cert->serial}, {"container", container_name}}));
        !r)
        return fail_after_issue(r.error());
    record.state = TokenState::active;
    record.certificates.push_back(link);
    return Enrolled{std::move(record), std::move(*cert), container_name, std::move(pin)};
}

core::Result<core::SecureString> SkfService::unlock(const std::string& serial, int pin_digits, const std::string& actor) {
    if (pin_digits < 6 || pin_digits > 8)
        return core::fail(core::Errc::invalid_input, "token.pin_length", "a user PIN has 6 to 8 digits");
    auto record = known_token(serial);
    if (!record) return std::unexpected(record.error());
    if (record->state != TokenState::active && record->state != TokenState::locked)
        return core::fail(core::Errc::conflict, "token.state",
                          "token " + serial + " is " + std::string(to_string(record->state)) + "; only an issued key is unlocked");
    auto dev = find_device(serial);
    if (!dev) return std::unexpected(dev.error());
    auto admin = crypto::unseal(m_passphrase, record->so_pin_sealed);
    if (!admin) return std::unexpected(admin.error());
    HAPPLICATION h = nullptr;
    std::string name = kSkfApplication;
    if (ULONG rv = dev->api().OpenApplication(dev->handle(), str(name), &h); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_OpenApplication"));
    SkfHandle app(h, dev->api().CloseApplication);
    auto pin = random_pin(pin_digits);
    ULONG retries = ~0u;
    if (ULONG rv = dev->api().UnblockPIN(app.get(), str(*admin), str(pin), &retries); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_UnblockPIN with the admin PIN", retries));
    record->state = TokenState::active;
    record->updated_at = m_clock->now();
    if (auto r = m_tokens->update_token(*record, event(record->updated_at, actor, "token.unlock", serial)); !r)
        return std::unexpected(r.error());
    return pin;
}

core::Result<void> SkfService::change_pin(const std::string& serial, const core::SecureString& old_pin,
                                          const core::SecureString& new_pin, const std::string& actor) {
    if (auto r = check_new_pin(new_pin); !r) return r;
    auto dev = find_device(serial);
    if (!dev) return std::unexpected(dev.error());
    HAPPLICATION h = nullptr;
    std::string name = kSkfApplication;
    if (ULONG rv = dev->api().OpenApplication(dev->handle(), str(name), &h); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_OpenApplication"));
    SkfHandle app(h, dev->api().CloseApplication);
    ULONG retries = ~0u;
    if (ULONG rv = dev->api().ChangePIN(app.get(), USER_TYPE, str(old_pin), str(new_pin), &retries); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_ChangePIN", retries));
    if (auto known = m_tokens->find_token(serial); known && *known)
        (void)m_tokens->update_token(**known, event(m_clock->now(), actor, "token.pin_change", serial));
    return {};
}

core::Result<void> SkfService::wipe(const std::string& serial, TokenState then, pki::CertificateRepository& certs,
                                    const std::string& actor) {
    auto record = known_token(serial);
    if (!record) return std::unexpected(record.error());
    const auto now = m_clock->now();
    if (auto r = check_no_valid_certificate(*record, certs, now); !r) return r;
    auto dev = find_device(serial);
    if (!dev) return std::unexpected(dev.error());
    if (auto r = dev->authenticate(m_options.dev_auth_key); !r) return r;
    std::string name = kSkfApplication;
    if (ULONG rv = dev->api().DeleteApplication(dev->handle(), str(name)); rv != SAR_OK && rv != SAR_APPLICATION_NOT_EXISTS)
        return std::unexpected(skf_error(rv, "SKF_DeleteApplication"));
    auto admin = create_application(*dev);
    if (!admin) return std::unexpected(admin.error());
    auto sealed = crypto::seal(m_passphrase, core::as_bytes(admin->view()));
    if (!sealed) return std::unexpected(sealed.error());
    record->so_pin_sealed = std::move(*sealed);
    record->state = then;
    record->updated_at = now;
    return m_tokens->update_token(*record, event(now, actor, "token.wipe", serial, {{"state", to_string(then)}}));
}

core::Result<std::vector<TokenObject>> SkfService::objects(const std::string& serial, const core::SecureString* pin) {
    auto dev = find_device(serial);
    if (!dev) return std::unexpected(dev.error());
    SkfHandle app;
    if (pin != nullptr) {
        auto opened = open_application(*dev, serial, USER_TYPE, *pin);
        if (!opened) return std::unexpected(opened.error());
        app = std::move(*opened);
    } else {
        HAPPLICATION h = nullptr;
        std::string name = kSkfApplication;
        if (ULONG rv = dev->api().OpenApplication(dev->handle(), str(name), &h); rv != SAR_OK)
            return std::vector<TokenObject>{};  // not initialized: nothing of ours on it
        app = SkfHandle(h, dev->api().CloseApplication);
    }
    auto names = containers(*dev, app);
    if (!names) return std::unexpected(names.error());
    std::vector<TokenObject> out;
    for (const auto& n : *names) {
        auto c = open_container(*dev, app, n);
        if (!c) return std::unexpected(c.error());
        TokenObject key{"SM2 signing key pair", n, core::to_bytes(n), "SM2", std::nullopt, false, true, {}};
        if (export_public_key(*dev, *c)) out.push_back(key);
        if (auto der = export_certificate(*dev, *c)) out.push_back({"certificate", n, core::to_bytes(n), "", std::nullopt,
                                                                    std::nullopt, false, std::move(*der)});
    }
    return out;
}

core::Result<std::unique_ptr<crypto::Signer>> SkfService::signer(const std::string& serial, const std::string& key_id,
                                                                 const core::SecureString& pin) {
    auto dev = find_device(serial);
    if (!dev) return std::unexpected(dev.error());
    auto app = open_application(*dev, serial, USER_TYPE, pin);
    if (!app) return std::unexpected(app.error());
    auto container = open_container(*dev, *app, key_id);
    if (!container) return std::unexpected(container.error());
    auto blob = export_public_key(*dev, *container);
    if (!blob) return std::unexpected(blob.error());
    return std::unique_ptr<crypto::Signer>(
        std::make_unique<SkfSigner>(std::move(*dev), std::move(*app), std::move(*container), *blob));
}

}  // namespace eseal::token
