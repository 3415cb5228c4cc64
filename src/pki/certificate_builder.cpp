#include "pki/certificate_builder.hpp"

#include "crypto/digest.hpp"
#include "pki/extensions.hpp"
#include "pki/x509.hpp"

namespace eseal::pki {

namespace {

core::Result<crypto::X509Ptr> fill(const CertificateTemplate& t, X509* issuer) {
    crypto::X509Ptr x(X509_new());
    crypto::BnPtr serial(BN_bin2bn(t.serial.data(), static_cast<int>(t.serial.size()), nullptr));
    crypto::Asn1IntegerPtr serial_int(BN_to_ASN1_INTEGER(serial.get(), nullptr));
    const X509_NAME* issuer_name = issuer != nullptr ? X509_get_subject_name(issuer) : t.subject;
    if (X509_set_version(x.get(), X509_VERSION_3) != 1 || X509_set_serialNumber(x.get(), serial_int.get()) != 1 ||
        X509_set_subject_name(x.get(), t.subject) != 1 || X509_set_issuer_name(x.get(), issuer_name) != 1 ||
        X509_set_pubkey(x.get(), t.public_key) != 1 ||
        ASN1_TIME_set(X509_getm_notBefore(x.get()), std::chrono::system_clock::to_time_t(t.not_before)) == nullptr ||
        ASN1_TIME_set(X509_getm_notAfter(x.get()), std::chrono::system_clock::to_time_t(t.not_after)) == nullptr)
        return crypto::openssl_fail(core::Errc::internal, "certificate.build", "cannot fill in the certificate");
    for (const auto& [nid, value] : t.extensions) {
        if (auto r = add_extension(x.get(), issuer, nid, value); !r) return std::unexpected(r.error());
    }
    if (!t.identify_code.empty()) {
        if (auto r = add_identify_code(x.get(), t.identify_code); !r) return std::unexpected(r.error());
    }
    return x;
}

}  // namespace

core::Result<crypto::X509Ptr> build_certificate(const CertificateTemplate& t, X509* issuer,
                                                const crypto::Signer& signer) {
    auto x = fill(t, issuer);
    if (!x) return std::unexpected(x.error());
    return sign_certificate(x->get(), signer);
}

core::Result<core::Bytes> build_certificate_der(const CertificateTemplate& t, X509* issuer,
                                                const crypto::Signer& signer) {
    auto x = fill(t, issuer);
    if (!x) return std::unexpected(x.error());
    return sign_certificate_der(x->get(), signer);
}

core::Result<core::Bytes> new_serial(CertificateRepository& repository) {
    for (int attempt = 0; attempt < 8; ++attempt) {
        auto serial = crypto::random_bytes(16);
        if (serial[0] == 0) serial[0] = 1;  // keep all 16 octets significant
        crypto::BnPtr bn(BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
        char* hex = BN_bn2hex(bn.get());
        std::string text(hex);
        OPENSSL_free(hex);
        for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto exists = repository.serial_exists(text);
        if (!exists) return std::unexpected(exists.error());
        if (!*exists) return serial;
    }
    return core::fail(core::Errc::internal, "certificate.serial", "could not find an unused serial number");
}

}  // namespace eseal::pki
