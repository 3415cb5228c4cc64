#include "pki/tsa.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ts.h>

#include <algorithm>

#include "crypto/digest.hpp"
#include "crypto/public_key.hpp"
#include "pki/asn1_util.hpp"
#include "pki/der.hpp"
#include "pki/der_reader.hpp"
#include "pki/x509.hpp"

namespace eseal::pki {
namespace {

using TsReqPtr = std::unique_ptr<TS_REQ, crypto::Free<TS_REQ_free>>;
using TstInfoPtr = std::unique_ptr<TS_TST_INFO, crypto::Free<TS_TST_INFO_free>>;
using AccuracyPtr = std::unique_ptr<TS_ACCURACY, crypto::Free<TS_ACCURACY_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, crypto::Free<GENERAL_NAME_free>>;
using GeneralizedTimePtr =
    std::unique_ptr<ASN1_GENERALIZEDTIME, crypto::Free<ASN1_GENERALIZEDTIME_free>>;

constexpr std::uint8_t kInteger = 0x02;
constexpr std::uint8_t kUtf8String = 0x0C;
constexpr std::uint8_t kSet = 0x31;
constexpr std::uint8_t kContext0 = 0xA0;

core::Bytes small_integer(std::uint8_t v) {
    return der::tlv(kInteger, core::ByteView(&v, 1));
}

core::Bytes concat(std::initializer_list<core::ByteView> parts) {
    core::Bytes out;
    for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

bool equal_bytes(core::ByteView a, core::ByteView b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// X.690 §11.6: the elements of a DER SET OF in ascending order of their encodings.
core::Bytes der_set_of(std::vector<core::Bytes> elements, std::uint8_t tag = kSet) {
    std::sort(elements.begin(), elements.end(), [](const core::Bytes& a, const core::Bytes& b) {
        const std::size_t n =
            std::max(a.size(), b.size());  // shorter ones compare as if zero-padded
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint8_t x = i < a.size() ? a[i] : 0;
            const std::uint8_t y = i < b.size() ? b[i] : 0;
            if (x != y)
                return x < y;
        }
        return false;
    });
    core::Bytes content;
    for (const auto& e : elements) content.insert(content.end(), e.begin(), e.end());
    return der::tlv(tag, content);
}

// RFC 3161 §2.4.2: TimeStampResp with status rejection (2) and the failure as a named bit.
core::Bytes rejection(TsaFailure failure, std::string_view text) {
    const unsigned bit = static_cast<unsigned>(failure);
    core::Bytes bits(bit / 8 + 2, 0);
    bits[0] = static_cast<std::uint8_t>(7 - bit % 8);  // unused bits in the last octet
    bits[1 + bit / 8] = static_cast<std::uint8_t>(0x80u >> (bit % 8));
    const auto status_info = der::sequence(
        {small_integer(2), der::sequence({der::tlv(kUtf8String, core::as_bytes(text))}),
         der::tlv(der::kBitString, bits)});
    return der::sequence({status_info});
}

crypto::DigestAlgorithm digest_for(crypto::SignatureAlgorithm a) {
    return a == crypto::SignatureAlgorithm::sm2_sm3 ? crypto::DigestAlgorithm::sm3
                                                    : crypto::DigestAlgorithm::sha256;
}
int digest_nid(crypto::DigestAlgorithm d) {
    return d == crypto::DigestAlgorithm::sm3 ? NID_sm3 : NID_sha256;
}

// AlgorithmIdentifier of a digest with absent parameters (RFC 5754 §2).
core::Bytes digest_algorithm_id(crypto::DigestAlgorithm d) {
    return der::sequence({oid_der(digest_nid(d))});
}

core::Bytes attribute(int nid, core::ByteView value) {
    return der::sequence({oid_der(nid), der::tlv(kSet, value)});
}

// RFC 5816 ESSCertIDv2 over the TSA certificate; hashAlgorithm is DEFAULT SHA-256, so left out
// then.
core::Bytes signing_certificate_v2(crypto::DigestAlgorithm d, core::ByteView cert_der) {
    const auto cert_hash = der::tlv(der::kOctetString, crypto::digest(d, cert_der));
    const auto ess_cert_id = d == crypto::DigestAlgorithm::sha256
                                 ? der::sequence({cert_hash})
                                 : der::sequence({digest_algorithm_id(d), cert_hash});
    return der::sequence({der::sequence({ess_cert_id})});
}

struct Check {
    std::optional<TsaFailure> failure;
    std::string text;
};

Check check_request(TS_REQ* req, const ASN1_OBJECT* policy) {
    if (TS_REQ_get_version(req) != 1)
        return {TsaFailure::bad_data_format, "unsupported request version"};
    TS_MSG_IMPRINT* imprint = TS_REQ_get_msg_imprint(req);
    const X509_ALGOR* alg = TS_MSG_IMPRINT_get_algo(imprint);
    const ASN1_OBJECT* obj = nullptr;
    int param_type = V_ASN1_UNDEF;
    X509_ALGOR_get0(&obj, &param_type, nullptr, alg);
    std::size_t expected = 0;
    switch (OBJ_obj2nid(obj)) {
        case NID_sha256:
        case NID_sm3:
            expected = 32;
            break;
        case NID_sha384:
            expected = 48;
            break;
        case NID_sha512:
            expected = 64;
            break;
        default:
            return {TsaFailure::bad_alg,
                    "message imprint algorithm not accepted (SHA-256, SHA-384, SHA-512, SM3)"};
    }
    if (param_type != V_ASN1_UNDEF && param_type != V_ASN1_NULL)
        return {TsaFailure::bad_alg, "digest parameters"};
    if (static_cast<std::size_t>(ASN1_STRING_length(TS_MSG_IMPRINT_get_msg(imprint))) != expected)
        return {TsaFailure::bad_data_format, "message imprint length does not match its algorithm"};
    if (const ASN1_OBJECT* asked = TS_REQ_get_policy_id(req);
        asked != nullptr && OBJ_cmp(asked, policy) != 0)
        return {TsaFailure::unaccepted_policy, "requested policy not supported"};
    if (TS_REQ_get_ext_count(req) > 0)
        return {TsaFailure::unaccepted_extension, "no request extension is supported"};
    if (const ASN1_INTEGER* nonce = TS_REQ_get_nonce(req);
        nonce != nullptr && ASN1_STRING_length(nonce) > 64)
        return {TsaFailure::bad_data_format, "nonce longer than 64 octets"};
    return {};
}

}  // namespace

std::string_view to_string(TsaFailure f) noexcept {
    switch (f) {
        case TsaFailure::bad_alg:
            return "badAlg";
        case TsaFailure::bad_request:
            return "badRequest";
        case TsaFailure::bad_data_format:
            return "badDataFormat";
        case TsaFailure::time_not_available:
            return "timeNotAvailable";
        case TsaFailure::unaccepted_policy:
            return "unacceptedPolicy";
        case TsaFailure::unaccepted_extension:
            return "unacceptedExtension";
        case TsaFailure::add_info_not_available:
            return "addInfoNotAvailable";
        case TsaFailure::system_failure:
            return "systemFailure";
    }
    return "systemFailure";
}

core::Result<void> check_tsa_policy(const std::string& policy) {
    const bool dotted =
        !policy.empty() && policy.find_first_not_of("0123456789.") == std::string::npos;
    crypto::Asn1ObjectPtr obj(dotted ? OBJ_txt2obj(policy.c_str(), 1) : nullptr);
    ERR_clear_error();
    if (!obj)
        return core::fail(core::Errc::invalid_input, "tsa.policy",
                          "the TSA policy '" + policy + "' is not a dotted OID");
    return {};
}

TimeStampAuthority::TimeStampAuthority(ServiceSigner signer, const core::Clock& clock,
                                       TsaSettings settings)
    : m_signer(std::move(signer)),
      m_clock(&clock),
      m_settings(std::move(settings)),
      m_policy(OBJ_txt2obj(m_settings.policy.c_str(), 1)) {}

TimeStampReply TimeStampAuthority::respond(core::ByteView request) const {
    TimeStampReply reply;
    const auto reject = [&](TsaFailure f, std::string_view text) {
        ERR_clear_error();
        reply.der = rejection(f, text);
        reply.failure = f;
        return reply;
    };
    if (!m_policy)
        return reject(TsaFailure::system_failure, "the TSA policy is not an OID");
    const unsigned char* p = request.data();
    TsReqPtr req(request.empty() || !der::read_only_tlv(request)
                     ? nullptr
                     : d2i_TS_REQ(nullptr, &p, static_cast<long>(request.size())));
    if (!req || p != request.data() + request.size())
        return reject(TsaFailure::bad_data_format, "not a TimeStampReq");
    if (auto c = check_request(req.get(), m_policy.get()); c.failure)
        return reject(*c.failure, c.text);

    // §2.4.2 TSTInfo.
    const auto now = m_clock->now();
    auto serial_bytes = crypto::random_bytes(16);  // 128 random bits: unique without a registry
    if (serial_bytes[0] == 0)
        serial_bytes[0] = 1;
    crypto::BnPtr serial_bn(
        BN_bin2bn(serial_bytes.data(), static_cast<int>(serial_bytes.size()), nullptr));
    crypto::Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(serial_bn.get(), nullptr));
    GeneralizedTimePtr gen_time(ASN1_GENERALIZEDTIME_set(nullptr, to_time_t(now)));
    AccuracyPtr accuracy(TS_ACCURACY_new());
    const auto ms = m_settings.accuracy.count();
    crypto::Asn1IntegerPtr seconds(ASN1_INTEGER_new());
    crypto::Asn1IntegerPtr millis(ASN1_INTEGER_new());
    ASN1_INTEGER_set_int64(seconds.get(), ms / 1000);
    ASN1_INTEGER_set_int64(millis.get(), ms % 1000);
    GeneralNamePtr tsa_name(GENERAL_NAME_new());
    TstInfoPtr tst(TS_TST_INFO_new());
    bool ok = serial && gen_time && accuracy && tst && tsa_name &&
              TS_TST_INFO_set_version(tst.get(), 1) == 1 &&
              TS_TST_INFO_set_policy_id(tst.get(), m_policy.get()) == 1 &&
              TS_TST_INFO_set_msg_imprint(tst.get(), TS_REQ_get_msg_imprint(req.get())) == 1 &&
              TS_TST_INFO_set_serial(tst.get(), serial.get()) == 1 &&
              TS_TST_INFO_set_time(tst.get(), gen_time.get()) == 1;
    if (ok && ms > 0) {
        if (ms / 1000 > 0)
            ok = TS_ACCURACY_set_seconds(accuracy.get(), seconds.get()) == 1;
        if (ok && ms % 1000 > 0)
            ok = TS_ACCURACY_set_millis(accuracy.get(), millis.get()) == 1;
        ok = ok && TS_TST_INFO_set_accuracy(tst.get(), accuracy.get()) == 1;
    }
    if (ok && TS_REQ_get_nonce(req.get()) != nullptr)
        ok = TS_TST_INFO_set_nonce(tst.get(), TS_REQ_get_nonce(req.get())) == 1;
    if (ok) {  // §2.4.2 tsa: the TSA's subject, as a directoryName
        X509_NAME* name = X509_NAME_dup(X509_get_subject_name(m_signer.certificate.get()));
        ok = name != nullptr;
        if (ok)
            GENERAL_NAME_set0_value(tsa_name.get(), GEN_DIRNAME, name);  // owns name now
        ok = ok && TS_TST_INFO_set_tsa(tst.get(), tsa_name.get()) == 1;
    }
    const auto tst_der = ok ? crypto::to_der(tst.get(), i2d_TS_TST_INFO) : core::Bytes{};
    if (tst_der.empty())
        return reject(TsaFailure::system_failure, "cannot make the TSTInfo");

    // RFC 5652 §5.3-5.4: signed attributes, DER SET OF, signed with the EXPLICIT SET tag.
    const auto alg = m_signer.key->algorithm();
    const auto digest = digest_for(alg);
    const auto cert_der = certificate_der(m_signer.certificate.get());
    std::vector<core::Bytes> attrs;
    attrs.push_back(attribute(NID_pkcs9_contentType, oid_der(NID_id_smime_ct_TSTInfo)));
    attrs.push_back(attribute(NID_pkcs9_messageDigest,
                              der::tlv(der::kOctetString, crypto::digest(digest, tst_der))));
    attrs.push_back(
        attribute(NID_id_smime_aa_signingCertificateV2, signing_certificate_v2(digest, cert_der)));
    const auto signed_attrs = der_set_of(attrs);
    auto signature = m_signer.key->sign(signed_attrs);
    if (!signature)
        return reject(TsaFailure::system_failure, "signing failed");

    const auto digest_alg = digest_algorithm_id(digest);
    const auto signature_alg = crypto::to_der(signature_algorithm_id(alg).get(), i2d_X509_ALGOR);
    const auto issuer_and_serial = der::sequence(
        {crypto::to_der(X509_get_issuer_name(m_signer.certificate.get()), i2d_X509_NAME),
         crypto::to_der(X509_get0_serialNumber(m_signer.certificate.get()), i2d_ASN1_INTEGER)});
    core::Bytes attrs_implicit = signed_attrs;
    attrs_implicit[0] = kContext0;  // [0] IMPLICIT SET OF Attribute
    const auto signer_info =
        der::sequence({small_integer(1), issuer_and_serial, digest_alg, attrs_implicit,
                       signature_alg, der::tlv(der::kOctetString, *signature)});
    const auto encap = der::sequence({oid_der(NID_id_smime_ct_TSTInfo),
                                      der::tlv(kContext0, der::tlv(der::kOctetString, tst_der))});
    // §2.4.1 certReq: the TSA certificate goes into certificates only when asked for.
    const auto certificates =
        TS_REQ_get_cert_req(req.get()) ? der::tlv(kContext0, cert_der) : core::Bytes{};
    const auto signed_data =
        der::tlv(der::kSequence, concat({small_integer(3), der::tlv(kSet, digest_alg), encap,
                                         certificates, der::tlv(kSet, signer_info)}));
    const auto token = der::sequence({oid_der(NID_pkcs7_signed), der::tlv(kContext0, signed_data)});
    reply.der = der::sequence({der::sequence({small_integer(0)}), token});  // status granted
    reply.granted = true;
    reply.serial = integer_hex(serial.get());
    ERR_clear_error();
    return reply;
}

core::Result<TimeStampInfo> verify_timestamp(core::ByteView data, const X509* tsa) {
    const auto bad = [](std::string why) {
        ERR_clear_error();
        return core::fail(core::Errc::invalid_input, "tsa.malformed",
                          "malformed time-stamp: " + std::move(why));
    };
    auto outer = der::read_only_tlv(data);
    if (!outer || outer->tag != der::kSequence)
        return bad("not a SEQUENCE");
    core::ByteView in = outer->content;
    auto first = der::read_tlv(in);
    if (!first)
        return bad("empty");
    core::ByteView token;
    if (first->tag == der::kSequence) {  // TimeStampResp: status, then the token
        core::ByteView st = first->content;
        auto status = der::read_tlv(st);
        if (!status || status->tag != kInteger || status->content.size() != 1 ||
            status->content[0] > 1)
            return core::fail(core::Errc::invalid_input, "tsa.rejected",
                              "the time-stamp was not granted");
        auto t = der::read_tlv(in);
        if (!t)
            return bad("no token");
        token = t->whole;
    } else {
        token = data;
    }
    // ContentInfo { signedData, [0] SignedData }
    auto ci = der::read_only_tlv(token);
    core::ByteView ci_in = ci ? ci->content : core::ByteView{};
    auto ci_type = der::read_tlv(ci_in);
    auto ci_content = der::read_tlv(ci_in);
    if (!ci_type || !ci_content || !equal_bytes(ci_type->whole, oid_der(NID_pkcs7_signed)))
        return bad("not signedData");
    auto sd = der::read_only_tlv(ci_content->content);
    core::ByteView sd_in = sd ? sd->content : core::ByteView{};
    auto version = der::read_tlv(sd_in);
    auto digest_algs = der::read_tlv(sd_in);
    auto encap = der::read_tlv(sd_in);
    if (!version || !digest_algs || !encap)
        return bad("SignedData");
    core::ByteView encap_in = encap->content;
    auto e_type = der::read_tlv(encap_in);
    auto e_explicit = der::read_tlv(encap_in);
    if (!e_type || !e_explicit || !equal_bytes(e_type->whole, oid_der(NID_id_smime_ct_TSTInfo)))
        return bad("eContentType is not id-ct-TSTInfo");
    auto e_octets = der::read_only_tlv(e_explicit->content);
    if (!e_octets || e_octets->tag != der::kOctetString)
        return bad("eContent");
    const core::ByteView tst_der = e_octets->content;
    TimeStampInfo info;
    auto next = der::read_tlv(sd_in);
    if (next && next->tag == kContext0) {
        info.certificate_included = true;
        next = der::read_tlv(sd_in);
    }
    if (next && next->tag == 0xA1)
        next = der::read_tlv(sd_in);  // crls
    if (!next || next->tag != kSet)
        return bad("signerInfos");
    core::ByteView sis = next->content;
    auto si = der::read_tlv(sis);
    if (!si || !sis.empty())
        return bad("exactly one SignerInfo expected");
    core::ByteView si_in = si->content;
    auto si_version = der::read_tlv(si_in);
    auto sid = der::read_tlv(si_in);
    auto si_digest = der::read_tlv(si_in);
    auto si_attrs = der::read_tlv(si_in);
    auto si_sigalg = der::read_tlv(si_in);
    auto si_sig = der::read_tlv(si_in);
    if (!si_version || !sid || !si_digest || !si_attrs || si_attrs->tag != kContext0 ||
        !si_sigalg || !si_sig || si_sig->tag != der::kOctetString)
        return bad("SignerInfo");

    const unsigned char* ap = si_sigalg->whole.data();
    crypto::X509AlgorPtr sigalg(
        d2i_X509_ALGOR(nullptr, &ap, static_cast<long>(si_sigalg->whole.size())));
    const ASN1_OBJECT* sig_obj = nullptr;
    if (sigalg)
        X509_ALGOR_get0(&sig_obj, nullptr, nullptr, sigalg.get());
    std::optional<crypto::SignatureAlgorithm> alg;
    switch (OBJ_obj2nid(sig_obj)) {
        case NID_SM2_with_SM3:
            alg = crypto::SignatureAlgorithm::sm2_sm3;
            break;
        case NID_ecdsa_with_SHA256:
            alg = crypto::SignatureAlgorithm::ecdsa_sha256;
            break;
        case NID_sha256WithRSAEncryption:
        case NID_rsaEncryption:
            alg = crypto::SignatureAlgorithm::rsa_sha256;
            break;
        default:
            return core::fail(core::Errc::unsupported, "tsa.algorithm",
                              "unsupported signature algorithm");
    }
    const auto digest = digest_for(*alg);
    const auto cert_der = certificate_der(tsa);
    bool saw_type = false, saw_digest = false, saw_cert = false;
    core::ByteView attrs = si_attrs->content;
    while (!attrs.empty()) {
        auto a = der::read_tlv(attrs);
        if (!a)
            return bad("signed attribute");
        core::ByteView a_in = a->content;
        auto a_type = der::read_tlv(a_in);
        auto a_values = der::read_tlv(a_in);
        if (!a_type || !a_values)
            return bad("signed attribute");
        core::ByteView v_in = a_values->content;
        auto value = der::read_tlv(v_in);
        if (!value)
            return bad("signed attribute value");
        if (equal_bytes(a_type->whole, oid_der(NID_pkcs9_contentType))) {
            saw_type = equal_bytes(value->whole, oid_der(NID_id_smime_ct_TSTInfo));
        } else if (equal_bytes(a_type->whole, oid_der(NID_pkcs9_messageDigest))) {
            saw_digest = value->tag == der::kOctetString &&
                         equal_bytes(value->content, crypto::digest(digest, tst_der));
        } else if (equal_bytes(a_type->whole, oid_der(NID_id_smime_aa_signingCertificateV2))) {
            saw_cert = equal_bytes(value->whole, signing_certificate_v2(digest, cert_der));
        }
    }
    if (!saw_type)
        return core::fail(core::Errc::crypto, "tsa.content_type",
                          "contentType is not id-ct-TSTInfo");
    if (!saw_digest)
        return core::fail(core::Errc::crypto, "tsa.message_digest",
                          "messageDigest does not match the TSTInfo");
    if (!saw_cert)
        return core::fail(core::Errc::crypto, "tsa.signing_certificate",
                          "signingCertificateV2 does not name this TSA");
    core::Bytes signed_attrs(si_attrs->whole.begin(), si_attrs->whole.end());
    signed_attrs[0] = kSet;  // RFC 5652 §5.4: the signature covers the EXPLICIT SET OF encoding
    if (auto v =
            crypto::verify_signature(X509_get0_pubkey(tsa), *alg, signed_attrs, si_sig->content);
        !v)
        return core::fail(core::Errc::crypto, "tsa.signature",
                          "the time-stamp signature does not verify");

    const unsigned char* tp = tst_der.data();
    TstInfoPtr tst(d2i_TS_TST_INFO(nullptr, &tp, static_cast<long>(tst_der.size())));
    if (!tst)
        return bad("TSTInfo");
    char policy[128] = {};
    OBJ_obj2txt(policy, sizeof policy, TS_TST_INFO_get_policy_id(tst.get()), 1);
    info.policy = policy;
    info.serial = integer_hex(TS_TST_INFO_get_serial(tst.get()));
    info.gen_time = to_time_point(TS_TST_INFO_get_time(tst.get()));
    TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(tst.get());
    const ASN1_OBJECT* md = nullptr;
    X509_ALGOR_get0(&md, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(imprint));
    info.imprint_nid = OBJ_obj2nid(md);
    const ASN1_OCTET_STRING* msg = TS_MSG_IMPRINT_get_msg(imprint);
    info.imprint.assign(ASN1_STRING_get0_data(msg),
                        ASN1_STRING_get0_data(msg) + ASN1_STRING_length(msg));
    if (const ASN1_INTEGER* nonce = TS_TST_INFO_get_nonce(tst.get()))
        info.nonce = integer_hex(nonce);
    ERR_clear_error();
    return info;
}

}  // namespace eseal::pki
