#pragma once
// PKCS#11 (OASIS PKCS #11 v2.40) modules and sessions, loaded by path with dlopen so that any
// vendor's module works: SoftHSM2 in development and tests, a Ukey's or an HSM's in production.
// RAII with the reasons: a module must be C_Finalize'd once, after every session is closed; a
// session must be closed, even on an early return, and the login ends with the last one
// (Botan's p11_types.h does the same). Both are move-only.
#include <p11-kit/pkcs11.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "core/secure_string.hpp"

namespace eseal::token {

inline constexpr const char* kDefaultPkcs11Module = "/usr/lib/softhsm/libsofthsm2.so";

// "CKR_PIN_INCORRECT"
[[nodiscard]] std::string ckr_name(CK_RV rv);
// An Error with a stable code for the return values users meet (wrong PIN, locked, absent token).
[[nodiscard]] core::Error pkcs11_error(CK_RV rv, const std::string& what);

struct TokenInfo {
    CK_SLOT_ID slot = 0;
    std::string label;
    std::string serial;
    std::string manufacturer;
    std::string model;
    CK_FLAGS flags = 0;
    [[nodiscard]] bool initialized() const noexcept { return (flags & CKF_TOKEN_INITIALIZED) != 0; }
    [[nodiscard]] bool user_pin_set() const noexcept { return (flags & CKF_USER_PIN_INITIALIZED) != 0; }
    [[nodiscard]] bool user_pin_locked() const noexcept { return (flags & CKF_USER_PIN_LOCKED) != 0; }
    [[nodiscard]] bool so_pin_locked() const noexcept { return (flags & CKF_SO_PIN_LOCKED) != 0; }
    // What the token says of the tries left, if it says anything.
    [[nodiscard]] std::string user_pin_warning() const;
};

class Module {
public:
    [[nodiscard]] static core::Result<std::shared_ptr<Module>> load(const std::filesystem::path& path);
    ~Module();
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    [[nodiscard]] CK_FUNCTION_LIST* api() const noexcept { return m_api; }
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }

    // Slots that hold a token.
    [[nodiscard]] core::Result<std::vector<TokenInfo>> tokens();
    [[nodiscard]] core::Result<TokenInfo> token_info(CK_SLOT_ID slot);
    // The slot of the token with this serial number.
    [[nodiscard]] core::Result<TokenInfo> find_token(std::string_view serial);
    // A slot whose token is not initialized yet (a blank Ukey).
    [[nodiscard]] core::Result<TokenInfo> find_blank_token();

private:
    Module(void* handle, CK_FUNCTION_LIST* api, std::filesystem::path path)
        : m_handle(handle), m_api(api), m_path(std::move(path)) {}
    void* m_handle;
    CK_FUNCTION_LIST* m_api;
    std::filesystem::path m_path;
};

enum class SessionMode { read_only, read_write };
enum class UserType { so, user };

class Session {
public:
    [[nodiscard]] static core::Result<Session> open(std::shared_ptr<Module> module, CK_SLOT_ID slot, SessionMode mode);
    ~Session();
    Session(Session&& other) noexcept;
    Session& operator=(Session&&) = delete;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // A wrong PIN says so, with what the token reports of the tries left; a locked PIN says so.
    [[nodiscard]] core::Result<void> login(UserType who, const core::SecureString& pin);
    void logout() noexcept;

    [[nodiscard]] CK_SESSION_HANDLE handle() const noexcept { return m_session; }
    [[nodiscard]] CK_FUNCTION_LIST* api() const noexcept { return m_module->api(); }
    [[nodiscard]] const std::shared_ptr<Module>& module() const noexcept { return m_module; }
    [[nodiscard]] CK_SLOT_ID slot() const noexcept { return m_slot; }

    [[nodiscard]] core::Result<std::vector<CK_OBJECT_HANDLE>> find(std::vector<CK_ATTRIBUTE> match);
    // The attribute's value; nullopt if the token refuses to reveal it (CKR_ATTRIBUTE_SENSITIVE).
    [[nodiscard]] core::Result<std::optional<core::Bytes>> attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type);
    [[nodiscard]] core::Result<void> destroy(CK_OBJECT_HANDLE object);

private:
    Session(std::shared_ptr<Module> module, CK_SLOT_ID slot, CK_SESSION_HANDLE session)
        : m_module(std::move(module)), m_slot(slot), m_session(session) {}
    std::shared_ptr<Module> m_module;
    CK_SLOT_ID m_slot;
    CK_SESSION_HANDLE m_session;
    bool m_logged_in = false;
};

// The token's blank-padded fixed-width text fields, trimmed.
[[nodiscard]] std::string trim_field(const unsigned char* data, std::size_t size);

}  // namespace eseal::token
