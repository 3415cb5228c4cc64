#include "app/token_key_store.hpp"

#include <cstdlib>

#include "crypto/digest.hpp"
#include "token/pkcs11_keys.hpp"

namespace eseal::app {
namespace {

// "pkcs11:serial=S;id=HEX" → (S, HEX)
std::optional<std::pair<std::string, std::string>> parse_ref(std::string_view ref) {
    if (!ref.starts_with(kPkcs11KeyRefPrefix)) return std::nullopt;
    ref.remove_prefix(kPkcs11KeyRefPrefix.size());
    std::string serial, id;
    while (!ref.empty()) {
        const auto end = ref.find(';');
        const auto part = ref.substr(0, end);
        if (part.starts_with("serial=")) serial = part.substr(7);
        if (part.starts_with("id=")) id = part.substr(3);
        if (end == std::string_view::npos) break;
        ref.remove_prefix(end + 1);
    }
    if (serial.empty() || id.empty()) return std::nullopt;
    return std::pair{serial, id};
}

}  // namespace

std::string TokenKeyStore::token_of(std::string_view key_ref) {
    auto p = parse_ref(key_ref);
    return p ? p->first : std::string{};
}

core::Result<token::Session> TokenKeyStore::session(token::SessionMode mode) {
    if (!m_module) {
        auto loaded = token::Module::load(m_module_path);
        if (!loaded) return std::unexpected(loaded.error());
        m_module = std::move(*loaded);
    }
    auto info = m_module->find_token(m_serial);
    if (!info) return std::unexpected(info.error());
    auto s = token::Session::open(m_module, info->slot, mode);
    if (!s) return std::unexpected(s.error());
    if (auto r = s->login(token::UserType::user, m_pin); !r) return std::unexpected(r.error());
    return s;
}

core::Result<std::unique_ptr<crypto::Signer>> TokenKeyStore::open_key(std::string_view key_ref) {
    auto ref = parse_ref(key_ref);
    if (!ref) return core::fail(core::Errc::invalid_input, "key.ref", "not a pkcs11: key reference: " + std::string(key_ref));
    if (ref->first != m_serial)
        return core::fail(core::Errc::not_found, "key.token",
                          "the key is on token " + ref->first + ", not on the configured HSM token " + m_serial);
    auto id = core::hex_decode(ref->second);
    if (!id) return core::fail(core::Errc::invalid_input, "key.ref", "bad key id in " + std::string(key_ref));
    auto s = session(token::SessionMode::read_only);
    if (!s) return std::unexpected(s.error());
    auto signer = token::Pkcs11Signer::open(std::move(*s), *id);
    if (!signer) return std::unexpected(signer.error());
    return std::unique_ptr<crypto::Signer>(std::move(*signer));
}

core::Result<pki::NewKey> TokenKeyStore::generate_key(crypto::KeyAlgorithm algorithm, std::string_view name) {
    auto s = session(token::SessionMode::read_write);
    if (!s) return std::unexpected(s.error());
    const auto id = crypto::random_bytes(16);
    auto kp = token::generate_key_pair(*s, algorithm, std::string(name), id);
    if (!kp) return std::unexpected(kp.error());
    const std::string ref = std::string(kPkcs11KeyRefPrefix) + "serial=" + m_serial + ";id=" + core::hex_encode(id);
    auto signer = open_key(ref);
    if (!signer) return std::unexpected(signer.error());
    return pki::NewKey{ref, std::move(*signer)};
}

core::Result<TokenKeyStore*> CompositeKeyStore::token(const std::string& serial) {
    if (m_token && m_serial == serial) return m_token.get();
    const char* pin = std::getenv("ESEAL_HSM_PIN");
    if (pin == nullptr || *pin == '\0')
        return core::fail(core::Errc::invalid_input, "hsm.pin", "the CA keys are on token " + serial + ": set ESEAL_HSM_PIN");
    const char* module = std::getenv("ESEAL_HSM_MODULE");
    m_token = std::make_unique<TokenKeyStore>(module != nullptr && *module != '\0' ? module : token::kDefaultPkcs11Module,
                                              serial, core::SecureString(pin));
    m_serial = serial;
    return m_token.get();
}

core::Result<std::unique_ptr<crypto::Signer>> CompositeKeyStore::open_key(std::string_view key_ref) {
    if (!key_ref.starts_with(kPkcs11KeyRefPrefix)) return m_files->open_key(key_ref);
    auto store = token(TokenKeyStore::token_of(key_ref));
    if (!store) return std::unexpected(store.error());
    return (*store)->open_key(key_ref);
}

}  // namespace eseal::app
