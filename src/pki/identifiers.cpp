#include "pki/identifiers.hpp"

#include <array>
#include <chrono>
#include <string>

namespace eseal::pki {
namespace {

constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";  // GB 32100 §4.2, 31 chars
// GB 32100 §4.3: weight of position i is 3^(i-1) mod 31.
constexpr std::array<int, 17> kCreditWeights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
// GB 11643 §7.2: weight of position i (from the left) is 2^(18-i) mod 11.
constexpr std::array<int, 17> kIdWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kIdCheck = "10X98765432";

core::Problem problem(std::string code, std::string message) { return {std::move(code), std::move(message), ""}; }

}  // namespace

char credit_code_check_char(std::string_view first17) {
    int sum = 0;
    for (std::size_t i = 0; i < 17 && i < first17.size(); ++i) {
        const auto v = kCreditAlphabet.find(first17[i]);
        if (v == std::string_view::npos) return '?';
        sum += static_cast<int>(v) * kCreditWeights[i];
    }
    const int c = (31 - sum % 31) % 31;
    return kCreditAlphabet[static_cast<std::size_t>(c)];
}

std::optional<core::Problem> check_credit_code(std::string_view code) {
    if (code.size() != 18)
        return problem("credit_code.length",
                       "a unified social credit code has 18 characters, this one has " + std::to_string(code.size()));
    for (std::size_t i = 0; i < code.size(); ++i) {
        if (kCreditAlphabet.find(code[i]) == std::string_view::npos)
            return problem("credit_code.character", "character " + std::to_string(i + 1) + " ('" +
                                                        std::string(1, code[i]) +
                                                        "') is not allowed (GB 32100 uses 0-9 and A-Y without I, O, S, V, Z)");
    }
    const char expected = credit_code_check_char(code.substr(0, 17));
    if (code[17] != expected)
        return problem("credit_code.checksum", "the check character is '" + std::string(1, code[17]) +
                                                   "' but the first 17 characters give '" + std::string(1, expected) + "'");
    return std::nullopt;
}

char resident_id_check_char(std::string_view first17) {
    int sum = 0;
    for (std::size_t i = 0; i < 17 && i < first17.size(); ++i) {
        if (first17[i] < '0' || first17[i] > '9') return '?';
        sum += (first17[i] - '0') * kIdWeights[i];
    }
    return kIdCheck[static_cast<std::size_t>(sum % 11)];
}

std::optional<core::Problem> check_resident_id(std::string_view id) {
    if (id.size() != 18)
        return problem("resident_id.length",
                       "a resident ID number has 18 characters, this one has " + std::to_string(id.size()));
    for (std::size_t i = 0; i < 17; ++i) {
        if (id[i] < '0' || id[i] > '9')
            return problem("resident_id.character", "character " + std::to_string(i + 1) + " must be a digit");
    }
    if (!((id[17] >= '0' && id[17] <= '9') || id[17] == 'X'))
        return problem("resident_id.character", "the last character must be a digit or X");
    const auto num = [&](std::size_t pos, std::size_t len) { return std::stoi(std::string(id.substr(pos, len))); };
    const std::chrono::year_month_day birth{std::chrono::year{num(6, 4)}, std::chrono::month{static_cast<unsigned>(num(10, 2))},
                                            std::chrono::day{static_cast<unsigned>(num(12, 2))}};
    if (!birth.ok() || num(6, 4) < 1900)
        return problem("resident_id.birth_date", "characters 7-14 (" + std::string(id.substr(6, 8)) + ") are not a birth date");
    const char expected = resident_id_check_char(id.substr(0, 17));
    if (id[17] != expected)
        return problem("resident_id.checksum", "the check character is '" + std::string(1, id[17]) +
                                                   "' but the first 17 digits give '" + std::string(1, expected) + "'");
    return std::nullopt;
}

}  // namespace eseal::pki
