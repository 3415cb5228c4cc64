#include "token/pkcs11_keys.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>

#include <cstring>
#include <mutex>

#include "crypto/digest.hpp"
#include "crypto/ossl.hpp"
#include "crypto/public_key.hpp"
#include "pki/der.hpp"

namespace eseal::token {
namespace {

CK_ATTRIBUTE attr(CK_ATTRIBUTE_TYPE type, const void* value, std::size_t size) {
    return CK_ATTRIBUTE{type, const_cast<void*>(value), size};
}
template <class T>
CK_ATTRIBUTE attr(CK_ATTRIBUTE_TYPE type, const T& value) {
    return attr(type, &value, sizeof value);
}

constexpr CK_BBOOL kTrue = CK_TRUE;
constexpr CK_BBOOL kFalse = CK_FALSE;

// DER OID of prime256v1 (RFC 5480 §2.1.1.1), the CKA_EC_PARAMS of a P-256 key.
constexpr unsigned char kP256Oid[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};

std::optional<bool> to_bool(const std::optional<core::Bytes>& v) {
    if (!v || v->size() != 1) return std::nullopt;
    return (*v)[0] != 0;
}

CK_ULONG to_ulong(const std::optional<core::Bytes>& v) {
    CK_ULONG out = 0;
    if (v && v->size() == sizeof out) std::memcpy(&out, v->data(), sizeof out);
    return out;
}

}  // namespace

core::Result<void> init_token(Module& module, CK_SLOT_ID slot, const core::SecureString& so_pin, const std::string& label) {
    if (label.size() > 32)
        return core::fail(core::Errc::invalid_input, "token.label", "a token label has at most 32 bytes");
    unsigned char padded[32];
    std::memset(padded, ' ', sizeof padded);
    std::memcpy(padded, label.data(), label.size());
    const CK_RV rv = module.api()->C_InitToken(slot, reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(so_pin.c_str())),
                                               so_pin.size(), padded);
    if (rv != CKR_OK) return std::unexpected(pkcs11_error(rv, "C_InitToken"));
    return {};
}

core::Result<void> init_user_pin(Session& so_session, const core::SecureString& pin) {
    const CK_RV rv = so_session.api()->C_InitPIN(
        so_session.handle(), reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(pin.c_str())), pin.size());
    if (rv != CKR_OK) return std::unexpected(pkcs11_error(rv, "C_InitPIN"));
    return {};
}

core::Result<void> change_pin(Session& session, const core::SecureString& old_pin, const core::SecureString& new_pin) {
    const CK_RV rv = session.api()->C_SetPIN(
        session.handle(), reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(old_pin.c_str())), old_pin.size(),
        reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(new_pin.c_str())), new_pin.size());
    if (rv != CKR_OK) return std::unexpected(pkcs11_error(rv, "C_SetPIN"));
    return {};
}

core::Result<KeyPair> generate_key_pair(Session& session, crypto::KeyAlgorithm alg, const std::string& label,
                                        const core::Bytes& id) {
    const CK_OBJECT_CLASS pub_class = CKO_PUBLIC_KEY;
    const CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
    CK_MECHANISM mech{};
    CK_KEY_TYPE key_type = 0;
    CK_ULONG bits = 0;
    const CK_BYTE exponent[] = {0x01, 0x00, 0x01};
    // A signing key pair and nothing else: no encryption, wrapping or derivation.
    std::vector<CK_ATTRIBUTE> pub{attr(CKA_CLASS, pub_class),  attr(CKA_TOKEN, kTrue),
                                  attr(CKA_VERIFY, kTrue),     attr(CKA_ENCRYPT, kFalse),
                                  attr(CKA_WRAP, kFalse),      attr(CKA_LABEL, label.data(), label.size()),
                                  attr(CKA_ID, id.data(), id.size())};
    switch (alg) {
        case crypto::KeyAlgorithm::ecdsa_p256:
            mech.mechanism = CKM_EC_KEY_PAIR_GEN;
            key_type = CKK_EC;
            pub.push_back(attr(CKA_EC_PARAMS, kP256Oid, sizeof kP256Oid));
            break;
        case crypto::KeyAlgorithm::rsa2048:
        case crypto::KeyAlgorithm::rsa3072:
            mech.mechanism = CKM_RSA_PKCS_KEY_PAIR_GEN;
            key_type = CKK_RSA;
            bits = alg == crypto::KeyAlgorithm::rsa2048 ? 2048 : 3072;
            pub.push_back(attr(CKA_MODULUS_BITS, bits));
            pub.push_back(attr(CKA_PUBLIC_EXPONENT, exponent, sizeof exponent));
            break;
        case crypto::KeyAlgorithm::sm2:
            return core::fail(core::Errc::unsupported, "token.sm2_unsupported",
                              "this PKCS#11 token has no SM2 mechanism: make SM2 Ukeys with the SKF driver");
    }
    pub.push_back(attr(CKA_KEY_TYPE, key_type));
    // The private key stays on the token: sensitive, never extractable, usable only after login.
    std::vector<CK_ATTRIBUTE> priv{attr(CKA_CLASS, priv_class),   attr(CKA_KEY_TYPE, key_type),
                                   attr(CKA_TOKEN, kTrue),        attr(CKA_PRIVATE, kTrue),
                                   attr(CKA_SENSITIVE, kTrue),    attr(CKA_EXTRACTABLE, kFalse),
                                   attr(CKA_SIGN, kTrue),         attr(CKA_DECRYPT, kFalse),
                                   attr(CKA_UNWRAP, kFalse),      attr(CKA_DERIVE, kFalse),
                                   attr(CKA_LABEL, label.data(), label.size()), attr(CKA_ID, id.data(), id.size())};
    KeyPair kp;
    kp.id = id;
    const CK_RV rv = session.api()->C_GenerateKeyPair(session.handle(), &mech, pub.data(), pub.size(), priv.data(),
                                                      priv.size(), &kp.public_key, &kp.private_key);
    if (rv != CKR_OK) return std::unexpected(pkcs11_error(rv, "C_GenerateKeyPair"));
    return kp;
}

core::Result<core::Bytes> public_key_info(Session& session, CK_OBJECT_HANDLE public_key) {
    auto type = session.attribute(public_key, CKA_KEY_TYPE);
    if (!type) return std::unexpected(type.error());
    if (to_ulong(*type) == CKK_EC) {
        auto params = session.attribute(public_key, CKA_EC_PARAMS);
        auto point = session.attribute(public_key, CKA_EC_POINT);
        if (!params || !point || !*params || !*point)
            return core::fail(core::Errc::io, "token.public_key", "the token did not give the EC public key");
        // CKA_EC_POINT is DER OCTET STRING { uncompressed point } (PKCS #11 §2.3.3).
        const auto& p = **point;
        if (p.size() < 3 || p[0] != pki::der::kOctetString)
            return core::fail(core::Errc::io, "token.public_key", "unexpected CKA_EC_POINT encoding");
        const std::size_t header = (p[1] & 0x80) ? 2 + (p[1] & 0x7f) : 2;
        const core::ByteView raw(p.data() + header, p.size() - header);
        // SubjectPublicKeyInfo (RFC 5480 §2): { { id-ecPublicKey, namedCurve }, BIT STRING point }.
        const unsigned char ec_oid[] = {0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
        return pki::der::sequence({pki::der::sequence({core::ByteView(ec_oid), **params}), pki::der::bit_string(raw)});
    }
    if (to_ulong(*type) == CKK_RSA) {
        auto n = session.attribute(public_key, CKA_MODULUS);
        auto e = session.attribute(public_key, CKA_PUBLIC_EXPONENT);
        if (!n || !e || !*n || !*e) return core::fail(core::Errc::io, "token.public_key", "the token did not give the RSA key");
        crypto::BnPtr bn_n(BN_bin2bn((*n)->data(), static_cast<int>((*n)->size()), nullptr));
        crypto::BnPtr bn_e(BN_bin2bn((*e)->data(), static_cast<int>((*e)->size()), nullptr));
        std::unique_ptr<OSSL_PARAM_BLD, crypto::Free<OSSL_PARAM_BLD_free>> bld(OSSL_PARAM_BLD_new());
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get());
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get());
        std::unique_ptr<OSSL_PARAM, crypto::Free<OSSL_PARAM_free>> params(OSSL_PARAM_BLD_to_param(bld.get()));
        crypto::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
        EVP_PKEY* key = nullptr;
        if (EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
            EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
            return crypto::openssl_fail(core::Errc::io, "token.public_key", "cannot rebuild the RSA public key");
        crypto::PkeyPtr owned(key);
        return crypto::public_key_der(owned.get());
    }
    return core::fail(core::Errc::unsupported, "token.key_type", "unsupported key type on the token");
}

core::Result<KeyPair> find_key_pair(Session& session, const core::Bytes& id) {
    const CK_OBJECT_CLASS pub_class = CKO_PUBLIC_KEY;
    const CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
    auto pubs = session.find({attr(CKA_CLASS, pub_class), attr(CKA_ID, id.data(), id.size())});
    if (!pubs) return std::unexpected(pubs.error());
    auto privs = session.find({attr(CKA_CLASS, priv_class), attr(CKA_ID, id.data(), id.size())});
    if (!privs) return std::unexpected(privs.error());
    if (pubs->size() != 1 || privs->size() != 1)
        return core::fail(core::Errc::not_found, "token.key_missing",
                          "no key pair with ID " + core::hex_encode(id) + " on the token (found " +
                              std::to_string(pubs->size()) + " public, " + std::to_string(privs->size()) +
                              " private; is the PIN given?)");
    return KeyPair{pubs->front(), privs->front(), id};
}

core::Result<CK_OBJECT_HANDLE> write_certificate(Session& session, core::ByteView der, const core::Bytes& id,
                                                 const std::string& label) {
    const unsigned char* p = der.data();
    crypto::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert) return core::fail(core::Errc::invalid_input, "token.certificate", "not a DER certificate");
    const auto subject = crypto::to_der(X509_get_subject_name(cert.get()), i2d_X509_NAME);
    const auto issuer = crypto::to_der(X509_get_issuer_name(cert.get()), i2d_X509_NAME);
    const auto serial = crypto::to_der(X509_get0_serialNumber(cert.get()), i2d_ASN1_INTEGER);
    const CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
    const CK_CERTIFICATE_TYPE type = CKC_X_509;
    std::vector<CK_ATTRIBUTE> t{attr(CKA_CLASS, cls),
                                attr(CKA_CERTIFICATE_TYPE, type),
                                attr(CKA_TOKEN, kTrue),
                                attr(CKA_PRIVATE, kFalse),
                                attr(CKA_LABEL, label.data(), label.size()),
                                attr(CKA_ID, id.data(), id.size()),
                                attr(CKA_SUBJECT, subject.data(), subject.size()),
                                attr(CKA_ISSUER, issuer.data(), issuer.size()),
                                attr(CKA_SERIAL_NUMBER, serial.data(), serial.size()),
                                attr(CKA_VALUE, der.data(), der.size())};
    CK_OBJECT_HANDLE h = 0;
    if (CK_RV rv = session.api()->C_CreateObject(session.handle(), t.data(), t.size(), &h); rv != CKR_OK)
        return std::unexpected(pkcs11_error(rv, "C_CreateObject (certificate)"));
    return h;
}

core::Result<std::size_t> destroy_objects(Session& session, const core::Bytes& id) {
    auto objects = session.find({attr(CKA_ID, id.data(), id.size())});
    if (!objects) return std::unexpected(objects.error());
    for (auto h : *objects)
        if (auto r = session.destroy(h); !r) return std::unexpected(r.error());
    return objects->size();
}

core::Result<std::vector<TokenObject>> list_objects(Session& session) {
    auto handles = session.find({});
    if (!handles) return std::unexpected(handles.error());
    std::vector<TokenObject> out;
    for (auto h : *handles) {
        TokenObject o;
        auto cls = session.attribute(h, CKA_CLASS);
        if (!cls) return std::unexpected(cls.error());
        switch (to_ulong(*cls)) {
            case CKO_PRIVATE_KEY: o.kind = "private key"; break;
            case CKO_PUBLIC_KEY: o.kind = "public key"; break;
            case CKO_CERTIFICATE: o.kind = "certificate"; break;
            case CKO_DATA: o.kind = "data"; break;
            case CKO_SECRET_KEY: o.kind = "secret key"; break;
            default: o.kind = "other"; break;
        }
        if (auto v = session.attribute(h, CKA_LABEL); v && *v) o.label = core::to_string(**v);
        if (auto v = session.attribute(h, CKA_ID); v && *v) o.id = **v;
        if (o.kind.ends_with("key")) {
            auto kt = session.attribute(h, CKA_KEY_TYPE);
            const auto t = kt ? to_ulong(*kt) : ~0ul;
            o.key_type = t == CKK_EC ? "EC" : t == CKK_RSA ? "RSA" : "other";
            if (auto v = session.attribute(h, CKA_PRIVATE); v) o.is_private = to_bool(*v);
        }
        if (o.kind == "private key") {
            if (auto v = session.attribute(h, CKA_SENSITIVE); v) o.sensitive = to_bool(*v);
            if (auto v = session.attribute(h, CKA_EXTRACTABLE); v) o.extractable = to_bool(*v);
        }
        if (o.kind == "certificate") {
            if (auto v = session.attribute(h, CKA_VALUE); v && *v) o.value = **v;
        }
        out.push_back(std::move(o));
    }
    return out;
}

core::Result<std::unique_ptr<Pkcs11Signer>> Pkcs11Signer::open(Session session, const core::Bytes& id) {
    auto kp = find_key_pair(session, id);
    if (!kp) return std::unexpected(kp.error());
    auto spki = public_key_info(session, kp->public_key);
    if (!spki) return std::unexpected(spki.error());
    auto key = crypto::parse_public_key(*spki);
    if (!key) return std::unexpected(key.error());
    const auto d = crypto::describe_key(key->get());
    if (!d.algorithm || *d.algorithm == crypto::KeyAlgorithm::sm2)
        return core::fail(core::Errc::unsupported, "token.key_type", "unsupported key on the token: " + d.type);
    return std::unique_ptr<Pkcs11Signer>(new Pkcs11Signer(std::move(session), kp->private_key,
                                                          crypto::signature_algorithm_for(*d.algorithm),
                                                          std::move(*spki)));
}

core::Result<core::Bytes> Pkcs11Signer::sign(core::ByteView message) const {
    std::lock_guard lock(m_mutex);
    CK_MECHANISM mech{};
    core::Bytes input;
    if (m_algorithm == crypto::SignatureAlgorithm::ecdsa_sha256) {
        mech.mechanism = CKM_ECDSA;  // over the digest: the widest-supported EC mechanism
        input = crypto::sha256(message);
    } else {
        mech.mechanism = CKM_SHA256_RSA_PKCS;
        input.assign(message.begin(), message.end());
    }
    auto* api = m_session.api();
    if (CK_RV rv = api->C_SignInit(m_session.handle(), &mech, m_key); rv != CKR_OK)
        return std::unexpected(pkcs11_error(rv, "C_SignInit"));
    CK_ULONG len = 0;
    if (CK_RV rv = api->C_Sign(m_session.handle(), input.data(), input.size(), nullptr, &len); rv != CKR_OK)
        return std::unexpected(pkcs11_error(rv, "C_Sign"));
    core::Bytes sig(len);
    if (CK_RV rv = api->C_Sign(m_session.handle(), input.data(), input.size(), sig.data(), &len); rv != CKR_OK)
        return std::unexpected(pkcs11_error(rv, "C_Sign"));
    sig.resize(len);
    if (m_algorithm != crypto::SignatureAlgorithm::ecdsa_sha256) return sig;
    // PKCS #11 §2.3.1: ECDSA signatures are r || s, each the size of the order; X.509 wants
    // ECDSA-Sig-Value (RFC 3279 §2.2.3).
    const std::size_t half = sig.size() / 2;
    std::unique_ptr<ECDSA_SIG, crypto::Free<ECDSA_SIG_free>> es(ECDSA_SIG_new());
    ECDSA_SIG_set0(es.get(), BN_bin2bn(sig.data(), static_cast<int>(half), nullptr),
                   BN_bin2bn(sig.data() + half, static_cast<int>(half), nullptr));
    return crypto::to_der(es.get(), i2d_ECDSA_SIG);
}

}  // namespace eseal::token
