// GM/T 0016-2012 §7.6 cryptographic services: SM2 key pairs, signing and verification, public key
// export, SM4 session keys, hashing, SKF_CloseHandle. (SKF_GenRandom is in skf_device.cpp.)
#include <algorithm>
#include <cstring>

#include "api_support.hpp"
#include "handles.hpp"
#include "skf.h"
#include "sm2.hpp"
#include "symmetric.hpp"

using namespace eseal::softskf;

namespace {

constexpr ULONG kSm2Bits = 256;

HandleTable& handles() {
    return HandleTable::instance();
}

// §6.4.5: 256-bit coordinates right-aligned in the 64-byte fields.
ULONG point_from_blob(const ECCPUBLICKEYBLOB& blob, Sm2Point& out) {
    if (blob.BitLen != kSm2Bits)
        return SAR_INVALIDPARAMERR;
    const auto zero = [](const BYTE* p) {
        return std::all_of(p, p + 32, [](BYTE b) { return b == 0; });
    };
    if (!zero(blob.XCoordinate) || !zero(blob.YCoordinate))
        return SAR_INVALIDPARAMERR;
    std::copy_n(blob.XCoordinate + 32, 32, out.begin());
    std::copy_n(blob.YCoordinate + 32, 32, out.begin() + 32);
    return SAR_OK;
}

ECCPUBLICKEYBLOB blob_from_point(const Sm2Point& point) {
    ECCPUBLICKEYBLOB blob{};
    blob.BitLen = kSm2Bits;
    std::copy_n(point.begin(), 32, blob.XCoordinate + 32);
    std::copy_n(point.begin() + 32, 32, blob.YCoordinate + 32);
    return blob;
}

// §6.4.8: r and s right-aligned in 64-byte fields. nullopt if a value does not fit 256 bits,
// which no valid SM2 signature does.
std::optional<Sm2Signature> signature_from_blob(const ECCSIGNATUREBLOB& blob) {
    const auto zero = [](const BYTE* p) {
        return std::all_of(p, p + 32, [](BYTE b) { return b == 0; });
    };
    if (!zero(blob.r) || !zero(blob.s))
        return std::nullopt;
    Sm2Signature sig{};
    std::copy_n(blob.r + 32, 32, sig.begin());
    std::copy_n(blob.s + 32, 32, sig.begin() + 32);
    return sig;
}

void fill_signature_blob(const Sm2Signature& sig, ECCSIGNATUREBLOB& blob) {
    std::memset(&blob, 0, sizeof blob);
    std::copy_n(sig.begin(), 32, blob.r + 32);
    std::copy_n(sig.begin() + 32, 32, blob.s + 32);
}

ULONG verify(DEVHANDLE hDev, ECCPUBLICKEYBLOB* pECCPubKeyBlob, BYTE* pbData, ULONG ulDataLen,
             ECCSIGNATUREBLOB* pSignature) {
    if (!handles().get<DeviceSession>(hDev))
        return SAR_INVALIDHANDLEERR;
    if (pECCPubKeyBlob == nullptr || pbData == nullptr || pSignature == nullptr)
        return SAR_INVALIDPARAMERR;
    if (ulDataLen != kSm3DigestBytes)
        return SAR_INDATALENERR;
    Sm2Point point{};
    if (const ULONG rc = point_from_blob(*pECCPubKeyBlob, point); rc != SAR_OK)
        return rc;
    const auto sig = signature_from_blob(*pSignature);
    if (!sig)
        return SAR_FAIL;
    switch (sm2_verify_digest(point, ByteView(pbData, ulDataLen), *sig)) {
        case Sm2Verdict::valid:
            return SAR_OK;
        case Sm2Verdict::bad_public_key:
            return SAR_INVALIDPARAMERR;
        case Sm2Verdict::invalid:
            break;
    }
    return SAR_FAIL;
}

const EVP_MD* digest_for(ULONG algorithm) {
    switch (algorithm) {
        case SGD_SM3:
            return EVP_sm3();
        case SGD_SHA1:
            return EVP_sha1();
        case SGD_SHA256:
            return EVP_sha256();
        default:
            return nullptr;
    }
}

ULONG digest_final(HashSession& hash, BYTE* out, ULONG* out_size) {
    if (out_size == nullptr)
        return SAR_INVALIDPARAMERR;
    const auto needed = static_cast<ULONG>(hash.digest_size);
    if (out == nullptr || *out_size < needed) {
        *out_size = needed;
        return out == nullptr ? SAR_OK : SAR_BUFFER_TOO_SMALL;
    }
    unsigned int length = 0;
    hash.finished = true;
    if (EVP_DigestFinal_ex(hash.ctx.get(), out, &length) != 1)
        return SAR_HASHERR;
    *out_size = length;
    return SAR_OK;
}

template <class F>
ULONG with_hash(HANDLE hHash, F&& f) {
    const auto hash = handles().get<HashSession>(hHash);
    if (!hash)
        return SAR_INVALIDHANDLEERR;
    const std::lock_guard guard(hash->mutex);
    if (hash->finished)
        return SAR_HASHOBJERR;  // a finished hash takes a new SKF_DigestInit
    return f(*hash);
}

template <class F>
ULONG with_key(HANDLE hKey, F&& f) {
    const auto key = handles().get<KeySession>(hKey);
    if (!key)
        return SAR_INVALIDHANDLEERR;
    const std::lock_guard guard(key->mutex);
    return f(*key);
}

ULONG cipher_call(HANDLE hKey, bool encrypting, CipherStep step, const BYTE* in, ULONG in_len,
                  BYTE* out, ULONG* out_len) {
    return with_key(hKey, [&](KeySession& key) -> ULONG {
        if (in == nullptr && in_len != 0)
            return SAR_INVALIDPARAMERR;
        if (!key.ctx || key.encrypting != encrypting)
            return SAR_NOTINITIALIZEERR;
        return cipher_step(key, step, ByteView(in, in == nullptr ? 0 : in_len), out, out_len);
    });
}

}  // namespace

// §7.6.11: needs the user PIN. Makes (or replaces) the container's signing key pair; the private
// key is sealed under the application's data key before it is written.
ULONG DEVAPI SKF_GenECCKeyPair(HCONTAINER hContainer, ULONG ulAlgId, ECCPUBLICKEYBLOB* pBlob) {
    return guarded([&]() -> ULONG {
        return with_container(
            hContainer, LockMode::exclusive,
            [&](Transaction& tx, Application& app, Container& c, AppSession& session) -> ULONG {
                if (ulAlgId != SGD_SM2_1)
                    return SAR_NOTSUPPORTYETERR;
                if (pBlob == nullptr)
                    return SAR_INVALIDPARAMERR;
                if (!session.user_logged_in)
                    return SAR_USER_NOT_LOGGED_IN;
                auto pair = sm2_generate();
                if (!pair)
                    return SAR_FAIL;
                auto sealed =
                    seal(session.dek, pair->private_scalar, as_bytes(sign_key_binding(app, c)));
                if (!sealed)
                    return SAR_FAIL;
                c.sign_key = SignKey{pair->public_point, std::move(*sealed)};
                if (const ULONG rc = tx.save(); rc != SAR_OK)
                    return rc;
                *pBlob = blob_from_point(pair->public_point);
                return SAR_OK;
            });
    });
}

// §7.6.13: signs a 32-byte digest (normally SM3(Z||M), see SKF_DigestInit) with the container's
// signing key. Needs the user PIN.
ULONG DEVAPI SKF_ECCSignData(HCONTAINER hContainer, BYTE* pbDigest, ULONG ulDigestLen,
                             ECCSIGNATUREBLOB* pSignature) {
    return guarded([&]() -> ULONG {
        return with_container(
            hContainer, LockMode::shared,
            [&](Transaction&, Application& app, Container& c, AppSession& session) -> ULONG {
                if (pbDigest == nullptr || pSignature == nullptr)
                    return SAR_INVALIDPARAMERR;
                if (ulDigestLen != kSm3DigestBytes)
                    return SAR_INDATALENERR;
                if (!session.user_logged_in)
                    return SAR_USER_NOT_LOGGED_IN;
                if (!c.sign_key)
                    return SAR_KEYNOTFOUNTERR;
                const auto scalar = unseal(session.dek, c.sign_key->private_scalar,
                                           as_bytes(sign_key_binding(app, c)));
                if (!scalar)
                    return SAR_FILEERR;  // altered state file
                const auto sig = sm2_sign_digest(*scalar, c.sign_key->public_point,
                                                 ByteView(pbDigest, ulDigestLen));
                if (!sig)
                    return SAR_FAIL;
                fill_signature_blob(*sig, *pSignature);
                return SAR_OK;
            });
    });
}

// §7.6.14: SAR_OK for a valid signature, SAR_FAIL for an invalid one.
ULONG DEVAPI SKF_ECCVerify(DEVHANDLE hDev, ECCPUBLICKEYBLOB* pECCPubKeyBlob, BYTE* pbData,
                           ULONG ulDataLen, ECCSIGNATUREBLOB* pSignature) {
    return guarded([&] { return verify(hDev, pECCPubKeyBlob, pbData, ulDataLen, pSignature); });
}

ULONG DEVAPI SKF_ExtECCVerify(DEVHANDLE hDev, ECCPUBLICKEYBLOB* pECCPubKeyBlob, BYTE* pbData,
                              ULONG ulDataLen, ECCSIGNATUREBLOB* pSignature) {
    return guarded([&] { return verify(hDev, pECCPubKeyBlob, pbData, ulDataLen, pSignature); });
}

// §7.6.18: signs with a private key given in clear (a test aid on real tokens too).
ULONG DEVAPI SKF_ExtECCSign(DEVHANDLE hDev, ECCPRIVATEKEYBLOB* pECCPriKeyBlob, BYTE* pbData,
                            ULONG ulDataLen, ECCSIGNATUREBLOB* pSignature) {
    return guarded([&]() -> ULONG {
        if (!handles().get<DeviceSession>(hDev))
            return SAR_INVALIDHANDLEERR;
        if (pECCPriKeyBlob == nullptr || pbData == nullptr || pSignature == nullptr)
            return SAR_INVALIDPARAMERR;
        if (ulDataLen != kSm3DigestBytes)
            return SAR_INDATALENERR;
        if (pECCPriKeyBlob->BitLen != kSm2Bits ||
            !std::all_of(pECCPriKeyBlob->PrivateKey, pECCPriKeyBlob->PrivateKey + 32,
                         [](BYTE b) { return b == 0; }))
            return SAR_INVALIDPARAMERR;
        const ByteView scalar(pECCPriKeyBlob->PrivateKey + 32, 32);
        const auto point = sm2_public_from_private(scalar);
        if (!point)
            return SAR_INVALIDPARAMERR;
        const auto sig = sm2_sign_digest(scalar, *point, ByteView(pbData, ulDataLen));
        if (!sig)
            return SAR_FAIL;
        fill_signature_blob(*sig, *pSignature);
        return SAR_OK;
    });
}

// §7.6.23: the ECCPUBLICKEYBLOB of the signing (bSignFlag TRUE) or encryption key pair.
ULONG DEVAPI SKF_ExportPublicKey(HCONTAINER hContainer, BOOL bSignFlag, BYTE* pbBlob,
                                 ULONG* pulBlobLen) {
    return guarded([&]() -> ULONG {
        return with_container(
            hContainer, LockMode::shared,
            [&](Transaction&, Application&, Container& c, AppSession&) -> ULONG {
                if (pulBlobLen == nullptr)
                    return SAR_INVALIDPARAMERR;
                // No encryption key pair: SKF_ImportECCKeyPair is not supported.
                if (!is_true(bSignFlag) || !c.sign_key)
                    return SAR_KEYNOTFOUNTERR;
                const ECCPUBLICKEYBLOB blob = blob_from_point(c.sign_key->public_point);
                return write_output(
                    ByteView(reinterpret_cast<const std::uint8_t*>(&blob), sizeof blob), pbBlob,
                    pulBlobLen);
            });
    });
}

ULONG DEVAPI SKF_SetSymmKey(DEVHANDLE hDev, BYTE* pbKey, ULONG ulAlgID, HANDLE* phKey) {
    return guarded([&]() -> ULONG {
        if (!handles().get<DeviceSession>(hDev))
            return SAR_INVALIDHANDLEERR;
        if (pbKey == nullptr || phKey == nullptr)
            return SAR_INVALIDPARAMERR;
        if (!sm4_supported(ulAlgID))
            return SAR_NOTSUPPORTYETERR;
        auto key = std::make_shared<KeySession>();
        key->algorithm = ulAlgID;
        key->key.assign(pbKey, pbKey + kSm4KeyBytes);
        *phKey = handles().add(std::move(key), hDev);
        return SAR_OK;
    });
}

ULONG DEVAPI SKF_EncryptInit(HANDLE hKey, BLOCKCIPHERPARAM EncryptParam) {
    return guarded([&] {
        return with_key(hKey,
                        [&](KeySession& key) { return cipher_init(key, EncryptParam, true); });
    });
}

ULONG DEVAPI SKF_Encrypt(HANDLE hKey, BYTE* pbData, ULONG ulDataLen, BYTE* pbEncryptedData,
                         ULONG* pulEncryptedLen) {
    return guarded([&] {
        return cipher_call(hKey, true, CipherStep::single, pbData, ulDataLen, pbEncryptedData,
                           pulEncryptedLen);
    });
}

ULONG DEVAPI SKF_EncryptUpdate(HANDLE hKey, BYTE* pbData, ULONG ulDataLen, BYTE* pbEncryptedData,
                               ULONG* pulEncryptedLen) {
    return guarded([&] {
        return cipher_call(hKey, true, CipherStep::update, pbData, ulDataLen, pbEncryptedData,
                           pulEncryptedLen);
    });
}

ULONG DEVAPI SKF_EncryptFinal(HANDLE hKey, BYTE* pbEncryptedData, ULONG* pulEncryptedDataLen) {
    return guarded([&] {
        return cipher_call(hKey, true, CipherStep::final, nullptr, 0, pbEncryptedData,
                           pulEncryptedDataLen);
    });
}

ULONG DEVAPI SKF_DecryptInit(HANDLE hKey, BLOCKCIPHERPARAM DecryptParam) {
    return guarded([&] {
        return with_key(hKey,
                        [&](KeySession& key) { return cipher_init(key, DecryptParam, false); });
    });
}

ULONG DEVAPI SKF_Decrypt(HANDLE hKey, BYTE* pbEncryptedData, ULONG ulEncryptedLen, BYTE* pbData,
                         ULONG* pulDataLen) {
    return guarded([&] {
        return cipher_call(hKey, false, CipherStep::single, pbEncryptedData, ulEncryptedLen, pbData,
                           pulDataLen);
    });
}

ULONG DEVAPI SKF_DecryptUpdate(HANDLE hKey, BYTE* pbEncryptedData, ULONG ulEncryptedLen,
                               BYTE* pbData, ULONG* pulDataLen) {
    return guarded([&] {
        return cipher_call(hKey, false, CipherStep::update, pbEncryptedData, ulEncryptedLen, pbData,
                           pulDataLen);
    });
}

ULONG DEVAPI SKF_DecryptFinal(HANDLE hKey, BYTE* pbDecryptedData, ULONG* pulDecryptedDataLen) {
    return guarded([&] {
        return cipher_call(hKey, false, CipherStep::final, nullptr, 0, pbDecryptedData,
                           pulDecryptedDataLen);
    });
}

// §7.6.34. With SGD_SM3, a public key and an ID, the hash is started with
// Z = SM3(ENTL||ID||a||b||xG||yG||xA||yA) (GB/T 32918.2 §5.5, GM/T 0009), so that SKF_Digest of
// M gives the e that SKF_ECCSignData signs. A public key needs a non-empty ID: the standard gives
// no default, and an implicit one would hide mistakes (the usual ID is "1234567812345678").
ULONG DEVAPI SKF_DigestInit(DEVHANDLE hDev, ULONG ulAlgID, ECCPUBLICKEYBLOB* pPubKey, BYTE* pbID,
                            ULONG ulIDLen, HANDLE* phHash) {
    return guarded([&]() -> ULONG {
        if (!handles().get<DeviceSession>(hDev))
            return SAR_INVALIDHANDLEERR;
        if (phHash == nullptr)
            return SAR_INVALIDPARAMERR;
        const EVP_MD* md = digest_for(ulAlgID);
        if (md == nullptr)
            return SAR_NOTSUPPORTYETERR;
        auto hash = std::make_shared<HashSession>();
        hash->ctx.reset(EVP_MD_CTX_new());
        hash->digest_size = static_cast<std::size_t>(EVP_MD_get_size(md));
        if (!hash->ctx || EVP_DigestInit_ex(hash->ctx.get(), md, nullptr) != 1)
            return SAR_HASHERR;
        if (pPubKey != nullptr) {
            if (ulAlgID != SGD_SM3 || pbID == nullptr || ulIDLen == 0 || ulIDLen > kSm2MaxIdBytes)
                return SAR_INVALIDPARAMERR;
            Sm2Point point{};
            if (const ULONG rc = point_from_blob(*pPubKey, point); rc != SAR_OK)
                return rc;
            const auto z = sm2_z(point, ByteView(pbID, ulIDLen));
            if (!z || EVP_DigestUpdate(hash->ctx.get(), z->data(), z->size()) != 1)
                return SAR_HASHERR;
        }
        *phHash = handles().add(std::move(hash), hDev);
        return SAR_OK;
    });
}

// §7.6.35: all the data at once. A null output asks for the size and leaves the hash as it was.
ULONG DEVAPI SKF_Digest(HANDLE hHash, BYTE* pbData, ULONG ulDataLen, BYTE* pbHashData,
                        ULONG* pulHashLen) {
    return guarded([&] {
        return with_hash(hHash, [&](HashSession& hash) -> ULONG {
            if ((pbData == nullptr && ulDataLen != 0) || pulHashLen == nullptr)
                return SAR_INVALIDPARAMERR;
            if (pbHashData == nullptr || *pulHashLen < hash.digest_size)
                return digest_final(hash, pbHashData, pulHashLen);
            if (ulDataLen != 0 && EVP_DigestUpdate(hash.ctx.get(), pbData, ulDataLen) != 1)
                return SAR_HASHERR;
            return digest_final(hash, pbHashData, pulHashLen);
        });
    });
}

ULONG DEVAPI SKF_DigestUpdate(HANDLE hHash, BYTE* pbData, ULONG ulDataLen) {
    return guarded([&] {
        return with_hash(hHash, [&](HashSession& hash) -> ULONG {
            if (pbData == nullptr && ulDataLen != 0)
                return SAR_INVALIDPARAMERR;
            if (ulDataLen != 0 && EVP_DigestUpdate(hash.ctx.get(), pbData, ulDataLen) != 1)
                return SAR_HASHERR;
            return SAR_OK;
        });
    });
}

ULONG DEVAPI SKF_DigestFinal(HANDLE hHash, BYTE* pHashData, ULONG* pulHashLen) {
    return guarded([&] {
        return with_hash(hHash, [&](HashSession& hash) -> ULONG {
            return digest_final(hash, pHashData, pulHashLen);
        });
    });
}

// §7.6.42: closes hash and session key handles.
ULONG DEVAPI SKF_CloseHandle(HANDLE hHandle) {
    return guarded([&]() -> ULONG {
        if (handles().remove<HashSession>(hHandle) || handles().remove<KeySession>(hHandle))
            return SAR_OK;
        return SAR_INVALIDHANDLEERR;
    });
}
