#pragma once
// Revocations, the revocation journal, CRLs and service signers <-> their tables
// (migrations/0003_revocation.sql). Writers must run inside the group-commit transaction.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "pki/revocation.hpp"
#include "pki/service_signer.hpp"
#include "store/database.hpp"

namespace eseal::store {

// valid → revoked plus a journal row; the errors of pki::RevocationRepository::revoke.
[[nodiscard]] core::Result<pki::CertificateRecord> update_revoked(
    Database& db, const pki::RevocationRequest& request);
// The caller reads in one transaction, so the entries and the seq agree.
[[nodiscard]] core::Result<pki::RevokedList> select_revoked(Database& db, std::string_view ca);
[[nodiscard]] core::Result<std::int64_t> select_last_revocation_seq(Database& db,
                                                                    std::string_view ca);
[[nodiscard]] core::Result<std::vector<pki::RevocationChange>> select_revocations_after(
    Database& db, std::int64_t seq, std::size_t limit);

[[nodiscard]] core::Result<std::optional<pki::CrlRecord>> select_latest_crl(Database& db,
                                                                            std::string_view ca,
                                                                            bool with_der);
// Errc::conflict "crl.number_used" unless the number is above the stored one.
[[nodiscard]] core::Result<void> upsert_crl(Database& db, const pki::CrlRecord& crl);

[[nodiscard]] core::Result<void> insert_service_signer(Database& db,
                                                       const pki::ServiceSignerRecord& signer);
// The signers of a CA for a purpose, the latest not_after first.
[[nodiscard]] core::Result<std::vector<pki::ServiceSignerRecord>> select_service_signers(
    Database& db, std::string_view ca, pki::ServicePurpose purpose);

}  // namespace eseal::store
