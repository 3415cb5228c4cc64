#pragma once
// What the signing commands (`seal`, `pdf`, `ofd`, `token`) read alike: the signer (a PEM key
// file or a key on a Ukey / HSM with its PIN), certificates, the trust anchors.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "core/secure_string.hpp"
#include "crypto/soft_key.hpp"
#include "document/revocation.hpp"
#include "seal/trust.hpp"
#include "token/ukey_service.hpp"

namespace eseal::cli {

[[nodiscard]] core::Error invalid(std::string code, std::string message);

// Certificates in PEM or DER, as DER; an unreadable file's error names it.
[[nodiscard]] core::Result<std::vector<core::Bytes>> read_certificates(const std::string& path);

// --cert FILE: the first certificate in it; empty bytes when no file is given.
[[nodiscard]] core::Result<core::Bytes> read_optional_certificate(const std::string& path);

// A software key in PEM; an encrypted one takes its passphrase from $ESEAL_KEY_PASSPHRASE.
[[nodiscard]] core::Result<crypto::SoftKey> read_soft_key(const std::string& path);

// A PIN: one line on stdin, else $env_name, else a prompt without echo.
[[nodiscard]] core::Result<core::SecureString> read_pin(bool from_stdin,
                                                        const char* env_name = "ESEAL_PIN",
                                                        const char* prompt = "user PIN");

[[nodiscard]] core::Result<void> write_bytes(const std::string& path, core::ByteView data);

// The signer's key: --key FILE, or --token SERIAL --key-id ID (--driver, --module, --pin-stdin).
struct SignerOptions {
    std::string key, token, key_id, driver = "pkcs11", module;
    bool pin_stdin = false;
};

struct SignerOptionFlags {
    CLI::Option* key;
    CLI::Option* token;
};

// Adds --key, --token (described by token_help), --key-id, --driver, --module, --pin-stdin.
SignerOptionFlags add_signer_options(CLI::App& cmd, SignerOptions& o, const std::string& token_help);

// The signer: a software key, or a key on a Ukey (the service stays open while it signs). The
// caller has checked that exactly one of key / token (with key_id) is given.
struct OpenSigner {
    std::unique_ptr<token::UkeyService> service;
    std::unique_ptr<crypto::Signer> signer;
};

[[nodiscard]] core::Result<OpenSigner> open_signer(PlatformHandle& handle, const SignerOptions& o);

// --trust FILE…: CA certificates to trust; default this platform's CAs.
void add_trust_option(CLI::App& cmd, std::vector<std::string>& files);

// The trust anchors: the files given, else this platform's CAs.
[[nodiscard]] core::Result<std::vector<core::Bytes>> trust_certificates(
    PlatformHandle& handle, const std::vector<std::string>& files);
[[nodiscard]] core::Result<seal::TrustStore> trust_store(PlatformHandle& handle,
                                                         const std::vector<std::string>& files);

// How `pdf verify` and `ofd verify` ask about the signer's certificate: --no-revocation,
// --revocation auto|ocsp|crl (auto: OCSP, and the CRL when OCSP is not named or cannot be had),
// --timeout SECONDS.
struct RevocationOptions {
    bool off = false;
    std::string where = "auto";
    int timeout_s = 5;
};
void add_revocation_options(CLI::App& cmd, RevocationOptions& o);

// The fetchers those options name (none when off): OCSP by POST and CRLs by GET over HTTP, each
// bounded by the timeout.
[[nodiscard]] document::RevocationFetchers revocation_fetchers(const RevocationOptions& o);

}  // namespace eseal::cli
