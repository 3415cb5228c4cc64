#include "ra/certificates.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "ra/duties.hpp"
#include "seal/certificate_info.hpp"

namespace eseal::ra {
namespace {

std::string trim(std::string_view s) {
    const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
    while (!s.empty() && space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a UTF-8 continuation byte
    }));
}

core::Error not_found(const std::string& serial) {
    return {core::Errc::not_found, "certificate.not_found", "no certificate with serial " + serial, {}};
}

}  // namespace

std::string_view to_string(CertificateState s) noexcept {
    switch (s) {
        case CertificateState::good: return "good";
        case CertificateState::revoked: return "revoked";
        case CertificateState::expired: return "expired";
    }
    return "?";
}

std::optional<std::string> normalize_serial(std::string_view text) {
    std::string hex;
    for (char c : text) {
        if (c == ':' || c == ' ') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
        hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    // RFC 5280 §4.1.2.2: at most 20 octets.
    const auto first = hex.find_first_not_of('0');
    if (hex.empty() || first == std::string::npos) return std::nullopt;
    hex.erase(0, first);
    if (hex.size() > 40) return std::nullopt;
    return hex;
}

CertificateView CertificateDesk::view(pki::CertificateRecord record, std::string application_id) const {
    CertificateView v;
    if (auto info = seal::read_certificate(record.der, "certificate.der")) v.algorithm = info->key_algorithm;
    if (record.status == pki::CertificateStatus::revoked) v.state = CertificateState::revoked;
    else if (record.not_after < m.clock.now()) v.state = CertificateState::expired;
    v.record = std::move(record);
    v.application_id = std::move(application_id);
    return v;
}

core::Result<std::vector<CertificateView>> CertificateDesk::search(const Actor& actor, const std::string& q,
                                                                   std::size_t limit) {
    if (auto r = require(actor, Duty::read); !r) return std::unexpected(r.error());
    if (limit < 1 || limit > kCertificatePageMax)
        return core::fail(core::Errc::invalid_input, "request.invalid", "the request has errors",
                          {{"field.range", "is 1 to " + std::to_string(kCertificatePageMax), "limit"}});
    const std::string text = trim(q);
    auto hits = m.search.search_certificates(text, text.empty() ? std::nullopt : normalize_serial(text), limit);
    if (!hits) return std::unexpected(hits.error());
    std::vector<CertificateView> out;
    out.reserve(hits->size());
    for (auto& h : *hits) out.push_back(view(std::move(h.record), std::move(h.application_id)));
    return out;
}

core::Result<CertificateView> CertificateDesk::revoke(const Actor& actor, const std::string& serial,
                                                      const std::string& reason, const std::string& note) {
    if (auto r = require(actor, Duty::revoke); !r) return std::unexpected(r.error());
    const auto key = normalize_serial(serial);
    if (!key) return std::unexpected(not_found(serial));
    auto found = m.certificates.find_certificate(*key);
    if (!found) return std::unexpected(found.error());
    if (!*found) return std::unexpected(not_found(serial));
    const pki::CertificateRecord& cert = **found;

    // Every problem with the request at once (STYLE: errors are accumulated data).
    std::vector<core::Problem> problems;
    const auto parsed = pki::parse_revocation_reason(reason);
    if (!parsed || !pki::check_revocation_reason(*parsed))
        problems.push_back({"revocation.reason",
                            "is one of keyCompromise, cessationOfOperation, affiliationChanged, superseded, "
                            "privilegeWithdrawn, unspecified (RFC 5280 §5.3.1; eseal's revocation is final, "
                            "so no certificateHold)",
                            "reason"});
    const std::string text = trim(note);
    if (text.empty())
        problems.push_back({"field.required", "say why: the order, the report, who asked", "note"});
    else if (code_points(text) > kRevocationNoteMax)
        problems.push_back({"field.length", "is at most " + std::to_string(kRevocationNoteMax) + " characters", "note"});
    if (!problems.empty())
        return core::fail(core::Errc::invalid_input, "request.invalid", "the request has errors", std::move(problems));
    if (cert.profile == "root-ca")
        return core::fail(core::Errc::invalid_input, "revocation.root",
                          "certificate " + cert.serial + " is a root CA's own certificate: no CRL can revoke it");
    if (cert.status == pki::CertificateStatus::revoked)
        return core::fail(core::Errc::conflict, "certificate.already_revoked",
                          "certificate " + cert.serial + " was already revoked on " +
                              (cert.revoked_at ? core::format_utc(*cert.revoked_at) : std::string("?")) + " (" +
                              cert.revocation_reason + ")");

    pki::RevocationRequest request;
    request.serial = cert.serial;
    request.reason = *parsed;
    request.at = m.clock.now();
    const nlohmann::json detail = {{"ca", cert.ca}, {"reason", pki::to_string(*parsed)}, {"note", text}, {"direct", true}};
    // The store refuses a revocation that raced this one (conflict), so nothing is revoked twice.
    auto revoked = m.revocations.revoke(
        request, {request.at, actor.audit_name(), "certificate.revoke", "certificate:" + cert.serial, detail.dump()});
    if (!revoked) return std::unexpected(revoked.error());
    spdlog::info("certificate {} ({}) revoked by {}: {}", cert.serial, cert.subject, actor.audit_name(),
                 pki::to_string(*parsed));
    auto application = m.search.application_of_certificate(cert.serial);
    if (!application) return std::unexpected(application.error());
    return view(std::move(*revoked), std::move(*application));
}

}  // namespace eseal::ra
