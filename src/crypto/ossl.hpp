#pragma once
// One owning pointer per OpenSSL type, each with its own free function (BoringSSL base.h style),
// and the bridge from OpenSSL's error queue to core::Error.
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace eseal::crypto {

template <auto F>
struct Free {
    void operator()(auto* p) const noexcept { F(p); }
};

using BioPtr = std::unique_ptr<BIO, Free<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Free<BN_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Free<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Free<EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Free<X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, Free<X509_REQ_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, Free<X509_NAME_free>>;
using X509ExtPtr = std::unique_ptr<X509_EXTENSION, Free<X509_EXTENSION_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, Free<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Free<X509_STORE_CTX_free>>;
using X509AlgorPtr = std::unique_ptr<X509_ALGOR, Free<X509_ALGOR_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, Free<ASN1_INTEGER_free>>;
using Asn1OctetStringPtr = std::unique_ptr<ASN1_OCTET_STRING, Free<ASN1_OCTET_STRING_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, Free<ASN1_TIME_free>>;
using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, Free<ASN1_OBJECT_free>>;

struct X509StackFree {
    void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_pop_free(s, X509_free); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackFree>;

// Drains OpenSSL's error queue into the message: "what: reason; reason".
[[nodiscard]] std::string openssl_errors();
[[nodiscard]] std::unexpected<core::Error> openssl_fail(core::Errc kind, std::string code, std::string what);

// i2d of any OpenSSL object into Bytes (the two-call pattern in one place).
template <class T, class F>
[[nodiscard]] core::Bytes to_der(const T* object, F i2d) {
    const int n = i2d(object, nullptr);
    if (n <= 0) return {};
    core::Bytes out(static_cast<std::size_t>(n));
    unsigned char* p = out.data();
    i2d(object, &p);
    return out;
}

}  // namespace eseal::crypto
