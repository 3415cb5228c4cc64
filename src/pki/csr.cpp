#include "pki/csr.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "crypto/public_key.hpp"
#include "pki/der.hpp"
#include "pki/x509.hpp"

namespace eseal::pki {

core::Result<crypto::X509ReqPtr> parse_csr(core::ByteView data) {
    const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    crypto::X509ReqPtr req;
    if (text.find("-----BEGIN") != std::string_view::npos) {
        crypto::BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
        req.reset(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
    } else {
        const unsigned char* p = data.data();
        req.reset(d2i_X509_REQ(nullptr, &p, static_cast<long>(data.size())));
        if (req && p != data.data() + data.size()) req.reset();
    }
    if (!req)
        return crypto::openssl_fail(core::Errc::invalid_input, "csr.malformed",
                                    "not a PKCS#10 certificate request (PEM or DER)");
    if (X509_REQ_get0_pubkey(req.get()) == nullptr)
        return crypto::openssl_fail(core::Errc::invalid_input, "csr.malformed",
                                    "the certificate request's public key cannot be read");
    return req;
}

core::Result<core::Bytes> make_csr(const X509_NAME* subject, const crypto::Signer& signer) {
    auto key = crypto::parse_public_key(signer.public_key());
    if (!key) return std::unexpected(key.error());
    crypto::X509ReqPtr req(X509_REQ_new());
    if (X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) != 1 || X509_REQ_set_subject_name(req.get(), subject) != 1 ||
        X509_REQ_set_pubkey(req.get(), key->get()) != 1)
        return crypto::openssl_fail(core::Errc::internal, "csr.build", "cannot fill in the CSR");
    // RFC 2986 §4.2: the signature covers DER(CertificationRequestInfo).
    const auto info = crypto::to_der(req.get(), [](const X509_REQ* r, unsigned char** out) {
        return i2d_re_X509_REQ_tbs(const_cast<X509_REQ*>(r), out);
    });
    auto signature = signer.sign(info);
    if (!signature) return std::unexpected(signature.error());
    const auto alg = crypto::to_der(signature_algorithm_id(signer.algorithm()).get(), i2d_X509_ALGOR);
    return der::sequence({info, alg, der::bit_string(*signature)});
}

bool csr_signature_valid(X509_REQ* csr) {
    // Only for SM2 signatures: OpenSSL refuses an ID on an ECDSA or RSA verification.
    if (X509_REQ_get_signature_nid(csr) == NID_SM2_with_SM3) X509_REQ_set0_distinguishing_id(csr, crypto::new_sm2_id());
    const bool ok = X509_REQ_verify(csr, X509_REQ_get0_pubkey(csr)) == 1;
    ERR_clear_error();
    return ok;
}

}  // namespace eseal::pki
