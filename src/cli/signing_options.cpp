#include "cli/signing_options.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/output.hpp"
#include "pki/x509.hpp"
#include "server/http_client.hpp"

namespace eseal::cli {
namespace {

constexpr std::size_t kMaxKeyBytes = 64 * 1024;
constexpr std::size_t kMaxCertBytes = 1024 * 1024;

}  // namespace

core::Error invalid(std::string code, std::string message) {
    return core::Error{core::Errc::invalid_input, std::move(code), std::move(message), {}};
}

core::Result<std::vector<core::Bytes>> read_certificates(const std::string& path) {
    auto data = read_file(path, kMaxCertBytes);
    if (!data)
        return std::unexpected(data.error());
    auto certs = pki::parse_certificates(core::as_bytes(*data));
    if (!certs) {
        certs.error().message = path + ": " + certs.error().message;
        return std::unexpected(certs.error());
    }
    std::vector<core::Bytes> out;
    for (const auto& c : *certs) out.push_back(pki::certificate_der(c.get()));
    return out;
}

core::Result<core::Bytes> read_optional_certificate(const std::string& path) {
    if (path.empty())
        return core::Bytes{};
    auto certs = read_certificates(path);
    if (!certs)
        return std::unexpected(certs.error());
    return certs->front();
}

core::Result<crypto::SoftKey> read_soft_key(const std::string& path) {
    auto pem = read_file(path, kMaxKeyBytes);
    if (!pem)
        return std::unexpected(pem.error());
    const char* pass = std::getenv("ESEAL_KEY_PASSPHRASE");
    auto key = crypto::SoftKey::from_pem(*pem, core::SecureString(pass != nullptr ? pass : ""));
    if (!key)
        key.error().message = path + ": " + key.error().message;
    return key;
}

core::Result<core::SecureString> read_pin(bool from_stdin, const char* env_name,
                                          const char* prompt) {
    if (from_stdin) {
        std::string line;
        if (!std::getline(std::cin, line))
            return core::fail(core::Errc::invalid_input, "pin.missing",
                              std::string("no ") + prompt + " on stdin");
        core::SecureString pin(line);
        core::secure_wipe(line.data(), line.size());
        return pin;
    }
    if (const char* env = std::getenv(env_name); env != nullptr && *env != '\0')
        return core::SecureString(env);
    if (::isatty(STDIN_FILENO))
        if (const char* typed = ::getpass((std::string(prompt) + ": ").c_str()); typed != nullptr)
            return core::SecureString(typed);
    return core::fail(core::Errc::invalid_input, "pin.missing",
                      std::string("give the ") + prompt + " on stdin (--pin-stdin) or in " +
                          env_name);
}

core::Result<void> write_bytes(const std::string& path, core::ByteView data) {
    return write_file(path,
                      std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

SignerOptionFlags add_signer_options(CLI::App& cmd, SignerOptions& o,
                                     const std::string& token_help) {
    SignerOptionFlags flags{};
    flags.key = cmd.add_option(
        "--key", o.key, "the signer's private key, PEM (encrypted: $ESEAL_KEY_PASSPHRASE)");
    flags.token = cmd.add_option("--token", o.token, token_help);
    cmd.add_option("--key-id", o.key_id,
                   "with --token: the key's CKA_ID (hex) or SKF container name");
    cmd.add_option("--driver", o.driver, "with --token: pkcs11 or skf")
        ->check(CLI::IsMember({"pkcs11", "skf"}))
        ->capture_default_str();
    cmd.add_option("--module", o.module,
                   "with --token: the driver's library (default $ESEAL_PKCS11_MODULE or SoftHSM2; "
                   "$ESEAL_SKF_MODULE or eseal's soft token)");
    cmd.add_flag("--pin-stdin", o.pin_stdin,
                 "with --token: read the PIN from stdin (else $ESEAL_PIN or a prompt)");
    return flags;
}

core::Result<OpenSigner> open_signer(PlatformHandle& handle, const SignerOptions& o) {
    if (!o.key.empty()) {
        auto key = read_soft_key(o.key);
        if (!key)
            return std::unexpected(key.error());
        return OpenSigner{nullptr, std::make_unique<crypto::SoftKey>(std::move(*key))};
    }
    auto pin = read_pin(o.pin_stdin);
    if (!pin)
        return std::unexpected(pin.error());
    auto platform = handle.get();
    if (!platform)
        return std::unexpected(platform.error());
    auto svc = (*platform)->ukey_service(
        o.driver, o.module.empty() ? default_token_module(o.driver) : o.module);
    if (!svc)
        return std::unexpected(svc.error());
    auto signer = (*svc)->signer(o.token, o.key_id, *pin);
    if (!signer)
        return std::unexpected(signer.error());
    return OpenSigner{std::move(*svc), std::move(*signer)};
}

void add_trust_option(CLI::App& cmd, std::vector<std::string>& files) {
    cmd.add_option(
        "--trust", files,
        "CA certificates to trust (PEM; self-signed ones are anchors, the others link to them); "
        "default: this platform's CAs");
}

core::Result<std::vector<core::Bytes>> trust_certificates(PlatformHandle& handle,
                                                          const std::vector<std::string>& files) {
    std::vector<core::Bytes> certs;
    if (!files.empty()) {
        for (const auto& f : files) {
            auto c = read_certificates(f);
            if (!c)
                return std::unexpected(c.error());
            certs.insert(certs.end(), c->begin(), c->end());
        }
        return certs;
    }
    auto platform = handle.get();
    if (!platform)
        return std::unexpected(platform.error());
    auto cas = (*platform)->store().list_cas();
    if (!cas)
        return std::unexpected(cas.error());
    for (const auto& ca : *cas) certs.push_back(ca.certificate);
    return certs;
}

core::Result<seal::TrustStore> trust_store(PlatformHandle& handle,
                                           const std::vector<std::string>& files) {
    auto certs = trust_certificates(handle, files);
    if (!certs)
        return std::unexpected(certs.error());
    return seal::trust_store_of(*certs);
}

namespace {

// OCSP by POST (RFC 6960 Appendix A.1) and CRLs by GET (RFC 5280 §4.2.1.13), each bounded by
// `timeout`; a reply other than 200 is a failure to fetch.
document::RevocationFetchers http_revocation_fetchers(std::chrono::seconds timeout) {
    server::HttpClientOptions http;
    http.timeout = timeout;
    http.body_limit = 64 * 1024 * 1024;  // a CRL of a large CA
    const auto body = [](core::Result<server::HttpReply> reply,
                         const std::string& what) -> core::Result<core::Bytes> {
        if (!reply)
            return std::unexpected(reply.error());
        if (reply->status != 200)
            return core::fail(core::Errc::io, what + ".http",
                              "HTTP " + std::to_string(reply->status));
        return core::to_bytes(reply->body);
    };
    return {
        [http, body](const std::string& url, core::ByteView request) -> core::Result<core::Bytes> {
            return body(server::http_post(url, {{"Content-Type", "application/ocsp-request"}},
                                          core::to_string(request), http),
                        "ocsp");
        },
        [http, body](const std::string& url) -> core::Result<core::Bytes> {
            return body(server::http_get(url, http), "crl");
        }};
}

}  // namespace

void add_revocation_options(CLI::App& cmd, RevocationOptions& o) {
    cmd.add_flag("--no-revocation", o.off,
                 "do not ask OCSP responders nor fetch CRLs about the signers' certificates");
    cmd.add_option("--revocation", o.where,
                   "where to ask: auto (OCSP, and the CRL when OCSP is not named or cannot be had), ocsp, crl")
        ->check(CLI::IsMember({"auto", "ocsp", "crl"}))
        ->capture_default_str();
    cmd.add_option("--timeout", o.timeout_s, "seconds to wait for an OCSP responder or a CRL")
        ->check(CLI::Range(1, 60))
        ->capture_default_str();
}

document::RevocationFetchers revocation_fetchers(const RevocationOptions& o) {
    if (o.off)
        return {};
    auto fetchers = http_revocation_fetchers(std::chrono::seconds(o.timeout_s));
    if (o.where == "crl")
        fetchers.ocsp = nullptr;
    else if (o.where == "ocsp")
        fetchers.crl = nullptr;
    return fetchers;
}

}  // namespace eseal::cli
