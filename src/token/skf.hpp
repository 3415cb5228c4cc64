#pragma once
// GM/T 0016-2012 SKF libraries (the API of Chinese USB keys), loaded by path with dlopen so that
// a vendor's library works as well as eseal's own soft token (libeseal_softskf.so). Handles are
// RAII: a device must be disconnected, an application and a container closed (§7.1, §7.4, §7.5).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "core/secure_string.hpp"
#include "softskf/skf.h"

namespace eseal::token {

[[nodiscard]] std::string sar_name(ULONG rv);
// An Error with a stable code for what users meet: wrong PIN (with the tries left), locked PIN.
[[nodiscard]] core::Error skf_error(ULONG rv, const std::string& what, ULONG retries_left = ~0u);

// The SKF functions eseal uses, resolved once from the library.
struct SkfApi {
#define ESEAL_SKF_FN(name) decltype(&::SKF_##name) name = nullptr;
#define ESEAL_SKF_FUNCTIONS(X)                                                                                  \
    X(EnumDev) X(ConnectDev) X(DisConnectDev) X(GetDevInfo) X(DevAuth) X(GenRandom) X(CreateApplication)        \
    X(EnumApplication) X(OpenApplication) X(CloseApplication) X(DeleteApplication) X(VerifyPIN) X(ChangePIN)    \
    X(GetPINInfo) X(UnblockPIN) X(ClearSecureState) X(CreateContainer) X(OpenContainer) X(CloseContainer)       \
    X(EnumContainer) X(DeleteContainer) X(GenECCKeyPair) X(ExportPublicKey) X(ECCSignData) X(ImportCertificate) \
    X(ExportCertificate) X(DigestInit) X(Digest) X(CloseHandle)
    ESEAL_SKF_FUNCTIONS(ESEAL_SKF_FN)
#undef ESEAL_SKF_FN
};

class SkfLibrary {
public:
    [[nodiscard]] static core::Result<std::shared_ptr<SkfLibrary>> load(const std::filesystem::path& path);
    ~SkfLibrary();
    SkfLibrary(const SkfLibrary&) = delete;
    SkfLibrary& operator=(const SkfLibrary&) = delete;
    [[nodiscard]] const SkfApi& api() const noexcept { return m_api; }
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
    // Names of the devices present (SKF_EnumDev).
    [[nodiscard]] core::Result<std::vector<std::string>> devices() const;

private:
    SkfLibrary(void* handle, SkfApi api, std::filesystem::path path)
        : m_handle(handle), m_api(api), m_path(std::move(path)) {}
    void* m_handle;
    SkfApi m_api;
    std::filesystem::path m_path;
};

// Splits an SKF name list ("a\0b\0\0").
[[nodiscard]] std::vector<std::string> split_name_list(const std::vector<char>& buffer);

class SkfDevice {
public:
    [[nodiscard]] static core::Result<SkfDevice> connect(std::shared_ptr<SkfLibrary> lib, const std::string& name);
    ~SkfDevice();
    SkfDevice(SkfDevice&& other) noexcept;
    SkfDevice& operator=(SkfDevice&&) = delete;
    SkfDevice(const SkfDevice&) = delete;
    SkfDevice& operator=(const SkfDevice&) = delete;

    [[nodiscard]] const SkfApi& api() const noexcept { return m_lib->api(); }
    [[nodiscard]] DEVHANDLE handle() const noexcept { return m_handle; }
    [[nodiscard]] const std::string& name() const noexcept { return m_name; }
    [[nodiscard]] core::Result<DEVINFO> info() const;
    [[nodiscard]] core::Result<std::vector<std::string>> applications() const;
    // §7.1.9 device authentication: SM4-ECB of a device random under the device auth key.
    [[nodiscard]] core::Result<void> authenticate(core::ByteView dev_auth_key) const;

private:
    SkfDevice(std::shared_ptr<SkfLibrary> lib, DEVHANDLE h, std::string name)
        : m_lib(std::move(lib)), m_handle(h), m_name(std::move(name)) {}
    std::shared_ptr<SkfLibrary> m_lib;
    DEVHANDLE m_handle;
    std::string m_name;
};

// An open application (§7.4) or container (§7.5): closed on destruction.
class SkfHandle {
public:
    using Closer = ULONG (*)(HANDLE);
    SkfHandle() = default;
    SkfHandle(HANDLE h, Closer close) : m_handle(h), m_close(close) {}
    ~SkfHandle() {
        if (m_handle != nullptr && m_close != nullptr) m_close(m_handle);
    }
    SkfHandle(SkfHandle&& o) noexcept : m_handle(o.m_handle), m_close(o.m_close) { o.m_handle = nullptr; }
    SkfHandle& operator=(SkfHandle&& o) noexcept {
        std::swap(m_handle, o.m_handle);
        std::swap(m_close, o.m_close);
        return *this;
    }
    SkfHandle(const SkfHandle&) = delete;
    SkfHandle& operator=(const SkfHandle&) = delete;
    [[nodiscard]] HANDLE get() const noexcept { return m_handle; }

private:
    HANDLE m_handle = nullptr;
    Closer m_close = nullptr;
};

// ECCPUBLICKEYBLOB (§6.4.5: coordinates right-aligned in 64-byte fields) <-> DER
// SubjectPublicKeyInfo of an SM2 key (id-ecPublicKey, curve 1.2.156.10197.1.301).
[[nodiscard]] core::Bytes sm2_spki_from_blob(const ECCPUBLICKEYBLOB& blob);
// ECCSIGNATUREBLOB (r, s right-aligned in 64-byte fields) -> DER SM2 signature (GB/T 35276).
[[nodiscard]] core::Bytes der_signature_from_blob(const ECCSIGNATUREBLOB& blob);

}  // namespace eseal::token
