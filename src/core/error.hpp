#pragma once
// Errors as values (STYLE: "Verification outcomes are values, not exceptions"). An Error has a
// category (what kind of failure: the server maps it to a status), a stable machine code
// ("csr.bad_signature"), a human message, and, where input had several faults, every one of
// them as a Problem, so a caller can report all at once (BoringSSL's CertErrors).
#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace eseal::core {

enum class Errc {
    invalid_input,      // the caller's input is wrong; problems say where
    not_found,
    already_exists,
    conflict,           // state forbids it (e.g. wrong status)
    permission_denied,
    unsupported,
    crypto,             // a cryptographic operation failed or did not verify
    io,                 // files, devices
    storage,            // the database
    internal,           // a broken invariant that was caught
};

std::string_view to_string(Errc kind) noexcept;

struct Problem {
    std::string code;     // stable, dotted: "subject.credit_code.checksum"
    std::string message;  // for people
    std::string field;    // the input field it concerns, if any
};

struct Error {
    Errc kind = Errc::internal;
    std::string code;
    std::string message;
    std::vector<Problem> problems;

    // "code: message" and one indented line per problem.
    [[nodiscard]] std::string describe() const;
};

template <class T>
using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(Errc kind, std::string code, std::string message) {
    return std::unexpected(Error{kind, std::move(code), std::move(message), {}});
}

[[nodiscard]] inline std::unexpected<Error> fail(Errc kind, std::string code, std::string message,
                                                 std::vector<Problem> problems) {
    return std::unexpected(
        Error{kind, std::move(code), std::move(message), std::move(problems)});
}

}  // namespace eseal::core
