#include "seal/seal_type.hpp"

#include <array>

namespace eseal::seal {
namespace {

constexpr std::array<SealKindInfo, 5> kKinds{{
    {SealKind::official, 1, "official", "公章", "", SealShape::round},
    {SealKind::finance, 2, "finance", "财务专用章", "财务专用章", SealShape::round},
    {SealKind::invoice, 3, "invoice", "发票专用章", "发票专用章", SealShape::oval},
    {SealKind::contract, 4, "contract", "合同专用章", "合同专用章", SealShape::round},
    {SealKind::legal_representative, 5, "legal-rep", "法定代表人名章", "", SealShape::square},
}};

}  // namespace

const SealKindInfo& info(SealKind kind) noexcept {
    for (const auto& k : kKinds)
        if (k.kind == kind)
            return k;
    return kKinds[0];
}

std::optional<SealKind> parse_seal_kind(std::string_view cli_name) noexcept {
    for (const auto& k : kKinds)
        if (k.cli_name == cli_name)
            return k.kind;
    return std::nullopt;
}

std::optional<SealKind> seal_kind_of_code(int code) noexcept {
    for (const auto& k : kKinds)
        if (k.code == code)
            return k.kind;
    return std::nullopt;
}

std::string describe_seal_type(int header_version, int code) {
    const std::string n = std::to_string(code);
    if (header_version < 4) {  // GM/T 0031-2014 §6.1.1
        if (code == 1)
            return n + " (单位印章, organization seal; GM/T 0031-2014)";
        if (code == 2)
            return n + " (个人印章, personal seal; GM/T 0031-2014)";
        return n + " (not defined by GM/T 0031-2014)";
    }
    if (auto k = seal_kind_of_code(code)) {
        const auto& i = info(*k);
        return n + " (" + std::string(i.chinese) + ", " + std::string(i.cli_name) + ")";
    }
    if (code == 99)
        return n + " (其他, other)";
    return n + " (not in eseal's code list)";
}

}  // namespace eseal::seal
