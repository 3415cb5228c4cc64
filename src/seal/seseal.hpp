#pragma once
// The electronic seal (电子印章) data: SESeal of GB/T 38540-2020 §6.1 ("V4", header version 4),
// made here and signed by the platform's seal maker (制章者) over DER(SES_SealInfo); and read back,
// together with GM/T 0031-2014 §6.1.1 ("V1") seals made by other systems. Verification is in
// seal_verify.hpp. The byte strings that were signed are kept as received, so verification
// never depends on re-encoding.
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/signer.hpp"

namespace eseal::seal {

// SES_Header.ID, fixed "ES" (GB/T 38540-2020 §6.1; GM/T 0031-2014 §6.1.1).
inline constexpr std::string_view kHeaderId = "ES";
// SES_Header.Vid, the seal-system vendor (电子印章厂商 ID): ours.
inline constexpr std::string_view kVendorId = "eseal";
inline constexpr int kVersion4 = 4;
// GB/T 38540 leaves the name's length to the filing with public security; seals longer than this
// cannot be drawn legibly on a 42 mm seal, so eseal refuses them.
inline constexpr std::size_t kMaxNameChars = 40;

// The structure, told apart by element count (SESeal: 2 elements in V1, 4 in V4).
enum class SealFormat { v1, v4 };
[[nodiscard]] std::string_view to_string(SealFormat f) noexcept;  // "GM/T 0031-2014 (V1)", ...

// SES_ESPropertyInfo.certListType (V4): the bound signers as certificates or as their hashes.
enum class CertListType { certificates = 1, digests = 2 };

struct CertDigest {
    std::string type;   // ObjType, PrintableString ("SM3", "SHA256", ... : vendor-defined)
    core::Bytes value;  // CertDigestValue
};

struct SealProperty {
    int type = 0;  // see seal_type.hpp
    std::string name;
    CertListType cert_list_type = CertListType::certificates;
    std::vector<core::Bytes> certificates;  // DER; V1 seals always list certificates
    std::vector<CertDigest> cert_digests;   // when cert_list_type is digests
    core::TimePoint create_date{};
    core::TimePoint valid_start{};
    core::TimePoint valid_end{};
};

struct SealPicture {
    std::string type;  // "PNG", "SVG", "GIF", "BMP", "JPG", "OFD", ...
    core::Bytes data;
    int width_mm = 0;
    int height_mm = 0;
};

struct Seal {
    SealFormat format = SealFormat::v4;
    std::string header_id;  // "ES"
    int version = kVersion4;
    std::string vendor_id;
    std::string es_id;
    SealProperty property;
    SealPicture picture;
    std::optional<core::Bytes> ext_datas;  // the extDatas element as received, not interpreted
    core::Bytes maker_certificate;         // DER
    std::string signature_algorithm;       // dotted OID, e.g. 1.2.156.10197.1.501
    core::Bytes signed_value;              // the signature (DER ECDSA-Sig-Value for SM2/ECDSA)
    core::Bytes seal_info_der;             // SES_SealInfo as signed
    core::Bytes der;                       // the whole SESeal
};

struct SealRequest {
    int type = 1;
    std::string name;
    std::vector<core::Bytes> signer_certificates;  // DER certificates of the bound signers
    SealPicture picture;
    core::TimePoint valid_start{};  // default: now
    core::TimePoint valid_end{};    // required
    std::string es_id;              // default: new_es_id()
};

// Builds and signs a V4 seal. The maker's certificate must hold the maker's key and be valid now
// (GM/T 0031-2025 checks the maker before the seal is made); every problem with the request is
// listed at once (Errc::invalid_input, code "seal.rejected").
[[nodiscard]] core::Result<Seal> make_seal(const SealRequest& request, const crypto::Signer& maker,
                                           core::ByteView maker_certificate_der,
                                           const core::Clock& clock);

// Reads a DER SESeal, V4 or V1 (errors: Errc::invalid_input, "seal.malformed").
[[nodiscard]] core::Result<Seal> parse_seal(core::ByteView der);

// DER of the V4 SES_SealInfo and SESeal from the fields (what make_seal signs and writes).
[[nodiscard]] core::Bytes encode_seal_info(const Seal& seal);
[[nodiscard]] core::Bytes encode_seal(const Seal& seal);

// esID (IA5String): "<vendor>-<YYYYMMDD>-<16 hex digits>", 64 random bits making it unique.
[[nodiscard]] std::string new_es_id(core::TimePoint now);

}  // namespace eseal::seal
