#pragma once
// pki::CertificateRecord <-> the `certificates` table (migrations/0001_init.sql).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "pki/ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

// A serial or key already stored gives Errc::already_exists, code "certificate.duplicate", with
// one problem per clash (field "serial" and/or "key_sha256"). An issuing CA that is not stored
// gives Errc::not_found, code "certificate.unknown_ca".
[[nodiscard]] core::Result<void> insert_certificate(Database& db,
                                                    const pki::CertificateRecord& certificate);

enum class CertificateKey { serial, key_sha256 };

[[nodiscard]] core::Result<std::optional<pki::CertificateRecord>> select_certificate(
    Database& db, CertificateKey by, std::string_view value);
[[nodiscard]] core::Result<bool> certificate_serial_exists(Database& db, std::string_view serial);
// Every set field of the query narrows the result; ordered by issued_at, then serial.
[[nodiscard]] core::Result<std::vector<pki::CertificateRecord>> select_certificates(
    Database& db, const pki::CertificateQuery& q);

// The staff console's search (issue 9), newest issued first, at most `limit`: the certificate with
// this serial (if given), those of credit code `text`, those whose subject contains `text` (ASCII
// case folded); every certificate when `text` is empty.
[[nodiscard]] core::Result<std::vector<pki::CertificateRecord>> search_certificate_rows(
    Database& db, std::string_view text, const std::optional<std::string>& serial, std::size_t limit);

// "%" + text + "%" for LIKE ... ESCAPE '\', with \, % and _ in text matched literally.
[[nodiscard]] std::string like_contains_pattern(std::string_view text);

}  // namespace eseal::store
