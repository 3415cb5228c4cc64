#include "seal/text_checks.hpp"

#include <algorithm>

#include "seal/asn1.hpp"

namespace eseal::seal::checks {

void name(std::string_view text, std::size_t min_chars, std::size_t max_chars,
          std::vector<core::Problem>& out) {
    const auto n = asn1::utf8_length(text);
    if (!n) {
        out.push_back({"image.name_invalid", "the name is not valid UTF-8", "name"});
    } else if (*n < min_chars) {
        out.push_back({min_chars <= 1 ? "image.name_empty" : "image.name_too_short",
                       "the name needs at least " + std::to_string(min_chars) + " characters",
                       "name"});
    } else if (*n > max_chars) {
        out.push_back({"image.name_too_long",
                       "the name has " + std::to_string(*n) + " characters; at most " +
                           std::to_string(max_chars) + " fit on this seal",
                       "name"});
    } else if (std::any_of(text.begin(), text.end(),
                           [](char c) { return c == '\n' || c == '\r' || c == '\t'; })) {
        out.push_back({"image.name_invalid", "the name has a line break or tab", "name"});
    }
}

void seal_code(std::string_view code, std::vector<core::Problem>& out) {
    if (code.empty())
        return;
    if (code.size() != 13 ||
        !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
        out.push_back({"image.code_invalid", "the seal code must be 13 digits", "code"});
}

void taxpayer_number(std::string_view number, std::vector<core::Problem>& out) {
    const bool alnum = std::all_of(number.begin(), number.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    });
    if (number.size() < 15 || number.size() > 20 || !alnum)
        out.push_back({"image.taxpayer_invalid",
                       "the taxpayer number must be 15 to 20 digits or capital letters (e.g. the "
                       "18-character "
                       "unified social credit code)",
                       "taxpayer"});
}

core::Result<void> verdict(std::vector<core::Problem> problems) {
    if (problems.empty())
        return {};
    // One problem is the error itself; several are listed under one.
    if (problems.size() == 1)
        return core::fail(core::Errc::invalid_input, problems[0].code, problems[0].message);
    return core::fail(core::Errc::invalid_input, "image.rejected",
                      "the seal picture cannot be drawn", std::move(problems));
}

}  // namespace eseal::seal::checks
