#pragma once
// What kind of seal a SESeal is: the property `type` INTEGER. GB/T 38540-2020 §6.1 leaves the
// values to the business ("可根据业务需要自定义"); GM/T 0031-2014 §6.1.1 had only 1 = 单位印章,
// 2 = 个人印章. eseal writes the seal-type codes that Chinese seal-registration systems use for the
// seals the public-security bureau records (01 单位专用章 … 05 法定代表人名章, 99 其他; the same
// list appears in independent seal SDKs). The list is our choice, not a standard's: it is written
// here once and in src/seal/README.md.
#include <optional>
#include <string>
#include <string_view>

namespace eseal::seal {

enum class SealKind { official, finance, invoice, contract, legal_representative };

// The picture a kind gets (see image.hpp).
enum class SealShape { round, oval, square };

struct SealKindInfo {
    SealKind kind;
    int code;                   // property.type
    std::string_view cli_name;  // "official", "contract", ...
    std::string_view chinese;   // 公章, 合同专用章, ...
    std::string_view purpose;   // the text under the star; empty for the official seal
    SealShape shape;
};

[[nodiscard]] const SealKindInfo& info(SealKind kind) noexcept;
[[nodiscard]] std::optional<SealKind> parse_seal_kind(std::string_view cli_name) noexcept;
[[nodiscard]] std::optional<SealKind> seal_kind_of_code(int code) noexcept;

// "1 (公章, official)", read per the seal's version: V1 seals use GM/T 0031-2014's two values.
[[nodiscard]] std::string describe_seal_type(int header_version, int code);

}  // namespace eseal::seal
