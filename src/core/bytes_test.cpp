#include "core/bytes.hpp"

#include <gtest/gtest.h>

namespace eseal::core {

TEST(Hex, RoundTripsAndRejectsGarbage) {
    const Bytes data{0x00, 0x7f, 0x80, 0xff};
    EXPECT_EQ(hex_encode(data), "007f80ff");
    EXPECT_EQ(hex_encode(data, true), "007F80FF");
    EXPECT_EQ(hex_decode("007F80ff"), data);
    EXPECT_EQ(hex_decode("00:7f:80:ff"), data);
    EXPECT_FALSE(hex_decode("0g"));
    EXPECT_FALSE(hex_decode("abc"));
}

// RFC 4648 §10 test vectors.
TEST(Base64, Rfc4648Vectors) {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(base64_encode(as_bytes(plain)), encoded);
        EXPECT_EQ(base64_decode(encoded), to_bytes(plain));
    }
}

TEST(Base64, UrlSafeAndMalformed) {
    const Bytes data{0xfb, 0xff, 0xfe};
    EXPECT_EQ(base64_encode(data), "+//+");
    EXPECT_EQ(base64url_encode(data), "-__-");
    EXPECT_EQ(base64url_decode("-__-"), data);
    EXPECT_FALSE(base64_decode("Zm9v!"));
    EXPECT_FALSE(base64_decode("Zg==Zg"));   // data after padding
    EXPECT_FALSE(base64_decode("Zh=="));     // non-canonical trailing bits
    EXPECT_EQ(base64_decode("Zm9v\nYmFy\n"), to_bytes("foobar"));
}

}  // namespace eseal::core
