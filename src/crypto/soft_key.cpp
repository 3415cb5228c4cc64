#include "crypto/soft_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "crypto/public_key.hpp"

namespace eseal::crypto {
namespace {

core::Result<SoftKey> wrap(PkeyPtr key, auto make) {
    const auto d = describe_key(key.get());
    if (!d.algorithm)
        return core::fail(core::Errc::unsupported, "key.unsupported",
                          "unsupported key: " + d.type + (d.curve.empty() ? "" : " on " + d.curve) + " " +
                              std::to_string(d.bits) + " bits (eseal uses SM2, ECDSA P-256, RSA-2048/3072)");
    return make(std::move(key), *d.algorithm);
}

}  // namespace

core::Result<SoftKey> SoftKey::generate(KeyAlgorithm alg) {
    EVP_PKEY* key = nullptr;
    switch (alg) {
        case KeyAlgorithm::sm2: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2"); break;
        case KeyAlgorithm::ecdsa_p256: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
        case KeyAlgorithm::rsa2048: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}); break;
        case KeyAlgorithm::rsa3072: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{3072}); break;
    }
    if (key == nullptr)
        return openssl_fail(core::Errc::crypto, "key.generate", "key generation failed for " + std::string(to_string(alg)));
    return SoftKey(PkeyPtr(key), alg);
}

core::Result<SoftKey> SoftKey::from_pem(std::string_view pem, const core::SecureString& passphrase) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    // A non-null passphrase keeps OpenSSL from prompting on the terminal.
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>(passphrase.c_str())));
    if (!key)
        return openssl_fail(core::Errc::invalid_input, "key.unreadable",
                            "cannot read the private key (wrong passphrase or not a PEM private key)");
    return wrap(std::move(key), [](PkeyPtr k, KeyAlgorithm a) { return SoftKey(std::move(k), a); });
}

core::Result<SoftKey> SoftKey::load(const std::filesystem::path& file, const core::SecureString& passphrase) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return core::fail(core::Errc::not_found, "key.missing", "cannot open key file " + file.string());
    std::stringstream buf;
    buf << in.rdbuf();
    core::SecureString pem(buf.str());
    auto key = from_pem(pem.view(), passphrase);
    if (!key) key.error().message = file.string() + ": " + key.error().message;
    return key;
}

core::Result<std::string> SoftKey::to_encrypted_pem(const core::SecureString& passphrase) const {
    if (passphrase.size() < 8)
        return core::fail(core::Errc::invalid_input, "key.passphrase_short", "a key passphrase needs at least 8 characters");
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PKCS8PrivateKey(bio.get(), m_key.get(), EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                      const_cast<char*>(passphrase.c_str())) != 1)
        return openssl_fail(core::Errc::crypto, "key.encrypt", "cannot encrypt the private key");
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

core::Result<void> SoftKey::save(const std::filesystem::path& file, const core::SecureString& passphrase) const {
    auto pem = to_encrypted_pem(passphrase);
    if (!pem) return std::unexpected(pem.error());
    if (std::filesystem::exists(file))
        return core::fail(core::Errc::already_exists, "key.exists", "refusing to overwrite " + file.string());
    const auto tmp = file.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return core::fail(core::Errc::io, "key.write", "cannot create " + tmp + ": " + std::strerror(errno));
    const bool ok = ::fchmod(fd, 0600) == 0 &&
                    ::write(fd, pem->data(), pem->size()) == static_cast<ssize_t>(pem->size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || std::rename(tmp.c_str(), file.c_str()) != 0) {
        std::remove(tmp.c_str());
        return core::fail(core::Errc::io, "key.write", "cannot write " + file.string() + ": " + std::strerror(errno));
    }
    return {};
}

core::Bytes SoftKey::public_key() const { return public_key_der(m_key.get()); }

core::Result<core::Bytes> SoftKey::sign(core::ByteView message) const {
    auto ctx = signature_context(m_key.get(), algorithm(), Direction::sign);
    if (!ctx) return std::unexpected(ctx.error());
    core::Bytes sig(static_cast<std::size_t>(EVP_PKEY_get_size(m_key.get())));  // the largest signature
    std::size_t len = sig.size();
    if (EVP_DigestSign(ctx->md.get(), sig.data(), &len, message.data(), message.size()) != 1)
        return openssl_fail(core::Errc::crypto, "signature.sign", "signing failed");
    sig.resize(len);
    return sig;
}

}  // namespace eseal::crypto
