#pragma once
// One owning pointer per OpenSSL type (BoringSSL base.h style). A copy of the idea in
// src/crypto/ossl.hpp: the soft token is a stand-alone library and links no eseal module.
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>

namespace eseal::softskf {

template <auto F>
struct Free {
    void operator()(auto* p) const noexcept { F(p); }
};

using BnPtr = std::unique_ptr<BIGNUM, Free<BN_free>>;
using SecretBnPtr = std::unique_ptr<BIGNUM, Free<BN_clear_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Free<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Free<EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Free<EVP_CIPHER_CTX_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Free<ECDSA_SIG_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Free<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Free<OSSL_PARAM_free>>;

}  // namespace eseal::softskf
