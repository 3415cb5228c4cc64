// Unit tests of the soft token through its SKF API (GM/T 0016-2012), with OpenSSL as the
// independent judge of its SM2 signatures, and a look inside the state file to check that
// private keys are sealed. Each test gets its own ESEAL_SOFTSKF_DIR.
#include <dlfcn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "device_state.hpp"
#include "device_store.hpp"
#include "key_wrap.hpp"
#include "ossl.hpp"
#include "skf.h"
#include "sm2.hpp"

namespace eseal::softskf {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::uint8_t, 16> kDefaultAuthKey = {'1', '2', '3', '4', '5', '6', '7', '8',
                                                          '1', '2', '3', '4', '5', '6', '7', '8'};
constexpr std::string_view kId = "1234567812345678";
constexpr const char* kAdminPin = "Admin#123";
constexpr const char* kUserPin = "User#123";
constexpr ULONG kUserRetries = 6;
constexpr ULONG kAdminRetries = 10;

LPSTR sz(const char* s) {
    return reinterpret_cast<LPSTR>(const_cast<char*>(s));
}
BYTE* pb(std::string_view s) {
    return reinterpret_cast<BYTE*>(const_cast<char*>(s.data()));
}
HANDLE bogus() {
    // A made-up handle: a number no call ever returned.
    return reinterpret_cast<HANDLE>(  // NOLINT(performance-no-int-to-ptr)
        static_cast<std::uintptr_t>(0xdeadbeef));
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

std::string name_list(const char* list, ULONG size) {
    return std::string(list, size);
}

// The device authentication response computed with OpenSSL, not with the token's own code.
std::array<BYTE, 16> sm4_ecb(const std::array<std::uint8_t, 16>& key, const BYTE* block) {
    std::array<BYTE, 16> out{};
    const CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    int length = 0;
    EXPECT_EQ(EVP_EncryptInit_ex(ctx.get(), EVP_sm4_ecb(), nullptr, key.data(), nullptr), 1);
    EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
    EXPECT_EQ(EVP_EncryptUpdate(ctx.get(), out.data(), &length, block, 16), 1);
    return out;
}

// ---- OpenSSL as the judge ---------------------------------------------------------------

PkeyPtr openssl_public_key(const ECCPUBLICKEYBLOB& blob) {
    std::array<std::uint8_t, 65> encoded{0x04};
    std::copy_n(blob.XCoordinate + 32, 32, encoded.begin() + 1);
    std::copy_n(blob.YCoordinate + 32, 32, encoded.begin() + 33);
    std::array<OSSL_PARAM, 3> params = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>("SM2"), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, encoded.data(), encoded.size()),
        OSSL_PARAM_construct_end()};
    const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
    EVP_PKEY* pkey = nullptr;
    if (EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.data()) != 1)
        return nullptr;
    return PkeyPtr(pkey);
}

ECCPUBLICKEYBLOB blob_of(EVP_PKEY* pkey) {
    std::array<std::uint8_t, 65> encoded{};
    std::size_t length = 0;
    EXPECT_EQ(EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, encoded.data(),
                                              encoded.size(), &length),
              1);
    ECCPUBLICKEYBLOB blob{};
    blob.BitLen = 256;
    std::copy_n(encoded.begin() + 1, 32, blob.XCoordinate + 32);
    std::copy_n(encoded.begin() + 33, 32, blob.YCoordinate + 32);
    return blob;
}

Bytes der_of(const ECCSIGNATUREBLOB& blob) {
    const EcdsaSigPtr sig(ECDSA_SIG_new());
    ECDSA_SIG_set0(sig.get(), BN_bin2bn(blob.r + 32, 32, nullptr),
                   BN_bin2bn(blob.s + 32, 32, nullptr));
    Bytes der(static_cast<std::size_t>(i2d_ECDSA_SIG(sig.get(), nullptr)));
    unsigned char* p = der.data();
    i2d_ECDSA_SIG(sig.get(), &p);
    return der;
}

ECCSIGNATUREBLOB blob_of_der(const Bytes& der) {
    const unsigned char* p = der.data();
    const EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    ECCSIGNATUREBLOB blob{};
    BN_bn2binpad(r, blob.r + 32, 32);
    BN_bn2binpad(s, blob.s + 32, 32);
    return blob;
}

// SM3withSM2 with an explicit ID, as src/crypto does it (SM2(7)).
bool openssl_sm2_verify(EVP_PKEY* pkey, std::string_view message, const Bytes& der) {
    const MdCtxPtr md(EVP_MD_CTX_new());
    const PkeyCtxPtr pctx(EVP_PKEY_CTX_new(pkey, nullptr));
    EVP_PKEY_CTX_set1_id(pctx.get(), kId.data(), kId.size());
    EVP_MD_CTX_set_pkey_ctx(md.get(), pctx.get());
    return EVP_DigestVerifyInit(md.get(), nullptr, EVP_sm3(), nullptr, pkey) == 1 &&
           EVP_DigestVerify(md.get(), der.data(), der.size(), pb(message), message.size()) == 1;
}

Bytes openssl_sm2_sign(EVP_PKEY* pkey, std::string_view message) {
    const MdCtxPtr md(EVP_MD_CTX_new());
    const PkeyCtxPtr pctx(EVP_PKEY_CTX_new(pkey, nullptr));
    EVP_PKEY_CTX_set1_id(pctx.get(), kId.data(), kId.size());
    EVP_MD_CTX_set_pkey_ctx(md.get(), pctx.get());
    std::size_t length = 0;
    EXPECT_EQ(EVP_DigestSignInit(md.get(), nullptr, EVP_sm3(), nullptr, pkey), 1);
    EXPECT_EQ(EVP_DigestSign(md.get(), nullptr, &length, pb(message), message.size()), 1);
    Bytes der(length);
    EXPECT_EQ(EVP_DigestSign(md.get(), der.data(), &length, pb(message), message.size()), 1);
    der.resize(length);
    return der;
}

// ---- fixture ----------------------------------------------------------------------------

class SoftSkf : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/softskf-test.XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        m_root = pattern;
        ::setenv("ESEAL_SOFTSKF_DIR", m_root.c_str(), 1);
        make_device("ukey-1");
    }
    void TearDown() override {
        ::unsetenv("ESEAL_SOFTSKF_DIR");
        std::error_code ec;
        fs::remove_all(m_root, ec);
    }

    void make_device(const std::string& name,
                     const std::array<std::uint8_t, 16>& key = kDefaultAuthKey) {
        DeviceState state;
        state.serial = "SN-" + name;
        state.label = "label " + name;
        state.dev_auth_key.assign(key.begin(), key.end());
        ASSERT_EQ(create_device(m_root / name, state), SAR_OK);
    }

    fs::path state_file(const std::string& device = "ukey-1") const {
        return m_root / device / "device.json";
    }

    DEVHANDLE connect(const char* name = "ukey-1") {
        DEVHANDLE dev = nullptr;
        EXPECT_EQ(SKF_ConnectDev(sz(name), &dev), SAR_OK);
        return dev;
    }

    static ULONG authenticate(DEVHANDLE dev,
                              const std::array<std::uint8_t, 16>& key = kDefaultAuthKey) {
        std::array<BYTE, 16> challenge{};
        if (const ULONG rc = SKF_GenRandom(dev, challenge.data(), 8); rc != SAR_OK)
            return rc;
        auto response = sm4_ecb(key, challenge.data());
        return SKF_DevAuth(dev, response.data(), static_cast<ULONG>(response.size()));
    }

    static HAPPLICATION create_app(DEVHANDLE dev, const char* name = "ESEAL") {
        HAPPLICATION app = nullptr;
        EXPECT_EQ(authenticate(dev), SAR_OK);
        EXPECT_EQ(SKF_CreateApplication(dev, sz(name), sz(kAdminPin), kAdminRetries, sz(kUserPin),
                                        kUserRetries, SECURE_ANYONE_ACCOUNT, &app),
                  SAR_OK);
        return app;
    }

    static HCONTAINER keyed_container(HAPPLICATION app, ECCPUBLICKEYBLOB& pub,
                                      const char* name = "seal") {
        HCONTAINER container = nullptr;
        ULONG retries = 0;
        EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz(kUserPin), &retries), SAR_OK);
        EXPECT_EQ(SKF_CreateContainer(app, sz(name), &container), SAR_OK);
        EXPECT_EQ(SKF_GenECCKeyPair(container, SGD_SM2_1, &pub), SAR_OK);
        return container;
    }

    // e = SM3(Z || message) computed by the token.
    static std::array<BYTE, 32> token_digest(DEVHANDLE dev, ECCPUBLICKEYBLOB& pub,
                                             std::string_view message) {
        HANDLE hash = nullptr;
        std::array<BYTE, 32> e{};
        ULONG length = static_cast<ULONG>(e.size());
        EXPECT_EQ(
            SKF_DigestInit(dev, SGD_SM3, &pub, pb(kId), static_cast<ULONG>(kId.size()), &hash),
            SAR_OK);
        EXPECT_EQ(
            SKF_Digest(hash, pb(message), static_cast<ULONG>(message.size()), e.data(), &length),
            SAR_OK);
        EXPECT_EQ(length, 32U);
        EXPECT_EQ(SKF_CloseHandle(hash), SAR_OK);
        return e;
    }

    static ULONG remaining(HAPPLICATION app, ULONG type) {
        ULONG max = 0;
        ULONG left = 0;
        BOOL is_default = FALSE;
        EXPECT_EQ(SKF_GetPINInfo(app, type, &max, &left, &is_default), SAR_OK);
        return left;
    }

    fs::path m_root;
};

// ---- devices ----------------------------------------------------------------------------

TEST_F(SoftSkf, EnumDevGivesADoubleNulTerminatedListWithSizeQuery) {
    make_device("ukey-2");
    fs::create_directories(m_root / "not-a-device");  // no device.json
    ULONG size = 0;
    ASSERT_EQ(SKF_EnumDev(TRUE, nullptr, &size), SAR_OK);
    const std::string expected("ukey-1\0ukey-2\0\0", 15);
    EXPECT_EQ(size, expected.size());

    std::vector<char> list(size);
    ULONG small = 5;
    EXPECT_EQ(SKF_EnumDev(TRUE, sz(list.data()), &small), SAR_BUFFER_TOO_SMALL);
    EXPECT_EQ(small, expected.size());
    ASSERT_EQ(SKF_EnumDev(FALSE, sz(list.data()), &size), SAR_OK);
    EXPECT_EQ(name_list(list.data(), size), expected);
    EXPECT_EQ(SKF_EnumDev(TRUE, sz(list.data()), nullptr), SAR_INVALIDPARAMERR);
}

TEST_F(SoftSkf, EnumDevOfAnEmptyRootIsTwoNuls) {
    const fs::path empty = m_root / "empty";
    fs::create_directories(empty);
    ::setenv("ESEAL_SOFTSKF_DIR", empty.c_str(), 1);
    char list[8];
    ULONG size = sizeof list;
    ASSERT_EQ(SKF_EnumDev(TRUE, sz(list), &size), SAR_OK);
    EXPECT_EQ(name_list(list, size), std::string("\0\0", 2));
}

TEST_F(SoftSkf, WithoutTheVariableDevicesAreUnderHome) {
    const char* old_home = std::getenv("HOME");
    const std::string saved = old_home ? old_home : "";
    ::unsetenv("ESEAL_SOFTSKF_DIR");
    ::setenv("HOME", m_root.c_str(), 1);
    DeviceState state;
    state.serial = "home";
    state.dev_auth_key.assign(16, 0x11);
    ASSERT_EQ(create_device(m_root / ".eseal-softskf" / "home-key", state), SAR_OK);
    char list[64];
    ULONG size = sizeof list;
    EXPECT_EQ(SKF_EnumDev(TRUE, sz(list), &size), SAR_OK);
    EXPECT_EQ(name_list(list, size), std::string("home-key\0\0", 10));
    if (old_home)
        ::setenv("HOME", saved.c_str(), 1);
}

TEST_F(SoftSkf, ConnectDevRejectsUnknownAndMalformedNames) {
    DEVHANDLE dev = nullptr;
    EXPECT_EQ(SKF_ConnectDev(sz("no-such-key"), &dev), SAR_DEVICE_REMOVED);
    EXPECT_EQ(SKF_ConnectDev(sz("../ukey-1"), &dev), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_ConnectDev(sz(""), &dev), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_ConnectDev(nullptr, &dev), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_ConnectDev(sz("ukey-1"), nullptr), SAR_INVALIDPARAMERR);
    ULONG state = 99;
    EXPECT_EQ(SKF_GetDevState(sz("ukey-1"), &state), SAR_OK);
    EXPECT_EQ(state, static_cast<ULONG>(DEV_PRESENT_STATE));
    EXPECT_EQ(SKF_GetDevState(sz("no-such-key"), &state), SAR_OK);
    EXPECT_EQ(state, static_cast<ULONG>(DEV_ABSENT_STATE));
}

TEST_F(SoftSkf, ACorruptStateFileIsAFileError) {
    write_file(state_file(), "{\"format\": \"eseal-softskf-device\", \"version\": 1");
    DEVHANDLE dev = nullptr;
    EXPECT_EQ(SKF_ConnectDev(sz("ukey-1"), &dev), SAR_FILEERR);
}

TEST_F(SoftSkf, GetDevInfoAndSetLabel) {
    DEVHANDLE dev = connect();
    DEVINFO info{};
    ASSERT_EQ(SKF_GetDevInfo(dev, &info), SAR_OK);
    EXPECT_EQ(info.Version.major, 1);
    EXPECT_STREQ(reinterpret_cast<char*>(info.SerialNumber), "SN-ukey-1");
    EXPECT_STREQ(reinterpret_cast<char*>(info.Label), "label ukey-1");
    EXPECT_STREQ(reinterpret_cast<char*>(info.Manufacturer), "eseal");
    // DEVINFO is packed: gtest must get copies, not references to misaligned fields.
    const ULONG asym = info.AlgAsymCap;
    const ULONG hash = info.AlgHashCap;
    const ULONG dev_auth = info.DevAuthAlgId;
    const ULONG free_space = info.FreeSpace;
    const ULONG total_space = info.TotalSpace;
    EXPECT_EQ(asym, static_cast<ULONG>(SGD_SM2_1));
    EXPECT_TRUE(hash & SGD_SM3);
    EXPECT_EQ(dev_auth, static_cast<ULONG>(SGD_SM4_ECB));
    EXPECT_GT(free_space, 0U);
    EXPECT_LE(free_space, total_space);

    EXPECT_EQ(SKF_SetLabel(dev, sz("new label")), SAR_OK);
    EXPECT_EQ(SKF_SetLabel(dev, sz("a label that is much too long for DEVINFO")),
              SAR_INVALIDPARAMERR);
    ASSERT_EQ(SKF_GetDevInfo(dev, &info), SAR_OK);
    EXPECT_STREQ(reinterpret_cast<char*>(info.Label), "new label");
    EXPECT_EQ(SKF_GetDevInfo(dev, nullptr), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, PackedStructuresHaveTheStandardSizes) {
    EXPECT_EQ(sizeof(ULONG), 4U);
    EXPECT_EQ(sizeof(BOOL), 4U);
    EXPECT_EQ(sizeof(DEVINFO), 294U);
    EXPECT_EQ(sizeof(ECCPUBLICKEYBLOB), 132U);
    EXPECT_EQ(sizeof(ECCSIGNATUREBLOB), 128U);
    EXPECT_EQ(sizeof(ECCPRIVATEKEYBLOB), 68U);
    EXPECT_EQ(offsetof(DEVINFO, AlgSymCap), 198U);
}

// ---- device authentication --------------------------------------------------------------

TEST_F(SoftSkf, DevAuthTakesTheSm4EncryptedChallengeOnce) {
    DEVHANDLE dev = connect();
    std::array<BYTE, 16> response{};
    EXPECT_EQ(SKF_DevAuth(dev, response.data(), 16), SAR_NOTINITIALIZEERR);  // no challenge yet

    std::array<BYTE, 16> challenge{};
    ASSERT_EQ(SKF_GenRandom(dev, challenge.data(), 8), SAR_OK);
    response = sm4_ecb(kDefaultAuthKey, challenge.data());
    response[0] ^= 1;
    EXPECT_EQ(SKF_DevAuth(dev, response.data(), 16), SAR_FAIL);
    response[0] ^= 1;
    // The challenge was used up by the failed attempt.
    EXPECT_EQ(SKF_DevAuth(dev, response.data(), 16), SAR_NOTINITIALIZEERR);
    EXPECT_EQ(SKF_DevAuth(dev, response.data(), 8), SAR_INVALIDPARAMERR);
    EXPECT_EQ(authenticate(dev), SAR_OK);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, ChangeDevAuthKeyNeedsAuthenticationAndPersists) {
    DEVHANDLE dev = connect();
    std::array<std::uint8_t, 16> new_key{};
    new_key.fill(0x42);
    EXPECT_EQ(SKF_ChangeDevAuthKey(dev, new_key.data(), 16), SAR_USER_NOT_LOGGED_IN);
    ASSERT_EQ(authenticate(dev), SAR_OK);
    EXPECT_EQ(SKF_ChangeDevAuthKey(dev, new_key.data(), 15), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_ChangeDevAuthKey(dev, new_key.data(), 16), SAR_OK);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);

    dev = connect();
    EXPECT_EQ(authenticate(dev), SAR_FAIL);
    EXPECT_EQ(authenticate(dev, new_key), SAR_OK);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

// ---- applications -----------------------------------------------------------------------

TEST_F(SoftSkf, CreateApplicationChecksAuthenticationNamesPinsAndRetries) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = nullptr;
    const auto create = [&](const char* name, const char* admin, ULONG admin_retries,
                            const char* user, ULONG user_retries) {
        return SKF_CreateApplication(dev, sz(name), sz(admin), admin_retries, sz(user),
                                     user_retries, SECURE_ANYONE_ACCOUNT, &app);
    };
    EXPECT_EQ(create("ESEAL", kAdminPin, 10, kUserPin, 6), SAR_USER_NOT_LOGGED_IN);
    ASSERT_EQ(authenticate(dev), SAR_OK);
    EXPECT_EQ(create("a-name-that-is-longer-than-32-bytes", kAdminPin, 10, kUserPin, 6),
              SAR_NAMELENERR);
    EXPECT_EQ(create("", kAdminPin, 10, kUserPin, 6), SAR_APPLICATION_NAME_INVALID);
    EXPECT_EQ(create("tab\there", kAdminPin, 10, kUserPin, 6), SAR_APPLICATION_NAME_INVALID);
    EXPECT_EQ(create("ESEAL", "12345", 10, kUserPin, 6), SAR_PIN_LEN_RANGE);
    EXPECT_EQ(create("ESEAL", kAdminPin, 10, "12345678901234567", 6), SAR_PIN_LEN_RANGE);
    EXPECT_EQ(create("ESEAL", kAdminPin, 0, kUserPin, 6), SAR_INVALIDPARAMERR);
    EXPECT_EQ(create("ESEAL", kAdminPin, 10, kUserPin, 16), SAR_INVALIDPARAMERR);
    EXPECT_EQ(
        SKF_CreateApplication(dev, sz("ESEAL"), sz(kAdminPin), 10, sz(kUserPin), 6, 0, nullptr),
        SAR_INVALIDPARAMERR);
    ASSERT_EQ(create("ESEAL", kAdminPin, 10, kUserPin, 6), SAR_OK);
    EXPECT_EQ(create("ESEAL", kAdminPin, 10, kUserPin, 6), SAR_APPLICATION_EXISTS);

    ULONG max = 0;
    ULONG left = 0;
    BOOL is_default = FALSE;
    ASSERT_EQ(SKF_GetPINInfo(app, USER_TYPE, &max, &left, &is_default), SAR_OK);
    EXPECT_EQ(max, 6U);
    EXPECT_EQ(left, 6U);
    EXPECT_EQ(is_default, TRUE);
    ASSERT_EQ(SKF_GetPINInfo(app, ADMIN_TYPE, &max, &left, &is_default), SAR_OK);
    EXPECT_EQ(max, 10U);
    EXPECT_EQ(SKF_GetPINInfo(app, 7, &max, &left, &is_default), SAR_USER_TYPE_INVALID);
    EXPECT_EQ(SKF_GetPINInfo(app, USER_TYPE, nullptr, &left, &is_default), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, EnumOpenAndDeleteApplications) {
    DEVHANDLE dev = connect();
    HAPPLICATION first = create_app(dev, "FIRST");
    HAPPLICATION second = create_app(dev, "SECOND");
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    char list[64];
    ULONG size = sizeof list;
    ASSERT_EQ(SKF_EnumApplication(dev, sz(list), &size), SAR_OK);
    EXPECT_EQ(name_list(list, size), std::string("FIRST\0SECOND\0\0", 14));

    HAPPLICATION opened = nullptr;
    EXPECT_EQ(SKF_OpenApplication(dev, sz("THIRD"), &opened), SAR_APPLICATION_NOT_EXISTS);
    ASSERT_EQ(SKF_OpenApplication(dev, sz("SECOND"), &opened), SAR_OK);

    DEVHANDLE other = connect();  // no device authentication on this connection
    EXPECT_EQ(SKF_DeleteApplication(other, sz("SECOND")), SAR_USER_NOT_LOGGED_IN);
    EXPECT_EQ(SKF_DeleteApplication(dev, sz("THIRD")), SAR_APPLICATION_NOT_EXISTS);
    ASSERT_EQ(SKF_DeleteApplication(dev, sz("SECOND")), SAR_OK);
    // Handles opened before the deletion no longer reach anything, even if the name comes back.
    EXPECT_EQ(SKF_VerifyPIN(opened, USER_TYPE, sz(kUserPin), nullptr), SAR_APPLICATION_NOT_EXISTS);
    HAPPLICATION again = create_app(dev, "SECOND");
    EXPECT_EQ(SKF_VerifyPIN(opened, USER_TYPE, sz(kUserPin), nullptr), SAR_APPLICATION_NOT_EXISTS);
    EXPECT_EQ(SKF_VerifyPIN(again, USER_TYPE, sz(kUserPin), nullptr), SAR_OK);
    EXPECT_EQ(SKF_CloseApplication(first), SAR_OK);
    EXPECT_EQ(SKF_CloseApplication(first), SAR_INVALIDHANDLEERR);
    EXPECT_EQ(SKF_DisConnectDev(other), SAR_OK);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, NamesAreUtf8) {
    DEVHANDLE dev = connect();
    ASSERT_EQ(authenticate(dev), SAR_OK);
    HAPPLICATION app = nullptr;
    // "电子印章" (electronic seal), 12 bytes of UTF-8.
    ASSERT_EQ(
        SKF_CreateApplication(dev, sz("\xE7\x94\xB5\xE5\xAD\x90\xE5\x8D\xB0\xE7\xAB\xA0"),
                              sz(kAdminPin), 10, sz(kUserPin), 6, SECURE_ANYONE_ACCOUNT, &app),
        SAR_OK);
    EXPECT_EQ(SKF_CreateApplication(dev, sz("bad\xC3("), sz(kAdminPin), 10, sz(kUserPin), 6,
                                    SECURE_ANYONE_ACCOUNT, &app),
              SAR_APPLICATION_NAME_INVALID);
    EXPECT_EQ(SKF_CreateApplication(dev, sz("\xC0\xAF"), sz(kAdminPin), 10, sz(kUserPin), 6,
                                    SECURE_ANYONE_ACCOUNT, &app),
              SAR_APPLICATION_NAME_INVALID);  // overlong '/'
    EXPECT_EQ(SKF_SetLabel(dev, sz("\xFF")), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_SetLabel(dev, sz("\xE5\x8D\xB0")), SAR_OK);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, TheHostsOpenSslErrorQueueIsLeftAsItWas) {
    DEVHANDLE dev = connect();
    ECCPUBLICKEYBLOB bad{};
    bad.BitLen = 256;
    bad.XCoordinate[63] = 1;  // (1, 0) is not on the curve: OpenSSL queues an error inside
    std::array<BYTE, 32> e{};
    ECCSIGNATUREBLOB sig{};
    ERR_clear_error();
    EXPECT_EQ(SKF_ECCVerify(dev, &bad, e.data(), 32, &sig), SAR_INVALIDPARAMERR);
    EXPECT_EQ(ERR_peek_error(), 0UL);
    ERR_raise(ERR_LIB_USER, 42);  // the host's own error survives our calls
    EXPECT_EQ(SKF_ECCVerify(dev, &bad, e.data(), 32, &sig), SAR_INVALIDPARAMERR);
    EXPECT_EQ(ERR_GET_REASON(ERR_peek_last_error()), 42);
    ERR_clear_error();
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

// ---- containers -------------------------------------------------------------------------

TEST_F(SoftSkf, ContainersNeedTheUserPinAndHaveUniqueNames) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    HCONTAINER container = nullptr;
    EXPECT_EQ(SKF_CreateContainer(app, sz("seal"), &container), SAR_USER_NOT_LOGGED_IN);
    ASSERT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz(kUserPin), nullptr), SAR_OK);
    ASSERT_EQ(SKF_CreateContainer(app, sz("seal"), &container), SAR_OK);
    HCONTAINER duplicate = nullptr;
    EXPECT_EQ(SKF_CreateContainer(app, sz("seal"), &duplicate), SAR_FILE_ALREADY_EXIST);
    EXPECT_EQ(SKF_CreateContainer(app, sz(std::string(65, 'c').c_str()), &duplicate),
              SAR_NAMELENERR);
    HCONTAINER other = nullptr;
    ASSERT_EQ(SKF_CreateContainer(app, sz("sign"), &other), SAR_OK);

    ULONG size = 0;
    ASSERT_EQ(SKF_EnumContainer(app, nullptr, &size), SAR_OK);
    std::vector<char> list(size);
    ASSERT_EQ(SKF_EnumContainer(app, sz(list.data()), &size), SAR_OK);
    EXPECT_EQ(name_list(list.data(), size), std::string("seal\0sign\0\0", 11));

    ULONG type = 99;
    ASSERT_EQ(SKF_GetContainerType(container, &type), SAR_OK);
    EXPECT_EQ(type, 0U);
    ECCPUBLICKEYBLOB pub{};
    ASSERT_EQ(SKF_GenECCKeyPair(container, SGD_SM2_1, &pub), SAR_OK);
    ASSERT_EQ(SKF_GetContainerType(container, &type), SAR_OK);
    EXPECT_EQ(type, 2U);

    HCONTAINER opened = nullptr;
    EXPECT_EQ(SKF_OpenContainer(app, sz("nothing"), &opened), SAR_FILE_NOT_EXIST);
    ASSERT_EQ(SKF_OpenContainer(app, sz("seal"), &opened), SAR_OK);
    ECCPUBLICKEYBLOB exported{};
    ULONG length = sizeof exported;
    ASSERT_EQ(SKF_ExportPublicKey(opened, TRUE, reinterpret_cast<BYTE*>(&exported), &length),
              SAR_OK);
    EXPECT_EQ(std::memcmp(&pub, &exported, sizeof pub), 0);

    ASSERT_EQ(SKF_ClearSecureState(app), SAR_OK);
    EXPECT_EQ(SKF_DeleteContainer(app, sz("seal")), SAR_USER_NOT_LOGGED_IN);
    ASSERT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz(kUserPin), nullptr), SAR_OK);
    EXPECT_EQ(SKF_DeleteContainer(app, sz("nothing")), SAR_FILE_NOT_EXIST);
    ASSERT_EQ(SKF_DeleteContainer(app, sz("seal")), SAR_OK);
    EXPECT_EQ(SKF_GetContainerType(opened, &type), SAR_FILE_NOT_EXIST);
    EXPECT_EQ(SKF_CloseContainer(opened), SAR_OK);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, AnApplicationHoldsAtMostSixteenContainers) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ASSERT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz(kUserPin), nullptr), SAR_OK);
    HCONTAINER c = nullptr;
    for (int i = 0; i < 16; ++i)
        ASSERT_EQ(SKF_CreateContainer(app, sz(("c" + std::to_string(i)).c_str()), &c), SAR_OK);
    EXPECT_EQ(SKF_CreateContainer(app, sz("one-more"), &c), SAR_REACH_MAX_CONTAINER_COUNT);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

// ---- signatures -------------------------------------------------------------------------

TEST_F(SoftSkf, TokenSignatureVerifiesOnTokenAndWithOpenSslUsingTheSm2Id) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ECCPUBLICKEYBLOB pub{};
    HCONTAINER container = keyed_container(app, pub);
    EXPECT_EQ(ULONG{pub.BitLen}, 256U);
    EXPECT_TRUE(std::all_of(pub.XCoordinate, pub.XCoordinate + 32, [](BYTE b) { return b == 0; }));

    const std::string message = "GB/T 38540-2020 TBS_Sign";
    auto e = token_digest(dev, pub, message);
    ECCSIGNATUREBLOB sig{};
    ASSERT_EQ(SKF_ECCSignData(container, e.data(), 32, &sig), SAR_OK);
    EXPECT_TRUE(std::all_of(sig.r, sig.r + 32, [](BYTE b) { return b == 0; }));
    EXPECT_EQ(SKF_ECCVerify(dev, &pub, e.data(), 32, &sig), SAR_OK);
    EXPECT_EQ(SKF_ExtECCVerify(dev, &pub, e.data(), 32, &sig), SAR_OK);

    const PkeyPtr key = openssl_public_key(pub);
    ASSERT_TRUE(key);
    EXPECT_TRUE(openssl_sm2_verify(key.get(), message, der_of(sig)));
    EXPECT_FALSE(openssl_sm2_verify(key.get(), message + ".", der_of(sig)));

    e[5] ^= 0x80;
    EXPECT_EQ(SKF_ECCVerify(dev, &pub, e.data(), 32, &sig), SAR_FAIL);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, OpenSslSignatureVerifiesOnTheToken) {
    DEVHANDLE dev = connect();
    const PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2"));
    ASSERT_TRUE(key);
    const std::string message = "signed by OpenSSL with ID 1234567812345678";
    ECCSIGNATUREBLOB sig = blob_of_der(openssl_sm2_sign(key.get(), message));
    ECCPUBLICKEYBLOB pub = blob_of(key.get());
    auto e = token_digest(dev, pub, message);
    EXPECT_EQ(SKF_ECCVerify(dev, &pub, e.data(), 32, &sig), SAR_OK);
    // Without Z (no public key given to SKF_DigestInit) the digest is a different one.
    HANDLE hash = nullptr;
    ASSERT_EQ(SKF_DigestInit(dev, SGD_SM3, nullptr, nullptr, 0, &hash), SAR_OK);
    std::array<BYTE, 32> plain{};
    ULONG length = 32;
    ASSERT_EQ(
        SKF_Digest(hash, pb(message), static_cast<ULONG>(message.size()), plain.data(), &length),
        SAR_OK);
    EXPECT_EQ(SKF_ECCVerify(dev, &pub, plain.data(), 32, &sig), SAR_FAIL);
    EXPECT_EQ(SKF_CloseHandle(hash), SAR_OK);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, ExtEccSignMatchesItsPublicKey) {
    DEVHANDLE dev = connect();
    ECCPRIVATEKEYBLOB priv{};
    priv.BitLen = 256;
    priv.PrivateKey[63] = 7;  // d = 7
    const auto point = sm2_public_from_private(ByteView(priv.PrivateKey + 32, 32));
    ASSERT_TRUE(point);
    ECCPUBLICKEYBLOB pub{};
    pub.BitLen = 256;
    std::copy_n(point->begin(), 32, pub.XCoordinate + 32);
    std::copy_n(point->begin() + 32, 32, pub.YCoordinate + 32);
    std::array<BYTE, 32> e{};
    e.fill(0x5a);
    ECCSIGNATUREBLOB sig{};
    ASSERT_EQ(SKF_ExtECCSign(dev, &priv, e.data(), 32, &sig), SAR_OK);
    EXPECT_EQ(SKF_ECCVerify(dev, &pub, e.data(), 32, &sig), SAR_OK);
    priv.PrivateKey[63] = 0;
    EXPECT_EQ(SKF_ExtECCSign(dev, &priv, e.data(), 32, &sig), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, SigningChecksLengthLoginAndKey) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ASSERT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz(kUserPin), nullptr), SAR_OK);
    HCONTAINER container = nullptr;
    ASSERT_EQ(SKF_CreateContainer(app, sz("seal"), &container), SAR_OK);
    std::array<BYTE, 32> e{};
    ECCSIGNATUREBLOB sig{};
    EXPECT_EQ(SKF_ECCSignData(container, e.data(), 32, &sig), SAR_KEYNOTFOUNTERR);
    ECCPUBLICKEYBLOB pub{};
    ULONG length = sizeof pub;
    EXPECT_EQ(SKF_ExportPublicKey(container, TRUE, reinterpret_cast<BYTE*>(&pub), &length),
              SAR_KEYNOTFOUNTERR);
    EXPECT_EQ(SKF_GenECCKeyPair(container, SGD_SM2_3, &pub), SAR_NOTSUPPORTYETERR);
    EXPECT_EQ(SKF_GenECCKeyPair(container, SGD_SM2_1, nullptr), SAR_INVALIDPARAMERR);
    ASSERT_EQ(SKF_GenECCKeyPair(container, SGD_SM2_1, &pub), SAR_OK);
    EXPECT_EQ(SKF_ExportPublicKey(container, FALSE, reinterpret_cast<BYTE*>(&pub), &length),
              SAR_KEYNOTFOUNTERR);  // no encryption key pair
    EXPECT_EQ(SKF_ECCSignData(container, e.data(), 31, &sig), SAR_INDATALENERR);
    EXPECT_EQ(SKF_ECCSignData(container, e.data(), 64, &sig), SAR_INDATALENERR);
    EXPECT_EQ(SKF_ECCSignData(container, nullptr, 32, &sig), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_ECCSignData(container, e.data(), 32, nullptr), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_ECCSignData(container, e.data(), 32, &sig), SAR_OK);
    ASSERT_EQ(SKF_ClearSecureState(app), SAR_OK);
    EXPECT_EQ(SKF_ECCSignData(container, e.data(), 32, &sig), SAR_USER_NOT_LOGGED_IN);
    EXPECT_EQ(SKF_GenECCKeyPair(container, SGD_SM2_1, &pub), SAR_USER_NOT_LOGGED_IN);
    // The admin PIN does not stand in for the user PIN.
    ASSERT_EQ(SKF_VerifyPIN(app, ADMIN_TYPE, sz(kAdminPin), nullptr), SAR_OK);
    EXPECT_EQ(SKF_ECCSignData(container, e.data(), 32, &sig), SAR_USER_NOT_LOGGED_IN);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, VerifyRejectsMalformedKeysAndSignatures) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ECCPUBLICKEYBLOB pub{};
    HCONTAINER container = keyed_container(app, pub);
    std::array<BYTE, 32> e{};
    ECCSIGNATUREBLOB sig{};
    ASSERT_EQ(SKF_ECCSignData(container, e.data(), 32, &sig), SAR_OK);

    ECCPUBLICKEYBLOB bad = pub;
    bad.BitLen = 512;
    EXPECT_EQ(SKF_ECCVerify(dev, &bad, e.data(), 32, &sig), SAR_INVALIDPARAMERR);
    bad = pub;
    bad.YCoordinate[63] ^= 1;  // off the curve
    EXPECT_EQ(SKF_ECCVerify(dev, &bad, e.data(), 32, &sig), SAR_INVALIDPARAMERR);
    ECCSIGNATUREBLOB wide = sig;
    wide.r[0] = 1;
    EXPECT_EQ(SKF_ECCVerify(dev, &pub, e.data(), 32, &wide), SAR_FAIL);
    EXPECT_EQ(SKF_ECCVerify(dev, &pub, e.data(), 20, &sig), SAR_INDATALENERR);
    EXPECT_EQ(SKF_ECCVerify(dev, nullptr, e.data(), 32, &sig), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

// ---- hashing ----------------------------------------------------------------------------

TEST_F(SoftSkf, DigestKnownAnswersAndMultiPart) {
    DEVHANDLE dev = connect();
    const auto hash_of = [&](ULONG alg, std::string_view data) {
        HANDLE hash = nullptr;
        EXPECT_EQ(SKF_DigestInit(dev, alg, nullptr, nullptr, 0, &hash), SAR_OK);
        std::array<BYTE, 64> out{};
        ULONG length = static_cast<ULONG>(out.size());
        EXPECT_EQ(SKF_Digest(hash, pb(data), static_cast<ULONG>(data.size()), out.data(), &length),
                  SAR_OK);
        EXPECT_EQ(SKF_CloseHandle(hash), SAR_OK);
        return to_hex(ByteView(out.data(), length));
    };
    // GB/T 32905-2016 Appendix A.1; FIPS 180-4.
    EXPECT_EQ(hash_of(SGD_SM3, "abc"),
              "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    EXPECT_EQ(hash_of(SGD_SHA256, "abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    HANDLE hash = nullptr;
    ASSERT_EQ(SKF_DigestInit(dev, SGD_SM3, nullptr, nullptr, 0, &hash), SAR_OK);
    ASSERT_EQ(SKF_DigestUpdate(hash, pb("a"), 1), SAR_OK);
    ASSERT_EQ(SKF_DigestUpdate(hash, pb("bc"), 2), SAR_OK);
    ULONG length = 0;
    ASSERT_EQ(SKF_DigestFinal(hash, nullptr, &length), SAR_OK);  // size query keeps the hash
    EXPECT_EQ(length, 32U);
    std::array<BYTE, 32> out{};
    length = 16;
    EXPECT_EQ(SKF_DigestFinal(hash, out.data(), &length), SAR_BUFFER_TOO_SMALL);
    EXPECT_EQ(length, 32U);
    ASSERT_EQ(SKF_DigestFinal(hash, out.data(), &length), SAR_OK);
    EXPECT_EQ(to_hex(out), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    EXPECT_EQ(SKF_DigestUpdate(hash, pb("x"), 1), SAR_HASHOBJERR);
    EXPECT_EQ(SKF_CloseHandle(hash), SAR_OK);
    EXPECT_EQ(SKF_CloseHandle(hash), SAR_INVALIDHANDLEERR);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, DigestInitChecksItsParameters) {
    DEVHANDLE dev = connect();
    const PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2"));
    ECCPUBLICKEYBLOB pub = blob_of(key.get());
    HANDLE hash = nullptr;
    const auto id_len = static_cast<ULONG>(kId.size());
    EXPECT_EQ(SKF_DigestInit(dev, SGD_SM3, &pub, nullptr, 0, &hash), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_DigestInit(dev, SGD_SM3, &pub, pb(kId), 0, &hash), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_DigestInit(dev, SGD_SHA256, &pub, pb(kId), id_len, &hash), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_DigestInit(dev, 0x12345, nullptr, nullptr, 0, &hash), SAR_NOTSUPPORTYETERR);
    EXPECT_EQ(SKF_DigestInit(dev, SGD_SM3, nullptr, nullptr, 0, nullptr), SAR_INVALIDPARAMERR);
    pub.BitLen = 255;
    EXPECT_EQ(SKF_DigestInit(dev, SGD_SM3, &pub, pb(kId), id_len, &hash), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

// ---- SM4 session keys -------------------------------------------------------------------

TEST_F(SoftSkf, Sm4KnownAnswerAndCbcRoundTrip) {
    DEVHANDLE dev = connect();
    auto key = from_hex("0123456789abcdeffedcba9876543210");
    HANDLE h = nullptr;
    ASSERT_EQ(SKF_SetSymmKey(dev, key->data(), SGD_SM4_ECB, &h), SAR_OK);
    BLOCKCIPHERPARAM param{};
    ASSERT_EQ(SKF_EncryptInit(h, param), SAR_OK);
    std::array<BYTE, 16> out{};
    ULONG length = 0;
    ASSERT_EQ(SKF_Encrypt(h, key->data(), 16, nullptr, &length), SAR_OK);  // size query
    EXPECT_EQ(length, 16U);
    ASSERT_EQ(SKF_Encrypt(h, key->data(), 16, out.data(), &length), SAR_OK);
    // GB/T 32907-2016 Appendix A, example 1.
    EXPECT_EQ(to_hex(out), "681edf34d206965e86b3e94f536e4246");
    EXPECT_EQ(SKF_Encrypt(h, key->data(), 16, out.data(), &length), SAR_NOTINITIALIZEERR);
    ASSERT_EQ(SKF_EncryptInit(h, param), SAR_OK);
    EXPECT_EQ(SKF_Encrypt(h, key->data(), 15, out.data(), &length), SAR_INDATALENERR);
    EXPECT_EQ(SKF_CloseHandle(h), SAR_OK);

    ASSERT_EQ(SKF_SetSymmKey(dev, key->data(), SGD_SM4_CBC, &h), SAR_OK);
    param.IVLen = 16;
    param.PaddingType = 1;
    std::fill_n(param.IV, 16, 0x33);
    const std::string plain = "forty-one bytes of text to encrypt in CBC";
    ASSERT_EQ(SKF_EncryptInit(h, param), SAR_OK);
    std::vector<BYTE> cipher(64);
    ULONG first = 64;
    ASSERT_EQ(SKF_EncryptUpdate(h, pb(plain), 20, cipher.data(), &first), SAR_OK);
    ULONG second = 64 - first;
    ASSERT_EQ(SKF_EncryptUpdate(h, pb(plain) + 20, static_cast<ULONG>(plain.size() - 20),
                                cipher.data() + first, &second),
              SAR_OK);
    ULONG tail = 0;
    ASSERT_EQ(SKF_EncryptFinal(h, nullptr, &tail), SAR_OK);
    ASSERT_EQ(SKF_EncryptFinal(h, cipher.data() + first + second, &tail), SAR_OK);
    cipher.resize(first + second + tail);
    EXPECT_EQ(cipher.size(), 48U);

    ASSERT_EQ(SKF_DecryptInit(h, param), SAR_OK);
    std::vector<BYTE> back(64);
    ULONG back_length = 4;
    EXPECT_EQ(
        SKF_Decrypt(h, cipher.data(), static_cast<ULONG>(cipher.size()), back.data(), &back_length),
        SAR_BUFFER_TOO_SMALL);
    EXPECT_EQ(back_length, plain.size());
    back_length = 64;
    ASSERT_EQ(
        SKF_Decrypt(h, cipher.data(), static_cast<ULONG>(cipher.size()), back.data(), &back_length),
        SAR_OK);
    EXPECT_EQ(std::string(back.begin(), back.begin() + back_length), plain);

    cipher.back() ^= 1;
    ASSERT_EQ(SKF_DecryptInit(h, param), SAR_OK);
    back_length = 64;
    const ULONG rc =
        SKF_Decrypt(h, cipher.data(), static_cast<ULONG>(cipher.size()), back.data(), &back_length);
    EXPECT_TRUE(rc == SAR_DECRYPTPADERR || rc == SAR_OK) << std::hex << rc;  // padding may pass
    EXPECT_EQ(SKF_CloseHandle(h), SAR_OK);
    EXPECT_EQ(SKF_SetSymmKey(dev, key->data(), SGD_SM1_ECB, &h), SAR_NOTSUPPORTYETERR);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

// ---- PINs -------------------------------------------------------------------------------

TEST_F(SoftSkf, WrongUserPinsCountDownAndTheCountSurvivesReconnecting) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ULONG retries = 0;
    for (ULONG expected = kUserRetries - 1; expected >= kUserRetries - 3; --expected) {
        EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz("Wrong#123"), &retries), SAR_PIN_INCORRECT);
        EXPECT_EQ(retries, expected);
    }
    EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz("short"), &retries), SAR_PIN_LEN_RANGE);
    EXPECT_EQ(retries, kUserRetries - 3);  // not counted
    EXPECT_EQ(SKF_VerifyPIN(app, 5, sz(kUserPin), &retries), SAR_USER_TYPE_INVALID);
    EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, nullptr, &retries), SAR_INVALIDPARAMERR);
    ASSERT_EQ(SKF_DisConnectDev(dev), SAR_OK);
    EXPECT_EQ(SKF_GetPINInfo(app, USER_TYPE, &retries, &retries, nullptr), SAR_INVALIDHANDLEERR);

    dev = connect();
    ASSERT_EQ(SKF_OpenApplication(dev, sz("ESEAL"), &app), SAR_OK);
    EXPECT_EQ(remaining(app, USER_TYPE), kUserRetries - 3);
    EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz("Wrong#123"), &retries), SAR_PIN_INCORRECT);
    EXPECT_EQ(retries, kUserRetries - 4);
    EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz(kUserPin), &retries), SAR_OK);
    EXPECT_EQ(retries, kUserRetries);
    EXPECT_EQ(remaining(app, USER_TYPE), kUserRetries);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, TheLastWrongPinLocksAndTheLockSurvivesReconnecting) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ULONG retries = 0;
    for (ULONG i = 1; i < kUserRetries; ++i)
        EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz("Wrong#123"), &retries), SAR_PIN_INCORRECT);
    EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz("Wrong#123"), &retries), SAR_PIN_LOCKED);
    EXPECT_EQ(retries, 0U);
    EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz(kUserPin), &retries), SAR_PIN_LOCKED);
    ASSERT_EQ(SKF_DisConnectDev(dev), SAR_OK);
    dev = connect();
    ASSERT_EQ(SKF_OpenApplication(dev, sz("ESEAL"), &app), SAR_OK);
    EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz(kUserPin), &retries), SAR_PIN_LOCKED);
    EXPECT_EQ(SKF_ChangePIN(app, USER_TYPE, sz(kUserPin), sz("Other#123"), &retries),
              SAR_PIN_LOCKED);
    EXPECT_EQ(remaining(app, USER_TYPE), 0U);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, UnblockSetsANewUserPinAndKeepsTheKey) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ECCPUBLICKEYBLOB pub{};
    HCONTAINER container = keyed_container(app, pub);
    ULONG retries = 0;
    for (ULONG i = 0; i < kUserRetries; ++i)
        (void)SKF_VerifyPIN(app, USER_TYPE, sz("Wrong#123"), &retries);
    ASSERT_EQ(remaining(app, USER_TYPE), 0U);
    std::array<BYTE, 32> e{};
    ECCSIGNATUREBLOB sig{};
    EXPECT_EQ(SKF_ECCSignData(container, e.data(), 32, &sig), SAR_USER_NOT_LOGGED_IN);

    EXPECT_EQ(SKF_UnblockPIN(app, sz("Wrong#123"), sz("NewUser#1"), &retries), SAR_PIN_INCORRECT);
    EXPECT_EQ(retries, kAdminRetries - 1);
    EXPECT_EQ(SKF_UnblockPIN(app, sz(kAdminPin), sz("short"), &retries), SAR_PIN_LEN_RANGE);
    ASSERT_EQ(SKF_UnblockPIN(app, sz(kAdminPin), sz("NewUser#1"), &retries), SAR_OK);
    EXPECT_EQ(remaining(app, USER_TYPE), kUserRetries);
    EXPECT_EQ(remaining(app, ADMIN_TYPE), kAdminRetries);
    ULONG max = 0;
    ULONG left = 0;
    BOOL is_default = TRUE;
    ASSERT_EQ(SKF_GetPINInfo(app, USER_TYPE, &max, &left, &is_default), SAR_OK);
    EXPECT_EQ(is_default, FALSE);

    EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz(kUserPin), &retries), SAR_PIN_INCORRECT);
    ASSERT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz("NewUser#1"), &retries), SAR_OK);
    const std::string message = "after unblock";
    auto digest = token_digest(dev, pub, message);
    ASSERT_EQ(SKF_ECCSignData(container, digest.data(), 32, &sig), SAR_OK);
    EXPECT_EQ(SKF_ECCVerify(dev, &pub, digest.data(), 32, &sig), SAR_OK);
    EXPECT_TRUE(openssl_sm2_verify(openssl_public_key(pub).get(), message, der_of(sig)));
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, ChangePinReSealsTheKeyForBothRoles) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ECCPUBLICKEYBLOB pub{};
    HCONTAINER container = keyed_container(app, pub);
    ULONG retries = 0;
    EXPECT_EQ(SKF_ChangePIN(app, USER_TYPE, sz("Wrong#123"), sz("Changed#1"), &retries),
              SAR_PIN_INCORRECT);
    EXPECT_EQ(retries, kUserRetries - 1);
    EXPECT_EQ(SKF_ChangePIN(app, USER_TYPE, sz(kUserPin), sz("short"), &retries),
              SAR_PIN_LEN_RANGE);
    ASSERT_EQ(SKF_ChangePIN(app, USER_TYPE, sz(kUserPin), sz("Changed#1"), &retries), SAR_OK);
    EXPECT_EQ(remaining(app, USER_TYPE), kUserRetries);
    ASSERT_EQ(SKF_ChangePIN(app, ADMIN_TYPE, sz(kAdminPin), sz("Admin#456"), &retries), SAR_OK);

    ASSERT_EQ(SKF_DisConnectDev(dev), SAR_OK);
    dev = connect();
    ASSERT_EQ(SKF_OpenApplication(dev, sz("ESEAL"), &app), SAR_OK);
    ASSERT_EQ(SKF_OpenContainer(app, sz("seal"), &container), SAR_OK);
    EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz(kUserPin), &retries), SAR_PIN_INCORRECT);
    ASSERT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz("Changed#1"), &retries), SAR_OK);
    std::array<BYTE, 32> e{};
    ECCSIGNATUREBLOB sig{};
    ASSERT_EQ(SKF_ECCSignData(container, e.data(), 32, &sig), SAR_OK);
    EXPECT_EQ(SKF_ECCVerify(dev, &pub, e.data(), 32, &sig), SAR_OK);
    EXPECT_EQ(SKF_UnblockPIN(app, sz(kAdminPin), sz("Again#123"), &retries), SAR_PIN_INCORRECT);
    ASSERT_EQ(SKF_UnblockPIN(app, sz("Admin#456"), sz("Again#123"), &retries), SAR_OK);
    ASSERT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz("Again#123"), &retries), SAR_OK);
    ASSERT_EQ(SKF_ECCSignData(container, e.data(), 32, &sig), SAR_OK);
    EXPECT_EQ(SKF_ECCVerify(dev, &pub, e.data(), 32, &sig), SAR_OK);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, ALockedAdminPinLeavesNoWayBack) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ULONG retries = 0;
    for (ULONG i = 1; i < kAdminRetries; ++i)
        ASSERT_EQ(SKF_VerifyPIN(app, ADMIN_TYPE, sz("Wrong#123"), &retries), SAR_PIN_INCORRECT);
    EXPECT_EQ(SKF_UnblockPIN(app, sz("Wrong#123"), sz("NewUser#1"), &retries), SAR_PIN_LOCKED);
    EXPECT_EQ(retries, 0U);
    EXPECT_EQ(SKF_VerifyPIN(app, ADMIN_TYPE, sz(kAdminPin), &retries), SAR_PIN_LOCKED);
    EXPECT_EQ(SKF_UnblockPIN(app, sz(kAdminPin), sz("NewUser#1"), &retries), SAR_PIN_LOCKED);
    EXPECT_EQ(SKF_ChangePIN(app, ADMIN_TYPE, sz(kAdminPin), sz("Admin#456"), &retries),
              SAR_PIN_LOCKED);
    // The user PIN still works while it lasts; once it is locked too, the application is lost.
    EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz(kUserPin), &retries), SAR_OK);
    for (ULONG i = 0; i < kUserRetries; ++i)
        (void)SKF_VerifyPIN(app, USER_TYPE, sz("Wrong#123"), &retries);
    EXPECT_EQ(SKF_VerifyPIN(app, USER_TYPE, sz(kUserPin), &retries), SAR_PIN_LOCKED);
    EXPECT_EQ(SKF_UnblockPIN(app, sz(kAdminPin), sz("NewUser#1"), &retries), SAR_PIN_LOCKED);
    HCONTAINER container = nullptr;
    EXPECT_EQ(SKF_CreateContainer(app, sz("seal"), &container), SAR_USER_NOT_LOGGED_IN);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, CountersHoldWhenProcessesShareTheDevice) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ASSERT_EQ(SKF_DisConnectDev(dev), SAR_OK);
    constexpr int kChildren = 3;
    constexpr int kTriesEach = 2;  // kChildren * kTriesEach < kAdminRetries
    std::vector<pid_t> children;
    for (int i = 0; i < kChildren; ++i) {
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            DEVHANDLE d = nullptr;
            HAPPLICATION a = nullptr;
            ULONG r = 0;
            int bad = SKF_ConnectDev(sz("ukey-1"), &d) != SAR_OK ||
                      SKF_OpenApplication(d, sz("ESEAL"), &a) != SAR_OK;
            for (int t = 0; t < kTriesEach && !bad; ++t)
                bad = SKF_VerifyPIN(a, ADMIN_TYPE, sz("Wrong#123"), &r) != SAR_PIN_INCORRECT;
            _exit(bad);
        }
        children.push_back(pid);
    }
    for (const pid_t pid : children) {
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    dev = connect();
    ASSERT_EQ(SKF_OpenApplication(dev, sz("ESEAL"), &app), SAR_OK);
    EXPECT_EQ(remaining(app, ADMIN_TYPE), kAdminRetries - kChildren * kTriesEach);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

TEST_F(SoftSkf, ThreadsSignThroughOneContainerHandle) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ECCPUBLICKEYBLOB pub{};
    HCONTAINER container = keyed_container(app, pub);
    std::vector<std::thread> threads;
    std::array<int, 4> failures{};
    for (std::size_t t = 0; t < failures.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 5; ++i) {
                std::array<BYTE, 32> e{};
                e.fill(static_cast<BYTE>(t * 16 + static_cast<std::size_t>(i)));
                ECCSIGNATUREBLOB sig{};
                ECCPUBLICKEYBLOB key = pub;
                if (SKF_ECCSignData(container, e.data(), 32, &sig) != SAR_OK ||
                    SKF_ECCVerify(dev, &key, e.data(), 32, &sig) != SAR_OK)
                    ++failures[t];
                ULONG size = 0;
                if (SKF_EnumContainer(app, nullptr, &size) != SAR_OK)
                    ++failures[t];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures, (std::array<int, 4>{}));
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

// ---- certificates -----------------------------------------------------------------------

TEST_F(SoftSkf, CertificatesInBothSlots) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ECCPUBLICKEYBLOB pub{};
    HCONTAINER container = keyed_container(app, pub);
    Bytes sign_cert(700, 0x30);
    Bytes enc_cert(500, 0x31);
    std::array<BYTE, 1000> out{};
    ULONG length = static_cast<ULONG>(out.size());
    EXPECT_EQ(SKF_ExportCertificate(container, TRUE, out.data(), &length), SAR_CERTNOTFOUNTERR);
    ASSERT_EQ(SKF_ImportCertificate(container, TRUE, sign_cert.data(),
                                    static_cast<ULONG>(sign_cert.size())),
              SAR_OK);
    ASSERT_EQ(SKF_ImportCertificate(container, FALSE, enc_cert.data(),
                                    static_cast<ULONG>(enc_cert.size())),
              SAR_OK);
    EXPECT_EQ(SKF_ImportCertificate(container, TRUE, sign_cert.data(), 0), SAR_INDATALENERR);
    EXPECT_EQ(SKF_ImportCertificate(container, TRUE, sign_cert.data(), 20000), SAR_INDATALENERR);
    EXPECT_EQ(SKF_ImportCertificate(container, TRUE, nullptr, 10), SAR_INVALIDPARAMERR);

    ASSERT_EQ(SKF_DisConnectDev(dev), SAR_OK);  // certificates outlive the connection
    dev = connect();
    ASSERT_EQ(SKF_OpenApplication(dev, sz("ESEAL"), &app), SAR_OK);
    ASSERT_EQ(SKF_OpenContainer(app, sz("seal"), &container), SAR_OK);
    length = 0;
    ASSERT_EQ(SKF_ExportCertificate(container, TRUE, nullptr, &length), SAR_OK);
    EXPECT_EQ(length, sign_cert.size());
    length = 100;
    EXPECT_EQ(SKF_ExportCertificate(container, TRUE, out.data(), &length), SAR_BUFFER_TOO_SMALL);
    EXPECT_EQ(length, sign_cert.size());
    ASSERT_EQ(SKF_ExportCertificate(container, TRUE, out.data(), &length), SAR_OK);
    EXPECT_TRUE(std::equal(sign_cert.begin(), sign_cert.end(), out.begin()));
    length = static_cast<ULONG>(out.size());
    ASSERT_EQ(SKF_ExportCertificate(container, FALSE, out.data(), &length), SAR_OK);
    EXPECT_EQ(Bytes(out.begin(), out.begin() + length), enc_cert);
    EXPECT_EQ(SKF_ExportCertificate(container, FALSE, out.data(), nullptr), SAR_INVALIDPARAMERR);
    // Importing needs the user PIN (not logged in on this connection).
    EXPECT_EQ(SKF_ImportCertificate(container, TRUE, sign_cert.data(), 10), SAR_USER_NOT_LOGGED_IN);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

// ---- handles, parameters, sizes ---------------------------------------------------------

TEST_F(SoftSkf, BogusStaleAndMistypedHandlesAreRejected) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ECCPUBLICKEYBLOB pub{};
    HCONTAINER container = keyed_container(app, pub);
    std::array<BYTE, 64> buffer{};
    ULONG size = static_cast<ULONG>(buffer.size());
    ULONG value = 0;
    BOOL flag = FALSE;
    DEVINFO info{};
    ECCSIGNATUREBLOB sig{};
    HANDLE out = nullptr;
    BLOCKCIPHERPARAM param{};

    for (HANDLE h : {bogus(), static_cast<HANDLE>(nullptr)}) {
        EXPECT_EQ(SKF_DisConnectDev(h), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_GetDevInfo(h, &info), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_DevAuth(h, buffer.data(), 16), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_GenRandom(h, buffer.data(), 8), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_EnumApplication(h, nullptr, &size), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_OpenApplication(h, sz("ESEAL"), &out), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_VerifyPIN(h, USER_TYPE, sz(kUserPin), &value), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_GetPINInfo(h, USER_TYPE, &value, &value, &flag), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_ClearSecureState(h), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_CloseApplication(h), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_EnumContainer(h, nullptr, &size), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_CreateContainer(h, sz("x"), &out), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_GenECCKeyPair(h, SGD_SM2_1, &pub), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_ECCSignData(h, buffer.data(), 32, &sig), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_ECCVerify(h, &pub, buffer.data(), 32, &sig), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_ExportPublicKey(h, TRUE, buffer.data(), &size), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_ImportCertificate(h, TRUE, buffer.data(), 8), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_ExportCertificate(h, TRUE, buffer.data(), &size), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_CloseContainer(h), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_DigestInit(h, SGD_SM3, nullptr, nullptr, 0, &out), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_Digest(h, buffer.data(), 3, buffer.data(), &size), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_DigestUpdate(h, buffer.data(), 3), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_DigestFinal(h, buffer.data(), &size), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_EncryptInit(h, param), SAR_INVALIDHANDLEERR);
        EXPECT_EQ(SKF_CloseHandle(h), SAR_INVALIDHANDLEERR);
    }
    // A handle of one kind where another is expected.
    EXPECT_EQ(SKF_GetDevInfo(app, &info), SAR_INVALIDHANDLEERR);
    EXPECT_EQ(SKF_VerifyPIN(dev, USER_TYPE, sz(kUserPin), &value), SAR_INVALIDHANDLEERR);
    EXPECT_EQ(SKF_ECCSignData(app, buffer.data(), 32, &sig), SAR_INVALIDHANDLEERR);
    EXPECT_EQ(SKF_CloseApplication(container), SAR_INVALIDHANDLEERR);
    EXPECT_EQ(SKF_CloseHandle(container), SAR_INVALIDHANDLEERR);
    EXPECT_EQ(SKF_DisConnectDev(app), SAR_INVALIDHANDLEERR);

    // Closing the application closes its containers; disconnecting closes everything.
    HAPPLICATION second = nullptr;
    ASSERT_EQ(SKF_OpenApplication(dev, sz("ESEAL"), &second), SAR_OK);
    ASSERT_EQ(SKF_CloseApplication(app), SAR_OK);
    EXPECT_EQ(SKF_ECCSignData(container, buffer.data(), 32, &sig), SAR_INVALIDHANDLEERR);
    EXPECT_EQ(SKF_GetPINInfo(second, USER_TYPE, &value, &value, &flag), SAR_OK);
    ASSERT_EQ(SKF_DigestInit(dev, SGD_SM3, nullptr, nullptr, 0, &out), SAR_OK);
    ASSERT_EQ(SKF_DisConnectDev(dev), SAR_OK);
    EXPECT_EQ(SKF_GetPINInfo(second, USER_TYPE, &value, &value, &flag), SAR_INVALIDHANDLEERR);
    EXPECT_EQ(SKF_DigestUpdate(out, buffer.data(), 3), SAR_INVALIDHANDLEERR);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_INVALIDHANDLEERR);
}

TEST_F(SoftSkf, NullOutputsAndSizeQueries) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ECCPUBLICKEYBLOB pub{};
    HCONTAINER container = keyed_container(app, pub);
    ULONG size = 0;
    ASSERT_EQ(SKF_ExportPublicKey(container, TRUE, nullptr, &size), SAR_OK);
    EXPECT_EQ(size, sizeof(ECCPUBLICKEYBLOB));
    std::array<BYTE, 200> buffer{};
    size = 100;
    EXPECT_EQ(SKF_ExportPublicKey(container, TRUE, buffer.data(), &size), SAR_BUFFER_TOO_SMALL);
    EXPECT_EQ(size, sizeof(ECCPUBLICKEYBLOB));
    EXPECT_EQ(SKF_ExportPublicKey(container, TRUE, buffer.data(), nullptr), SAR_INVALIDPARAMERR);

    size = 0;
    ASSERT_EQ(SKF_EnumApplication(dev, nullptr, &size), SAR_OK);
    EXPECT_EQ(size, 7U);  // "ESEAL\0\0"
    size = 3;
    EXPECT_EQ(SKF_EnumApplication(dev, sz(reinterpret_cast<char*>(buffer.data())), &size),
              SAR_BUFFER_TOO_SMALL);
    EXPECT_EQ(size, 7U);
    EXPECT_EQ(SKF_EnumContainer(app, nullptr, nullptr), SAR_INVALIDPARAMERR);

    HANDLE hash = nullptr;
    ASSERT_EQ(SKF_DigestInit(dev, SGD_SM3, nullptr, nullptr, 0, &hash), SAR_OK);
    size = 0;
    ASSERT_EQ(SKF_Digest(hash, pb("abc"), 3, nullptr, &size), SAR_OK);
    EXPECT_EQ(size, 32U);
    size = 31;
    EXPECT_EQ(SKF_Digest(hash, pb("abc"), 3, buffer.data(), &size), SAR_BUFFER_TOO_SMALL);
    size = 32;
    ASSERT_EQ(SKF_Digest(hash, pb("abc"), 3, buffer.data(), &size),
              SAR_OK);  // the data was not eaten
    EXPECT_EQ(to_hex(ByteView(buffer.data(), 32)),
              "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    EXPECT_EQ(SKF_CloseHandle(hash), SAR_OK);

    EXPECT_EQ(SKF_GenRandom(dev, nullptr, 8), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_GenRandom(dev, buffer.data(), 0), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_OpenContainer(app, sz("seal"), nullptr), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_OpenApplication(dev, nullptr, &hash), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_GetContainerType(container, nullptr), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_ChangePIN(app, USER_TYPE, nullptr, sz("Other#123"), &size), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_UnblockPIN(app, sz(kAdminPin), nullptr, &size), SAR_INVALIDPARAMERR);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

// ---- what is on disk --------------------------------------------------------------------

bool contains(const std::string& haystack, ByteView needle) {
    return haystack.find(std::string(needle.begin(), needle.end())) != std::string::npos;
}

std::string upper(std::string s) {
    std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

TEST_F(SoftSkf, PrivateKeysAndTheDataKeyAreNeverStoredInClear) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ECCPUBLICKEYBLOB pub{};
    (void)keyed_container(app, pub);
    ASSERT_EQ(SKF_DisConnectDev(dev), SAR_OK);

    // Open the state with the user PIN the way the token does, to get the scalar to look for.
    const std::string text = read_file(state_file());
    auto state = parse_state(text);
    ASSERT_TRUE(state);
    Application& a = state->applications.at(0);
    Container& c = a.containers.at(0);
    ASSERT_TRUE(c.sign_key);
    const auto user_keys = derive_pin_keys(kUserPin, a.user_pin.kdf);
    ASSERT_TRUE(user_keys);
    const auto dek =
        unseal(user_keys->kek, a.user_pin.wrapped_dek, as_bytes(dek_binding(a, PinRole::user)));
    ASSERT_TRUE(dek);
    const auto scalar = unseal(*dek, c.sign_key->private_scalar, as_bytes(sign_key_binding(a, c)));
    ASSERT_TRUE(scalar);
    ASSERT_EQ(scalar->size(), 32U);
    const auto point = sm2_public_from_private(*scalar);
    ASSERT_TRUE(point);
    EXPECT_TRUE(std::equal(point->begin(), point->begin() + 32, pub.XCoordinate + 32));
    EXPECT_TRUE(std::equal(point->begin() + 32, point->end(), pub.YCoordinate + 32));

    // The admin PIN opens the same data key; a wrong PIN and a wrong binding open nothing.
    const auto admin_keys = derive_pin_keys(kAdminPin, a.admin_pin.kdf);
    const auto admin_dek =
        unseal(admin_keys->kek, a.admin_pin.wrapped_dek, as_bytes(dek_binding(a, PinRole::admin)));
    ASSERT_TRUE(admin_dek);
    EXPECT_EQ(*admin_dek, *dek);
    const auto wrong_keys = derive_pin_keys("User#124", a.user_pin.kdf);
    EXPECT_FALSE(
        unseal(wrong_keys->kek, a.user_pin.wrapped_dek, as_bytes(dek_binding(a, PinRole::user))));
    EXPECT_FALSE(
        unseal(user_keys->kek, a.user_pin.wrapped_dek, as_bytes(dek_binding(a, PinRole::admin))));
    EXPECT_NE(user_keys->verifier, user_keys->kek);

    // No file of the device holds the scalar or the data key, raw or in hex.
    for (const auto& entry : fs::directory_iterator(m_root / "ukey-1")) {
        const std::string bytes = read_file(entry.path());
        SCOPED_TRACE(entry.path().string());
        for (const SecureBytes* secret : {&*scalar, &*dek}) {
            EXPECT_FALSE(contains(bytes, *secret));
            const std::string hex = to_hex(*secret);
            EXPECT_EQ(bytes.find(hex), std::string::npos);
            EXPECT_EQ(bytes.find(upper(hex)), std::string::npos);
        }
        struct stat st {};
        ASSERT_EQ(::stat(entry.path().c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0077, 0U) << "readable by others";
    }
}

TEST_F(SoftSkf, TamperedOrMovedKeyBlobsAreRefused) {
    DEVHANDLE dev = connect();
    HAPPLICATION app = create_app(dev);
    ECCPUBLICKEYBLOB pub_a{};
    ECCPUBLICKEYBLOB pub_b{};
    HCONTAINER a = keyed_container(app, pub_a, "a");
    HCONTAINER b = nullptr;
    ASSERT_EQ(SKF_CreateContainer(app, sz("b"), &b), SAR_OK);
    ASSERT_EQ(SKF_GenECCKeyPair(b, SGD_SM2_1, &pub_b), SAR_OK);

    // Container b gets a's sealed private key: the binding to the container stops it.
    auto state = parse_state(read_file(state_file()));
    ASSERT_TRUE(state);
    auto& containers = state->applications.at(0).containers;
    containers.at(1).sign_key->private_scalar = containers.at(0).sign_key->private_scalar;
    write_file(state_file(), serialize(*state));
    std::array<BYTE, 32> e{};
    ECCSIGNATUREBLOB sig{};
    EXPECT_EQ(SKF_ECCSignData(b, e.data(), 32, &sig), SAR_FILEERR);
    EXPECT_EQ(SKF_ECCSignData(a, e.data(), 32, &sig), SAR_OK);

    containers.at(0).sign_key->private_scalar.ciphertext[3] ^= 0x10;
    write_file(state_file(), serialize(*state));
    EXPECT_EQ(SKF_ECCSignData(a, e.data(), 32, &sig), SAR_FILEERR);
    EXPECT_EQ(SKF_DisConnectDev(dev), SAR_OK);
}

// ---- the shared library -----------------------------------------------------------------

TEST(SoftSkfLibrary, TheSharedLibraryExportsTheSkfApiAndRunsWhenLoaded) {
    void* lib = dlopen(ESEAL_SOFTSKF_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(lib, nullptr) << dlerror();
    for (const char* name :
         {"SKF_EnumDev",           "SKF_ConnectDev",        "SKF_DisConnectDev",
          "SKF_GetDevInfo",        "SKF_DevAuth",           "SKF_ChangeDevAuthKey",
          "SKF_CreateApplication", "SKF_EnumApplication",   "SKF_OpenApplication",
          "SKF_CloseApplication",  "SKF_DeleteApplication", "SKF_VerifyPIN",
          "SKF_ChangePIN",         "SKF_GetPINInfo",        "SKF_UnblockPIN",
          "SKF_ClearSecureState",  "SKF_CreateContainer",   "SKF_OpenContainer",
          "SKF_EnumContainer",     "SKF_CloseContainer",    "SKF_DeleteContainer",
          "SKF_GenECCKeyPair",     "SKF_ExportPublicKey",   "SKF_ECCSignData",
          "SKF_ECCVerify",         "SKF_ImportCertificate", "SKF_ExportCertificate",
          "SKF_GenRandom",         "SKF_DigestInit",        "SKF_Digest",
          "SKF_DigestUpdate",      "SKF_DigestFinal",       "SKF_CloseHandle",
          "SKF_SetSymmKey",        "SKF_EncryptInit",       "SKF_Encrypt",
          "SKF_MacInit",           "SKF_CreateFile"})
        EXPECT_NE(dlsym(lib, name), nullptr) << name;
    // Internals stay inside.
    EXPECT_EQ(dlsym(lib, "_ZN5eseal7softskf6to_hexB5cxx11ESt4spanIKhLm18446744073709551615EE"),
              nullptr);

    using EnumDev = ULONG (*)(BOOL, LPSTR, ULONG*);
    using SetSymmKey = ULONG (*)(DEVHANDLE, BYTE*, ULONG, HANDLE*);
    auto enum_dev = reinterpret_cast<EnumDev>(dlsym(lib, "SKF_EnumDev"));
    auto set_symm_key = reinterpret_cast<SetSymmKey>(dlsym(lib, "SKF_SetSymmKey"));
    ASSERT_TRUE(enum_dev && set_symm_key);
    ::setenv("ESEAL_SOFTSKF_DIR", "/nonexistent/softskf", 1);
    char list[8];
    ULONG size = sizeof list;
    EXPECT_EQ(enum_dev(TRUE, sz(list), &size), SAR_OK);
    EXPECT_EQ(size, 2U);
    std::array<BYTE, 16> key{};
    HANDLE h = nullptr;
    EXPECT_EQ(set_symm_key(bogus(), key.data(), SGD_SM4_ECB, &h), SAR_INVALIDHANDLEERR);
    ::unsetenv("ESEAL_SOFTSKF_DIR");
    dlclose(lib);
}

}  // namespace
}  // namespace eseal::softskf
