#include "document/pdf/cms.hpp"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <algorithm>

#include "crypto/ossl.hpp"
#include "pki/der.hpp"
#include "pki/der_reader.hpp"

namespace eseal::document::pdf {
namespace {

namespace der = pki::der;

constexpr std::uint8_t kInteger = 0x02;
constexpr std::uint8_t kNull = 0x05;
constexpr std::uint8_t kOid = 0x06;
constexpr std::uint8_t kSet = 0x31;
constexpr std::uint8_t kContext0 = 0xA0;
constexpr std::uint8_t kContext1 = 0xA1;
constexpr std::uint8_t kContext4 = 0xA4;
constexpr std::uint8_t kContext0Primitive = 0x80;

// RFC 5652 §5, RFC 5035 §5.4, RFC 3161 Appendix A, RFC 5754, RFC 5758, GM/T 0006.
constexpr const char* kIdSignedData = "1.2.840.113549.1.7.2";
constexpr const char* kIdData = "1.2.840.113549.1.7.1";
constexpr const char* kIdContentType = "1.2.840.113549.1.9.3";
constexpr const char* kIdMessageDigest = "1.2.840.113549.1.9.4";
constexpr const char* kIdSigningTime = "1.2.840.113549.1.9.5";
constexpr const char* kIdSigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";
constexpr const char* kIdSignatureTimeStamp = "1.2.840.113549.1.9.16.2.14";
constexpr const char* kSha256 = "2.16.840.1.101.3.4.2.1";
constexpr const char* kSm3 = "1.2.156.10197.1.401";
constexpr const char* kEcdsaSha256 = "1.2.840.10045.4.3.2";
constexpr const char* kRsaEncryption = "1.2.840.113549.1.1.1";
constexpr const char* kSha256WithRsa = "1.2.840.113549.1.1.11";
constexpr const char* kSm2Sm3 = "1.2.156.10197.1.501";
constexpr const char* kSm2Sign = "1.2.156.10197.1.301.1";

core::Bytes concat(std::initializer_list<core::ByteView> parts) {
    core::Bytes out;
    for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

core::Bytes oid(const char* dotted) {
    crypto::Asn1ObjectPtr o(OBJ_txt2obj(dotted, 1));
    return crypto::to_der(o.get(), i2d_ASN1_OBJECT);
}

std::string oid_text(core::ByteView content) {
    // Rebuild the TLV and let OpenSSL print it in dotted form.
    const auto tlv = der::tlv(kOid, content);
    const unsigned char* p = tlv.data();
    crypto::Asn1ObjectPtr o(d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(tlv.size())));
    if (!o) {
        ERR_clear_error();
        return {};
    }
    char buf[128];
    const int n = OBJ_obj2txt(buf, sizeof buf, o.get(), 1);
    if (n <= 0 || n >= static_cast<int>(sizeof buf))
        return {};
    return std::string(buf, static_cast<std::size_t>(n));
}

core::Bytes small_integer(std::uint8_t v) {
    return der::tlv(kInteger, core::ByteView(&v, 1));
}

// X.690 §11.6: a DER SET OF lists its elements in ascending order of their encodings.
core::Bytes set_of(std::vector<core::Bytes> elements, std::uint8_t tag = kSet) {
    std::sort(elements.begin(), elements.end(), [](const core::Bytes& a, const core::Bytes& b) {
        const std::size_t n = std::max(a.size(), b.size());
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint8_t x = i < a.size() ? a[i] : 0;
            const std::uint8_t y = i < b.size() ? b[i] : 0;
            if (x != y)
                return x < y;
        }
        return false;
    });
    core::Bytes content;
    for (const auto& e : elements) content.insert(content.end(), e.begin(), e.end());
    return der::tlv(tag, content);
}

core::Bytes algorithm_id(const char* dotted, bool null_params) {
    const core::Bytes o = oid(dotted);
    if (!null_params)
        return der::sequence({o});
    const core::Bytes null = der::tlv(kNull, {});
    return der::sequence({o, null});
}

const char* digest_oid(crypto::DigestAlgorithm d) {
    return d == crypto::DigestAlgorithm::sm3 ? kSm3 : kSha256;
}

core::Bytes signature_algorithm_id(crypto::SignatureAlgorithm a) {
    switch (a) {
        case crypto::SignatureAlgorithm::sm2_sm3:
            return algorithm_id(kSm2Sm3, false);
        case crypto::SignatureAlgorithm::ecdsa_sha256:
            return algorithm_id(kEcdsaSha256, false);  // RFC 5758 §3.2
        case crypto::SignatureAlgorithm::rsa_sha256:
            return algorithm_id(kRsaEncryption, true);  // RFC 3370 §3.2
    }
    return {};
}

core::Bytes attribute(const char* type, core::ByteView value) {
    return der::sequence({oid(type), set_of({core::Bytes(value.begin(), value.end())})});
}

struct CertParts {
    core::Bytes issuer;  // Name DER
    core::Bytes serial;  // INTEGER DER
    int max_signature = 0;
};

core::Result<CertParts> cert_parts(core::ByteView cert_der) {
    const unsigned char* p = cert_der.data();
    crypto::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(cert_der.size())));
    if (!cert)
        return crypto::openssl_fail(core::Errc::invalid_input, "cms.certificate",
                                    "signer certificate");
    CertParts parts;
    parts.issuer = crypto::to_der(X509_get_issuer_name(cert.get()), i2d_X509_NAME);
    parts.serial = crypto::to_der(X509_get0_serialNumber(cert.get()), i2d_ASN1_INTEGER);
    const EVP_PKEY* key = X509_get0_pubkey(cert.get());
    parts.max_signature = key != nullptr ? EVP_PKEY_get_size(key) : 0;
    if (parts.issuer.empty() || parts.serial.empty() || parts.max_signature <= 0)
        return core::fail(core::Errc::invalid_input, "cms.certificate",
                          "the signer certificate lacks issuer, serial or key");
    return parts;
}

core::Bytes signed_attributes(crypto::DigestAlgorithm d, core::ByteView digest,
                              core::ByteView cert_der, const CertParts& parts) {
    // RFC 5035 §5.4: ESSCertIDv2 { hashAlgorithm DEFAULT sha256, certHash, issuerSerial }, where
    // IssuerSerial is { GeneralNames (directoryName [4]), serialNumber }.
    const core::Bytes cert_hash = crypto::digest(d, cert_der);
    const core::Bytes general_names = der::sequence({der::tlv(kContext4, parts.issuer)});
    const core::Bytes issuer_serial = der::sequence({general_names, parts.serial});
    const core::Bytes hash_octets = der::tlv(der::kOctetString, cert_hash);
    const core::Bytes ess_cert_id =
        d == crypto::DigestAlgorithm::sha256
            ? der::sequence({hash_octets, issuer_serial})
            : der::sequence({algorithm_id(digest_oid(d), false), hash_octets, issuer_serial});
    const core::Bytes signing_cert = der::sequence({der::sequence({ess_cert_id})});
    return set_of({
        attribute(kIdContentType, oid(kIdData)),
        attribute(kIdMessageDigest, der::tlv(der::kOctetString, digest)),
        attribute(kIdSigningCertificateV2, signing_cert),
    });
}

core::Bytes assemble(const CmsInput& in, crypto::SignatureAlgorithm alg, const CertParts& parts,
                     core::ByteView signed_attrs_set, core::ByteView signature,
                     core::ByteView unsigned_attrs) {
    const auto d = digest_algorithm_for(alg);
    // The signed attributes are signed as a SET (0x31) and carried as [0] IMPLICIT (RFC 5652 §5.4).
    core::Bytes signed_implicit(signed_attrs_set.begin(), signed_attrs_set.end());
    signed_implicit[0] = kContext0;
    core::Bytes signer_info_content =
        concat({small_integer(1), der::sequence({parts.issuer, parts.serial}),
                algorithm_id(digest_oid(d), false), signed_implicit, signature_algorithm_id(alg),
                der::tlv(der::kOctetString, signature)});
    if (!unsigned_attrs.empty()) {
        const auto u = der::tlv(kContext1, unsigned_attrs);
        signer_info_content.insert(signer_info_content.end(), u.begin(), u.end());
    }
    const core::Bytes signer_info = der::tlv(der::kSequence, signer_info_content);
    core::Bytes certs(in.signer_certificate.begin(), in.signer_certificate.end());
    for (const auto& c : in.chain) certs.insert(certs.end(), c.begin(), c.end());
    const core::Bytes signed_data = der::sequence({
        small_integer(1),
        set_of({algorithm_id(digest_oid(d), false)}),
        der::sequence({oid(kIdData)}),  // detached: no eContent (RFC 5652 §5.2)
        der::tlv(kContext0, certs),
        set_of({signer_info}),
    });
    return der::sequence({oid(kIdSignedData), der::tlv(kContext0, signed_data)});
}

}  // namespace

crypto::DigestAlgorithm digest_algorithm_for(crypto::SignatureAlgorithm a) noexcept {
    return a == crypto::SignatureAlgorithm::sm2_sm3 ? crypto::DigestAlgorithm::sm3
                                                    : crypto::DigestAlgorithm::sha256;
}

core::Result<core::Bytes> build_signed_data(const CmsInput& in, const crypto::Signer& signer,
                                            const TimeStamper* time_stamper) {
    auto parts = cert_parts(in.signer_certificate);
    if (!parts)
        return std::unexpected(parts.error());
    const auto alg = signer.algorithm();
    const core::Bytes attrs = signed_attributes(digest_algorithm_for(alg), in.content_digest,
                                                in.signer_certificate, *parts);
    auto signature = signer.sign(attrs);
    if (!signature)
        return std::unexpected(signature.error());
    core::Bytes unsigned_attrs;
    if (time_stamper != nullptr && *time_stamper) {
        auto token = (*time_stamper)(*signature);
        if (!token)
            return std::unexpected(token.error());
        unsigned_attrs = attribute(kIdSignatureTimeStamp, *token);
    }
    return assemble(in, alg, *parts, attrs, *signature, unsigned_attrs);
}

core::Result<std::size_t> signed_data_size_bound(const CmsInput& in, crypto::SignatureAlgorithm alg,
                                                 std::size_t time_stamp_reserve) {
    auto parts = cert_parts(in.signer_certificate);
    if (!parts)
        return std::unexpected(parts.error());
    const core::Bytes attrs = signed_attributes(digest_algorithm_for(alg), in.content_digest,
                                                in.signer_certificate, *parts);
    const core::Bytes fake_signature(static_cast<std::size_t>(parts->max_signature) + 8, 0xFF);
    return assemble(in, alg, *parts, attrs, fake_signature, {}).size() + time_stamp_reserve;
}

// --- reading ----------------------------------------------------------------------------------

namespace {

struct Reader {
    std::string where;
    std::string problem;
    std::optional<der::Tlv> next(core::ByteView& in, std::uint8_t tag, const char* what) {
        auto t = der::read_tlv(in);
        if (!t || t->tag != tag) {
            if (problem.empty())
                problem = std::string(what) + " missing or malformed";
            return std::nullopt;
        }
        return t;
    }
};

std::optional<crypto::SignatureAlgorithm> signature_algorithm_of(const std::string& o) {
    if (o == kEcdsaSha256)
        return crypto::SignatureAlgorithm::ecdsa_sha256;
    if (o == kRsaEncryption || o == kSha256WithRsa)
        return crypto::SignatureAlgorithm::rsa_sha256;
    if (o == kSm2Sm3 || o == kSm2Sign)
        return crypto::SignatureAlgorithm::sm2_sm3;
    return std::nullopt;
}

std::optional<crypto::DigestAlgorithm> digest_of(const std::string& o) {
    if (o == kSha256)
        return crypto::DigestAlgorithm::sha256;
    if (o == kSm3)
        return crypto::DigestAlgorithm::sm3;
    return std::nullopt;
}

// The first value of an Attribute ::= SEQUENCE { type, SET OF value } and its type.
std::optional<std::pair<std::string, der::Tlv>> read_attribute(core::ByteView whole) {
    auto seq = der::read_only_tlv(whole);
    if (!seq || seq->tag != der::kSequence)
        return std::nullopt;
    core::ByteView in = seq->content;
    auto type = der::read_tlv(in);
    auto values = der::read_tlv(in);
    if (!type || type->tag != kOid || !values || values->tag != kSet || !in.empty())
        return std::nullopt;
    core::ByteView v = values->content;
    auto first = der::read_tlv(v);
    if (!first)
        return std::nullopt;
    return std::pair{oid_text(type->content), *first};
}

}  // namespace

core::Result<ParsedSignedData> parse_signed_data(core::ByteView bytes) {
    const auto bad = [](const std::string& why) {
        return core::fail(core::Errc::invalid_input, "cms.malformed",
                          "the CMS signature is malformed: " + why);
    };
    Reader r;
    auto outer = der::read_tlv(bytes);  // /Contents is zero-padded after the DER
    if (!outer || outer->tag != der::kSequence) {
        // BER (indefinite lengths, as NSS writes for adbe.pkcs7.detached): re-encoded as DER by
        // OpenSSL. The signed attributes were DER when signed (RFC 5652 §5.4), so they survive.
        const unsigned char* p = bytes.data();
        std::unique_ptr<CMS_ContentInfo, crypto::Free<CMS_ContentInfo_free>> ci(
            d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(bytes.size())));
        if (!ci) {
            ERR_clear_error();
            return bad("not a DER or BER ContentInfo");
        }
        const core::Bytes der_form = crypto::to_der(ci.get(), i2d_CMS_ContentInfo);
        core::ByteView view(der_form);
        auto again = der::read_tlv(view);
        if (der_form.empty() || !again || again->tag != der::kSequence)
            return bad("not a DER ContentInfo");
        return parse_signed_data(der_form);
    }
    core::ByteView ci = outer->content;
    auto ctype = r.next(ci, kOid, "contentType");
    if (!ctype || oid_text(ctype->content) != kIdSignedData)
        return bad("the content type is not signedData");
    auto explicit0 = r.next(ci, kContext0, "content [0]");
    if (!explicit0)
        return bad(r.problem);
    auto sd = der::read_only_tlv(explicit0->content);
    if (!sd || sd->tag != der::kSequence)
        return bad("SignedData is not a SEQUENCE");
    core::ByteView in = sd->content;
    ParsedSignedData out;
    if (!r.next(in, kInteger, "version") || !r.next(in, kSet, "digestAlgorithms"))
        return bad(r.problem);
    auto encap = r.next(in, der::kSequence, "encapContentInfo");
    if (!encap)
        return bad(r.problem);
    {
        core::ByteView e = encap->content;
        auto t = r.next(e, kOid, "eContentType");
        if (!t)
            return bad(r.problem);
        out.econtent_type = oid_text(t->content);
        out.has_econtent = !e.empty();
    }
    auto next = der::read_tlv(in);
    if (next && next->tag == kContext0) {
        core::ByteView certs = next->content;
        while (!certs.empty()) {
            auto c = der::read_tlv(certs);
            if (!c || c->tag != der::kSequence)
                return bad("a certificate in certificates is malformed");
            out.certificates.emplace_back(c->whole.begin(), c->whole.end());
        }
        next = der::read_tlv(in);
    }
    if (next && next->tag == kContext1)
        next = der::read_tlv(in);  // crls
    if (!next || next->tag != kSet)
        return bad("signerInfos missing or malformed");
    core::ByteView infos = next->content;
    auto si = r.next(infos, der::kSequence, "SignerInfo");
    if (!si)
        return bad(r.problem);
    if (!infos.empty())
        return bad("more than one SignerInfo (ETSI EN 319 142-1 allows one)");

    core::ByteView s = si->content;
    if (!r.next(s, kInteger, "SignerInfo.version"))
        return bad(r.problem);
    auto sid = der::read_tlv(s);
    if (!sid)
        return bad("SignerInfo.sid malformed");
    auto dalg = r.next(s, der::kSequence, "digestAlgorithm");
    if (!dalg)
        return bad(r.problem);
    {
        core::ByteView a = dalg->content;
        auto o = r.next(a, kOid, "digestAlgorithm OID");
        if (!o)
            return bad(r.problem);
        out.digest_oid = oid_text(o->content);
        out.digest = digest_of(out.digest_oid);
    }
    auto attrs = r.next(s, kContext0, "signedAttrs");
    if (!attrs)
        return bad("no signed attributes (PAdES requires them)");
    out.signed_attributes.assign(attrs->whole.begin(), attrs->whole.end());
    out.signed_attributes[0] = kSet;  // RFC 5652 §5.4: the signature is over the SET OF encoding
    auto salg = r.next(s, der::kSequence, "signatureAlgorithm");
    if (!salg)
        return bad(r.problem);
    {
        core::ByteView a = salg->content;
        auto o = r.next(a, kOid, "signatureAlgorithm OID");
        if (!o)
            return bad(r.problem);
        out.signature_oid = oid_text(o->content);
        out.signature_algorithm = signature_algorithm_of(out.signature_oid);
    }
    auto sig = r.next(s, der::kOctetString, "signature");
    if (!sig)
        return bad(r.problem);
    out.signature.assign(sig->content.begin(), sig->content.end());
    if (!s.empty()) {
        auto u = der::read_tlv(s);
        if (!u || u->tag != kContext1)
            return bad("unsignedAttrs malformed");
        core::ByteView ua = u->content;
        while (!ua.empty()) {
            auto a = der::read_tlv(ua);
            if (!a)
                return bad("an unsigned attribute is malformed");
            auto parsed = read_attribute(a->whole);
            if (!parsed)
                return bad("an unsigned attribute is malformed");
            if (parsed->first == kIdSignatureTimeStamp)
                out.time_stamp_token =
                    core::Bytes(parsed->second.whole.begin(), parsed->second.whole.end());
        }
    }

    // The signed attributes.
    core::ByteView sa = attrs->content;
    while (!sa.empty()) {
        auto a = der::read_tlv(sa);
        if (!a)
            return bad("a signed attribute is malformed");
        auto parsed = read_attribute(a->whole);
        if (!parsed)
            return bad("a signed attribute is malformed");
        const auto& [type, value] = *parsed;
        if (type == kIdContentType && value.tag == kOid) {
            out.content_type = oid_text(value.content);
        } else if (type == kIdMessageDigest && value.tag == der::kOctetString) {
            out.message_digest = core::Bytes(value.content.begin(), value.content.end());
        } else if (type == kIdSigningTime) {
            out.has_signing_time = true;
        } else if (type == kIdSigningCertificateV2 && value.tag == der::kSequence) {
            // SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2, ... }: the first names the
            // signer.
            core::ByteView v = value.content;
            auto certs = der::read_tlv(v);
            if (!certs || certs->tag != der::kSequence)
                return bad("signing-certificate-v2 malformed");
            core::ByteView c = certs->content;
            auto first = der::read_tlv(c);
            if (!first || first->tag != der::kSequence)
                return bad("signing-certificate-v2 malformed");
            core::ByteView e = first->content;
            auto item = der::read_tlv(e);
            if (item && item->tag == der::kSequence) {
                core::ByteView alg = item->content;
                auto o = der::read_tlv(alg);
                if (!o || o->tag != kOid)
                    return bad("signing-certificate-v2 hash algorithm malformed");
                out.signing_certificate_v2_hash_oid = oid_text(o->content);
                item = der::read_tlv(e);
            } else {
                out.signing_certificate_v2_hash_oid = kSha256;
            }
            if (!item || item->tag != der::kOctetString)
                return bad("signing-certificate-v2 certHash malformed");
            out.signing_certificate_v2_hash =
                core::Bytes(item->content.begin(), item->content.end());
        }
    }

    // Which carried certificate the sid names: IssuerAndSerialNumber, or [0] SubjectKeyIdentifier.
    for (std::size_t i = 0; i < out.certificates.size() && !out.signer_index; ++i) {
        const unsigned char* p = out.certificates[i].data();
        crypto::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(out.certificates[i].size())));
        if (!cert) {
            ERR_clear_error();
            continue;
        }
        if (sid->tag == der::kSequence) {
            const auto issuer = crypto::to_der(X509_get_issuer_name(cert.get()), i2d_X509_NAME);
            const auto serial =
                crypto::to_der(X509_get0_serialNumber(cert.get()), i2d_ASN1_INTEGER);
            const auto expected = concat({issuer, serial});
            if (std::ranges::equal(sid->content, expected))
                out.signer_index = i;
        } else if (sid->tag == kContext0Primitive) {
            const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(cert.get());
            if (ski != nullptr &&
                std::ranges::equal(sid->content, core::ByteView(ASN1_STRING_get0_data(ski),
                                                                static_cast<std::size_t>(
                                                                    ASN1_STRING_length(ski)))))
                out.signer_index = i;
        }
    }
    return out;
}

}  // namespace eseal::document::pdf
