#include "pki/crl.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "crypto/public_key.hpp"
#include "pki/asn1_util.hpp"
#include "pki/der.hpp"
#include "pki/der_reader.hpp"
#include "pki/x509.hpp"

namespace eseal::pki {
namespace {

using crypto::openssl_fail;

struct X509CrlFree {
    void operator()(X509_CRL* c) const noexcept { X509_CRL_free(c); }
};
using X509CrlPtr = std::unique_ptr<X509_CRL, X509CrlFree>;

void append_header(core::Bytes& out, std::uint8_t tag, std::size_t length) {
    out.push_back(tag);
    if (length < 0x80) {
        out.push_back(static_cast<std::uint8_t>(length));
        return;
    }
    std::uint8_t octets[sizeof(std::size_t)];
    int count = 0;
    for (std::size_t v = length; v != 0; v >>= 8)
        octets[count++] = static_cast<std::uint8_t>(v & 0xFF);
    out.push_back(static_cast<std::uint8_t>(0x80 | count));
    while (count > 0) out.push_back(octets[--count]);
}

void append_tlv(core::Bytes& out, std::uint8_t tag, core::ByteView content) {
    append_header(out, tag, content.size());
    out.insert(out.end(), content.begin(), content.end());
}

// RFC 5280 §5.1.2.6 (as §4.1.2.5): UTCTime through 2049, GeneralizedTime from 2050; or always
// GeneralizedTime (invalidityDate, §5.3.2).
void append_time(core::Bytes& out, core::TimePoint t, bool generalized) {
    const auto days = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{days};
    const std::chrono::hh_mm_ss hms{t - days};
    const int year = static_cast<int>(ymd.year());
    generalized = generalized || year < 1950 || year > 2049;
    char text[16];
    const auto two = [&](char* at, long v) {
        at[0] = static_cast<char>('0' + v / 10 % 10);
        at[1] = static_cast<char>('0' + v % 10);
    };
    char* p = text;
    if (generalized) {
        two(p, year / 100);
        p += 2;
    }
    two(p, year % 100);
    two(p + 2, static_cast<unsigned>(ymd.month()));
    two(p + 4, static_cast<unsigned>(ymd.day()));
    two(p + 6, hms.hours().count());
    two(p + 8, hms.minutes().count());
    two(p + 10, static_cast<long>(hms.seconds().count()));
    p[12] = 'Z';
    const auto n = static_cast<std::size_t>(p + 13 - text);
    append_tlv(out, generalized ? 0x18 : 0x17,
               core::ByteView(reinterpret_cast<const std::uint8_t*>(text), n));
}

// CertificateSerialNumber from stored lowercase hex: big-endian, positive, minimal.
bool append_serial(core::Bytes& out, const std::string& hex) {
    if (hex.empty() || hex.size() > 40)
        return false;
    core::Bytes value;
    value.reserve(hex.size() / 2 + 2);
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    std::size_t i = 0;
    if (hex.size() % 2 == 1) {
        const int n = nibble(hex[0]);
        if (n < 0)
            return false;
        value.push_back(static_cast<std::uint8_t>(n));
        i = 1;
    }
    for (; i < hex.size(); i += 2) {
        const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        value.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    std::size_t first = 0;
    while (first + 1 < value.size() && value[first] == 0) ++first;  // minimal octets
    const bool pad = (value[first] & 0x80) != 0;                    // stays positive
    append_header(out, 0x02, value.size() - first + (pad ? 1 : 0));
    if (pad)
        out.push_back(0);
    out.insert(out.end(), value.begin() + static_cast<std::ptrdiff_t>(first), value.end());
    return true;
}

// revokedCertificates (RFC 5280 §5.1.2.6), encoded here rather than through X509_REVOKED
// objects: for a CRL of a million entries OpenSSL's per-entry objects and template encoder take
// seconds, this takes a fraction of one (bench/README.md). Per entry: userCertificate,
// revocationDate, and crlEntryExtensions with reasonCode (absent for unspecified, §5.3.1) and
// invalidityDate (§5.3.2), both non-critical.
core::Result<core::Bytes> encode_entries(std::span<const RevokedCertificate> entries) {
    static constexpr std::uint8_t kReasonOid[] = {0x06, 0x03, 0x55, 0x1D, 0x15};      // 2.5.29.21
    static constexpr std::uint8_t kInvalidityOid[] = {0x06, 0x03, 0x55, 0x1D, 0x18};  // 2.5.29.24
    core::Bytes list;
    list.reserve(entries.size() * 48);
    core::Bytes entry, extensions, one, inner;
    for (const auto& e : entries) {
        entry.clear();
        if (!append_serial(entry, e.serial))
            return core::fail(core::Errc::storage, "crl.serial",
                              "stored serial '" + e.serial + "' is not hex");
        append_time(entry, e.revoked_at, false);
        extensions.clear();
        if (e.reason != RevocationReason::unspecified) {
            const std::uint8_t enumerated[] = {0x0A, 0x01, static_cast<std::uint8_t>(e.reason)};
            one.assign(std::begin(kReasonOid), std::end(kReasonOid));
            append_tlv(one, der::kOctetString, enumerated);
            append_tlv(extensions, der::kSequence, one);
        }
        if (e.invalidity_date) {
            inner.clear();
            append_time(inner, *e.invalidity_date, true);
            one.assign(std::begin(kInvalidityOid), std::end(kInvalidityOid));
            append_tlv(one, der::kOctetString, inner);
            append_tlv(extensions, der::kSequence, one);
        }
        if (!extensions.empty())
            append_tlv(entry, der::kSequence, extensions);
        append_tlv(list, der::kSequence, entry);
    }
    return der::tlv(der::kSequence, list);
}

// Puts revokedCertificates into the TBSCertList OpenSSL encoded without it: after nextUpdate,
// before crlExtensions (§5.1). Absent when there is no entry (§5.1.2.6).
core::Result<core::Bytes> with_entries(core::ByteView tbs, core::ByteView entries) {
    auto outer = der::read_only_tlv(tbs);
    if (!outer || outer->tag != der::kSequence)
        return core::fail(core::Errc::internal, "crl.encode", "TBSCertList is not a SEQUENCE");
    core::ByteView rest = outer->content;
    const auto head_start = rest.data();
    for (int field = 0; field < 5; ++field)  // version, signature, issuer, thisUpdate, nextUpdate
        if (!der::read_tlv(rest))
            return core::fail(core::Errc::internal, "crl.encode", "unexpected TBSCertList layout");
    const core::ByteView head(head_start, static_cast<std::size_t>(rest.data() - head_start));
    core::Bytes content;
    content.reserve(outer->content.size() + entries.size());
    content.insert(content.end(), head.begin(), head.end());
    content.insert(content.end(), entries.begin(), entries.end());
    content.insert(content.end(), rest.begin(), rest.end());
    return der::tlv(der::kSequence, content);
}

// OpenSSL 3.0 has no setter for the signature field inside a CRL's TBSCertList (as it has for a
// certificate's), and will not encode the empty one X509_CRL_new leaves. So the CRL starts from a
// minimal DER skeleton that already carries the signer's AlgorithmIdentifier (RFC 5280 §5.1.2.2);
// everything else is then set through the X509_CRL API, and i2d_re_X509_CRL_tbs re-encodes it.
core::Result<X509CrlPtr> crl_skeleton(const X509* issuer, core::ByteView algorithm,
                                      core::TimePoint this_update) {
    const std::uint8_t v2 = 1;
    const auto version = der::tlv(0x02, core::ByteView(&v2, 1));
    const auto name = crypto::to_der(X509_get_subject_name(issuer), i2d_X509_NAME);
    crypto::Asn1TimePtr t(ASN1_TIME_set(nullptr, to_time_t(this_update)));
    const auto time = crypto::to_der(t.get(), i2d_ASN1_TIME);
    const auto tbs = der::sequence({version, algorithm, name, time});
    const auto skeleton = der::sequence({tbs, algorithm, der::bit_string({})});
    const unsigned char* p = skeleton.data();
    X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(skeleton.size())));
    if (!crl)
        return openssl_fail(core::Errc::internal, "crl.build", "cannot start the CRL");
    return crl;
}

}  // namespace

core::Result<core::Bytes> build_crl(const CrlContent& c, const crypto::Signer& signer) {
    if (c.issuer == nullptr)
        return core::fail(core::Errc::internal, "crl.issuer", "no issuer certificate");
    const auto algorithm = signature_algorithm_id(signer.algorithm());
    const auto algorithm_der = crypto::to_der(algorithm.get(), i2d_X509_ALGOR);
    auto skeleton = crl_skeleton(c.issuer, algorithm_der, c.this_update);
    if (!skeleton)
        return std::unexpected(skeleton.error());
    X509CrlPtr crl = std::move(*skeleton);
    crypto::Asn1TimePtr this_update(ASN1_TIME_set(nullptr, to_time_t(c.this_update)));
    crypto::Asn1TimePtr next_update(ASN1_TIME_set(nullptr, to_time_t(c.next_update)));
    if (!crl || !this_update || !next_update ||
        X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
        X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(c.issuer)) != 1 ||
        X509_CRL_set1_lastUpdate(crl.get(), this_update.get()) != 1 ||
        X509_CRL_set1_nextUpdate(crl.get(), next_update.get()) != 1)
        return openssl_fail(core::Errc::internal, "crl.build", "cannot fill in the CRL");

    // §5.2.1 AKI (the issuer's SKI) and §5.2.3 cRLNumber, both non-critical.
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, const_cast<X509*>(c.issuer), nullptr, nullptr, crl.get(), 0);
    crypto::X509ExtPtr aki(
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
    crypto::Asn1IntegerPtr number(ASN1_INTEGER_new());
    if (!aki || X509_CRL_add_ext(crl.get(), aki.get(), -1) != 1 || !number ||
        ASN1_INTEGER_set_int64(number.get(), c.number) != 1 ||
        X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) != 1)
        return openssl_fail(core::Errc::internal, "crl.build", "cannot add the CRL extensions");

    const auto header = crypto::to_der(crl.get(), [](const X509_CRL* x, unsigned char** out) {
        return i2d_re_X509_CRL_tbs(const_cast<X509_CRL*>(x), out);
    });
    if (header.empty())
        return openssl_fail(core::Errc::internal, "crl.encode", "cannot encode the CRL");
    core::Result<core::Bytes> tbs = header;
    if (!c.entries.empty()) {
        auto entries = encode_entries(c.entries);
        if (!entries)
            return std::unexpected(entries.error());
        tbs = with_entries(header, *entries);
        if (!tbs)
            return std::unexpected(tbs.error());
    }
    auto signature = signer.sign(*tbs);
    if (!signature)
        return std::unexpected(signature.error());
    return der::sequence({*tbs, algorithm_der, der::bit_string(*signature)});  // §5.1.1
}

core::Result<CrlInfo> verify_crl(core::ByteView data, const X509* issuer) {
    core::Bytes der_copy;
    const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    if (text.find("-----BEGIN X509 CRL-----") != std::string_view::npos) {
        crypto::BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
        X509CrlPtr pem(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
        if (!pem)
            return openssl_fail(core::Errc::invalid_input, "crl.malformed", "unreadable PEM CRL");
        der_copy = crypto::to_der(pem.get(), i2d_X509_CRL);
        data = der_copy;
    }
    // The signed bytes are taken as they are, not re-encoded.
    auto outer = der::read_only_tlv(data);
    core::ByteView parts = outer ? outer->content : core::ByteView{};
    auto tbs = der::read_tlv(parts);
    auto alg = der::read_tlv(parts);
    auto sig = der::read_tlv(parts);
    if (!outer || !tbs || !alg || !sig || !parts.empty() || sig->tag != der::kBitString ||
        sig->content.empty() || sig->content[0] != 0)
        return core::fail(core::Errc::invalid_input, "crl.malformed", "not a DER CertificateList");
    const unsigned char* p = data.data();
    X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(data.size())));
    if (!crl)
        return openssl_fail(core::Errc::invalid_input, "crl.malformed", "not a CRL");

    std::optional<crypto::SignatureAlgorithm> algorithm;
    switch (X509_CRL_get_signature_nid(crl.get())) {
        case NID_SM2_with_SM3:
            algorithm = crypto::SignatureAlgorithm::sm2_sm3;
            break;
        case NID_ecdsa_with_SHA256:
            algorithm = crypto::SignatureAlgorithm::ecdsa_sha256;
            break;
        case NID_sha256WithRSAEncryption:
            algorithm = crypto::SignatureAlgorithm::rsa_sha256;
            break;
        default:
            break;
    }
    if (!algorithm)
        return core::fail(core::Errc::unsupported, "crl.algorithm",
                          "unsupported CRL signature algorithm");
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(issuer)) != 0)
        return core::fail(core::Errc::crypto, "crl.issuer", "the CRL names another issuer");
    if (auto v = crypto::verify_signature(X509_get0_pubkey(issuer), *algorithm, tbs->whole,
                                          sig->content.subspan(1));
        !v)
        return core::fail(core::Errc::crypto, "crl.signature", "the CRL signature does not verify");

    CrlInfo info;
    info.this_update = to_time_point(X509_CRL_get0_lastUpdate(crl.get()));
    if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get()))
        info.next_update = to_time_point(next);
    if (auto* n = static_cast<ASN1_INTEGER*>(
            X509_CRL_get_ext_d2i(crl.get(), NID_crl_number, nullptr, nullptr))) {
        int64_t v = 0;
        ASN1_INTEGER_get_int64(&v, n);
        info.number = v;
        ASN1_INTEGER_free(n);
    }
    STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
    const int count = revoked != nullptr ? sk_X509_REVOKED_num(revoked) : 0;
    info.entries.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const X509_REVOKED* r = sk_X509_REVOKED_value(revoked, i);
        CrlEntryInfo e;
        e.serial = integer_hex(X509_REVOKED_get0_serialNumber(r));
        e.revoked_at = to_time_point(X509_REVOKED_get0_revocationDate(r));
        if (auto* code = static_cast<ASN1_ENUMERATED*>(
                X509_REVOKED_get_ext_d2i(r, NID_crl_reason, nullptr, nullptr))) {
            e.reason = revocation_reason_from_code(static_cast<int>(ASN1_ENUMERATED_get(code)));
            ASN1_ENUMERATED_free(code);
        }
        if (auto* t = static_cast<ASN1_GENERALIZEDTIME*>(
                X509_REVOKED_get_ext_d2i(r, NID_invalidity_date, nullptr, nullptr))) {
            e.invalidity_date = to_time_point(t);
            ASN1_GENERALIZEDTIME_free(t);
        }
        info.entries.push_back(std::move(e));
    }
    ERR_clear_error();  // absent extensions leave nothing worth keeping
    return info;
}

CrlPublisher::CrlPublisher(CertificateRepository& certificates, RevocationRepository& revocations,
                           KeyStore& keys, const core::Clock& clock, std::chrono::seconds period)
    : m_certificates(&certificates),
      m_revocations(&revocations),
      m_keys(&keys),
      m_clock(&clock),
      m_period(period) {}

core::Result<CrlPublisher::Issuer*> CrlPublisher::issuer(std::string_view ca) {
    if (auto it = m_issuers.find(ca); it != m_issuers.end())
        return &it->second;
    auto record = m_certificates->find_ca(ca);
    if (!record)
        return std::unexpected(record.error());
    if (!*record)
        return core::fail(core::Errc::not_found, "ca.unknown", "no CA named " + std::string(ca));
    auto cert = parse_certificate((*record)->certificate);
    if (!cert)
        return std::unexpected(cert.error());
    auto key = m_keys->open_key((*record)->key_ref);
    if (!key)
        return std::unexpected(key.error());
    if ((*key)->public_key() != crypto::public_key_der(X509_get0_pubkey(cert->get())))
        return core::fail(core::Errc::conflict, "ca.key_mismatch",
                          "the key of CA " + std::string(ca) + " does not match its certificate");
    auto [it, _] = m_issuers.emplace(
        std::string(ca), Issuer{std::move(**record), std::move(*cert), std::move(*key)});
    return &it->second;
}

bool CrlPublisher::is_due(const CrlRecord& stored, std::int64_t seq) const {
    const auto half = (stored.next_update - stored.this_update) / 2;
    return stored.revocation_seq < seq || m_clock->now() >= stored.this_update + half;
}

core::Result<bool> CrlPublisher::due(std::string_view ca) {
    auto stored = m_revocations->latest_crl(ca, false);
    if (!stored)
        return std::unexpected(stored.error());
    if (!*stored)
        return true;
    auto seq = m_revocations->last_revocation_seq(ca);
    if (!seq)
        return std::unexpected(seq.error());
    return is_due(**stored, *seq);
}

core::Result<CrlRecord> CrlPublisher::current(std::string_view ca) {
    auto stored = m_revocations->latest_crl(ca, true);
    if (!stored)
        return std::unexpected(stored.error());
    if (*stored) {
        auto seq = m_revocations->last_revocation_seq(ca);
        if (!seq)
            return std::unexpected(seq.error());
        if (!is_due(**stored, *seq))
            return std::move(**stored);
    }
    return publish(ca);
}

core::Result<CrlRecord> CrlPublisher::publish(std::string_view ca, const std::string& actor) {
    std::lock_guard lock(m_mutex);
    auto is = issuer(ca);
    if (!is)
        return std::unexpected(is.error());
    // Another process may store a CRL between our read of the number and our store: then the
    // number is taken, and the CRL is made again above it.
    for (int attempt = 0;; ++attempt) {
        const auto t0 = std::chrono::steady_clock::now();
        auto list = m_revocations->revoked_by(ca);
        if (!list)
            return std::unexpected(list.error());
        const auto t1 = std::chrono::steady_clock::now();
        auto stored = m_revocations->latest_crl(ca, false);
        if (!stored)
            return std::unexpected(stored.error());
        CrlRecord rec;
        rec.ca = std::string(ca);
        rec.number = *stored ? (*stored)->number + 1 : 1;
        rec.this_update = m_clock->now();
        rec.next_update = rec.this_update + m_period;
        rec.entries = list->entries.size();
        rec.revocation_seq = list->revocation_seq;
        auto der = build_crl(
            {(*is)->certificate.get(), rec.number, rec.this_update, rec.next_update, list->entries},
            *(*is)->key);
        if (!der)
            return std::unexpected(der.error());
        rec.der = std::move(*der);
        const auto t2 = std::chrono::steady_clock::now();
        const nlohmann::json detail = {{"number", rec.number},
                                       {"entries", rec.entries},
                                       {"next_update", core::format_utc(rec.next_update)}};
        auto stored_now = m_revocations->store_crl(
            rec,
            core::AuditEvent{rec.this_update, actor, "crl.publish", "ca:" + rec.ca, detail.dump()});
        if (stored_now) {
            const auto ms = [](auto d) {
                return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
            };
            spdlog::debug(
                "CRL {} of {}: {} entries read in {} ms, built and signed in {} ms, stored in {} "
                "ms",
                rec.number, rec.ca, rec.entries, ms(t1 - t0), ms(t2 - t1),
                ms(std::chrono::steady_clock::now() - t2));
            return rec;
        }
        if (stored_now.error().code != "crl.number_used" || attempt >= 2)
            return std::unexpected(stored_now.error());
    }
}

}  // namespace eseal::pki
