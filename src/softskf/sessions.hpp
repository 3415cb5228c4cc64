#pragma once
// What an SKF handle stands for. A device connection, an open application (with its security
// state: who is logged in, and the application's data key while someone is), an open container,
// a hash in progress. All but HashSession (and KeySession, symmetric.hpp), which have their own
// mutex, are guarded by the device's mutex (DeviceStore::mutex()), held by every SKF call on the
// device.
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "bytes.hpp"
#include "device_store.hpp"
#include "ossl.hpp"

namespace eseal::softskf {

struct DeviceSession {
    std::shared_ptr<DeviceStore> store;
    bool authenticated = false;  // SKF_DevAuth succeeded (GM/T 0016-2012 §7.2.3)
    // The last SKF_GenRandom output, zero-padded to one SM4 block: the device authentication
    // challenge. Used once.
    std::optional<std::array<std::uint8_t, 16>> challenge;
};

struct AppSession : std::enable_shared_from_this<AppSession> {
    std::shared_ptr<DeviceSession> device;
    std::string app_id;  // not the name: a deleted and re-created application is another one
    bool admin_logged_in = false;
    bool user_logged_in = false;
    SecureBytes dek;  // while anyone is logged in

    void log_in(PinRole role, SecureBytes key) {
        (role == PinRole::admin ? admin_logged_in : user_logged_in) = true;
        dek = std::move(key);
    }
    void log_out(PinRole role) {
        (role == PinRole::admin ? admin_logged_in : user_logged_in) = false;
        if (!admin_logged_in && !user_logged_in)
            wipe_key();
    }
    // GM/T 0016-2012 §7.2.8: back to "nobody logged in"; the key is wiped.
    void clear_security_state() {
        admin_logged_in = false;
        user_logged_in = false;
        wipe_key();
    }
    void wipe_key() { SecureBytes().swap(dek); }  // the allocator wipes the old storage
    [[nodiscard]] DeviceStore& store() const { return *device->store; }
};

struct ContainerSession {
    std::shared_ptr<AppSession> app;
    std::string container_id;
};

struct HashSession {
    std::mutex mutex;  // a hash is not tied to a device's state
    MdCtxPtr ctx;
    std::size_t digest_size = 0;
    bool finished = false;
};

}  // namespace eseal::softskf
