// Reading a V4 SES_Signature (GB/T 38540-2020 §7.1). The seal inside is read with parse_seal and
// kept byte for byte, as OFD verifiers compare it with Seal.esl.
#include "seal/asn1.hpp"
#include "seal/ses_signature.hpp"

namespace eseal::seal {
namespace {

using asn1::Reader;
constexpr const char* kCode = "signature.malformed";

core::Result<void> parse_tbs(const pki::der::Tlv& t, SealSignature& s) {
    Reader r(t.content, kCode);
    auto version = r.take(asn1::kInteger, "TBS_Sign.version");
    if (!version)
        return std::unexpected(version.error());
    auto v = asn1::read_integer(r, *version, "TBS_Sign.version");
    if (!v)
        return std::unexpected(v.error());
    if (*v < 0 || *v > 1000)
        return r.error("TBS_Sign.version", "out of range");
    s.version = static_cast<int>(*v);
    auto eseal = r.take(asn1::kSequence, "TBS_Sign.eseal");
    if (!eseal)
        return std::unexpected(eseal.error());
    auto seal = parse_seal(eseal->whole);
    if (!seal)
        return r.error("TBS_Sign.eseal", seal.error().message);
    s.seal = std::move(*seal);
    auto time = r.take_any("TBS_Sign.timeInfo");
    if (!time)
        return std::unexpected(time.error());
    auto when = asn1::read_time(r, *time, "TBS_Sign.timeInfo");
    if (!when)
        return std::unexpected(when.error());
    s.time_info = *when;
    auto hash = r.take_any("TBS_Sign.dataHash");
    if (!hash)
        return std::unexpected(hash.error());
    if (hash->tag == asn1::kBitString) {
        auto bits = asn1::read_bits(r, *hash, "TBS_Sign.dataHash");
        if (!bits)
            return std::unexpected(bits.error());
        s.data_hash = std::move(*bits);
    } else if (hash->tag ==
               asn1::kOctetString) {  // some systems write an OCTET STRING (ofdrw reads both)
        s.data_hash.assign(hash->content.begin(), hash->content.end());
    } else {
        return r.error("TBS_Sign.dataHash", "not a BIT STRING");
    }
    auto property = r.take(asn1::kIa5String, "TBS_Sign.propertyInfo");
    if (!property)
        return std::unexpected(property.error());
    auto property_s = asn1::read_ia5(r, *property, "TBS_Sign.propertyInfo");
    if (!property_s)
        return std::unexpected(property_s.error());
    s.property_info = *property_s;
    if (!r.at_end()) {
        auto ext = r.take_any("TBS_Sign.extDatas");
        if (!ext)
            return std::unexpected(ext.error());
        if (ext->tag != asn1::kContext0 && ext->tag != asn1::kSequence)
            return r.error("TBS_Sign.extDatas", "neither [0] nor a SEQUENCE");
        s.ext_datas = core::Bytes(ext->whole.begin(), ext->whole.end());
    }
    s.tbs_der.assign(t.whole.begin(), t.whole.end());
    return r.finish("TBS_Sign");
}

}  // namespace

core::Result<SealSignature> parse_signature(core::ByteView der) {
    auto outer = pki::der::read_only_tlv(der);
    if (!outer || outer->tag != asn1::kSequence)
        return core::fail(core::Errc::invalid_input, kCode,
                          "not a DER SES_Signature (truncated, trailing bytes, or not a SEQUENCE)");
    const auto count = asn1::count_elements(outer->content);
    if (!count)
        return core::fail(core::Errc::invalid_input, kCode,
                          "SES_Signature: elements are not well-formed DER");
    if (*count == 2)
        return core::fail(core::Errc::unsupported, "signature.unsupported",
                          "a GM/T 0031-2014 (V1) SES_Signature; eseal reads V4 signatures only");
    if (*count != 4 && *count != 5)
        return core::fail(
            core::Errc::invalid_input, kCode,
            "SES_Signature has " + std::to_string(*count) + " elements; V4 has 4 or 5");
    SealSignature s;
    Reader r(outer->content, kCode);
    auto tbs = r.take(asn1::kSequence, "TBS_Sign");
    if (!tbs)
        return std::unexpected(tbs.error());
    if (auto p = parse_tbs(*tbs, s); !p)
        return std::unexpected(p.error());
    auto cert = r.take(asn1::kOctetString, "SES_Signature.cert");
    if (!cert)
        return std::unexpected(cert.error());
    auto alg = r.take(asn1::kOid, "SES_Signature.signatureAlgID");
    if (!alg)
        return std::unexpected(alg.error());
    auto sig = r.take(asn1::kBitString, "SES_Signature.signature");
    if (!sig)
        return std::unexpected(sig.error());
    auto alg_s = asn1::read_oid(r, *alg, "SES_Signature.signatureAlgID");
    if (!alg_s)
        return std::unexpected(alg_s.error());
    auto sig_b = asn1::read_bits(r, *sig, "SES_Signature.signature");
    if (!sig_b)
        return std::unexpected(sig_b.error());
    s.signer_certificate.assign(cert->content.begin(), cert->content.end());
    s.signature_algorithm = *alg_s;
    s.signature = std::move(*sig_b);
    if (!r.at_end()) {
        // timeStamp [0]: EXPLICIT as ofdrw writes it, or IMPLICIT; both are read.
        auto ts = r.take_any("SES_Signature.timeStamp");
        if (!ts)
            return std::unexpected(ts.error());
        if (ts->tag != asn1::kContext0 && ts->tag != asn1::kContext0Primitive)
            return r.error("SES_Signature.timeStamp", "not [0]");
        s.time_stamp = core::Bytes(ts->whole.begin(), ts->whole.end());
    }
    if (auto f = r.finish("SES_Signature"); !f)
        return std::unexpected(f.error());
    s.der.assign(outer->whole.begin(), outer->whole.end());
    return s;
}

}  // namespace eseal::seal
