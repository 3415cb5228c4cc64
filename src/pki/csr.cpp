#include "pki/csr.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "crypto/public_key.hpp"

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

bool csr_signature_valid(X509_REQ* csr) {
    // Only for SM2 signatures: OpenSSL refuses an ID on an ECDSA or RSA verification.
    if (X509_REQ_get_signature_nid(csr) == NID_SM2_with_SM3) X509_REQ_set0_distinguishing_id(csr, crypto::new_sm2_id());
    const bool ok = X509_REQ_verify(csr, X509_REQ_get0_pubkey(csr)) == 1;
    ERR_clear_error();
    return ok;
}

}  // namespace eseal::pki
