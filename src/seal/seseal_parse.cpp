// Reading SESeal, V4 (GB/T 38540-2020 §6.1) and V1 (GM/T 0031-2014 §6.1.1), including seals made
// by other systems: where implementations differ (certListType present or not, certificates as
// OCTET STRING or bare, GeneralizedTime or UTCTime, extDatas tagged or not) both forms are read.
#include "seal/asn1.hpp"
#include "seal/seseal.hpp"

namespace eseal::seal {
namespace {

using asn1::Reader;
using pki::der::Tlv;

constexpr const char* kCode = "seal.malformed";

core::Result<void> parse_header(const Tlv& t, Seal& s) {
    Reader r(t.content, kCode);
    auto id = r.take(asn1::kIa5String, "SES_Header.ID");
    if (!id)
        return std::unexpected(id.error());
    auto version = r.take(asn1::kInteger, "SES_Header.version");
    if (!version)
        return std::unexpected(version.error());
    auto vid = r.take(asn1::kIa5String, "SES_Header.Vid");
    if (!vid)
        return std::unexpected(vid.error());
    auto id_s = asn1::read_ia5(r, *id, "SES_Header.ID");
    auto v = asn1::read_integer(r, *version, "SES_Header.version");
    auto vid_s = asn1::read_ia5(r, *vid, "SES_Header.Vid");
    if (!id_s)
        return std::unexpected(id_s.error());
    if (!v)
        return std::unexpected(v.error());
    if (!vid_s)
        return std::unexpected(vid_s.error());
    if (*v < 0 || *v > 1000)
        return r.error("SES_Header.version", "out of range");
    s.header_id = *id_s;
    s.version = static_cast<int>(*v);
    s.vendor_id = *vid_s;
    return r.finish("SES_Header");
}

core::Result<std::vector<core::Bytes>> parse_certificates(const Reader& parent, const Tlv& list) {
    Reader r(list.content, kCode);
    std::vector<core::Bytes> out;
    while (!r.at_end()) {
        auto item = r.take_any("certList item");
        if (!item)
            return std::unexpected(item.error());
        if (item->tag == asn1::kOctetString)  // Cert ::= OCTET STRING (DER certificate)
            out.emplace_back(item->content.begin(), item->content.end());
        else if (item->tag == asn1::kSequence)  // a bare Certificate, as some systems write
            out.emplace_back(item->whole.begin(), item->whole.end());
        else
            return parent.error("certList item", "neither an OCTET STRING nor a certificate");
    }
    return out;
}

core::Result<std::vector<CertDigest>> parse_digests(const Tlv& list) {
    Reader r(list.content, kCode);
    std::vector<CertDigest> out;
    while (!r.at_end()) {
        auto item = r.take(asn1::kSequence, "CertDigestObj");
        if (!item)
            return std::unexpected(item.error());
        Reader d(item->content, kCode);
        auto type = d.take_any("CertDigestObj.type");
        if (!type)
            return std::unexpected(type.error());
        auto value = d.take(asn1::kOctetString, "CertDigestObj.value");
        if (!value)
            return std::unexpected(value.error());
        if (auto f = d.finish("CertDigestObj"); !f)
            return std::unexpected(f.error());
        out.push_back({core::to_string(type->content),
                       core::Bytes(value->content.begin(), value->content.end())});
    }
    return out;
}

core::Result<core::TimePoint> take_time(Reader& r, std::string_view field) {
    auto t = r.take_any(field);
    if (!t)
        return std::unexpected(t.error());
    return asn1::read_time(r, *t, field);
}

// V4: { type, name, certListType, certList, createDate, validStart, validEnd } (GeneralizedTime);
// V1: { type, name, certList, createDate, validStart, validEnd } (UTCTime).
core::Result<void> parse_property(const Tlv& t, SealProperty& p) {
    Reader r(t.content, kCode);
    auto type = r.take(asn1::kInteger, "property.type");
    if (!type)
        return std::unexpected(type.error());
    auto type_v = asn1::read_integer(r, *type, "property.type");
    if (!type_v)
        return std::unexpected(type_v.error());
    if (*type_v < 0 || *type_v > 1'000'000)
        return r.error("property.type", "out of range");
    p.type = static_cast<int>(*type_v);
    auto name = r.take(asn1::kUtf8String, "property.name");
    if (!name)
        return std::unexpected(name.error());
    auto name_s = asn1::read_utf8(r, *name, "property.name");
    if (!name_s)
        return std::unexpected(name_s.error());
    p.name = *name_s;
    p.cert_list_type = CertListType::certificates;
    if (r.peek_tag() == asn1::kInteger) {
        auto clt = r.take(asn1::kInteger, "property.certListType");
        if (!clt)
            return std::unexpected(clt.error());
        auto v = asn1::read_integer(r, *clt, "property.certListType");
        if (!v)
            return std::unexpected(v.error());
        if (*v != 1 && *v != 2)
            return r.error("property.certListType", "must be 1 (certificates) or 2 (digests)");
        p.cert_list_type = static_cast<CertListType>(*v);
    }
    auto list = r.take(asn1::kSequence, "property.certList");
    if (!list)
        return std::unexpected(list.error());
    if (p.cert_list_type == CertListType::certificates) {
        auto certs = parse_certificates(r, *list);
        if (!certs)
            return std::unexpected(certs.error());
        p.certificates = std::move(*certs);
    } else {
        auto digests = parse_digests(*list);
        if (!digests)
            return std::unexpected(digests.error());
        p.cert_digests = std::move(*digests);
    }
    auto created = take_time(r, "property.createDate");
    if (!created)
        return std::unexpected(created.error());
    auto start = take_time(r, "property.validStart");
    if (!start)
        return std::unexpected(start.error());
    auto end = take_time(r, "property.validEnd");
    if (!end)
        return std::unexpected(end.error());
    p.create_date = *created;
    p.valid_start = *start;
    p.valid_end = *end;
    return r.finish("property");
}

// SES_ESPictureInfo ::= SEQUENCE { type IA5String, data OCTET STRING, width INTEGER, height INTEGER
// }
core::Result<void> parse_picture(const Tlv& t, SealPicture& p) {
    Reader r(t.content, kCode);
    auto type = r.take(asn1::kIa5String, "picture.type");
    if (!type)
        return std::unexpected(type.error());
    auto data = r.take(asn1::kOctetString, "picture.data");
    if (!data)
        return std::unexpected(data.error());
    auto width = r.take(asn1::kInteger, "picture.width");
    if (!width)
        return std::unexpected(width.error());
    auto height = r.take(asn1::kInteger, "picture.height");
    if (!height)
        return std::unexpected(height.error());
    auto type_s = asn1::read_ia5(r, *type, "picture.type");
    auto w = asn1::read_integer(r, *width, "picture.width");
    auto h = asn1::read_integer(r, *height, "picture.height");
    if (!type_s)
        return std::unexpected(type_s.error());
    if (!w)
        return std::unexpected(w.error());
    if (!h)
        return std::unexpected(h.error());
    if (*w < 0 || *w > 10000 || *h < 0 || *h > 10000)
        return r.error("picture", "width or height out of range");
    p.type = *type_s;
    p.data.assign(data->content.begin(), data->content.end());
    p.width_mm = static_cast<int>(*w);
    p.height_mm = static_cast<int>(*h);
    return r.finish("picture");
}

core::Result<void> parse_seal_info(const Tlv& t, Seal& s) {
    Reader r(t.content, kCode);
    auto header = r.take(asn1::kSequence, "SES_SealInfo.header");
    if (!header)
        return std::unexpected(header.error());
    if (auto h = parse_header(*header, s); !h)
        return h;
    auto es_id = r.take(asn1::kIa5String, "SES_SealInfo.esID");
    if (!es_id)
        return std::unexpected(es_id.error());
    auto es_id_s = asn1::read_ia5(r, *es_id, "SES_SealInfo.esID");
    if (!es_id_s)
        return std::unexpected(es_id_s.error());
    s.es_id = *es_id_s;
    auto property = r.take(asn1::kSequence, "SES_SealInfo.property");
    if (!property)
        return std::unexpected(property.error());
    if (auto p = parse_property(*property, s.property); !p)
        return p;
    auto picture = r.take(asn1::kSequence, "SES_SealInfo.picture");
    if (!picture)
        return std::unexpected(picture.error());
    if (auto p = parse_picture(*picture, s.picture); !p)
        return p;
    if (!r.at_end()) {
        // extDatas: untagged (ofdrw, GB/T 38540) or [0] (GM/T 0031-2014 prints EXPLICIT without a
        // number).
        auto ext = r.take_any("SES_SealInfo.extDatas");
        if (!ext)
            return std::unexpected(ext.error());
        if (ext->tag != asn1::kSequence && ext->tag != asn1::kContext0)
            return r.error("SES_SealInfo.extDatas", "neither a SEQUENCE nor [0]");
        s.ext_datas = core::Bytes(ext->whole.begin(), ext->whole.end());
    }
    s.seal_info_der.assign(t.whole.begin(), t.whole.end());
    return r.finish("SES_SealInfo");
}

core::Result<void> parse_signer_part(Reader& r, Seal& s, const char* cert_field,
                                     const char* alg_field, const char* sig_field) {
    auto cert = r.take(asn1::kOctetString, cert_field);
    if (!cert)
        return std::unexpected(cert.error());
    auto alg = r.take(asn1::kOid, alg_field);
    if (!alg)
        return std::unexpected(alg.error());
    auto sig = r.take(asn1::kBitString, sig_field);
    if (!sig)
        return std::unexpected(sig.error());
    auto alg_s = asn1::read_oid(r, *alg, alg_field);
    if (!alg_s)
        return std::unexpected(alg_s.error());
    auto sig_b = asn1::read_bits(r, *sig, sig_field);
    if (!sig_b)
        return std::unexpected(sig_b.error());
    s.maker_certificate.assign(cert->content.begin(), cert->content.end());
    s.signature_algorithm = *alg_s;
    s.signed_value = std::move(*sig_b);
    return {};
}

}  // namespace

core::Result<Seal> parse_seal(core::ByteView der) {
    auto outer = pki::der::read_only_tlv(der);
    if (!outer || outer->tag != asn1::kSequence)
        return core::fail(core::Errc::invalid_input, kCode,
                          "not a DER SESeal (truncated, trailing bytes, or not a SEQUENCE)");
    const auto count = asn1::count_elements(outer->content);
    if (!count)
        return core::fail(core::Errc::invalid_input, kCode,
                          "SESeal: the elements are not well-formed DER");
    if (*count != 2 && *count != 4 && *count != 5)
        return core::fail(core::Errc::invalid_input, kCode,
                          "SESeal has " + std::to_string(*count) + " elements; V1 has 2, V4 has 4");
    Seal s;
    Reader r(outer->content, kCode);
    auto info = r.take(asn1::kSequence, "SES_SealInfo");
    if (!info)
        return std::unexpected(info.error());
    if (*count == 2) {
        // GM/T 0031-2014 §6.1.1: SESeal ::= SEQUENCE { esealInfo, signInfo SES_SignInfo }
        s.format = SealFormat::v1;
        auto sign_info = r.take(asn1::kSequence, "SES_SignInfo");
        if (!sign_info)
            return std::unexpected(sign_info.error());
        Reader si(sign_info->content, kCode);
        if (auto p = parse_signer_part(si, s, "SES_SignInfo.cert",
                                       "SES_SignInfo.signatureAlgorithm", "SES_SignInfo.signData");
            !p)
            return std::unexpected(p.error());
        if (auto f = si.finish("SES_SignInfo"); !f)
            return std::unexpected(f.error());
    } else {
        // GB/T 38540-2020 §6.1; a fifth element is GM/T 0031-2025's timeStamp [0], read past.
        s.format = SealFormat::v4;
        if (auto p =
                parse_signer_part(r, s, "SESeal.cert", "SESeal.signAlgID", "SESeal.signedValue");
            !p)
            return std::unexpected(p.error());
        if (*count == 5) {
            auto ts = r.take(asn1::kContext0, "SESeal.timeStamp");
            if (!ts)
                return std::unexpected(ts.error());
        }
    }
    if (auto f = r.finish("SESeal"); !f)
        return std::unexpected(f.error());
    if (auto p = parse_seal_info(*info, s); !p)
        return std::unexpected(p.error());
    s.der.assign(outer->whole.begin(), outer->whole.end());
    return s;
}

}  // namespace eseal::seal
