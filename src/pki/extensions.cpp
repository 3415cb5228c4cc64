#include "pki/extensions.hpp"

#include "pki/der.hpp"

namespace eseal::pki {

core::Result<void> add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert, cert, nullptr, nullptr, 0);
    crypto::X509ExtPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str()));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
        return crypto::openssl_fail(core::Errc::internal, "certificate.extension",
                                    std::string("cannot add ") + OBJ_nid2sn(nid) + " = " + value);
    return {};
}

core::Result<void> add_identify_code(X509* cert, const std::string& resident_id) {
    const auto value = der::tlv(0xA0, der::tlv(der::kPrintableString, core::as_bytes(resident_id)));
    crypto::Asn1ObjectPtr oid(OBJ_txt2obj(kIdentifyCodeOid, 1));
    crypto::Asn1OctetStringPtr data(ASN1_OCTET_STRING_new());
    ASN1_OCTET_STRING_set(data.get(), value.data(), static_cast<int>(value.size()));
    crypto::X509ExtPtr ext(X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), 0, data.get()));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
        return crypto::openssl_fail(core::Errc::internal, "certificate.extension", "cannot add IdentifyCode");
    return {};
}

std::string identify_code_of(const X509* cert) {
    crypto::Asn1ObjectPtr oid(OBJ_txt2obj(kIdentifyCodeOid, 1));
    const int i = X509_get_ext_by_OBJ(cert, oid.get(), -1);
    if (i < 0) return {};
    const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(X509_get_ext(cert, i));
    const unsigned char* p = ASN1_STRING_get0_data(data);
    const int n = ASN1_STRING_length(data);
    // [0] { PrintableString }: both short-form lengths for an 18-character number.
    if (n < 4 || p[0] != 0xA0 || p[2] != der::kPrintableString || p[3] + 4 != n) return {};
    return {reinterpret_cast<const char*>(p + 4), static_cast<std::size_t>(p[3])};
}

}  // namespace eseal::pki
