#pragma once
// Shared plumbing of the SKF entry points: the exception barrier, C string and buffer
// conventions of GM/T 0016-2012, and the lookups every call starts with.
#include <openssl/err.h>

#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bytes.hpp"
#include "handles.hpp"
#include "skf.h"

namespace eseal::softskf {

// No C++ exception may cross the C ABI: each entry point runs its body through this. OpenSSL
// errors that the body leaves behind (a wrong GCM tag, a point off the curve: answers, not faults)
// are dropped, and only those: the host application's own queue is left as it was.
template <class F>
ULONG guarded(F&& body) noexcept {
    ERR_set_mark();
    ULONG rc = SAR_UNKNOWNERR;
    try {
        rc = std::forward<F>(body)();
    } catch (const std::bad_alloc&) {
        rc = SAR_MEMORYERR;
    } catch (...) {
        rc = SAR_UNKNOWNERR;
    }
    ERR_pop_to_mark();
    return rc;
}

inline constexpr std::size_t kMaxCString = 4096;

// The NUL-terminated string at `s`, or nullopt if `s` is null or has no NUL within kMaxCString.
[[nodiscard]] inline std::optional<std::string_view> c_string(const CHAR* s) {
    if (s == nullptr)
        return std::nullopt;
    const char* chars = reinterpret_cast<const char*>(s);
    const std::size_t length = strnlen(chars, kMaxCString + 1);
    if (length > kMaxCString)
        return std::nullopt;
    return std::string_view(chars, length);
}

[[nodiscard]] inline bool is_true(BOOL b) noexcept {
    return b != FALSE;
}

// The output convention of GM/T 0016-2012 §7 for variable-size results: a null buffer asks for
// the size (SAR_OK, *size set); a short buffer gets SAR_BUFFER_TOO_SMALL and the size needed.
[[nodiscard]] ULONG write_output(ByteView data, BYTE* out, ULONG* size);

// The same for name lists (SKF_EnumDev, SKF_EnumApplication, SKF_EnumContainer): each name
// NUL-terminated, one more NUL at the end; an empty list is two NULs.
[[nodiscard]] ULONG write_name_list(const std::vector<std::string>& names, LPSTR out, ULONG* size);

// Names of applications (at most 32 bytes) and containers (at most 64 bytes,
// MAX_FILE_CONTAINER_NAME_SIZE): non-empty UTF-8 (GM/T 0016-2012 §6.2: LPSTR is UTF-8) without
// control characters.
inline constexpr std::size_t kMaxApplicationName = 32;
inline constexpr std::size_t kMaxContainerName = MAX_FILE_CONTAINER_NAME_SIZE;
[[nodiscard]] bool printable_name(std::string_view name) noexcept;
// The same rule for free text that may be empty (labels).
[[nodiscard]] bool printable_text(std::string_view text) noexcept;

[[nodiscard]] inline std::optional<PinRole> pin_role(ULONG type) noexcept {
    if (type == ADMIN_TYPE)
        return PinRole::admin;
    if (type == USER_TYPE)
        return PinRole::user;
    return std::nullopt;
}

// Runs f(Transaction&, Application&, AppSession&) -> ULONG on the live application behind an
// application handle: SAR_INVALIDHANDLEERR for a bad handle, SAR_APPLICATION_NOT_EXISTS if the
// application was deleted since it was opened.
template <class F>
ULONG with_application(HAPPLICATION handle, LockMode mode, F&& f) {
    const auto session = HandleTable::instance().get<AppSession>(handle);
    if (!session)
        return SAR_INVALIDHANDLEERR;
    return session->store().transact(mode, [&](Transaction& tx) -> ULONG {
        Application* app = tx.state().find_application_by_id(session->app_id);
        if (app == nullptr)
            return SAR_APPLICATION_NOT_EXISTS;
        return f(tx, *app, *session);
    });
}

// The same for a container handle: f(Transaction&, Application&, Container&, AppSession&);
// SAR_FILE_NOT_EXIST if the container was deleted since it was opened.
template <class F>
ULONG with_container(HCONTAINER handle, LockMode mode, F&& f) {
    const auto container_session = HandleTable::instance().get<ContainerSession>(handle);
    if (!container_session)
        return SAR_INVALIDHANDLEERR;
    AppSession& session = *container_session->app;
    return session.store().transact(mode, [&](Transaction& tx) -> ULONG {
        Application* app = tx.state().find_application_by_id(session.app_id);
        if (app == nullptr)
            return SAR_APPLICATION_NOT_EXISTS;
        Container* container = app->find_container_by_id(container_session->container_id);
        if (container == nullptr)
            return SAR_FILE_NOT_EXIST;
        return f(tx, *app, *container, session);
    });
}

}  // namespace eseal::softskf
