// GM/T 0016-2012 §7.1 device management, §7.2.2-§7.2.3 device authentication, and §7.6.2
// SKF_GenRandom (whose output is the device authentication challenge).
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "api_support.hpp"
#include "device_store.hpp"
#include "handles.hpp"
#include "skf.h"
#include "symmetric.hpp"

using namespace eseal::softskf;

namespace {

constexpr std::size_t kMaxLabel = 31;  // DEVINFO.Label is 32 bytes with its NUL
constexpr ULONG kMaxRandom = 1U << 20;
constexpr ULONG kMaxBufferSize = 1U << 16;

HandleTable& handles() {
    return HandleTable::instance();
}

void copy_field(CHAR* field, std::size_t size, std::string_view text) {
    std::memset(field, 0, size);
    std::memcpy(field, text.data(), std::min(text.size(), size - 1));
}

}  // namespace

ULONG DEVAPI SKF_EnumDev(BOOL /*bPresent: every soft device is present*/, LPSTR szNameList,
                         ULONG* pulSize) {
    return guarded([&] {
        if (pulSize == nullptr)
            return static_cast<ULONG>(SAR_INVALIDPARAMERR);
        const auto root = device_root();
        return write_name_list(root ? list_devices(*root) : std::vector<std::string>{}, szNameList,
                               pulSize);
    });
}

ULONG DEVAPI SKF_ConnectDev(LPSTR szName, DEVHANDLE* phDev) {
    return guarded([&]() -> ULONG {
        const auto name = c_string(szName);
        if (!name || phDev == nullptr || !valid_device_name(*name))
            return SAR_INVALIDPARAMERR;
        const auto root = device_root();
        std::error_code ec;
        if (!root || !std::filesystem::is_regular_file(*root / *name / kStateFile, ec))
            return SAR_DEVICE_REMOVED;
        auto store = DeviceStore::for_directory(*root / *name);
        // A device whose state cannot be read is reported now rather than at first use.
        const ULONG rc = store->transact(LockMode::shared, [](Transaction&) { return SAR_OK; });
        if (rc != SAR_OK)
            return rc;
        auto session = std::make_shared<DeviceSession>();
        session->store = std::move(store);
        *phDev = handles().add(std::move(session), nullptr);
        return SAR_OK;
    });
}

ULONG DEVAPI SKF_DisConnectDev(DEVHANDLE hDev) {
    return guarded([&]() -> ULONG {
        return handles().remove<DeviceSession>(hDev) ? SAR_OK : SAR_INVALIDHANDLEERR;
    });
}

ULONG DEVAPI SKF_GetDevState(LPSTR szDevName, ULONG* pulDevState) {
    return guarded([&]() -> ULONG {
        const auto name = c_string(szDevName);
        if (!name || pulDevState == nullptr)
            return SAR_INVALIDPARAMERR;
        const auto root = device_root();
        std::error_code ec;
        *pulDevState = root && valid_device_name(*name) &&
                               std::filesystem::is_regular_file(*root / *name / kStateFile, ec)
                           ? DEV_PRESENT_STATE
                           : DEV_ABSENT_STATE;
        return SAR_OK;
    });
}

ULONG DEVAPI SKF_SetLabel(DEVHANDLE hDev, LPSTR szLabel) {
    return guarded([&]() -> ULONG {
        const auto dev = handles().get<DeviceSession>(hDev);
        if (!dev)
            return SAR_INVALIDHANDLEERR;
        const auto label = c_string(szLabel);
        if (!label || label->size() > kMaxLabel || !printable_text(*label))
            return SAR_INVALIDPARAMERR;
        return dev->store->transact(LockMode::exclusive, [&](Transaction& tx) {
            tx.state().label = std::string(*label);
            return tx.save();
        });
    });
}

ULONG DEVAPI SKF_GetDevInfo(DEVHANDLE hDev, DEVINFO* pDevInfo) {
    return guarded([&]() -> ULONG {
        const auto dev = handles().get<DeviceSession>(hDev);
        if (!dev)
            return SAR_INVALIDHANDLEERR;
        if (pDevInfo == nullptr)
            return SAR_INVALIDPARAMERR;
        return dev->store->transact(LockMode::shared, [&](Transaction& tx) {
            DEVINFO info{};
            info.Version = {1, 0};  // §6.4.2: this structure is version 1.0
            copy_field(info.Manufacturer, sizeof info.Manufacturer, "eseal");
            copy_field(info.Issuer, sizeof info.Issuer, "eseal softskf (software token)");
            copy_field(info.Label, sizeof info.Label, tx.state().label);
            copy_field(info.SerialNumber, sizeof info.SerialNumber, tx.state().serial);
            info.HWVersion = {1, 0};
            info.FirmwareVersion = {1, 0};
            info.AlgSymCap = SGD_SM4_ECB | SGD_SM4_CBC | SGD_SM4_CFB | SGD_SM4_OFB;
            info.AlgAsymCap = SGD_SM2_1;
            info.AlgHashCap = SGD_SM3 | SGD_SHA1 | SGD_SHA256;
            info.DevAuthAlgId = SGD_SM4_ECB;
            const std::size_t used = serialize(tx.state()).size();
            info.TotalSpace = static_cast<ULONG>(kTotalSpace);
            info.FreeSpace = static_cast<ULONG>(kTotalSpace - std::min(used, kTotalSpace));
            info.MaxECCBufferSize = 0;  // no SM2 encryption
            info.MaxBufferSize = kMaxBufferSize;
            *pDevInfo = info;
            return static_cast<ULONG>(SAR_OK);
        });
    });
}

// §7.2.2: needs device authentication; the new key is an SM4 key.
ULONG DEVAPI SKF_ChangeDevAuthKey(DEVHANDLE hDev, BYTE* pbKeyValue, ULONG ulKeyLen) {
    return guarded([&]() -> ULONG {
        const auto dev = handles().get<DeviceSession>(hDev);
        if (!dev)
            return SAR_INVALIDHANDLEERR;
        if (pbKeyValue == nullptr || ulKeyLen != kSm4KeyBytes)
            return SAR_INVALIDPARAMERR;
        return dev->store->transact(LockMode::exclusive, [&](Transaction& tx) -> ULONG {
            if (!dev->authenticated)
                return SAR_USER_NOT_LOGGED_IN;
            tx.state().dev_auth_key.assign(pbKeyValue, pbKeyValue + ulKeyLen);
            return tx.save();
        });
    });
}

// §7.2.3: the caller takes a random from SKF_GenRandom (8 bytes, zero-padded to 16), encrypts it
// with the device authentication key in SM4-ECB (DEVINFO.DevAuthAlgId) and passes the 16-byte
// result. Each challenge is good for one attempt.
ULONG DEVAPI SKF_DevAuth(DEVHANDLE hDev, BYTE* pbAuthData, ULONG ulLen) {
    return guarded([&]() -> ULONG {
        const auto dev = handles().get<DeviceSession>(hDev);
        if (!dev)
            return SAR_INVALIDHANDLEERR;
        if (pbAuthData == nullptr || ulLen != kSm4BlockBytes)
            return SAR_INVALIDPARAMERR;
        return dev->store->transact(LockMode::shared, [&](Transaction& tx) -> ULONG {
            if (!dev->challenge)
                return SAR_NOTINITIALIZEERR;  // no SKF_GenRandom first
            const auto challenge = *dev->challenge;
            dev->challenge.reset();
            dev->authenticated = false;
            const auto expected = sm4_ecb_block(tx.state().dev_auth_key, challenge);
            if (!expected)
                return SAR_FAIL;
            if (!equal_ct(*expected, ByteView(pbAuthData, ulLen)))
                return SAR_FAIL;
            dev->authenticated = true;
            return SAR_OK;
        });
    });
}

ULONG DEVAPI SKF_GenRandom(DEVHANDLE hDev, BYTE* pbRandom, ULONG ulRandomLen) {
    return guarded([&]() -> ULONG {
        const auto dev = handles().get<DeviceSession>(hDev);
        if (!dev)
            return SAR_INVALIDHANDLEERR;
        if (pbRandom == nullptr || ulRandomLen == 0)
            return SAR_INVALIDPARAMERR;
        if (ulRandomLen > kMaxRandom)
            return SAR_INDATALENERR;
        if (RAND_bytes(pbRandom, static_cast<int>(ulRandomLen)) != 1)
            return SAR_GENRANDERR;
        std::array<std::uint8_t, 16> challenge{};
        std::copy_n(pbRandom, std::min<std::size_t>(ulRandomLen, challenge.size()),
                    challenge.begin());
        const std::lock_guard guard(dev->store->mutex());
        dev->challenge = challenge;
        return SAR_OK;
    });
}
