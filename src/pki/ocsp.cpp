#include "pki/ocsp.hpp"

#include <openssl/err.h>
#include <openssl/ocsp.h>

#include "crypto/public_key.hpp"
#include "pki/asn1_util.hpp"
#include "pki/der.hpp"
#include "pki/der_reader.hpp"
#include "pki/x509.hpp"

namespace eseal::pki {
namespace {

using OcspRequestPtr = std::unique_ptr<OCSP_REQUEST, crypto::Free<OCSP_REQUEST_free>>;
using OcspBasicPtr = std::unique_ptr<OCSP_BASICRESP, crypto::Free<OCSP_BASICRESP_free>>;
using OcspCertIdPtr = std::unique_ptr<OCSP_CERTID, crypto::Free<OCSP_CERTID_free>>;
using OcspRespidPtr = std::unique_ptr<OCSP_RESPID, crypto::Free<OCSP_RESPID_free>>;
using OcspResponsePtr = std::unique_ptr<OCSP_RESPONSE, crypto::Free<OCSP_RESPONSE_free>>;
using GeneralizedTimePtr =
    std::unique_ptr<ASN1_GENERALIZEDTIME, crypto::Free<ASN1_GENERALIZEDTIME_free>>;

constexpr std::uint8_t kEnumerated = 0x0A;
constexpr std::uint8_t kContext0 = 0xA0;  // [0] EXPLICIT (constructed)
constexpr std::uint8_t kContext1 = 0xA1;

std::unexpected<core::Error> malformed(std::string why) {
    ERR_clear_error();
    return core::fail(core::Errc::invalid_input, "ocsp.malformed",
                      "malformed OCSP request: " + std::move(why));
}

// RFC 8954 §2.1: the extnValue holds an OCTET STRING of 1 to 32 octets. Clients from before it
// put the nonce bytes there directly, so a value that is not an OCTET STRING is measured whole.
bool nonce_length_ok(const ASN1_OCTET_STRING* value) {
    const core::ByteView bytes(ASN1_STRING_get0_data(value),
                               static_cast<std::size_t>(ASN1_STRING_length(value)));
    std::size_t n = bytes.size();
    if (auto inner = der::read_only_tlv(bytes); inner && inner->tag == der::kOctetString)
        n = inner->content.size();
    return n >= 1 && n <= kMaxOcspNonce;
}

std::optional<crypto::SignatureAlgorithm> signature_algorithm_of(const X509_ALGOR* alg) {
    const ASN1_OBJECT* obj = nullptr;
    X509_ALGOR_get0(&obj, nullptr, nullptr, alg);
    switch (OBJ_obj2nid(obj)) {
        case NID_SM2_with_SM3:
            return crypto::SignatureAlgorithm::sm2_sm3;
        case NID_ecdsa_with_SHA256:
            return crypto::SignatureAlgorithm::ecdsa_sha256;
        case NID_sha256WithRSAEncryption:
            return crypto::SignatureAlgorithm::rsa_sha256;
        default:
            return std::nullopt;
    }
}

}  // namespace

std::string_view to_string(OcspResponseStatus s) noexcept {
    switch (s) {
        case OcspResponseStatus::successful:
            return "successful";
        case OcspResponseStatus::malformed_request:
            return "malformedRequest";
        case OcspResponseStatus::internal_error:
            return "internalError";
        case OcspResponseStatus::try_later:
            return "tryLater";
        case OcspResponseStatus::sig_required:
            return "sigRequired";
        case OcspResponseStatus::unauthorized:
            return "unauthorized";
    }
    return "internalError";
}

std::string_view to_string(CertStatus s) noexcept {
    switch (s) {
        case CertStatus::good:
            return "good";
        case CertStatus::revoked:
            return "revoked";
        case CertStatus::unknown:
            return "unknown";
    }
    return "unknown";
}

core::Result<OcspRequest> parse_ocsp_request(core::ByteView der) {
    if (der.empty())
        return malformed("empty");
    // DER only: the outer TLV must be well formed and be all there is.
    if (!der::read_only_tlv(der))
        return malformed("not one DER value");
    const unsigned char* p = der.data();
    OcspRequestPtr req(d2i_OCSP_REQUEST(nullptr, &p, static_cast<long>(der.size())));
    if (!req)
        return malformed("not an OCSPRequest");
    if (p != der.data() + der.size())
        return malformed("bytes after the request");
    const int count = OCSP_request_onereq_count(req.get());
    if (count <= 0)
        return malformed("no CertID");
    if (static_cast<std::size_t>(count) > kMaxOcspRequests)
        return malformed(std::to_string(count) + " CertIDs; at most " +
                         std::to_string(kMaxOcspRequests));
    OcspRequest out;
    out.ids.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        OCSP_CERTID* cid = OCSP_onereq_get0_id(OCSP_request_onereq_get0(req.get(), i));
        ASN1_OCTET_STRING* name_hash = nullptr;
        ASN1_OCTET_STRING* key_hash = nullptr;
        ASN1_OBJECT* md = nullptr;
        ASN1_INTEGER* serial = nullptr;
        if (cid == nullptr || OCSP_id_get0_info(&name_hash, &md, &key_hash, &serial, cid) != 1 ||
            name_hash == nullptr || key_hash == nullptr || md == nullptr || serial == nullptr)
            return malformed("incomplete CertID");
        OcspCertId id;
        id.hash_nid = OBJ_obj2nid(md);
        id.issuer_name_hash.assign(
            ASN1_STRING_get0_data(name_hash),
            ASN1_STRING_get0_data(name_hash) + ASN1_STRING_length(name_hash));
        id.issuer_key_hash.assign(ASN1_STRING_get0_data(key_hash),
                                  ASN1_STRING_get0_data(key_hash) + ASN1_STRING_length(key_hash));
        id.serial = integer_hex(serial);
        id.der = crypto::to_der(cid, i2d_OCSP_CERTID);
        if (id.der.empty())
            return malformed("unencodable CertID");
        out.ids.push_back(std::move(id));
    }
    const int at = OCSP_REQUEST_get_ext_by_NID(req.get(), NID_id_pkix_OCSP_Nonce, -1);
    if (at >= 0) {
        X509_EXTENSION* ext = OCSP_REQUEST_get_ext(req.get(), at);
        if (!nonce_length_ok(X509_EXTENSION_get_data(ext)))
            return malformed("nonce not 1 to 32 octets (RFC 8954)");
        out.nonce_extension = crypto::to_der(ext, i2d_X509_EXTENSION);
    }
    ERR_clear_error();
    return out;
}

core::Bytes ocsp_error_response(OcspResponseStatus status) {
    // OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED } (responseBytes absent)
    const std::uint8_t code = static_cast<std::uint8_t>(status);
    return der::sequence({der::tlv(kEnumerated, core::ByteView(&code, 1))});
}

core::Result<core::Bytes> build_ocsp_response(const OcspResponseContent& c,
                                              const crypto::Signer& signer) {
    if (c.responder == nullptr || c.statuses.empty())
        return core::fail(core::Errc::internal, "ocsp.build", "no responder or no status to sign");
    OcspRespidPtr rid(OCSP_RESPID_new());
    if (!rid || OCSP_RESPID_set_by_key(rid.get(), const_cast<X509*>(c.responder)) != 1)
        return crypto::openssl_fail(core::Errc::internal, "ocsp.build",
                                    "cannot make the ResponderID");
    const auto rid_der = crypto::to_der(rid.get(), i2d_OCSP_RESPID);

    OcspBasicPtr scratch(OCSP_BASICRESP_new());  // holds the SingleResponses OpenSSL encodes
    core::Bytes singles;
    for (const auto& s : c.statuses) {
        const unsigned char* p = s.cert_id.data();
        OcspCertIdPtr cid(d2i_OCSP_CERTID(nullptr, &p, static_cast<long>(s.cert_id.size())));
        GeneralizedTimePtr this_update(ASN1_GENERALIZEDTIME_set(nullptr, to_time_t(s.this_update)));
        GeneralizedTimePtr next_update(ASN1_GENERALIZEDTIME_set(nullptr, to_time_t(s.next_update)));
        GeneralizedTimePtr revoked_at(ASN1_GENERALIZEDTIME_set(nullptr, to_time_t(s.revoked_at)));
        const int status = s.status == CertStatus::good      ? V_OCSP_CERTSTATUS_GOOD
                           : s.status == CertStatus::revoked ? V_OCSP_CERTSTATUS_REVOKED
                                                             : V_OCSP_CERTSTATUS_UNKNOWN;
        // §4.2.1 RevokedInfo: revocationReason is optional; left out for unspecified, as in CRLs.
        const int reason = s.status == CertStatus::revoked && s.reason &&
                                   *s.reason != RevocationReason::unspecified
                               ? static_cast<int>(*s.reason)
                               : OCSP_REVOKED_STATUS_NOSTATUS;
        OCSP_SINGLERESP* single =
            cid ? OCSP_basic_add1_status(
                      scratch.get(), cid.get(), status, reason,
                      s.status == CertStatus::revoked ? revoked_at.get() : nullptr,
                      this_update.get(), next_update.get())
                : nullptr;
        if (single == nullptr)
            return crypto::openssl_fail(core::Errc::internal, "ocsp.build",
                                        "cannot encode a SingleResponse");
        const auto der_single = crypto::to_der(single, i2d_OCSP_SINGLERESP);
        singles.insert(singles.end(), der_single.begin(), der_single.end());
    }

    // §4.2.1 ResponseData (version v1 is the DEFAULT, so it is left out in DER).
    core::Bytes data_content = rid_der;
    const auto produced = generalized_time_der(c.produced_at);
    data_content.insert(data_content.end(), produced.begin(), produced.end());
    const auto responses = der::tlv(der::kSequence, singles);
    data_content.insert(data_content.end(), responses.begin(), responses.end());
    if (c.nonce_extension) {
        const auto extensions = der::tlv(kContext1, der::tlv(der::kSequence, *c.nonce_extension));
        data_content.insert(data_content.end(), extensions.begin(), extensions.end());
    }
    const auto response_data = der::tlv(der::kSequence, data_content);

    auto signature = signer.sign(response_data);
    if (!signature)
        return std::unexpected(signature.error());
    const auto algorithm =
        crypto::to_der(signature_algorithm_id(signer.algorithm()).get(), i2d_X509_ALGOR);
    const auto certs = der::tlv(kContext0, der::sequence({certificate_der(c.responder)}));
    const auto basic =
        der::sequence({response_data, algorithm, der::bit_string(*signature), certs});
    const auto response_bytes =
        der::sequence({oid_der(NID_id_pkix_OCSP_basic), der::tlv(der::kOctetString, basic)});
    const std::uint8_t ok = 0;
    return der::sequence(
        {der::tlv(kEnumerated, core::ByteView(&ok, 1)), der::tlv(kContext0, response_bytes)});
}

core::Result<OcspResponseInfo> verify_ocsp_response(core::ByteView data, const X509* issuer) {
    const auto bad = [](std::string why) {
        ERR_clear_error();
        return core::fail(core::Errc::invalid_input, "ocsp.response_malformed",
                          "malformed OCSP response: " + why);
    };
    const unsigned char* p = data.data();
    OcspResponsePtr resp(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(data.size())));
    if (!resp || p != data.data() + data.size())
        return bad("not an OCSPResponse");
    OcspResponseInfo info;
    info.status = static_cast<OcspResponseStatus>(OCSP_response_status(resp.get()));
    if (info.status != OcspResponseStatus::successful)
        return info;

    // The signed bytes as they are: OCSPResponse → responseBytes → response → BasicOCSPResponse.
    core::ByteView rest = data;
    auto outer = der::read_tlv(rest);
    core::ByteView in = outer ? outer->content : core::ByteView{};
    auto status = der::read_tlv(in);
    auto bytes0 = der::read_tlv(in);
    core::ByteView rb_in = bytes0 ? bytes0->content : core::ByteView{};
    auto rb = der::read_tlv(rb_in);
    core::ByteView rb_content = rb ? rb->content : core::ByteView{};
    auto type = der::read_tlv(rb_content);
    auto octets = der::read_tlv(rb_content);
    if (!status || !bytes0 || !rb || !type || !octets || octets->tag != der::kOctetString)
        return bad("responseBytes");
    if (type->whole.size() != oid_der(NID_id_pkix_OCSP_basic).size() ||
        !std::equal(type->whole.begin(), type->whole.end(),
                    oid_der(NID_id_pkix_OCSP_basic).begin()))
        return bad("not a BasicOCSPResponse");
    auto basic_tlv = der::read_only_tlv(octets->content);
    core::ByteView basic_in = basic_tlv ? basic_tlv->content : core::ByteView{};
    auto tbs = der::read_tlv(basic_in);
    auto alg = der::read_tlv(basic_in);
    auto sig = der::read_tlv(basic_in);
    if (!tbs || !alg || !sig || sig->tag != der::kBitString || sig->content.empty() ||
        sig->content[0] != 0)
        return bad("BasicOCSPResponse layout");

    const unsigned char* q = octets->content.data();
    OcspBasicPtr bs(d2i_OCSP_BASICRESP(nullptr, &q, static_cast<long>(octets->content.size())));
    if (!bs)
        return bad("BasicOCSPResponse");
    const auto algorithm = signature_algorithm_of(OCSP_resp_get0_tbs_sigalg(bs.get()));
    if (!algorithm)
        return core::fail(core::Errc::unsupported, "ocsp.algorithm",
                          "unsupported OCSP signature algorithm");

    // §4.2.2.2: the CA itself, or a responder it certified for OCSPSigning.
    const X509* responder = issuer;
    const STACK_OF(X509)* certs = OCSP_resp_get0_certs(bs.get());
    if (certs != nullptr && sk_X509_num(certs) > 0)
        responder = sk_X509_value(certs, 0);
    if (X509_cmp(responder, issuer) != 0) {
        crypto::X509Ptr copy(X509_dup(const_cast<X509*>(responder)));
        set_sm2_id(copy.get());
        if (X509_verify(copy.get(), X509_get0_pubkey(issuer)) != 1 ||
            X509_check_issued(const_cast<X509*>(issuer), copy.get()) != X509_V_OK)
            return core::fail(core::Errc::crypto, "ocsp.responder",
                              "the responder certificate was not issued by the CA");
        if ((X509_get_extended_key_usage(copy.get()) & XKU_OCSP_SIGN) == 0)
            return core::fail(core::Errc::crypto, "ocsp.responder",
                              "the responder certificate is not for OCSPSigning");
        ERR_clear_error();
    }
    if (auto v = crypto::verify_signature(X509_get0_pubkey(responder), *algorithm, tbs->whole,
                                          sig->content.subspan(1));
        !v)
        return core::fail(core::Errc::crypto, "ocsp.signature",
                          "the OCSP response signature does not verify");
    info.responder_serial = serial_hex(responder);

    const ASN1_GENERALIZEDTIME* produced = OCSP_resp_get0_produced_at(bs.get());
    info.produced_at = to_time_point(produced);
    for (int i = 0; i < OCSP_resp_count(bs.get()); ++i) {
        OCSP_SINGLERESP* single = OCSP_resp_get0(bs.get(), i);
        int reason = -1;
        ASN1_GENERALIZEDTIME *revtime = nullptr, *thisupd = nullptr, *nextupd = nullptr;
        const int st = OCSP_single_get0_status(single, &reason, &revtime, &thisupd, &nextupd);
        OcspSingleInfo s;
        ASN1_INTEGER* serial = nullptr;
        OCSP_id_get0_info(nullptr, nullptr, nullptr, &serial,
                          const_cast<OCSP_CERTID*>(OCSP_SINGLERESP_get0_id(single)));
        s.serial = integer_hex(serial);
        s.status = st == V_OCSP_CERTSTATUS_GOOD      ? CertStatus::good
                   : st == V_OCSP_CERTSTATUS_REVOKED ? CertStatus::revoked
                                                     : CertStatus::unknown;
        if (revtime != nullptr)
            s.revoked_at = to_time_point(revtime);
        if (reason >= 0)
            s.reason = revocation_reason_from_code(reason);
        if (thisupd != nullptr)
            s.this_update = to_time_point(thisupd);
        if (nextupd != nullptr)
            s.next_update = to_time_point(nextupd);
        info.responses.push_back(std::move(s));
    }
    const int at = OCSP_BASICRESP_get_ext_by_NID(bs.get(), NID_id_pkix_OCSP_Nonce, -1);
    if (at >= 0)
        info.nonce_extension =
            crypto::to_der(OCSP_BASICRESP_get_ext(bs.get(), at), i2d_X509_EXTENSION);
    ERR_clear_error();
    return info;
}

}  // namespace eseal::pki
