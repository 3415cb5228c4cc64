#include "sm2.hpp"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>

#include <algorithm>

#include "ossl.hpp"

namespace eseal::softskf {
namespace {

// The SM2 curve parameters, GB/T 32918.5-2017 §A.2.
constexpr std::array<std::uint8_t, 32> kCurveA = {
    0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFC};
constexpr std::array<std::uint8_t, 32> kCurveB = {
    0x28, 0xE9, 0xFA, 0x9E, 0x9D, 0x9F, 0x5E, 0x34, 0x4D, 0x5A, 0x9E, 0x4B, 0xCF, 0x65, 0x09, 0xA7,
    0xF3, 0x97, 0x89, 0xF5, 0x15, 0xAB, 0x8F, 0x92, 0xDD, 0xBC, 0xBD, 0x41, 0x4D, 0x94, 0x0E, 0x93};
constexpr std::array<std::uint8_t, 32> kGx = {
    0x32, 0xC4, 0xAE, 0x2C, 0x1F, 0x19, 0x81, 0x19, 0x5F, 0x99, 0x04, 0x46, 0x6A, 0x39, 0xC9, 0x94,
    0x8F, 0xE3, 0x0B, 0xBF, 0xF2, 0x66, 0x0B, 0xE1, 0x71, 0x5A, 0x45, 0x89, 0x33, 0x4C, 0x74, 0xC7};
constexpr std::array<std::uint8_t, 32> kGy = {
    0xBC, 0x37, 0x36, 0xA2, 0xF4, 0xF6, 0x77, 0x9C, 0x59, 0xBD, 0xCE, 0xE3, 0x6B, 0x69, 0x21, 0x53,
    0xD0, 0xA9, 0x87, 0x7C, 0xC6, 0x2A, 0x47, 0x40, 0x02, 0xDF, 0x32, 0xE5, 0x21, 0x39, 0xF0, 0xA0};

// An SM2 EVP_PKEY from the public point and, for signing, the private scalar. The scalar goes
// through a BN_secure_new() BIGNUM so that OSSL_PARAM_BLD puts it in the block that
// OSSL_PARAM_free() wipes.
PkeyPtr make_pkey(const Sm2Point& public_point, ByteView private_scalar) {
    std::array<std::uint8_t, 65> encoded{};
    encoded[0] = 0x04;  // uncompressed point, GB/T 32918.1 §4.2.9
    std::copy(public_point.begin(), public_point.end(), encoded.begin() + 1);

    ParamBldPtr builder(OSSL_PARAM_BLD_new());
    if (!builder)
        return nullptr;
    char group[] = "SM2";
    if (OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1)
        return nullptr;
    if (OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, encoded.data(),
                                         encoded.size()) != 1)
        return nullptr;
    SecretBnPtr d;
    if (!private_scalar.empty()) {
        d.reset(BN_secure_new());
        if (!d || BN_bin2bn(private_scalar.data(), static_cast<int>(private_scalar.size()),
                            d.get()) == nullptr)
            return nullptr;
        if (OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1)
            return nullptr;
    }
    ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1)
        return nullptr;
    EVP_PKEY* pkey = nullptr;
    const int selection = private_scalar.empty() ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR;
    if (EVP_PKEY_fromdata(ctx.get(), &pkey, selection, params.get()) != 1)
        return nullptr;
    return PkeyPtr(pkey);
}

bool bn_to_32(const BIGNUM* bn, std::uint8_t* out) {
    return BN_num_bytes(bn) <= 32 && BN_bn2binpad(bn, out, 32) == 32;
}

}  // namespace

std::optional<Sm2KeyPair> sm2_generate() {
    PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2"));
    if (!pkey)
        return std::nullopt;
    BIGNUM* raw_d = nullptr;
    if (EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY, &raw_d) != 1)
        return std::nullopt;
    const SecretBnPtr d(raw_d);
    Sm2KeyPair pair;
    pair.private_scalar.resize(kSm2ScalarBytes);
    if (!bn_to_32(d.get(), pair.private_scalar.data()))
        return std::nullopt;

    std::array<std::uint8_t, 65> encoded{};
    std::size_t length = 0;
    if (EVP_PKEY_get_octet_string_param(pkey.get(), OSSL_PKEY_PARAM_PUB_KEY, encoded.data(),
                                        encoded.size(), &length) != 1 ||
        length != encoded.size() || encoded[0] != 0x04)
        return std::nullopt;
    std::copy(encoded.begin() + 1, encoded.end(), pair.public_point.begin());
    return pair;
}

std::optional<Sm2Point> sm2_public_from_private(ByteView private_scalar) {
    if (private_scalar.size() != kSm2ScalarBytes)
        return std::nullopt;
    using GroupPtr = std::unique_ptr<EC_GROUP, Free<EC_GROUP_free>>;
    using PointPtr = std::unique_ptr<EC_POINT, Free<EC_POINT_free>>;
    using BnCtxPtr = std::unique_ptr<BN_CTX, Free<BN_CTX_free>>;
    const GroupPtr group(EC_GROUP_new_by_curve_name(NID_sm2));
    const BnCtxPtr bn_ctx(BN_CTX_new());
    const SecretBnPtr d(BN_secure_new());
    const BnPtr limit(BN_new());
    const BnPtr x(BN_new());
    const BnPtr y(BN_new());
    if (!group || !bn_ctx || !d || !limit || !x || !y)
        return std::nullopt;
    if (BN_bin2bn(private_scalar.data(), static_cast<int>(private_scalar.size()), d.get()) ==
        nullptr)
        return std::nullopt;
    // 1 <= d <= n-2
    if (BN_copy(limit.get(), EC_GROUP_get0_order(group.get())) == nullptr ||
        BN_sub_word(limit.get(), 2) != 1)
        return std::nullopt;
    if (BN_is_zero(d.get()) || BN_cmp(d.get(), limit.get()) > 0)
        return std::nullopt;
    const PointPtr point(EC_POINT_new(group.get()));
    if (!point ||
        EC_POINT_mul(group.get(), point.get(), d.get(), nullptr, nullptr, bn_ctx.get()) != 1 ||
        EC_POINT_get_affine_coordinates(group.get(), point.get(), x.get(), y.get(), bn_ctx.get()) !=
            1)
        return std::nullopt;
    Sm2Point out{};
    if (!bn_to_32(x.get(), out.data()) || !bn_to_32(y.get(), out.data() + 32))
        return std::nullopt;
    return out;
}

std::optional<Sm2Signature> sm2_sign_digest(ByteView private_scalar, const Sm2Point& public_point,
                                            ByteView digest) {
    if (private_scalar.size() != kSm2ScalarBytes || digest.size() != kSm3DigestBytes)
        return std::nullopt;
    const PkeyPtr pkey = make_pkey(public_point, private_scalar);
    if (!pkey)
        return std::nullopt;
    const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    // EVP_PKEY_sign with an SM2 key signs the given bytes as e (providers' sm2sig_sign).
    std::size_t der_length = 0;
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
        EVP_PKEY_sign(ctx.get(), nullptr, &der_length, digest.data(), digest.size()) != 1)
        return std::nullopt;
    Bytes der(der_length);
    if (EVP_PKEY_sign(ctx.get(), der.data(), &der_length, digest.data(), digest.size()) != 1)
        return std::nullopt;
    const std::uint8_t* p = der.data();
    const EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_length)));
    if (!sig)
        return std::nullopt;
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    Sm2Signature out{};
    if (!bn_to_32(r, out.data()) || !bn_to_32(s, out.data() + 32))
        return std::nullopt;
    return out;
}

Sm2Verdict sm2_verify_digest(const Sm2Point& public_point, ByteView digest,
                             const Sm2Signature& signature) {
    // fromdata decodes the point with EC_POINT_oct2point, which rejects points off the curve.
    const PkeyPtr pkey = make_pkey(public_point, {});
    if (!pkey)
        return Sm2Verdict::bad_public_key;
    EcdsaSigPtr sig(ECDSA_SIG_new());
    BnPtr r(BN_bin2bn(signature.data(), 32, nullptr));
    BnPtr s(BN_bin2bn(signature.data() + 32, 32, nullptr));
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
        return Sm2Verdict::invalid;
    (void)r.release();  // owned by sig now
    (void)s.release();
    const int der_length = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (der_length <= 0)
        return Sm2Verdict::invalid;
    Bytes der(static_cast<std::size_t>(der_length));
    unsigned char* p = der.data();
    if (i2d_ECDSA_SIG(sig.get(), &p) != der_length)
        return Sm2Verdict::invalid;
    const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1)
        return Sm2Verdict::invalid;
    return EVP_PKEY_verify(ctx.get(), der.data(), der.size(), digest.data(), digest.size()) == 1
               ? Sm2Verdict::valid
               : Sm2Verdict::invalid;
}

std::optional<Sm3Digest> sm2_z(const Sm2Point& public_point, ByteView id) {
    if (id.size() > kSm2MaxIdBytes)
        return std::nullopt;
    const std::size_t entl = id.size() * 8;
    const std::array<std::uint8_t, 2> entl_bytes = {static_cast<std::uint8_t>(entl >> 8),
                                                    static_cast<std::uint8_t>(entl & 0xff)};
    const MdCtxPtr md(EVP_MD_CTX_new());
    Sm3Digest z{};
    unsigned int length = 0;
    if (!md || EVP_DigestInit_ex(md.get(), EVP_sm3(), nullptr) != 1 ||
        EVP_DigestUpdate(md.get(), entl_bytes.data(), entl_bytes.size()) != 1 ||
        EVP_DigestUpdate(md.get(), id.data(), id.size()) != 1 ||
        EVP_DigestUpdate(md.get(), kCurveA.data(), kCurveA.size()) != 1 ||
        EVP_DigestUpdate(md.get(), kCurveB.data(), kCurveB.size()) != 1 ||
        EVP_DigestUpdate(md.get(), kGx.data(), kGx.size()) != 1 ||
        EVP_DigestUpdate(md.get(), kGy.data(), kGy.size()) != 1 ||
        EVP_DigestUpdate(md.get(), public_point.data(), public_point.size()) != 1 ||
        EVP_DigestFinal_ex(md.get(), z.data(), &length) != 1 || length != z.size())
        return std::nullopt;
    return z;
}

}  // namespace eseal::softskf
