#include "token/pkcs11.hpp"

#include <dlfcn.h>

#include <cstring>

namespace eseal::token {

std::string ckr_name(CK_RV rv) {
    switch (rv) {
#define ESEAL_CKR(x) \
    case x: return #x;
        ESEAL_CKR(CKR_OK)
        ESEAL_CKR(CKR_GENERAL_ERROR)
        ESEAL_CKR(CKR_ARGUMENTS_BAD)
        ESEAL_CKR(CKR_ATTRIBUTE_SENSITIVE)
        ESEAL_CKR(CKR_ATTRIBUTE_TYPE_INVALID)
        ESEAL_CKR(CKR_ATTRIBUTE_VALUE_INVALID)
        ESEAL_CKR(CKR_DEVICE_ERROR)
        ESEAL_CKR(CKR_DEVICE_REMOVED)
        ESEAL_CKR(CKR_FUNCTION_NOT_SUPPORTED)
        ESEAL_CKR(CKR_KEY_HANDLE_INVALID)
        ESEAL_CKR(CKR_MECHANISM_INVALID)
        ESEAL_CKR(CKR_OBJECT_HANDLE_INVALID)
        ESEAL_CKR(CKR_PIN_INCORRECT)
        ESEAL_CKR(CKR_PIN_INVALID)
        ESEAL_CKR(CKR_PIN_LEN_RANGE)
        ESEAL_CKR(CKR_PIN_LOCKED)
        ESEAL_CKR(CKR_SESSION_HANDLE_INVALID)
        ESEAL_CKR(CKR_SESSION_READ_ONLY)
        ESEAL_CKR(CKR_SLOT_ID_INVALID)
        ESEAL_CKR(CKR_TOKEN_NOT_PRESENT)
        ESEAL_CKR(CKR_TOKEN_NOT_RECOGNIZED)
        ESEAL_CKR(CKR_TOKEN_WRITE_PROTECTED)
        ESEAL_CKR(CKR_USER_ALREADY_LOGGED_IN)
        ESEAL_CKR(CKR_USER_NOT_LOGGED_IN)
        ESEAL_CKR(CKR_USER_PIN_NOT_INITIALIZED)
        ESEAL_CKR(CKR_USER_TYPE_INVALID)
        ESEAL_CKR(CKR_CRYPTOKI_NOT_INITIALIZED)
        ESEAL_CKR(CKR_CRYPTOKI_ALREADY_INITIALIZED)
        ESEAL_CKR(CKR_TEMPLATE_INCOMPLETE)
        ESEAL_CKR(CKR_TEMPLATE_INCONSISTENT)
        ESEAL_CKR(CKR_DOMAIN_PARAMS_INVALID)
        ESEAL_CKR(CKR_BUFFER_TOO_SMALL)
#undef ESEAL_CKR
        default: {
            char buf[32];
            std::snprintf(buf, sizeof buf, "CKR 0x%lx", static_cast<unsigned long>(rv));
            return buf;
        }
    }
}

core::Error pkcs11_error(CK_RV rv, const std::string& what) {
    const std::string detail = what + " (" + ckr_name(rv) + ")";
    switch (rv) {
        case CKR_PIN_INCORRECT:
            return {core::Errc::permission_denied, "token.pin_incorrect", "wrong PIN: " + detail, {}};
        case CKR_PIN_LOCKED:
            return {core::Errc::permission_denied, "token.pin_locked",
                    "the PIN is locked after too many wrong tries: unlock the key with `eseal token unlock` (" +
                        ckr_name(rv) + ")",
                    {}};
        case CKR_PIN_LEN_RANGE:
        case CKR_PIN_INVALID:
            return {core::Errc::invalid_input, "token.pin_invalid", "the PIN is not acceptable to the token: " + detail, {}};
        case CKR_TOKEN_NOT_PRESENT:
        case CKR_DEVICE_REMOVED:
            return {core::Errc::not_found, "token.absent", "no token in the slot: " + detail, {}};
        case CKR_SLOT_ID_INVALID:
            return {core::Errc::not_found, "token.slot", "no such slot: " + detail, {}};
        case CKR_USER_NOT_LOGGED_IN:
            return {core::Errc::permission_denied, "token.not_logged_in", "the token needs the PIN first: " + detail, {}};
        case CKR_MECHANISM_INVALID:
        case CKR_FUNCTION_NOT_SUPPORTED:
            return {core::Errc::unsupported, "token.unsupported", "the token cannot do this: " + detail, {}};
        default:
            return {core::Errc::io, "token.error", detail, {}};
    }
}

std::string trim_field(const unsigned char* data, std::size_t size) {
    std::string s(reinterpret_cast<const char*>(data), size);
    const auto end = s.find_last_not_of(" \0", std::string::npos, 2);
    return end == std::string::npos ? std::string{} : s.substr(0, end + 1);
}

std::string TokenInfo::user_pin_warning() const {
    if (flags & CKF_USER_PIN_LOCKED) return "the PIN is now locked";
    if (flags & CKF_USER_PIN_FINAL_TRY) return "one try left before the PIN locks";
    if (flags & CKF_USER_PIN_COUNT_LOW) return "few tries left before the PIN locks";
    return {};
}

core::Result<std::shared_ptr<Module>> Module::load(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path))
        return core::fail(core::Errc::not_found, "token.module_missing",
                          "no PKCS#11 module at " + path.string() + " (for SoftHSM2: apt-get install softhsm2)");
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr)
        return core::fail(core::Errc::io, "token.module_load", "cannot load " + path.string() + ": " + ::dlerror());
    auto get_list = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(handle, "C_GetFunctionList"));
    CK_FUNCTION_LIST* api = nullptr;
    if (get_list == nullptr || get_list(&api) != CKR_OK || api == nullptr) {
        ::dlclose(handle);
        return core::fail(core::Errc::io, "token.module_load", path.string() + " is not a PKCS#11 module");
    }
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;  // we call from several threads
    const CK_RV rv = api->C_Initialize(&args);
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        ::dlclose(handle);
        return std::unexpected(pkcs11_error(rv, "C_Initialize of " + path.string()));
    }
    return std::shared_ptr<Module>(new Module(handle, api, path));
}

Module::~Module() {
    m_api->C_Finalize(nullptr);
    ::dlclose(m_handle);
}

core::Result<TokenInfo> Module::token_info(CK_SLOT_ID slot) {
    CK_TOKEN_INFO ti{};
    if (CK_RV rv = m_api->C_GetTokenInfo(slot, &ti); rv != CKR_OK)
        return std::unexpected(pkcs11_error(rv, "C_GetTokenInfo on slot " + std::to_string(slot)));
    TokenInfo info;
    info.slot = slot;
    info.label = trim_field(ti.label, sizeof ti.label);
    info.serial = trim_field(ti.serialNumber, sizeof ti.serialNumber);
    info.manufacturer = trim_field(ti.manufacturerID, sizeof ti.manufacturerID);
    info.model = trim_field(ti.model, sizeof ti.model);
    info.flags = ti.flags;
    return info;
}

core::Result<std::vector<TokenInfo>> Module::tokens() {
    CK_ULONG count = 0;
    if (CK_RV rv = m_api->C_GetSlotList(CK_TRUE, nullptr, &count); rv != CKR_OK)
        return std::unexpected(pkcs11_error(rv, "C_GetSlotList"));
    std::vector<CK_SLOT_ID> slots(count);
    if (CK_RV rv = m_api->C_GetSlotList(CK_TRUE, slots.data(), &count); rv != CKR_OK)
        return std::unexpected(pkcs11_error(rv, "C_GetSlotList"));
    slots.resize(count);
    std::vector<TokenInfo> out;
    for (auto s : slots) {
        auto info = token_info(s);
        if (!info) return std::unexpected(info.error());
        out.push_back(std::move(*info));
    }
    return out;
}

core::Result<TokenInfo> Module::find_token(std::string_view serial) {
    auto all = tokens();
    if (!all) return std::unexpected(all.error());
    for (auto& t : *all)
        if (t.initialized() && t.serial == serial) return t;
    return core::fail(core::Errc::not_found, "token.absent",
                      "no token with serial " + std::string(serial) + " is plugged in (module " + m_path.string() + ")");
}

core::Result<TokenInfo> Module::find_blank_token() {
    auto all = tokens();
    if (!all) return std::unexpected(all.error());
    for (auto& t : *all)
        if (!t.initialized()) return t;
    return core::fail(core::Errc::not_found, "token.no_blank", "no blank (uninitialized) token is plugged in");
}

core::Result<Session> Session::open(std::shared_ptr<Module> module, CK_SLOT_ID slot, SessionMode mode) {
    CK_FLAGS flags = CKF_SERIAL_SESSION;
    if (mode == SessionMode::read_write) flags |= CKF_RW_SESSION;
    CK_SESSION_HANDLE h = 0;
    if (CK_RV rv = module->api()->C_OpenSession(slot, flags, nullptr, nullptr, &h); rv != CKR_OK)
        return std::unexpected(pkcs11_error(rv, "C_OpenSession on slot " + std::to_string(slot)));
    return Session(std::move(module), slot, h);
}

Session::Session(Session&& other) noexcept
    : m_module(std::move(other.m_module)),
      m_slot(other.m_slot),
      m_session(other.m_session),
      m_logged_in(other.m_logged_in) {
    other.m_logged_in = false;
}

Session::~Session() {
    if (!m_module) return;  // moved from
    // No C_Logout here: the login belongs to the application, not the session (PKCS #11 §5.6),
    // so logging out would also end other live sessions' login (a Pkcs11Signer's). The token
    // logs the application out when its last session closes.
    m_module->api()->C_CloseSession(m_session);
}

core::Result<void> Session::login(UserType who, const core::SecureString& pin) {
    const CK_USER_TYPE type = who == UserType::so ? CKU_SO : CKU_USER;
    CK_RV rv = api()->C_Login(m_session, type, reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(pin.c_str())),
                              pin.size());
    if (rv == CKR_USER_ALREADY_LOGGED_IN) rv = CKR_OK;
    if (rv != CKR_OK) {
        auto e = pkcs11_error(rv, who == UserType::so ? "SO login" : "login");
        if (rv == CKR_PIN_INCORRECT) {
            // PKCS #11 §5.3: the token reports a low count or the final try in its flags.
            if (auto info = m_module->token_info(m_slot); info && !info->user_pin_warning().empty() && who == UserType::user)
                e.message += "; " + info->user_pin_warning();
        }
        return std::unexpected(e);
    }
    m_logged_in = true;
    return {};
}

void Session::logout() noexcept {
    if (m_logged_in) api()->C_Logout(m_session);
    m_logged_in = false;
}

core::Result<std::vector<CK_OBJECT_HANDLE>> Session::find(std::vector<CK_ATTRIBUTE> match) {
    if (CK_RV rv = api()->C_FindObjectsInit(m_session, match.data(), match.size()); rv != CKR_OK)
        return std::unexpected(pkcs11_error(rv, "C_FindObjectsInit"));
    std::vector<CK_OBJECT_HANDLE> out;
    CK_OBJECT_HANDLE batch[32];
    for (;;) {
        CK_ULONG n = 0;
        if (CK_RV rv = api()->C_FindObjects(m_session, batch, 32, &n); rv != CKR_OK) {
            api()->C_FindObjectsFinal(m_session);
            return std::unexpected(pkcs11_error(rv, "C_FindObjects"));
        }
        if (n == 0) break;
        out.insert(out.end(), batch, batch + n);
    }
    api()->C_FindObjectsFinal(m_session);
    return out;
}

core::Result<std::optional<core::Bytes>> Session::attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) {
    CK_ATTRIBUTE a{type, nullptr, 0};
    CK_RV rv = api()->C_GetAttributeValue(m_session, object, &a, 1);
    if (rv == CKR_ATTRIBUTE_SENSITIVE || rv == CKR_ATTRIBUTE_TYPE_INVALID ||
        a.ulValueLen == static_cast<CK_ULONG>(-1))  // CK_UNAVAILABLE_INFORMATION
        return std::optional<core::Bytes>{};
    if (rv != CKR_OK) return std::unexpected(pkcs11_error(rv, "C_GetAttributeValue"));
    core::Bytes value(a.ulValueLen);
    a.pValue = value.data();
    if (rv = api()->C_GetAttributeValue(m_session, object, &a, 1); rv != CKR_OK)
        return std::unexpected(pkcs11_error(rv, "C_GetAttributeValue"));
    value.resize(a.ulValueLen);
    return std::optional<core::Bytes>{std::move(value)};
}

core::Result<void> Session::destroy(CK_OBJECT_HANDLE object) {
    if (CK_RV rv = api()->C_DestroyObject(m_session, object); rv != CKR_OK)
        return std::unexpected(pkcs11_error(rv, "C_DestroyObject"));
    return {};
}

}  // namespace eseal::token
