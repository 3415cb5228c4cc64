#include "ra/seal_binding_client.hpp"

#include <optional>

#include "core/clock.hpp"
#include "token/pkcs11.hpp"
#include "token/pkcs11_keys.hpp"
#include "token/skf_service.hpp"

namespace eseal::ra {
namespace {

// The customer's side keeps no inventory and revokes nothing: SkfService is used here only to
// read the token and sign with it, which touch neither.
class NoInventory final : public token::TokenRepository, public token::CertificateRevoker {
  public:
    core::Result<void> add_token(const token::TokenRecord&, const core::AuditEvent&) override {
        return refused();
    }
    core::Result<void> update_token(const token::TokenRecord&, const core::AuditEvent&) override {
        return refused();
    }
    core::Result<void> link_certificate(const std::string&, const token::TokenCertificate&,
                                        token::TokenState, core::TimePoint,
                                        const core::AuditEvent&) override {
        return refused();
    }
    core::Result<std::optional<token::TokenRecord>> find_token(std::string_view) override {
        return std::nullopt;
    }
    core::Result<std::vector<token::TokenRecord>> list_tokens(
        std::optional<token::TokenState>) override {
        return std::vector<token::TokenRecord>{};
    }
    core::Result<void> revoke(const std::string&, const std::string&, const std::string&) override {
        return refused();
    }

  private:
    static core::Result<void> refused() {
        return core::fail(core::Errc::unsupported, "ukey.client_only",
                          "the customer's side does not change the CA's inventory");
    }
};

}  // namespace

struct ClientSkf::Parts {
    NoInventory none;
    core::SystemClock clock;
    std::optional<token::SkfService> service;
};

core::Result<std::unique_ptr<ClientSkf>> ClientSkf::open(const std::filesystem::path& library) {
    auto lib = token::SkfLibrary::load(library);
    if (!lib)
        return std::unexpected(lib.error());
    auto options = token::skf_options_from_environment();
    if (!options)
        return std::unexpected(options.error());
    auto parts = std::make_unique<Parts>();
    parts->service.emplace(*lib, std::move(*options), parts->none, parts->none, core::SecureString(""),
                           parts->clock);
    return std::unique_ptr<ClientSkf>(new ClientSkf(std::move(parts)));
}

ClientSkf::ClientSkf(std::unique_ptr<Parts> parts) : m(std::move(parts)) {}
ClientSkf::~ClientSkf() = default;
token::SkfService& ClientSkf::service() noexcept { return *m->service; }

core::Result<OpenUkey> open_pkcs11_ukey(const std::filesystem::path& module_path,
                                        const std::string& serial, const core::SecureString& pin,
                                        const std::string& key_id) {
    auto module = token::Module::load(module_path);
    if (!module)
        return std::unexpected(module.error());
    auto info = (*module)->find_token(serial);
    if (!info)
        return std::unexpected(info.error());
    auto session = token::Session::open(*module, info->slot, token::SessionMode::read_only);
    if (!session)
        return std::unexpected(session.error());
    if (auto r = session->login(token::UserType::user, pin); !r)
        return std::unexpected(r.error());
    auto objects = token::list_objects(*session);
    if (!objects)
        return std::unexpected(objects.error());
    std::vector<const token::TokenObject*> certificates;
    for (const auto& o : *objects)
        if (o.kind == "certificate" && !o.value.empty() &&
            (key_id.empty() || core::hex_encode(o.id) == key_id))
            certificates.push_back(&o);
    if (certificates.empty())
        return core::fail(core::Errc::not_found, "ukey.no_certificate",
                          "token " + serial + " holds no certificate" +
                              (key_id.empty() ? "" : " with id " + key_id));
    if (certificates.size() > 1)
        return core::fail(
            core::Errc::invalid_input, "ukey.several_certificates",
            "token " + serial + " holds several certificates; choose one by its key id");
    OpenUkey out;
    out.certificate = certificates.front()->value;
    out.key_id = core::hex_encode(certificates.front()->id);
    auto signer = token::Pkcs11Signer::open(std::move(*session), certificates.front()->id);
    if (!signer)
        return std::unexpected(signer.error());
    out.signer = std::move(*signer);
    return out;
}

core::Result<OpenUkey> open_skf_ukey(const std::filesystem::path& library,
                                     const std::string& serial, const core::SecureString& pin,
                                     const std::string& key_id) {
    auto client = ClientSkf::open(library);
    if (!client)
        return std::unexpected(client.error());
    token::SkfService& skf = (*client)->service();
    auto objects = skf.objects(serial, &pin);  // logs in: a wrong PIN stops here
    if (!objects)
        return std::unexpected(objects.error());
    std::vector<const token::TokenObject*> certificates;
    for (const auto& o : *objects)
        if (o.kind == "certificate" && !o.value.empty() && (key_id.empty() || o.label == key_id))
            certificates.push_back(&o);
    if (certificates.empty())
        return core::fail(core::Errc::not_found, "ukey.no_certificate",
                          "Ukey " + serial + " holds no certificate" +
                              (key_id.empty() ? "" : " in container " + key_id));
    if (certificates.size() > 1)
        return core::fail(
            core::Errc::invalid_input, "ukey.several_certificates",
            "Ukey " + serial + " holds several certificates; choose a container by its name");
    auto signer = skf.signer(serial, certificates.front()->label, pin);
    if (!signer)
        return std::unexpected(signer.error());
    return OpenUkey{std::move(*signer), certificates.front()->value, certificates.front()->label};
}

}  // namespace eseal::ra
