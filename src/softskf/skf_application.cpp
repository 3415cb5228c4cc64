// GM/T 0016-2012 §7.2.4-§7.2.8 PINs and security state, §7.3 application management.
#include <algorithm>
#include <string>

#include "api_support.hpp"
#include "handles.hpp"
#include "pins.hpp"
#include "skf.h"

using namespace eseal::softskf;

namespace {

constexpr std::size_t kMaxApplications = 8;

HandleTable& handles() {
    return HandleTable::instance();
}

void report_retries(ULONG* out, ULONG remaining) {
    if (out != nullptr)
        *out = remaining;  // the count is informative; callers may pass null
}

}  // namespace

// §7.2.4: the old PIN is checked (and counted) like SKF_VerifyPIN; the data key is re-sealed
// under the new PIN, so keys survive the change.
ULONG DEVAPI SKF_ChangePIN(HAPPLICATION hApplication, ULONG ulPINType, LPSTR szOldPin,
                           LPSTR szNewPin, ULONG* pulRetryCount) {
    return guarded([&]() -> ULONG {
        return with_application(
            hApplication, LockMode::exclusive,
            [&](Transaction& tx, Application& app, AppSession& session) -> ULONG {
                const auto role = pin_role(ulPINType);
                if (!role)
                    return SAR_USER_TYPE_INVALID;
                const auto old_pin = c_string(szOldPin);
                const auto new_pin = c_string(szNewPin);
                if (!old_pin || !new_pin)
                    return SAR_INVALIDPARAMERR;
                report_retries(pulRetryCount, app.pin(*role).remaining_retries);
                if (check_pin_format(*old_pin) != SAR_OK || check_pin_format(*new_pin) != SAR_OK)
                    return SAR_PIN_LEN_RANGE;
                auto check = check_pin(tx, app, *role, *old_pin);
                report_retries(pulRetryCount, check.remaining);
                if (check.rc != SAR_OK) {
                    session.log_out(*role);
                    return check.rc;
                }
                if (const ULONG rc = set_pin(app, *role, *new_pin, check.dek, false); rc != SAR_OK)
                    return rc;
                return tx.save();
            });
    });
}

ULONG DEVAPI SKF_GetPINInfo(HAPPLICATION hApplication, ULONG ulPINType, ULONG* pulMaxRetryCount,
                            ULONG* pulRemainRetryCount, BOOL* pbDefaultPin) {
    return guarded([&]() -> ULONG {
        return with_application(hApplication, LockMode::shared,
                                [&](Transaction&, Application& app, AppSession&) -> ULONG {
                                    const auto role = pin_role(ulPINType);
                                    if (!role)
                                        return SAR_USER_TYPE_INVALID;
                                    if (pulMaxRetryCount == nullptr ||
                                        pulRemainRetryCount == nullptr || pbDefaultPin == nullptr)
                                        return SAR_INVALIDPARAMERR;
                                    const PinRecord& record = app.pin(*role);
                                    *pulMaxRetryCount = record.max_retries;
                                    *pulRemainRetryCount = record.remaining_retries;
                                    *pbDefaultPin = record.is_default ? TRUE : FALSE;
                                    return SAR_OK;
                                });
    });
}

// §7.2.6. A wrong PIN also ends that role's login.
ULONG DEVAPI SKF_VerifyPIN(HAPPLICATION hApplication, ULONG ulPINType, LPSTR szPIN,
                           ULONG* pulRetryCount) {
    return guarded([&]() -> ULONG {
        return with_application(
            hApplication, LockMode::exclusive,
            [&](Transaction& tx, Application& app, AppSession& session) -> ULONG {
                const auto role = pin_role(ulPINType);
                if (!role)
                    return SAR_USER_TYPE_INVALID;
                const auto pin = c_string(szPIN);
                if (!pin)
                    return SAR_INVALIDPARAMERR;
                report_retries(pulRetryCount, app.pin(*role).remaining_retries);
                if (check_pin_format(*pin) != SAR_OK)
                    return SAR_PIN_LEN_RANGE;
                auto check = check_pin(tx, app, *role, *pin);
                report_retries(pulRetryCount, check.remaining);
                if (check.rc != SAR_OK) {
                    session.log_out(*role);
                    return check.rc;
                }
                session.log_in(*role, std::move(check.dek));
                return SAR_OK;
            });
    });
}

// §7.2.7: the admin PIN (checked and counted) sets a new user PIN and refills its counter. The
// data key, opened with the admin PIN, is sealed under the new user PIN: the keys survive.
ULONG DEVAPI SKF_UnblockPIN(HAPPLICATION hApplication, LPSTR szAdminPIN, LPSTR szNewUserPIN,
                            ULONG* pulRetryCount) {
    return guarded([&]() -> ULONG {
        return with_application(
            hApplication, LockMode::exclusive,
            [&](Transaction& tx, Application& app, AppSession& session) -> ULONG {
                const auto admin_pin = c_string(szAdminPIN);
                const auto new_user_pin = c_string(szNewUserPIN);
                if (!admin_pin || !new_user_pin)
                    return SAR_INVALIDPARAMERR;
                report_retries(pulRetryCount, app.admin_pin.remaining_retries);
                if (check_pin_format(*admin_pin) != SAR_OK ||
                    check_pin_format(*new_user_pin) != SAR_OK)
                    return SAR_PIN_LEN_RANGE;
                auto check = check_pin(tx, app, PinRole::admin, *admin_pin);
                report_retries(pulRetryCount, check.remaining);
                if (check.rc != SAR_OK) {
                    session.log_out(PinRole::admin);
                    return check.rc;
                }
                if (const ULONG rc = set_pin(app, PinRole::user, *new_user_pin, check.dek, false);
                    rc != SAR_OK)
                    return rc;
                return tx.save();
            });
    });
}

ULONG DEVAPI SKF_ClearSecureState(HAPPLICATION hApplication) {
    return guarded([&]() -> ULONG {
        const auto session = handles().get<AppSession>(hApplication);
        if (!session)
            return SAR_INVALIDHANDLEERR;
        const std::lock_guard guard(session->store().mutex());
        session->clear_security_state();
        return SAR_OK;
    });
}

// §7.3.2: needs device authentication. The new application is open, nobody logged in.
ULONG DEVAPI SKF_CreateApplication(DEVHANDLE hDev, LPSTR szAppName, LPSTR szAdminPin,
                                   DWORD dwAdminPinRetryCount, LPSTR szUserPin,
                                   DWORD dwUserPinRetryCount, DWORD dwCreateFileRights,
                                   HAPPLICATION* phApplication) {
    return guarded([&]() -> ULONG {
        const auto dev = handles().get<DeviceSession>(hDev);
        if (!dev)
            return SAR_INVALIDHANDLEERR;
        const auto name = c_string(szAppName);
        const auto admin_pin = c_string(szAdminPin);
        const auto user_pin = c_string(szUserPin);
        if (!name || !admin_pin || !user_pin || phApplication == nullptr)
            return SAR_INVALIDPARAMERR;
        if (name->size() > kMaxApplicationName)
            return SAR_NAMELENERR;
        if (!printable_name(*name))
            return SAR_APPLICATION_NAME_INVALID;
        if (check_pin_format(*admin_pin) != SAR_OK || check_pin_format(*user_pin) != SAR_OK)
            return SAR_PIN_LEN_RANGE;
        if (dwAdminPinRetryCount < 1 || dwAdminPinRetryCount > kMaxRetryLimit ||
            dwUserPinRetryCount < 1 || dwUserPinRetryCount > kMaxRetryLimit)
            return SAR_INVALIDPARAMERR;
        return dev->store->transact(LockMode::exclusive, [&](Transaction& tx) -> ULONG {
            if (!dev->authenticated)
                return SAR_USER_NOT_LOGGED_IN;
            DeviceState& state = tx.state();
            if (state.find_application(*name) != nullptr)
                return SAR_APPLICATION_EXISTS;
            if (state.applications.size() >= kMaxApplications)
                return SAR_NO_ROOM;
            Application app;
            const ULONG made =
                make_application({std::string(*name), *admin_pin, dwAdminPinRetryCount, *user_pin,
                                  dwUserPinRetryCount, dwCreateFileRights},
                                 app);
            if (made != SAR_OK)
                return made;
            auto session = std::make_shared<AppSession>();
            session->device = dev;
            session->app_id = app.id;
            state.applications.push_back(std::move(app));
            if (const ULONG rc = tx.save(); rc != SAR_OK)
                return rc;
            *phApplication = handles().add(std::move(session), hDev);
            return SAR_OK;
        });
    });
}

ULONG DEVAPI SKF_EnumApplication(DEVHANDLE hDev, LPSTR szAppName, ULONG* pulSize) {
    return guarded([&]() -> ULONG {
        const auto dev = handles().get<DeviceSession>(hDev);
        if (!dev)
            return SAR_INVALIDHANDLEERR;
        if (pulSize == nullptr)
            return SAR_INVALIDPARAMERR;
        return dev->store->transact(LockMode::shared, [&](Transaction& tx) {
            std::vector<std::string> names;
            for (const auto& app : tx.state().applications) names.push_back(app.name);
            return write_name_list(names, szAppName, pulSize);
        });
    });
}

// §7.3.4: needs device authentication.
ULONG DEVAPI SKF_DeleteApplication(DEVHANDLE hDev, LPSTR szAppName) {
    return guarded([&]() -> ULONG {
        const auto dev = handles().get<DeviceSession>(hDev);
        if (!dev)
            return SAR_INVALIDHANDLEERR;
        const auto name = c_string(szAppName);
        if (!name)
            return SAR_INVALIDPARAMERR;
        return dev->store->transact(LockMode::exclusive, [&](Transaction& tx) -> ULONG {
            if (!dev->authenticated)
                return SAR_USER_NOT_LOGGED_IN;
            auto& apps = tx.state().applications;
            const auto it = std::ranges::find(apps, *name, &Application::name);
            if (it == apps.end())
                return SAR_APPLICATION_NOT_EXISTS;
            apps.erase(it);
            return tx.save();
        });
    });
}

ULONG DEVAPI SKF_OpenApplication(DEVHANDLE hDev, LPSTR szAppName, HAPPLICATION* phApplication) {
    return guarded([&]() -> ULONG {
        const auto dev = handles().get<DeviceSession>(hDev);
        if (!dev)
            return SAR_INVALIDHANDLEERR;
        const auto name = c_string(szAppName);
        if (!name || phApplication == nullptr)
            return SAR_INVALIDPARAMERR;
        return dev->store->transact(LockMode::shared, [&](Transaction& tx) -> ULONG {
            const Application* app = tx.state().find_application(*name);
            if (app == nullptr)
                return SAR_APPLICATION_NOT_EXISTS;
            auto session = std::make_shared<AppSession>();
            session->device = dev;
            session->app_id = app->id;
            *phApplication = handles().add(std::move(session), hDev);
            return SAR_OK;
        });
    });
}

ULONG DEVAPI SKF_CloseApplication(HAPPLICATION hApplication) {
    return guarded([&]() -> ULONG {
        const auto session = handles().get<AppSession>(hApplication);
        if (!session || !handles().remove<AppSession>(hApplication))
            return SAR_INVALIDHANDLEERR;
        const std::lock_guard guard(session->store().mutex());
        session->clear_security_state();
        return SAR_OK;
    });
}
