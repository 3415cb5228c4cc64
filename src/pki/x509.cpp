#include "pki/x509.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include "crypto/digest.hpp"
#include "crypto/public_key.hpp"
#include "pki/der.hpp"

namespace eseal::pki {

using crypto::openssl_fail;

namespace {
std::string serial_hex_of(const BIGNUM* bn);
}

crypto::X509AlgorPtr signature_algorithm_id(crypto::SignatureAlgorithm alg) {
    crypto::X509AlgorPtr a(X509_ALGOR_new());
    switch (alg) {
        case crypto::SignatureAlgorithm::sm2_sm3:
            X509_ALGOR_set0(a.get(), OBJ_nid2obj(NID_SM2_with_SM3), V_ASN1_UNDEF, nullptr);
            break;
        case crypto::SignatureAlgorithm::ecdsa_sha256:
            X509_ALGOR_set0(a.get(), OBJ_nid2obj(NID_ecdsa_with_SHA256), V_ASN1_UNDEF, nullptr);
            break;
        case crypto::SignatureAlgorithm::rsa_sha256:
            X509_ALGOR_set0(a.get(), OBJ_nid2obj(NID_sha256WithRSAEncryption), V_ASN1_NULL, nullptr);
            break;
    }
    return a;
}

std::optional<crypto::SignatureAlgorithm> signature_algorithm_of(const X509* cert) {
    switch (X509_get_signature_nid(cert)) {
        case NID_SM2_with_SM3: return crypto::SignatureAlgorithm::sm2_sm3;
        case NID_ecdsa_with_SHA256: return crypto::SignatureAlgorithm::ecdsa_sha256;
        case NID_sha256WithRSAEncryption: return crypto::SignatureAlgorithm::rsa_sha256;
        default: return std::nullopt;
    }
}

core::Result<crypto::X509Ptr> sign_certificate(X509* tbs, const crypto::Signer& signer) {
    auto der = sign_certificate_der(tbs, signer);
    if (!der) return std::unexpected(der.error());
    return parse_certificate(*der);
}

core::Result<core::Bytes> sign_certificate_der(X509* tbs, const crypto::Signer& signer) {
    const auto alg = signature_algorithm_id(signer.algorithm());
    // OpenSSL 3.0 has no setter for the TBS signature field; X509_get0_tbs_sigalg points into
    // the certificate, so it is set in place. i2d_re_X509_tbs then re-encodes the changed TBS.
    auto* tbs_alg = const_cast<X509_ALGOR*>(X509_get0_tbs_sigalg(tbs));
    if (X509_ALGOR_copy(tbs_alg, alg.get()) != 1)
        return openssl_fail(core::Errc::internal, "certificate.encode", "cannot set the signature algorithm");
    const auto tbs_der = crypto::to_der(tbs, [](const X509* x, unsigned char** out) {
        return i2d_re_X509_tbs(const_cast<X509*>(x), out);
    });
    if (tbs_der.empty())
        return openssl_fail(core::Errc::internal, "certificate.encode", "cannot encode the certificate");
    auto signature = signer.sign(tbs_der);
    if (!signature) return std::unexpected(signature.error());
    const auto alg_der = crypto::to_der(alg.get(), i2d_X509_ALGOR);
    return der::sequence({tbs_der, alg_der, der::bit_string(*signature)});
}

core::Result<crypto::X509Ptr> parse_certificate(core::ByteView data) {
    auto all = parse_certificates(data);
    if (!all) return std::unexpected(all.error());
    if (all->size() != 1)
        return core::fail(core::Errc::invalid_input, "certificate.count",
                          "expected one certificate, found " + std::to_string(all->size()));
    return std::move(all->front());
}

core::Result<std::vector<crypto::X509Ptr>> parse_certificates(core::ByteView data) {
    std::vector<crypto::X509Ptr> out;
    const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    if (text.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos) {
        crypto::BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
        while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(x);
        ERR_clear_error();  // the read that ends the loop
        if (out.empty())
            return openssl_fail(core::Errc::invalid_input, "certificate.malformed", "unreadable PEM certificate");
        return out;
    }
    const unsigned char* p = data.data();
    crypto::X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(data.size())));
    if (!x || p != data.data() + data.size())
        return openssl_fail(core::Errc::invalid_input, "certificate.malformed", "not a DER or PEM certificate");
    out.push_back(std::move(x));
    return out;
}

core::Bytes certificate_der(const X509* cert) { return crypto::to_der(cert, i2d_X509); }

std::string certificate_pem(const X509* cert) {
    crypto::BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), const_cast<X509*>(cert));
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return {data, static_cast<std::size_t>(n)};
}

std::string serial_hex(const X509* cert) {
    crypto::BnPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
    return serial_hex_of(bn.get());
}

std::string serial_hex(core::ByteView big_endian) {
    crypto::BnPtr bn(BN_bin2bn(big_endian.data(), static_cast<int>(big_endian.size()), nullptr));
    return serial_hex_of(bn.get());
}

namespace {
std::string serial_hex_of(const BIGNUM* bn) {
    char* hex = BN_bn2hex(bn);
    std::string out(hex);
    OPENSSL_free(hex);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto first = out.find_first_not_of('0');
    return first == std::string::npos ? "0" : out.substr(first);
}
}  // namespace

std::string name_rfc2253(const X509_NAME* name) {
    crypto::BioPtr bio(BIO_new(BIO_s_mem()));
    // RFC 2253 escaping, but UTF-8 characters kept as they are (not \XX escapes).
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return {data, static_cast<std::size_t>(n)};
}

std::string name_entry(const X509_NAME* name, int nid) {
    const int i = X509_NAME_get_index_by_NID(name, nid, -1);
    if (i < 0) return {};
    const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    const int n = ASN1_STRING_to_UTF8(&utf8, s);
    if (n < 0) return {};
    std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n));
    OPENSSL_free(utf8);
    return out;
}

core::TimePoint to_time_point(const ASN1_TIME* t) {
    struct tm tm {};
    ASN1_TIME_to_tm(t, &tm);
    return core::TimePoint{std::chrono::seconds{timegm(&tm)}};
}

std::string key_sha256_hex(const EVP_PKEY* key) {
    return core::hex_encode(crypto::sha256(crypto::public_key_der(key)));
}

std::string key_sha256_hex(const X509_PUBKEY* spki) {
    return core::hex_encode(crypto::sha256(crypto::to_der(spki, i2d_X509_PUBKEY)));
}

void set_sm2_id(X509* cert) {
    // Only for SM2 signatures: OpenSSL refuses an ID on an ECDSA or RSA verification.
    if (X509_get_signature_nid(cert) == NID_SM2_with_SM3) X509_set0_distinguishing_id(cert, crypto::new_sm2_id());
}

}  // namespace eseal::pki
