#include "pki/revocation.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <utility>

namespace eseal::pki {
namespace {

constexpr std::array<std::pair<RevocationReason, std::string_view>, 10> kNames{{
    {RevocationReason::unspecified, "unspecified"},
    {RevocationReason::key_compromise, "keyCompromise"},
    {RevocationReason::ca_compromise, "cACompromise"},
    {RevocationReason::affiliation_changed, "affiliationChanged"},
    {RevocationReason::superseded, "superseded"},
    {RevocationReason::cessation_of_operation, "cessationOfOperation"},
    {RevocationReason::certificate_hold, "certificateHold"},
    {RevocationReason::remove_from_crl, "removeFromCRL"},
    {RevocationReason::privilege_withdrawn, "privilegeWithdrawn"},
    {RevocationReason::aa_compromise, "aACompromise"},
}};

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

}  // namespace

std::string_view to_string(RevocationReason r) noexcept {
    for (const auto& [reason, name] : kNames)
        if (reason == r)
            return name;
    return "unspecified";
}

std::optional<RevocationReason> parse_revocation_reason(std::string_view name) noexcept {
    for (const auto& [reason, n] : kNames)
        if (iequals(n, name))
            return reason;
    return std::nullopt;
}

std::optional<RevocationReason> revocation_reason_from_code(int code) noexcept {
    for (const auto& [reason, n] : kNames)
        if (static_cast<int>(reason) == code)
            return reason;
    return std::nullopt;
}

core::Result<void> check_revocation_reason(RevocationReason r) {
    if (r == RevocationReason::certificate_hold || r == RevocationReason::remove_from_crl) {
        return core::fail(
            core::Errc::invalid_input, "revocation.reason",
            std::string(to_string(r)) +
                " is not accepted: revocation is final in eseal (no holds, no delta CRLs); use one "
                "of "
                "unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, "
                "cessationOfOperation, privilegeWithdrawn, aACompromise",
            {{"revocation.reason", "reason " + std::string(to_string(r)) + " is not accepted",
              "reason"}});
    }
    return {};
}

core::Result<CertificateRecord> revoke_certificate(CertificateRepository& certificates,
                                                   RevocationRepository& revocations,
                                                   RevocationRequest request,
                                                   const std::string& actor,
                                                   const core::Clock& clock) {
    if (auto r = check_revocation_reason(request.reason); !r)
        return std::unexpected(r.error());
    request.at = clock.now();
    if (request.invalidity_date && *request.invalidity_date > request.at)
        return core::fail(
            core::Errc::invalid_input, "revocation.invalidity_date",
            "the invalidity date " + core::format_utc(*request.invalidity_date) +
                " is in the future (RFC 5280 §5.3.2: when the certificate became invalid)");
    auto found = certificates.find_certificate(request.serial);
    if (!found)
        return std::unexpected(found.error());
    if (!*found)
        return core::fail(core::Errc::not_found, "certificate.unknown",
                          "no certificate with serial " + request.serial);
    if ((*found)->profile == "root-ca")
        return core::fail(core::Errc::invalid_input, "revocation.root",
                          "certificate " + request.serial +
                              " is a root CA's own certificate: no CRL can revoke it; take it out "
                              "of the trust stores");
    if ((*found)->status == CertificateStatus::revoked)
        return core::fail(core::Errc::conflict, "certificate.already_revoked",
                          "certificate " + request.serial + " was already revoked on " +
                              ((*found)->revoked_at ? core::format_utc(*(*found)->revoked_at)
                                                    : std::string("?")) +
                              " (" + (*found)->revocation_reason + ")");
    nlohmann::json detail = {{"ca", (*found)->ca}, {"reason", to_string(request.reason)}};
    if (request.invalidity_date)
        detail["invalidity_date"] = core::format_utc(*request.invalidity_date);
    return revocations.revoke(request,
                              core::AuditEvent{request.at, actor, "certificate.revoke",
                                               "certificate:" + request.serial, detail.dump()});
}

}  // namespace eseal::pki
