/*
 * A whole SKF session in plain C, the way a vendor's sample program would do it: this file sees
 * only skf.h and links only libeseal_softskf.so (and libc). The device comes from
 * $ESEAL_SOFTSKF_DIR, made by eseal-softskf-admin with the default device authentication key.
 * Every step is printed; the exit status is 0 only if every step gave what GM/T 0016-2012 says.
 */
#include <stdio.h>
#include <string.h>

#include "skf.h"

#define STR(s) ((LPSTR)(s))

static int g_failures = 0;

static void step(const char* what, ULONG got, ULONG want) {
    const int ok = got == want;
    printf("%-58s 0x%08X %s\n", what, (unsigned)got, ok ? "ok" : "FAILED");
    if (!ok) {
        printf("    expected 0x%08X\n", (unsigned)want);
        g_failures++;
    }
}

static void check(const char* what, int condition) {
    printf("%-58s %s\n", what, condition ? "ok" : "FAILED");
    if (!condition) g_failures++;
}

/* The response to the device authentication challenge (GM/T 0016-2012 §7.2.3), computed with the
 * token's own SM4: random from SKF_GenRandom, zero-padded to 16 bytes, SM4-ECB under the key. */
static ULONG device_authenticate(DEVHANDLE dev, const BYTE key[16]) {
    BYTE challenge[16] = {0};
    BYTE response[16];
    ULONG response_len = sizeof response;
    HANDLE sm4 = NULL;
    BLOCKCIPHERPARAM param;
    ULONG rc = SKF_GenRandom(dev, challenge, 8);
    if (rc != SAR_OK) return rc;
    rc = SKF_SetSymmKey(dev, (BYTE*)key, SGD_SM4_ECB, &sm4);
    if (rc != SAR_OK) return rc;
    memset(&param, 0, sizeof param);
    rc = SKF_EncryptInit(sm4, param);
    if (rc == SAR_OK) rc = SKF_Encrypt(sm4, challenge, sizeof challenge, response, &response_len);
    SKF_CloseHandle(sm4);
    if (rc != SAR_OK) return rc;
    return SKF_DevAuth(dev, response, response_len);
}

int main(void) {
    static const BYTE kDevAuthKey[16] = {'1', '2', '3', '4', '5', '6', '7', '8',
                                         '1', '2', '3', '4', '5', '6', '7', '8'};
    static const char kId[] = "1234567812345678";
    static const char kMessage[] = "GB/T 38540-2020 seal test message";
    char names[512];
    ULONG size = 0;
    DEVHANDLE dev = NULL;
    DEVINFO info;
    HAPPLICATION app = NULL;
    HCONTAINER container = NULL;
    HANDLE hash = NULL;
    ULONG retries = 0;
    ULONG max_retries = 0;
    BOOL is_default = FALSE;
    ECCPUBLICKEYBLOB pub;
    ECCPUBLICKEYBLOB exported;
    ECCSIGNATUREBLOB sig;
    BYTE digest[32];
    ULONG digest_len = sizeof digest;
    BYTE cert[300];
    BYTE cert_back[400];
    ULONG cert_len = 0;
    ULONG i;

    printf("sizeof DEVINFO %u, ECCPUBLICKEYBLOB %u, ECCSIGNATUREBLOB %u\n",
           (unsigned)sizeof(DEVINFO), (unsigned)sizeof(ECCPUBLICKEYBLOB),
           (unsigned)sizeof(ECCSIGNATUREBLOB));
    check("packed structures have the sizes of the standard",
          sizeof(DEVINFO) == 294 && sizeof(ECCPUBLICKEYBLOB) == 132 &&
              sizeof(ECCSIGNATUREBLOB) == 128 && sizeof(ULONG) == 4 && sizeof(BOOL) == 4);

    /* Devices */
    step("SKF_EnumDev size query", SKF_EnumDev(TRUE, NULL, &size), SAR_OK);
    check("  size fits the buffer", size > 2 && size <= sizeof names);
    step("SKF_EnumDev", SKF_EnumDev(TRUE, STR(names), &size), SAR_OK);
    printf("  first device: %s\n", names);
    step("SKF_ConnectDev", SKF_ConnectDev(STR(names), &dev), SAR_OK);
    step("SKF_GetDevInfo", SKF_GetDevInfo(dev, &info), SAR_OK);
    printf("  manufacturer %s, serial %s, label %s, dev auth alg 0x%X\n", (char*)info.Manufacturer,
           (char*)info.SerialNumber, (char*)info.Label, (unsigned)info.DevAuthAlgId);
    step("SKF_CreateApplication before SKF_DevAuth",
         SKF_CreateApplication(dev, STR("ESEAL"), STR("Admin#123"), 10, STR("User#123"), 6,
                               SECURE_ANYONE_ACCOUNT, &app),
         SAR_USER_NOT_LOGGED_IN);
    step("SKF_DevAuth (SM4-ECB of SKF_GenRandom's challenge)",
         device_authenticate(dev, kDevAuthKey), SAR_OK);

    /* Application, PIN, container, key pair */
    step("SKF_CreateApplication ESEAL",
         SKF_CreateApplication(dev, STR("ESEAL"), STR("Admin#123"), 10, STR("User#123"), 6,
                               SECURE_ANYONE_ACCOUNT, &app),
         SAR_OK);
    step("SKF_CreateContainer before login", SKF_CreateContainer(app, STR("seal"), &container),
         SAR_USER_NOT_LOGGED_IN);
    step("SKF_VerifyPIN user", SKF_VerifyPIN(app, USER_TYPE, STR("User#123"), &retries), SAR_OK);
    step("SKF_CreateContainer seal", SKF_CreateContainer(app, STR("seal"), &container), SAR_OK);
    step("SKF_GenECCKeyPair SGD_SM2_1", SKF_GenECCKeyPair(container, SGD_SM2_1, &pub), SAR_OK);
    check("  BitLen 256, X right-aligned", pub.BitLen == 256 && pub.XCoordinate[0] == 0);
    size = sizeof exported;
    step("SKF_ExportPublicKey sign", SKF_ExportPublicKey(container, TRUE, (BYTE*)&exported, &size),
         SAR_OK);
    check("  same as the generated key", size == sizeof pub && memcmp(&pub, &exported, size) == 0);

    /* Hash with Z, sign, verify */
    step("SKF_DigestInit SM3 with public key and ID",
         SKF_DigestInit(dev, SGD_SM3, &pub, (BYTE*)kId, (ULONG)strlen(kId), &hash), SAR_OK);
    step("SKF_Digest",
         SKF_Digest(hash, (BYTE*)kMessage, (ULONG)strlen(kMessage), digest, &digest_len), SAR_OK);
    step("SKF_CloseHandle hash", SKF_CloseHandle(hash), SAR_OK);
    step("SKF_ECCSignData", SKF_ECCSignData(container, digest, digest_len, &sig), SAR_OK);
    step("SKF_ECCVerify", SKF_ECCVerify(dev, &pub, digest, digest_len, &sig), SAR_OK);
    digest[0] ^= 1;
    step("SKF_ECCVerify of another digest", SKF_ECCVerify(dev, &pub, digest, digest_len, &sig),
         SAR_FAIL);
    digest[0] ^= 1;

    /* Certificates */
    for (i = 0; i < sizeof cert; i++) cert[i] = (BYTE)(i * 7 + 1);
    cert[0] = 0x30;
    step("SKF_ImportCertificate sign", SKF_ImportCertificate(container, TRUE, cert, sizeof cert),
         SAR_OK);
    step("SKF_ExportCertificate sign size query",
         SKF_ExportCertificate(container, TRUE, NULL, &cert_len), SAR_OK);
    check("  size", cert_len == sizeof cert);
    cert_len = 10;
    step("SKF_ExportCertificate sign into 10 bytes",
         SKF_ExportCertificate(container, TRUE, cert_back, &cert_len), SAR_BUFFER_TOO_SMALL);
    cert_len = sizeof cert_back;
    step("SKF_ExportCertificate sign", SKF_ExportCertificate(container, TRUE, cert_back, &cert_len),
         SAR_OK);
    check("  same bytes", cert_len == sizeof cert && memcmp(cert, cert_back, cert_len) == 0);
    cert_len = sizeof cert_back;
    step("SKF_ExportCertificate encryption (empty)",
         SKF_ExportCertificate(container, FALSE, cert_back, &cert_len), SAR_CERTNOTFOUNTERR);

    /* Wrong user PINs until locked */
    for (i = 1; i <= 5; i++) {
        step("SKF_VerifyPIN wrong user PIN",
             SKF_VerifyPIN(app, USER_TYPE, STR("Wrong#123"), &retries), SAR_PIN_INCORRECT);
        printf("  %u tries left\n", (unsigned)retries);
        check("  count went down", retries == 6 - i);
    }
    step("SKF_VerifyPIN wrong user PIN, the last try",
         SKF_VerifyPIN(app, USER_TYPE, STR("Wrong#123"), &retries), SAR_PIN_LOCKED);
    step("SKF_VerifyPIN right user PIN, locked",
         SKF_VerifyPIN(app, USER_TYPE, STR("User#123"), &retries), SAR_PIN_LOCKED);
    step("SKF_GetPINInfo user", SKF_GetPINInfo(app, USER_TYPE, &max_retries, &retries, &is_default),
         SAR_OK);
    check("  6 max, 0 left", max_retries == 6 && retries == 0);
    step("SKF_ECCSignData when locked out", SKF_ECCSignData(container, digest, 32, &sig),
         SAR_USER_NOT_LOGGED_IN);

    /* Unblock: the admin PIN sets a new user PIN; the key survives */
    step("SKF_UnblockPIN with a wrong admin PIN",
         SKF_UnblockPIN(app, STR("Wrong#123"), STR("NewUser#1"), &retries), SAR_PIN_INCORRECT);
    check("  admin tries: 9 left", retries == 9);
    step("SKF_UnblockPIN", SKF_UnblockPIN(app, STR("Admin#123"), STR("NewUser#1"), &retries),
         SAR_OK);
    step("SKF_VerifyPIN new user PIN", SKF_VerifyPIN(app, USER_TYPE, STR("NewUser#1"), &retries),
         SAR_OK);
    step("SKF_ECCSignData after unblock", SKF_ECCSignData(container, digest, 32, &sig), SAR_OK);
    step("SKF_ECCVerify against the key made before the lockout",
         SKF_ECCVerify(dev, &pub, digest, 32, &sig), SAR_OK);

    /* Closing */
    step("SKF_CloseContainer", SKF_CloseContainer(container), SAR_OK);
    step("SKF_CloseContainer again", SKF_CloseContainer(container), SAR_INVALIDHANDLEERR);
    step("SKF_CloseApplication", SKF_CloseApplication(app), SAR_OK);
    step("SKF_DisConnectDev", SKF_DisConnectDev(dev), SAR_OK);
    step("SKF_GetDevInfo after disconnect", SKF_GetDevInfo(dev, &info), SAR_INVALIDHANDLEERR);

    printf("%s: %d failure(s)\n", g_failures == 0 ? "PASS" : "FAIL", g_failures);
    return g_failures == 0 ? 0 : 1;
}
