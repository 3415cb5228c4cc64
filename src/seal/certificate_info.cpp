#include "seal/certificate_info.hpp"

#include <openssl/err.h>

#include "crypto/public_key.hpp"
#include "pki/x509.hpp"

namespace eseal::seal {

core::Result<CertificateInfo> read_certificate(core::ByteView der, std::string_view error_code) {
    const unsigned char* p = der.data();
    crypto::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert || p != der.data() + der.size()) {
        ERR_clear_error();
        return core::fail(core::Errc::invalid_input, std::string(error_code),
                          "not a DER X.509 certificate");
    }
    CertificateInfo info;
    info.subject = pki::name_rfc2253(X509_get_subject_name(cert.get()));
    info.issuer = pki::name_rfc2253(X509_get_issuer_name(cert.get()));
    info.serial = pki::serial_hex(cert.get());
    info.not_before = pki::to_time_point(X509_get0_notBefore(cert.get()));
    info.not_after = pki::to_time_point(X509_get0_notAfter(cert.get()));
    info.public_key = crypto::to_der(X509_get_X509_PUBKEY(cert.get()), i2d_X509_PUBKEY);
    if (EVP_PKEY* key = X509_get0_pubkey(cert.get()))
        info.key_algorithm = crypto::describe_key(key).algorithm;
    ERR_clear_error();
    info.is_ca = X509_check_ca(cert.get()) != 0;
    const std::uint32_t usage = X509_get_key_usage(cert.get());  // UINT32_MAX when absent
    info.may_sign = usage == UINT32_MAX || (usage & KU_DIGITAL_SIGNATURE) != 0;
    return info;
}

}  // namespace eseal::seal
