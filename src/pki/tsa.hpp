#pragma once
// A time-stamping authority (RFC 3161). The TSTInfo is made with OpenSSL's TS_TST_INFO API; the
// token, a CMS SignedData (RFC 5652 §5) with the signed attributes contentType, messageDigest and
// signingCertificateV2 (RFC 5816), is assembled here and signed through the TSA's crypto::Signer,
// because OpenSSL's TS_RESP_CTX signs only with an EVP_PKEY in memory. The same path serves ECDSA,
// RSA and SM2 (SM3 digests, SM2-with-SM3 with the GM ID); `openssl ts -verify` checks the ECDSA and
// RSA tokens, and cannot check SM2 ones (it cannot set the SM2 ID), so verify_timestamp does.
#include <chrono>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "crypto/ossl.hpp"
#include "pki/service_signer.hpp"

namespace eseal::pki {

// The default TSA policy: an OID under 2.25 (ITU-T X.667, a UUID as an integer), which needs no
// registration. An operator with its own arc sets [tsa] policy in eseal.toml.
inline constexpr std::string_view kDefaultTsaPolicy = "2.25.60325442585266553787173988324821111041";

// RFC 3161 §2.4.2 PKIFailureInfo bits.
enum class TsaFailure : std::uint8_t {
    bad_alg = 0,
    bad_request = 2,
    bad_data_format = 5,
    time_not_available = 14,
    unaccepted_policy = 15,
    unaccepted_extension = 16,
    add_info_not_available = 17,
    system_failure = 25,
};
[[nodiscard]] std::string_view to_string(TsaFailure f) noexcept;

// A policy must be a dotted OID OpenSSL can encode ("1.3.6.1.4.1.x.y").
[[nodiscard]] core::Result<void> check_tsa_policy(const std::string& policy);

struct TsaSettings {
    std::string policy{kDefaultTsaPolicy};
    std::chrono::milliseconds accuracy{1000};
};

struct TimeStampReply {
    core::Bytes der;  // TimeStampResp
    bool granted = false;
    std::optional<TsaFailure> failure;
    std::string serial;  // of the token, when granted
};

class TimeStampAuthority {
  public:
    // The signer's certificate must be a TSA certificate (service_signer.hpp, purpose tsa).
    TimeStampAuthority(ServiceSigner signer, const core::Clock& clock, TsaSettings settings);

    // Thread-safe. Any input gives a TimeStampResp: granted with a token, or a rejection whose
    // failInfo says why (badDataFormat for what does not parse, badAlg for a message imprint that
    // is not SHA-256, SHA-384, SHA-512 or SM3, unacceptedPolicy, unacceptedExtension).
    [[nodiscard]] TimeStampReply respond(core::ByteView request) const;

    [[nodiscard]] const ServiceSigner& signer() const noexcept { return m_signer; }
    [[nodiscard]] const std::string& ca() const noexcept { return m_signer.record.ca; }

  private:
    ServiceSigner m_signer;
    const core::Clock* m_clock;
    TsaSettings m_settings;
    crypto::Asn1ObjectPtr m_policy;
};

struct TimeStampInfo {
    std::string policy;  // dotted
    std::string serial;  // lowercase hex
    core::TimePoint gen_time{};
    int imprint_nid = 0;
    core::Bytes imprint;
    std::string nonce;  // lowercase hex, "" if none
    bool certificate_included = false;
};

// Checks a TimeStampResp (granted) or a bare token as a relying party would: the SignedData
// layout, contentType, messageDigest over the TSTInfo, signingCertificateV2 naming `tsa`, and the
// signature by `tsa` (SM2 with the ID 1234567812345678).
[[nodiscard]] core::Result<TimeStampInfo> verify_timestamp(core::ByteView response_or_token,
                                                           const X509* tsa);

}  // namespace eseal::pki
