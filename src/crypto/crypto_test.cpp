#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/bytes.hpp"
#include "crypto/digest.hpp"
#include "crypto/public_key.hpp"
#include "crypto/soft_key.hpp"

namespace eseal::crypto {
namespace {

using core::as_bytes;
using core::hex_encode;

// GB/T 32905-2016 Appendix A example 1: SM3("abc").
TEST(Digest, Sm3KnownAnswer) {
    EXPECT_EQ(hex_encode(sm3(as_bytes("abc"))),
              "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

// FIPS 180-2 Appendix B.1: SHA-256("abc"), computed in pieces.
TEST(Digest, StreamingSha256MatchesOneShot) {
    Hasher h(DigestAlgorithm::sha256);
    h.update(as_bytes("a"));
    h.update(as_bytes("bc"));
    EXPECT_EQ(hex_encode(h.finish()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

class SignerTest : public ::testing::TestWithParam<KeyAlgorithm> {};

TEST_P(SignerTest, SignsAndVerifiesAndRejectsTampering) {
    auto key = SoftKey::generate(GetParam());
    ASSERT_TRUE(key) << key.error().describe();
    const auto msg = core::to_bytes("electronic seal");
    auto sig = key->sign(msg);
    ASSERT_TRUE(sig) << sig.error().describe();
    EXPECT_TRUE(verify_signature(key->public_key(), key->algorithm(), msg, *sig));
    auto tampered = msg;
    tampered[0] ^= 1;
    auto bad = verify_signature(key->public_key(), key->algorithm(), tampered, *sig);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "signature.invalid");
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, SignerTest,
                         ::testing::Values(KeyAlgorithm::sm2, KeyAlgorithm::ecdsa_p256, KeyAlgorithm::rsa2048));

// An SM2 signature made with the empty ID (OpenSSL's default) must not pass as one made with
// 1234567812345678: the ID is part of what is signed (GB/T 32918.2 §5.5, Z_A).
TEST(Sm2, SignatureWithoutTheIdDoesNotVerify) {
    auto key = SoftKey::generate(KeyAlgorithm::sm2);
    ASSERT_TRUE(key);
    const auto msg = core::to_bytes("hello");
    MdCtxPtr md(EVP_MD_CTX_new());
    ASSERT_EQ(EVP_DigestSignInit(md.get(), nullptr, EVP_sm3(), nullptr, key->pkey()), 1);
    std::size_t len = 128;
    core::Bytes sig(len);
    ASSERT_EQ(EVP_DigestSign(md.get(), sig.data(), &len, msg.data(), msg.size()), 1);
    sig.resize(len);
    EXPECT_FALSE(verify_signature(key->public_key(), SignatureAlgorithm::sm2_sm3, msg, sig));
}

TEST(SoftKey, SavesEncryptedWithMode0600AndLoadsBack) {
    const auto dir = std::filesystem::temp_directory_path() / ("eseal-key-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "k.pem";
    std::filesystem::remove(file);
    auto key = SoftKey::generate(KeyAlgorithm::sm2);
    ASSERT_TRUE(key);
    const core::SecureString pass("correct horse");
    ASSERT_TRUE(key->save(file, pass));
    struct stat st{};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600);
    std::ifstream in(file);
    std::string pem((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(pem.find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);

    auto loaded = SoftKey::load(file, pass);
    ASSERT_TRUE(loaded) << loaded.error().describe();
    EXPECT_EQ(loaded->public_key(), key->public_key());
    EXPECT_EQ(loaded->key_algorithm(), KeyAlgorithm::sm2);

    auto wrong = SoftKey::load(file, core::SecureString("wrong pass"));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "key.unreadable");
    EXPECT_FALSE(key->save(file, pass)) << "must not overwrite";
    std::filesystem::remove_all(dir);
}

TEST(SoftKey, ShortPassphraseIsRefused) {
    auto key = SoftKey::generate(KeyAlgorithm::ecdsa_p256);
    ASSERT_TRUE(key);
    auto pem = key->to_encrypted_pem(core::SecureString("short"));
    ASSERT_FALSE(pem);
    EXPECT_EQ(pem.error().code, "key.passphrase_short");
}

}  // namespace
}  // namespace eseal::crypto

#include "crypto/sealed.hpp"

namespace eseal::crypto {
namespace {

TEST(Sealed, RoundTripsAndRefusesWrongPassphraseOrTampering) {
    const core::SecureString pass("ca passphrase");
    auto blob = seal(pass, core::as_bytes("SO-PIN-1234"));
    ASSERT_TRUE(blob);
    EXPECT_EQ(std::string(blob->begin(), blob->end()).find("SO-PIN"), std::string::npos);
    auto back = unseal(pass, *blob);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->view(), "SO-PIN-1234");
    auto wrong = unseal(core::SecureString("other passphrase"), *blob);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "sealed.unreadable");
    auto tampered = *blob;
    tampered[tampered.size() - 20] ^= 1;
    EXPECT_FALSE(unseal(pass, tampered));
    EXPECT_FALSE(unseal(pass, core::Bytes{'E', 'S', '1'}));
}

}  // namespace
}  // namespace eseal::crypto
