#include "token/skf.hpp"

#include <dlfcn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

#include "crypto/ossl.hpp"
#include "pki/der.hpp"

namespace eseal::token {

std::string sar_name(ULONG rv) {
    switch (rv) {
#define ESEAL_SAR(x) \
    case x: return #x;
        ESEAL_SAR(SAR_OK)
        ESEAL_SAR(SAR_FAIL)
        ESEAL_SAR(SAR_NOTSUPPORTYETERR)
        ESEAL_SAR(SAR_INVALIDHANDLEERR)
        ESEAL_SAR(SAR_INVALIDPARAMERR)
        ESEAL_SAR(SAR_NAMELENERR)
        ESEAL_SAR(SAR_KEYNOTFOUNTERR)
        ESEAL_SAR(SAR_CERTNOTFOUNTERR)
        ESEAL_SAR(SAR_BUFFER_TOO_SMALL)
        ESEAL_SAR(SAR_DEVICE_REMOVED)
        ESEAL_SAR(SAR_PIN_INCORRECT)
        ESEAL_SAR(SAR_PIN_LOCKED)
        ESEAL_SAR(SAR_PIN_INVALID)
        ESEAL_SAR(SAR_PIN_LEN_RANGE)
        ESEAL_SAR(SAR_USER_NOT_LOGGED_IN)
        ESEAL_SAR(SAR_APPLICATION_EXISTS)
        ESEAL_SAR(SAR_APPLICATION_NOT_EXISTS)
        ESEAL_SAR(SAR_FILE_ALREADY_EXIST)
        ESEAL_SAR(SAR_FILE_NOT_EXIST)
#undef ESEAL_SAR
        default: {
            char buf[32];
            std::snprintf(buf, sizeof buf, "SAR 0x%08x", static_cast<unsigned>(rv));
            return buf;
        }
    }
}

core::Error skf_error(ULONG rv, const std::string& what, ULONG retries_left) {
    const std::string detail = what + " (" + sar_name(rv) + ")";
    switch (rv) {
        case SAR_PIN_INCORRECT:
            return {core::Errc::permission_denied, "token.pin_incorrect",
                    "wrong PIN" +
                        (retries_left != ~0u ? ": " + std::to_string(retries_left) + (retries_left == 1 ? " try" : " tries") + " left"
                                             : std::string{}) +
                        " (" + what + ")",
                    {}};
        case SAR_PIN_LOCKED:
            return {core::Errc::permission_denied, "token.pin_locked",
                    "the PIN is locked after too many wrong tries: unlock the key with `eseal token unlock` (" + what + ")",
                    {}};
        case SAR_PIN_INVALID:
        case SAR_PIN_LEN_RANGE:
            return {core::Errc::invalid_input, "token.pin_invalid", "the PIN is not acceptable to the key: " + detail, {}};
        case SAR_DEVICE_REMOVED:
            return {core::Errc::not_found, "token.absent", "the key was removed: " + detail, {}};
        case SAR_USER_NOT_LOGGED_IN:
            return {core::Errc::permission_denied, "token.not_logged_in", "the key needs the PIN first: " + detail, {}};
        case SAR_NOTSUPPORTYETERR:
            return {core::Errc::unsupported, "token.unsupported", "the key cannot do this: " + detail, {}};
        default:
            return {core::Errc::io, "token.error", detail, {}};
    }
}

std::vector<std::string> split_name_list(const std::vector<char>& buffer) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < buffer.size() && buffer[i] != '\0') {
        const std::size_t end = std::find(buffer.begin() + static_cast<long>(i), buffer.end(), '\0') - buffer.begin();
        out.emplace_back(buffer.data() + i, end - i);
        i = end + 1;
    }
    return out;
}

core::Result<std::shared_ptr<SkfLibrary>> SkfLibrary::load(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path))
        return core::fail(core::Errc::not_found, "token.module_missing", "no SKF library at " + path.string());
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr)
        return core::fail(core::Errc::io, "token.module_load", "cannot load " + path.string() + ": " + ::dlerror());
    SkfApi api;
    std::string missing;
#define ESEAL_SKF_LOAD(name)                                                                     \
    api.name = reinterpret_cast<decltype(api.name)>(::dlsym(handle, "SKF_" #name));              \
    if (api.name == nullptr) missing += std::string(missing.empty() ? "" : ", ") + "SKF_" #name;
    ESEAL_SKF_FUNCTIONS(ESEAL_SKF_LOAD)
#undef ESEAL_SKF_LOAD
    if (!missing.empty()) {
        ::dlclose(handle);
        return core::fail(core::Errc::unsupported, "token.module_load",
                          path.string() + " is not a complete SKF library: it lacks " + missing);
    }
    return std::shared_ptr<SkfLibrary>(new SkfLibrary(handle, api, path));
}

SkfLibrary::~SkfLibrary() { ::dlclose(m_handle); }

core::Result<std::vector<std::string>> SkfLibrary::devices() const {
    ULONG size = 0;
    if (ULONG rv = m_api.EnumDev(TRUE, nullptr, &size); rv != SAR_OK) return std::unexpected(skf_error(rv, "SKF_EnumDev"));
    std::vector<char> buf(size + 2, '\0');
    if (ULONG rv = m_api.EnumDev(TRUE, reinterpret_cast<LPSTR>(buf.data()), &size); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_EnumDev"));
    return split_name_list(buf);
}

core::Result<SkfDevice> SkfDevice::connect(std::shared_ptr<SkfLibrary> lib, const std::string& name) {
    DEVHANDLE h = nullptr;
    std::string n = name;
    if (ULONG rv = lib->api().ConnectDev(reinterpret_cast<LPSTR>(n.data()), &h); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_ConnectDev " + name));
    return SkfDevice(std::move(lib), h, name);
}

SkfDevice::~SkfDevice() {
    if (m_lib && m_handle != nullptr) m_lib->api().DisConnectDev(m_handle);
}

SkfDevice::SkfDevice(SkfDevice&& other) noexcept
    : m_lib(std::move(other.m_lib)), m_handle(other.m_handle), m_name(std::move(other.m_name)) {
    other.m_handle = nullptr;
}

core::Result<DEVINFO> SkfDevice::info() const {
    DEVINFO info{};
    if (ULONG rv = api().GetDevInfo(m_handle, &info); rv != SAR_OK) return std::unexpected(skf_error(rv, "SKF_GetDevInfo"));
    return info;
}

core::Result<std::vector<std::string>> SkfDevice::applications() const {
    ULONG size = 0;
    if (ULONG rv = api().EnumApplication(m_handle, nullptr, &size); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_EnumApplication"));
    std::vector<char> buf(size + 2, '\0');
    if (ULONG rv = api().EnumApplication(m_handle, reinterpret_cast<LPSTR>(buf.data()), &size); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_EnumApplication"));
    return split_name_list(buf);
}

core::Result<void> SkfDevice::authenticate(core::ByteView key) const {
    if (key.size() != 16) return core::fail(core::Errc::invalid_input, "token.dev_auth_key", "a device authentication key has 16 bytes");
    unsigned char challenge[16] = {};
    if (ULONG rv = api().GenRandom(m_handle, challenge, 8); rv != SAR_OK) return std::unexpected(skf_error(rv, "SKF_GenRandom"));
    unsigned char answer[16];
    int len = 0;
    std::unique_ptr<EVP_CIPHER_CTX, crypto::Free<EVP_CIPHER_CTX_free>> ctx(EVP_CIPHER_CTX_new());
    if (EVP_EncryptInit_ex(ctx.get(), EVP_sm4_ecb(), nullptr, key.data(), nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 || EVP_EncryptUpdate(ctx.get(), answer, &len, challenge, 16) != 1)
        return crypto::openssl_fail(core::Errc::crypto, "token.dev_auth", "SM4 failed");
    if (ULONG rv = api().DevAuth(m_handle, answer, 16); rv != SAR_OK)
        return std::unexpected(skf_error(rv, "SKF_DevAuth (is the device authentication key right?)"));
    return {};
}

core::Bytes sm2_spki_from_blob(const ECCPUBLICKEYBLOB& blob) {
    core::Bytes point{0x04};
    point.insert(point.end(), blob.XCoordinate + 32, blob.XCoordinate + 64);
    point.insert(point.end(), blob.YCoordinate + 32, blob.YCoordinate + 64);
    const unsigned char ec_oid[] = {0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};              // 1.2.840.10045.2.1
    const unsigned char sm2_oid[] = {0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d};    // 1.2.156.10197.1.301
    return pki::der::sequence({pki::der::sequence({core::ByteView(ec_oid), core::ByteView(sm2_oid)}),
                               pki::der::bit_string(point)});
}

core::Bytes der_signature_from_blob(const ECCSIGNATUREBLOB& blob) {
    std::unique_ptr<ECDSA_SIG, crypto::Free<ECDSA_SIG_free>> sig(ECDSA_SIG_new());
    ECDSA_SIG_set0(sig.get(), BN_bin2bn(blob.r + 32, 32, nullptr), BN_bin2bn(blob.s + 32, 32, nullptr));
    return crypto::to_der(sig.get(), i2d_ECDSA_SIG);
}

}  // namespace eseal::token
