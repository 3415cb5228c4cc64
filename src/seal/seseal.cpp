#include "seal/seseal.hpp"

#include <algorithm>
#include <chrono>

#include "crypto/digest.hpp"
#include "seal/algorithm_oid.hpp"
#include "seal/asn1.hpp"
#include "seal/certificate_info.hpp"

namespace eseal::seal {
namespace {

bool is_ia5(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

void check_request(const SealRequest& r, std::vector<core::Problem>& problems) {
    const auto chars = asn1::utf8_length(r.name);
    if (r.name.empty())
        problems.push_back({"seal.name_empty", "the seal needs a name", "name"});
    else if (!chars)
        problems.push_back({"seal.name_invalid", "the name is not valid UTF-8", "name"});
    else if (*chars > kMaxNameChars)
        problems.push_back({"seal.name_too_long",
                            "the name has " + std::to_string(*chars) + " characters; at most " +
                                std::to_string(kMaxNameChars) + " fit on a seal",
                            "name"});
    if (r.type <= 0)
        problems.push_back({"seal.type_invalid", "the seal type must be a positive code", "type"});
    if (!r.es_id.empty() && (!is_ia5(r.es_id) || r.es_id.size() > 64))
        problems.push_back({"seal.es_id_invalid",
                            "esID must be at most 64 ASCII characters (IA5String)", "es_id"});
    const auto& p = r.picture;
    if (p.type.empty() || !is_ia5(p.type) || p.data.empty())
        problems.push_back(
            {"seal.picture_invalid", "the seal needs a picture with a type and data", "picture"});
    if (p.width_mm <= 0 || p.height_mm <= 0 || p.width_mm > 200 || p.height_mm > 200)
        problems.push_back(
            {"seal.picture_size", "picture width and height must be 1 to 200 mm", "picture"});
    for (std::size_t i = 0; i < r.signer_certificates.size(); ++i)
        if (!read_certificate(r.signer_certificates[i], "x"))
            problems.push_back(
                {"seal.signer_certificate_invalid",
                 "signer certificate " + std::to_string(i + 1) + " is not a DER X.509 certificate",
                 "certificates"});
}

void check_maker(const crypto::Signer& maker, core::ByteView maker_cert, core::TimePoint now,
                 std::vector<core::Problem>& problems) {
    auto cert = read_certificate(maker_cert, "seal.maker_certificate_invalid");
    if (!cert) {
        problems.push_back(
            {cert.error().code, "the maker certificate: " + cert.error().message, "maker"});
        return;
    }
    if (cert->public_key != maker.public_key())
        problems.push_back({"seal.maker_key_mismatch",
                            "the maker's key is not the key of the maker certificate", "maker"});
    if (!valid_at(*cert, now))
        problems.push_back({"seal.maker_certificate_expired",
                            "the maker certificate is valid from " +
                                core::format_utc(cert->not_before) + " to " +
                                core::format_utc(cert->not_after) + ", not now",
                            "maker"});
    if (!cert->may_sign)
        problems.push_back({"seal.maker_key_usage",
                            "the maker certificate's keyUsage lacks digitalSignature", "maker"});
}

core::Bytes cert_list(const SealProperty& p) {
    std::vector<core::Bytes> items;
    if (p.cert_list_type == CertListType::certificates) {
        for (const auto& c : p.certificates)
            items.push_back(asn1::octet_string(c));  // Cert ::= OCTET STRING
    } else {
        for (const auto& d :
             p.cert_digests)  // CertDigestObj ::= SEQUENCE { type ObjType, value CertDigestValue }
            items.push_back(pki::der::sequence(
                {asn1::text(asn1::kPrintableString, d.type), asn1::octet_string(d.value)}));
    }
    return asn1::sequence_of(items);
}

}  // namespace

std::string_view to_string(SealFormat f) noexcept {
    return f == SealFormat::v1 ? "GM/T 0031-2014 (V1)" : "GB/T 38540-2020 (V4)";
}

std::string new_es_id(core::TimePoint now) {
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(now)};
    char date[16];
    std::snprintf(date, sizeof date, "%04d%02u%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return std::string(kVendorId) + "-" + date + "-" + core::hex_encode(crypto::random_bytes(8));
}

// GB/T 38540-2020 §6.1: SES_SealInfo ::= SEQUENCE { header, esID, property, picture, extDatas
// OPTIONAL }
core::Bytes encode_seal_info(const Seal& s) {
    const auto header =
        pki::der::sequence({asn1::text(asn1::kIa5String, s.header_id), asn1::integer(s.version),
                            asn1::text(asn1::kIa5String, s.vendor_id)});
    const auto& p = s.property;
    const auto property = pki::der::sequence(
        {asn1::integer(p.type), asn1::text(asn1::kUtf8String, p.name),
         asn1::integer(static_cast<int>(p.cert_list_type)), cert_list(p),
         asn1::generalized_time(p.create_date), asn1::generalized_time(p.valid_start),
         asn1::generalized_time(p.valid_end)});
    const auto picture = pki::der::sequence(
        {asn1::text(asn1::kIa5String, s.picture.type), asn1::octet_string(s.picture.data),
         asn1::integer(s.picture.width_mm), asn1::integer(s.picture.height_mm)});
    const auto es_id = asn1::text(asn1::kIa5String, s.es_id);
    if (s.ext_datas)
        return pki::der::sequence({header, es_id, property, picture, *s.ext_datas});
    return pki::der::sequence({header, es_id, property, picture});
}

// GB/T 38540-2020 §6.1: SESeal ::= SEQUENCE { eSealInfo, cert OCTET STRING, signAlgID, signedValue
// BIT STRING }
core::Bytes encode_seal(const Seal& s) {
    return pki::der::sequence({s.seal_info_der, asn1::octet_string(s.maker_certificate),
                               asn1::oid(s.signature_algorithm),
                               pki::der::bit_string(s.signed_value)});
}

core::Result<Seal> make_seal(const SealRequest& request, const crypto::Signer& maker,
                             core::ByteView maker_certificate_der, const core::Clock& clock) {
    const auto now = clock.now();
    Seal s;
    s.property.valid_start = request.valid_start == core::TimePoint{} ? now : request.valid_start;
    s.property.valid_end = request.valid_end;
    std::vector<core::Problem> problems;
    check_request(request, problems);
    if (s.property.valid_end <= s.property.valid_start)
        problems.push_back(
            {"seal.validity_invalid", "the seal's validity must end after it starts", "valid_end"});
    check_maker(maker, maker_certificate_der, now, problems);
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "seal.rejected", "the seal cannot be made",
                          std::move(problems));

    s.format = SealFormat::v4;
    s.header_id = kHeaderId;
    s.version = kVersion4;
    s.vendor_id = kVendorId;
    s.es_id = request.es_id.empty() ? new_es_id(now) : request.es_id;
    s.property.type = request.type;
    s.property.name = request.name;
    s.property.cert_list_type = CertListType::certificates;
    s.property.certificates = request.signer_certificates;
    s.property.create_date = now;
    s.picture = request.picture;
    s.maker_certificate.assign(maker_certificate_der.begin(), maker_certificate_der.end());
    s.signature_algorithm = signature_oid(maker.algorithm());
    s.seal_info_der = encode_seal_info(s);
    // GB/T 38540-2020 §6.1: the maker signs DER(SES_SealInfo).
    auto signature = maker.sign(s.seal_info_der);
    if (!signature)
        return std::unexpected(signature.error());
    s.signed_value = std::move(*signature);
    s.der = encode_seal(s);
    return s;
}

}  // namespace eseal::seal
