// `eseal pdf …`: seal a PDF (a PAdES B-B or B-T signature with the seal's picture, as an
// incremental update) and verify every signature in a PDF.
#include <openssl/rand.h>
#include <openssl/ts.h>

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/signing_options.hpp"
#include "crypto/digest.hpp"
#include "document/pdf/pdf_sign.hpp"
#include "document/pdf/pdf_verify.hpp"
#include "document/pdf/text_search.hpp"
#include "pki/der_reader.hpp"
#include "pki/x509.hpp"
#include "seal/seseal.hpp"
#include "server/http_client.hpp"

namespace eseal::cli {
namespace {

constexpr std::size_t kMaxSealBytes = 16 * 1024 * 1024;
// /Contents room for a time-stamp token from our TSA (its certificate included): ~1.5 KB for
// ECDSA, ~2.5 KB for RSA-3072; generous, since an undersized /Contents fails only at the end.
constexpr std::size_t kTimeStampReserve = 8192;

struct SignOptions {
    SignerOptions signer;
    std::string in, out, seal_file, cert, at, keyword, reason, location, tsa;
    std::vector<std::string> chain;
    int page = 1;
    bool riding = false;
};

// RFC 3161 §3.4 over HTTP: a TimeStampReq for the signature value, the token out of the reply.
document::pdf::TimeStamper http_time_stamper(std::string url, crypto::SignatureAlgorithm alg) {
    return [url = std::move(url), alg](core::ByteView value) -> core::Result<core::Bytes> {
        const bool sm3 = alg == crypto::SignatureAlgorithm::sm2_sm3;
        const auto imprint = crypto::digest(
            sm3 ? crypto::DigestAlgorithm::sm3 : crypto::DigestAlgorithm::sha256, value);
        using ReqPtr = std::unique_ptr<TS_REQ, crypto::Free<TS_REQ_free>>;
        using ImprintPtr = std::unique_ptr<TS_MSG_IMPRINT, crypto::Free<TS_MSG_IMPRINT_free>>;
        ReqPtr req(TS_REQ_new());
        ImprintPtr mi(TS_MSG_IMPRINT_new());
        crypto::X509AlgorPtr algor(X509_ALGOR_new());
        X509_ALGOR_set0(algor.get(), OBJ_nid2obj(sm3 ? NID_sm3 : NID_sha256), V_ASN1_UNDEF,
                        nullptr);
        TS_MSG_IMPRINT_set_algo(mi.get(), algor.get());
        TS_MSG_IMPRINT_set_msg(mi.get(), const_cast<unsigned char*>(imprint.data()),
                               static_cast<int>(imprint.size()));
        TS_REQ_set_version(req.get(), 1);
        TS_REQ_set_msg_imprint(req.get(), mi.get());
        TS_REQ_set_cert_req(req.get(), 1);
        unsigned char nonce_bytes[8];
        RAND_bytes(nonce_bytes, sizeof nonce_bytes);
        nonce_bytes[0] &= 0x7F;
        crypto::BnPtr bn(BN_bin2bn(nonce_bytes, sizeof nonce_bytes, nullptr));
        crypto::Asn1IntegerPtr nonce(BN_to_ASN1_INTEGER(bn.get(), nullptr));
        TS_REQ_set_nonce(req.get(), nonce.get());
        const core::Bytes der = crypto::to_der(req.get(), i2d_TS_REQ);
        auto reply = server::http_post(url, {{"Content-Type", "application/timestamp-query"}},
                                       core::to_string(der));
        if (!reply)
            return std::unexpected(reply.error());
        if (reply->status != 200)
            return core::fail(
                core::Errc::io, "tsa.http",
                "the TSA at " + url + " answered HTTP " + std::to_string(reply->status));
        // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken OPTIONAL } (§2.4.2)
        const core::ByteView body = core::as_bytes(reply->body);
        auto resp = pki::der::read_only_tlv(body);
        core::ByteView in = resp ? resp->content : core::ByteView{};
        auto status = pki::der::read_tlv(in);
        auto token = pki::der::read_tlv(in);
        if (!resp || !status || !token)
            return core::fail(core::Errc::crypto, "tsa.rejected",
                              "the TSA at " + url + " granted no time stamp");
        return core::Bytes(token->whole.begin(), token->whole.end());
    };
}

bool parse_at(const std::string& text, double& x, double& y) {
    const auto comma = text.find(',');
    if (comma == std::string::npos)
        return false;
    char* end = nullptr;
    const std::string xs = text.substr(0, comma), ys = text.substr(comma + 1);
    x = std::strtod(xs.c_str(), &end);
    if (end == xs.c_str() || *end != '\0')
        return false;
    y = std::strtod(ys.c_str(), &end);
    return end != ys.c_str() && *end == '\0' && x >= 0 && y >= 0;
}

int do_sign(PlatformHandle& handle, const SignOptions& o) {
    if (o.signer.key.empty() == o.signer.token.empty())
        return report(
            invalid("pdf.signer", "give either --key FILE or --token SERIAL --key-id ID"));
    if (!o.signer.token.empty() && o.signer.key_id.empty())
        return report(invalid("pdf.signer", "--token needs --key-id"));
    const int ways =
        (o.riding ? 1 : 0) + (o.keyword.empty() ? 0 : 1) + (!o.at.empty() && !o.riding ? 1 : 0);
    if (ways != 1)
        return report(invalid("pdf.placement",
                              "say where the seal goes: --at X,Y, or --keyword TEXT, or --riding"));
    double x = 0, y = 0;
    if (!o.at.empty() && !parse_at(o.at, x, y))
        return report(invalid("pdf.at", "--at wants X,Y in mm (e.g. 150,230), not '" + o.at + "'"));
    int page = o.page;
    if (!o.keyword.empty()) {
        auto hit = document::pdf::find_text(o.in, o.keyword, o.page);
        if (!hit)
            return report(hit.error());
        page = hit->page;
        x = hit->x_mm;
        y = hit->y_mm;
    }
    auto seal_der = read_file(o.seal_file, kMaxSealBytes);
    if (!seal_der)
        return report(seal_der.error());
    auto seal = seal::parse_seal(core::as_bytes(*seal_der));
    if (!seal)
        return report(seal.error());
    if (seal->picture.type != "PNG")
        return report(core::Error{
            core::Errc::unsupported,
            "seal.picture",
            "the seal's picture is " + seal->picture.type + "; PDF sealing needs a PNG picture",
            {}});
    auto opened = open_signer(handle, o.signer);
    if (!opened)
        return report(opened.error());
    crypto::Signer& signer = *opened->signer;
    const core::Bytes spki = signer.public_key();

    // The certificate: --cert, else the seal's certificate for this key.
    core::Bytes cert;
    if (!o.cert.empty()) {
        auto certs = read_certificates(o.cert);
        if (!certs)
            return report(certs.error());
        cert = certs->front();
    } else {
        for (const auto& c : seal->property.certificates) {
            auto parsed = pki::parse_certificate(c);
            if (parsed &&
                crypto::to_der(X509_get_X509_PUBKEY(parsed->get()), i2d_X509_PUBKEY) == spki)
                cert = c;
        }
        if (cert.empty())
            return report(invalid("pdf.certificate",
                                  "none of the seal's certificates is for this key; give the "
                                  "signer's certificate (--cert)"));
    }
    {
        auto parsed = pki::parse_certificate(cert);
        if (!parsed)
            return report(parsed.error());
        if (crypto::to_der(X509_get_X509_PUBKEY(parsed->get()), i2d_X509_PUBKEY) != spki)
            return report(
                invalid("pdf.certificate", "the certificate is not for the signer's key"));
        // GB/T 38540-2020 §6.1 (SES_ESPropertyInfo.certList): a seal is used by the signers it
        // binds, listed as certificates or as their hashes.
        const auto& p = seal->property;
        bool bound = false;
        for (const auto& c : p.certificates) bound = bound || c == cert;
        for (const auto& d : p.cert_digests)
            bound = bound || d.value == crypto::sm3(cert) || d.value == crypto::sha256(cert);
        if (!bound)
            return report(invalid("pdf.seal_not_bound",
                                  "the signer's certificate is not one the seal " + seal->es_id +
                                      " binds (GB/T 38540 certList); use a seal made for it"));
    }
    std::vector<core::Bytes> chain;
    for (const auto& f : o.chain) {
        auto certs = read_certificates(f);
        if (!certs)
            return report(certs.error());
        chain.insert(chain.end(), certs->begin(), certs->end());
    }

    document::pdf::TimeStamper stamper;
    if (!o.tsa.empty())
        stamper = http_time_stamper(o.tsa, signer.algorithm());
    const core::SystemClock clock;
    document::pdf::SignRequest request;
    request.input = o.in;
    request.output = o.out;
    request.picture = {seal->picture.data, static_cast<double>(seal->picture.width_mm),
                       static_cast<double>(seal->picture.height_mm)};
    request.placement = {page, x, y,
                         o.riding ? document::pdf::Layout::riding : document::pdf::Layout::single};
    request.signer_certificate = cert;
    request.chain = chain;
    request.signing_time = clock.now();
    request.reason = o.reason;
    request.location = o.location;
    request.time_stamper = o.tsa.empty() ? nullptr : &stamper;
    request.time_stamp_reserve = kTimeStampReserve;
    auto result = document::pdf::sign_pdf(request, signer);
    if (!result)
        return report(result.error());
    std::cout << "sealed " << o.in << " -> " << o.out << ": field " << result->field_name
              << (o.riding ? std::string(", riding seal across every page")
                           : ", page " + std::to_string(page))
              << ", seal " << seal->es_id << " (" << seal->picture.width_mm << " x "
              << seal->picture.height_mm << " mm), " << crypto::to_string(signer.algorithm())
              << (o.tsa.empty() ? ", PAdES B-B" : ", PAdES B-T") << ", "
              << (result->xref_stream ? "xref stream" : "xref table") << ", CMS "
              << result->cms_size << " of " << result->contents_capacity << " bytes\n";
    return kExitOk;
}

// --- pdf verify ----------------------------------------------------------------------------------

struct VerifyOptions {
    std::string file;
    std::vector<std::string> trust;
    bool json = false;
    RevocationOptions revocation;
};

nlohmann::json to_json(const document::pdf::VerifyReport& r) {
    nlohmann::json sigs = nlohmann::json::array();
    for (const auto& s : r.signatures) {
        nlohmann::json problems = nlohmann::json::array();
        for (const auto& p : s.problems)
            problems.push_back({{"code", p.code}, {"message", p.message}});
        nlohmann::json j = {
            {"field", s.field_name},
            {"valid", s.valid()},
            {"sub_filter", s.sub_filter},
            {"byte_range", s.byte_range},
            {"byte_range_ok", s.byte_range_ok},
            {"revision_end", s.revision_end},
            {"digest_ok", s.digest_ok},
            {"signature_ok", s.signature_ok},
            {"signing_certificate_ok", s.signing_certificate_ok},
            {"chain_ok", s.chain_ok},
            {"chain", s.chain},
            {"signer", s.signer},
            {"algorithm", s.algorithm},
            {"signing_time", s.signing_time},
            {"modified_after", s.modified_after},
            {"later_changes_allowed", s.later_changes_allowed},
            {"later_changes", s.later_changes},
            {"seal_image", s.seal_image},
            {"seal_png", s.seal_png.empty() ? nlohmann::json(nullptr)
                                            : nlohmann::json(core::base64_encode(s.seal_png))},
            {"revocation", document::pdf::to_string(s.revocation)},
            {"revocation_source", document::to_string(s.revocation_source)},
            {"revocation_reason", s.revocation_reason},
            {"revocation_detail", s.revocation_detail},
            {"problems", problems},
        };
        if (s.time_stamp)
            j["time_stamp"] = {
                {"ok", s.time_stamp->ok}, {"time", s.time_stamp->time}, {"tsa", s.time_stamp->tsa}};
        else
            j["time_stamp"] = nullptr;
        sigs.push_back(std::move(j));
    }
    return {{"file_size", r.file_size}, {"valid", r.all_valid()}, {"signatures", sigs}};
}

void print_report(const document::pdf::VerifyReport& r) {
    const auto yes = [](bool b) { return b ? "ok" : "FAILED"; };
    int i = 0;
    for (const auto& s : r.signatures) {
        std::cout << "signature " << ++i << ": field " << s.field_name << " (" << s.sub_filter
                  << ")\n";
        std::cout << "  signer        " << (s.signer.empty() ? "?" : s.signer) << "\n";
        if (!s.algorithm.empty())
            std::cout << "  algorithm     " << s.algorithm << "\n";
        std::cout << "  signing time  " << (s.signing_time.empty() ? "-" : s.signing_time)
                  << " (/M, as claimed)\n";
        std::cout << "  byte range    [" << s.byte_range[0] << " " << s.byte_range[1] << " "
                  << s.byte_range[2] << " " << s.byte_range[3] << "] " << yes(s.byte_range_ok)
                  << "; revision ends at " << s.revision_end << " of " << r.file_size << " bytes\n";
        std::cout << "  integrity     "
                  << (s.digest_ok ? "ok, the signed bytes are unchanged"
                                  : "FAILED (digest mismatch)")
                  << "\n";
        std::cout << "  signature     " << yes(s.signature_ok) << "\n";
        std::cout << "  certificate   signing-certificate-v2 " << yes(s.signing_certificate_ok)
                  << "; chain " << yes(s.chain_ok);
        for (std::size_t k = 0; k < s.chain.size(); ++k)
            std::cout << (k == 0 ? ": " : " <- ") << s.chain[k];
        std::cout << "\n";
        std::cout << "  revocation    " << document::pdf::to_string(s.revocation)
                  << (s.revocation_source == document::RevocationSource::none
                          ? ""
                          : " (" + std::string(document::to_string(s.revocation_source)) + ")")
                  << (s.revocation_detail.empty() ? "" : ": " + s.revocation_detail) << "\n";
        if (s.time_stamp)
            std::cout << "  time stamp    " << (s.time_stamp->ok ? "ok, " : "FAILED, ")
                      << s.time_stamp->time << " by " << s.time_stamp->tsa << "\n";
        else
            std::cout << "  time stamp    none (PAdES B-B)\n";
        if (!s.modified_after)
            std::cout << "  later changes none: the signature covers the whole document\n";
        else if (s.later_changes_allowed)
            std::cout << "  later changes only further signatures and their appearances\n";
        else {
            std::cout << "  later changes OTHER CHANGES after signing:\n";
            for (const auto& c : s.later_changes) std::cout << "                  " << c << "\n";
        }
        std::cout << "  seal picture  " << (s.seal_image ? "yes" : "no") << "\n";
        std::cout << "  result        " << (s.valid() ? "VALID" : "INVALID") << "\n";
        for (const auto& p : s.problems)
            std::cout << "    - " << p.message << " [" << p.code << "]\n";
    }
    if (r.signatures.empty())
        std::cout << "no signatures\n";
}

int do_verify(PlatformHandle& handle, const VerifyOptions& o) {
    auto trust = trust_certificates(handle, o.trust);
    if (!trust)
        return report(trust.error());
    const core::SystemClock clock;
    const auto fetchers = revocation_fetchers(o.revocation);
    document::pdf::VerifyOptions options;
    options.trust = *trust;
    options.now = clock.now();
    options.ocsp = fetchers.ocsp;
    options.crl = fetchers.crl;
    options.seal_images = o.json;  // the text report does not show pictures
    auto result = document::pdf::verify_pdf(o.file, options);
    if (!result)
        return report(result.error());
    if (o.json)
        std::cout << to_json(*result).dump(2) << "\n";
    else
        print_report(*result);
    return result->all_valid() ? kExitOk : kExitFailed;
}

}  // namespace

void add_pdf_commands(CLI::App& app, PlatformHandle& platform, Handler& selected) {
    auto* cmd = app.add_subcommand(
        "pdf", "seal PDF documents (PAdES with a visible seal) and verify their signatures");
    cmd->require_subcommand(1);

    auto sign = std::make_shared<SignOptions>();
    auto* c_sign = cmd->add_subcommand("sign",
                                       "stamp a seal on a PDF: a PAdES baseline signature "
                                       "(ETSI.CAdES.detached; B-B, or B-T with --tsa) whose "
                                       "visible appearance is the seal's picture, appended as an "
                                       "incremental update so earlier signatures stay "
                                       "valid. ECDSA and RSA keys give signatures any PAdES reader "
                                       "checks; SM2 keys give SM2/SM3 CMS that only "
                                       "`eseal pdf verify` checks. Encrypted PDFs are refused. The "
                                       "output is written only when complete.");
    c_sign->add_option("input", sign->in, "the PDF to seal")->required();
    c_sign
        ->add_option("output", sign->out,
                     "the sealed PDF to write (may not exist afterwards on error)")
        ->required();
    c_sign
        ->add_option("--seal", sign->seal_file,
                     "the seal (.esl, GB/T 38540); its PNG picture and size are used")
        ->required();
    add_signer_options(*c_sign, sign->signer,
                       "or: the serial of the Ukey / HSM token holding the key (PIN: $ESEAL_PIN)");
    c_sign->add_option("--cert", sign->cert,
                       "the signer's certificate (default: the seal's certificate for the key)");
    c_sign->add_option(
        "--chain", sign->chain,
        "CA certificates to carry in the signature (PEM, repeatable): the issuing CA, so that "
        "readers trusting only the root can build the path");
    c_sign
        ->add_option("--page", sign->page,
                     "the page to stamp, from 1 (with --keyword: the first page searched)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    c_sign->add_option(
        "--at", sign->at,
        "X,Y in mm: where the seal's CENTRE goes, measured from the page's TOP-LEFT corner "
        "(X rightwards, Y downwards); the seal's size is its picture's width x height in mm. "
        "With --riding only Y counts (default: the page's middle)");
    c_sign->add_option(
        "--keyword", sign->keyword,
        "or: centre the seal on the first place this text is printed, searching from --page on "
        "(spaces ignored; a scanned page has no text to find)");
    c_sign->add_flag(
        "--riding", sign->riding,
        "or: a riding seal (骑缝章): the picture cut into one vertical strip per page, each at the "
        "right edge of its page; one signature over the whole document");
    c_sign->add_option("--reason", sign->reason, "the /Reason of the signature (optional)");
    c_sign->add_option("--location", sign->location, "the /Location of the signature (optional)");
    c_sign->add_option("--tsa", sign->tsa,
                       "PAdES B-T: an RFC 3161 time-stamping URL (http://, e.g. eseal serve's "
                       "/tsa); the token over the "
                       "signature value is added as the signature-time-stamp attribute");
    c_sign->callback([&, sign] { selected = [&, sign] { return do_sign(platform, *sign); }; });

    auto verify = std::make_shared<VerifyOptions>();
    auto* c_verify = cmd->add_subcommand(
        "verify",
        "verify every signature of a PDF: byte range, digest, CMS signature, "
        "signing-certificate-v2, chain to the "
        "trust anchors, revocation of the signer's certificate (OCSP from the "
        "certificate's AIA, else the CRL from its distribution points), time stamp, "
        "changes after signing, seal picture; exit 0 only if all are valid (a "
        "revocation status that cannot be "
        "had is reported, not counted as invalid).");
    c_verify->add_option("file", verify->file, "the PDF")->required();
    add_trust_option(*c_verify, verify->trust);
    c_verify->add_flag("--json", verify->json, "print the report as JSON");
    add_revocation_options(*c_verify, verify->revocation);
    c_verify->callback(
        [&, verify] { selected = [&, verify] { return do_verify(platform, *verify); }; });
}

}  // namespace eseal::cli
