#include "seal/seal_verify.hpp"

#include <array>

#include "crypto/public_key.hpp"
#include "seal/algorithm_oid.hpp"
#include "seal/asn1.hpp"
#include "seal/certificate_info.hpp"

namespace eseal::seal {
namespace {

// What the maker signed. V4 (GB/T 38540-2020 §6.1): DER(SES_SealInfo). V1 (GM/T 0031-2014
// §6.1.1): DER(SEQUENCE { SES_SealInfo, cert, signatureAlgorithm }). The standard's V4
// verification step still names all three, and some vendors' V4 seals sign the V1 form, so each
// format tries its own form first and the other second.
std::array<core::Bytes, 2> signed_messages(const Seal& s) {
    core::Bytes v1_form =
        pki::der::sequence({s.seal_info_der, asn1::octet_string(s.maker_certificate),
                            asn1::oid(s.signature_algorithm)});
    if (s.format == SealFormat::v1)
        return {std::move(v1_form), s.seal_info_der};
    return {s.seal_info_der, std::move(v1_form)};
}

void check_format(const Seal& s, Verification& v) {
    if (s.header_id != kHeaderId)
        v.add("seal.header_invalid", "SES_Header.ID is \"" + s.header_id + "\", not \"ES\"");
    const bool v4_structure = s.format == SealFormat::v4;
    if (v4_structure != (s.version >= kVersion4))
        v.add("seal.version_mismatch", "header version " + std::to_string(s.version) + " in a " +
                                           std::string(to_string(s.format)) + " structure");
}

void check_signature(const Seal& s, const CertificateInfo& maker, Verification& v) {
    const auto alg = signature_algorithm_of_oid(s.signature_algorithm);
    if (!alg) {
        v.add("seal.algorithm_unsupported",
              "signature algorithm " + s.signature_algorithm + " is not supported");
        return;
    }
    if (!maker.key_algorithm || crypto::signature_algorithm_for(*maker.key_algorithm) != *alg) {
        v.add("seal.algorithm_mismatch", "the maker's key cannot make " +
                                             std::string(crypto::to_string(*alg)) + " signatures");
        return;
    }
    for (const auto& message : signed_messages(s))
        if (crypto::verify_signature(maker.public_key, *alg, message, s.signed_value))
            return;
    v.add("seal.signature_invalid",
          "the maker's signature over the seal information does not verify");
}

void check_validity(const Seal& s, core::TimePoint at, Verification& v) {
    const auto& p = s.property;
    if (p.valid_end < p.valid_start) {
        v.add("seal.validity_invalid", "the seal's validity ends before it starts");
        return;
    }
    if (at < p.valid_start)
        v.add("seal.not_yet_valid", "the seal is valid from " + core::format_utc(p.valid_start) +
                                        ", after " + core::format_utc(at));
    if (at > p.valid_end)
        v.add("seal.expired", "the seal expired on " + core::format_utc(p.valid_end) + ", before " +
                                  core::format_utc(at));
}

bool starts_with(const core::Bytes& data, std::initializer_list<std::uint8_t> magic) {
    return data.size() >= magic.size() && std::equal(magic.begin(), magic.end(), data.begin());
}

void check_contents(const Seal& s, Verification& v) {
    for (std::size_t i = 0; i < s.property.certificates.size(); ++i)
        if (!read_certificate(s.property.certificates[i], "x"))
            v.add("seal.signer_certificate_invalid",
                  "certificate " + std::to_string(i + 1) +
                      " of the certList is not an X.509 certificate");
    const auto& pic = s.picture;
    const bool bad = (pic.type == "PNG" && !starts_with(pic.data, {0x89, 'P', 'N', 'G'})) ||
                     (pic.type == "JPG" && !starts_with(pic.data, {0xFF, 0xD8})) ||
                     (pic.type == "GIF" && !starts_with(pic.data, {'G', 'I', 'F'})) ||
                     pic.data.empty();
    if (bad)
        v.add("seal.picture_invalid", "the picture data is not a " + pic.type + " image");
}

}  // namespace

Verification verify_seal(const Seal& seal, const TrustStore& trust, core::TimePoint at) {
    Verification v;
    check_format(seal, v);
    auto maker = read_certificate(seal.maker_certificate, "seal.maker_certificate_invalid");
    if (!maker) {
        v.add(maker.error().code, "the maker certificate: " + maker.error().message);
    } else {
        check_signature(seal, *maker, v);
        // GM/T 0031-2025: the maker is judged when the seal was made; a later renewal of the
        // maker's certificate does not void the seals it made.
        for (auto& p : check_chain(seal.maker_certificate, trust, seal.property.create_date,
                                   "seal.maker_untrusted")) {
            p.message = "maker certificate " + maker->subject + ": " + p.message;
            v.problems.push_back(std::move(p));
        }
        if (!maker->may_sign)
            v.add("seal.maker_key_usage",
                  "the maker certificate's keyUsage lacks digitalSignature");
    }
    check_validity(seal, at, v);
    check_contents(seal, v);
    return v;
}

}  // namespace eseal::seal
