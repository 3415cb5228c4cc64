#include "document/ofd/package.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "document/ofd/testing_support.hpp"

namespace eseal::document::ofd {
namespace {

// A hand-made zip of stored entries (APPNOTE.TXT §4.3), so that tests can write what no zip
// library would: "../" names, duplicates, lying sizes.
struct RawEntry {
    std::string name;
    std::string data;
    std::optional<std::uint32_t> declared_size;  // what the headers claim, if not the truth
};

std::uint32_t crc32(std::string_view s) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : s) {
        c ^= b;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

void le(core::Bytes& out, std::uint32_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

core::Bytes raw_zip(const std::vector<RawEntry>& entries) {
    core::Bytes out, central;
    for (const auto& e : entries) {
        const auto offset = static_cast<std::uint32_t>(out.size());
        const auto size = e.declared_size.value_or(static_cast<std::uint32_t>(e.data.size()));
        const auto crc = crc32(e.data);
        le(out, 0x04034b50, 4);
        le(out, 20, 2);
        le(out, 0, 2);
        le(out, 0, 2);
        le(out, 0, 2);
        le(out, 0x21, 2);
        le(out, crc, 4);
        le(out, size, 4);
        le(out, size, 4);
        le(out, static_cast<std::uint32_t>(e.name.size()), 2);
        le(out, 0, 2);
        out.insert(out.end(), e.name.begin(), e.name.end());
        out.insert(out.end(), e.data.begin(), e.data.end());
        le(central, 0x02014b50, 4);
        le(central, 20, 2);
        le(central, 20, 2);
        le(central, 0, 2);
        le(central, 0, 2);
        le(central, 0, 2);
        le(central, 0x21, 2);
        le(central, crc, 4);
        le(central, size, 4);
        le(central, size, 4);
        le(central, static_cast<std::uint32_t>(e.name.size()), 2);
        le(central, 0, 2);
        le(central, 0, 2);
        le(central, 0, 2);
        le(central, 0, 2);
        le(central, 0, 4);
        le(central, offset, 4);
        central.insert(central.end(), e.name.begin(), e.name.end());
    }
    const auto cd_offset = static_cast<std::uint32_t>(out.size());
    out.insert(out.end(), central.begin(), central.end());
    le(out, 0x06054b50, 4);
    le(out, 0, 2);
    le(out, 0, 2);
    le(out, static_cast<std::uint32_t>(entries.size()), 2);
    le(out, static_cast<std::uint32_t>(entries.size()), 2);
    le(out, static_cast<std::uint32_t>(central.size()), 4);
    le(out, cd_offset, 4);
    le(out, 0, 2);
    return out;
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string t = (std::filesystem::temp_directory_path() / "ofd-test-XXXXXX").string();
        path = ::mkdtemp(t.data());
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

core::Bytes slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<std::string> codes(const core::Error& e) {
    std::vector<std::string> out;
    for (const auto& p : e.problems) out.push_back(p.code);
    return out;
}

bool has(const core::Error& e, std::string_view code) {
    const auto c = codes(e);
    return std::find(c.begin(), c.end(), code) != c.end();
}

TEST(OfdPackage, WritesAndReadsBack) {
    TempDir dir;
    const auto original = testing::make_test_ofd(3);
    ASSERT_TRUE(write_package_file(original, dir.path / "a.ofd"));
    auto read = read_package_file(dir.path / "a.ofd");
    ASSERT_TRUE(read) << read.error().describe();
    ASSERT_EQ(read->entries().size(), original.entries().size());
    for (std::size_t i = 0; i < original.entries().size(); ++i) {
        EXPECT_EQ(read->entries()[i].name, original.entries()[i].name);
        EXPECT_EQ(read->entries()[i].data, original.entries()[i].data);
    }
    // Only the output remains: the temporary file was renamed.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path), {}), 1);
}

TEST(OfdPackage, HandMadeZipIsRead) {
    auto p = read_package(raw_zip({{"OFD.xml", "<ofd:OFD/>", {}}, {"Doc_0/a.txt", "abc", {}}}));
    ASSERT_TRUE(p) << p.error().describe();
    ASSERT_NE(p->find("/Doc_0/a.txt"), nullptr);
    EXPECT_EQ(core::to_string(p->find("Doc_0/a.txt")->data), "abc");
}

TEST(OfdPackage, PathTraversalAndAbsoluteNamesAreRefusedAllAtOnce) {
    auto p = read_package(raw_zip({{"OFD.xml", "x", {}},
                                   {"../../etc/passwd", "x", {}},
                                   {"/etc/shadow", "x", {}},
                                   {"Doc_0\\..\\x", "x", {}},
                                   {"Doc_0/./a", "x", {}},
                                   {"C:/boot.ini", "x", {}}}));
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, "ofd.package_invalid");
    EXPECT_EQ(codes(p.error()).size(), 5U) << p.error().describe();
    EXPECT_TRUE(has(p.error(), "ofd.entry_name_invalid"));
    EXPECT_NE(p.error().describe().find("../../etc/passwd"), std::string::npos);
    EXPECT_NE(p.error().describe().find("path traversal"), std::string::npos);
}

TEST(OfdPackage, DuplicateEntriesAreRefused) {
    auto p = read_package(raw_zip({{"OFD.xml", "a", {}}, {"OFD.xml", "b", {}}}));
    ASSERT_FALSE(p);
    EXPECT_TRUE(has(p.error(), "ofd.entry_duplicate")) << p.error().describe();
}

TEST(OfdPackage, DeclaredSizesAboveTheLimitsAreRefusedBeforeDecompressing) {
    Package big;
    big.put("OFD.xml", core::Bytes(5000, 'a'));
    big.put("b", core::Bytes(5000, 'b'));
    TempDir dir;
    ASSERT_TRUE(write_package_file(big, dir.path / "big.zip"));
    const auto zip = slurp(dir.path / "big.zip");
    EXPECT_LT(zip.size(), 1000U);  // deflated: a small zip that expands 10x and more

    auto each =
        read_package(zip, {.max_entries = 10, .max_entry_bytes = 4000, .max_total_bytes = 1 << 20});
    ASSERT_FALSE(each);
    EXPECT_EQ(codes(each.error()),
              (std::vector<std::string>{"ofd.entry_too_large", "ofd.entry_too_large"}));
    auto total =
        read_package(zip, {.max_entries = 10, .max_entry_bytes = 8000, .max_total_bytes = 9000});
    ASSERT_FALSE(total);
    EXPECT_TRUE(has(total.error(), "ofd.package_too_large"));
    auto count = read_package(zip, {.max_entries = 1});
    ASSERT_FALSE(count);
    EXPECT_EQ(count.error().code, "ofd.too_many_entries");
    EXPECT_TRUE(
        read_package(zip, {.max_entries = 2, .max_entry_bytes = 5000, .max_total_bytes = 10000}));
}

// A bomb that lies: the headers declare 100 bytes, the deflated data expands to 1 MB.
TEST(OfdPackage, AnEntryLargerThanDeclaredIsCutOffAndRefused) {
    Package p;
    p.put("OFD.xml", core::Bytes(1 << 20, 'z'));
    TempDir dir;
    ASSERT_TRUE(write_package_file(p, dir.path / "bomb.zip"));
    auto zip = slurp(dir.path / "bomb.zip");
    // Patch the uncompressed size in the local header (offset 22) and the central one (24).
    const auto patch = [&](std::uint32_t signature, std::size_t at) {
        for (std::size_t i = 0; i + 4 <= zip.size(); ++i)
            if (zip[i] == (signature & 0xFF) && zip[i + 1] == ((signature >> 8) & 0xFF) &&
                zip[i + 2] == ((signature >> 16) & 0xFF) && zip[i + 3] == (signature >> 24)) {
                zip[i + at] = 100;
                zip[i + at + 1] = zip[i + at + 2] = zip[i + at + 3] = 0;
                return true;
            }
        return false;
    };
    ASSERT_TRUE(patch(0x04034b50, 22));
    ASSERT_TRUE(patch(0x02014b50, 24));
    auto r = read_package(zip);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "ofd.package_invalid") << r.error().describe();
    EXPECT_EQ(codes(r.error()), (std::vector<std::string>{"ofd.entry_size_mismatch"}))
        << r.error().describe();
}

TEST(OfdPackage, StoredEntryWithAWrongSizeIsRefused) {
    auto r = read_package(raw_zip({{"OFD.xml", std::string(200, 'x'), 50}}));
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().code == "ofd.zip_invalid" || has(r.error(), "ofd.zip_invalid") ||
                has(r.error(), "ofd.entry_size_mismatch"))
        << r.error().describe();
}

TEST(OfdPackage, NotAZipIsRefused) {
    auto r = read_package(core::as_bytes("this is not a zip file at all"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "ofd.zip_invalid");
    auto zip = raw_zip({{"OFD.xml", "<a/>", {}}});
    zip.resize(zip.size() - 10);  // truncated end of central directory
    auto t = read_package(zip);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code, "ofd.zip_invalid");
}

TEST(OfdPackage, AFailedWriteLeavesNoFile) {
    TempDir dir;
    const auto target = dir.path / "missing-dir" / "out.ofd";
    EXPECT_FALSE(write_package_file(testing::make_test_ofd(1), target));
    EXPECT_FALSE(std::filesystem::exists(target));
}

TEST(OfdPackage, ResolvesLocations) {
    EXPECT_EQ(resolve_loc("Doc_0/Document.xml", "Pages/Page_0/Content.xml"),
              "Doc_0/Pages/Page_0/Content.xml");
    EXPECT_EQ(resolve_loc("Doc_0/Document.xml", "/Doc_0/Signs/Signatures.xml"),
              "Doc_0/Signs/Signatures.xml");
    EXPECT_EQ(resolve_loc("OFD.xml", "Doc_0/Document.xml"), "Doc_0/Document.xml");
    EXPECT_EQ(resolve_loc("Doc_0/Signs/Sign_0/Signature.xml", "../Signatures.xml"),
              "Doc_0/Signs/Signatures.xml");
    EXPECT_EQ(resolve_loc("OFD.xml", "../../etc/passwd"), std::nullopt);
    EXPECT_EQ(resolve_loc("OFD.xml", ""), std::nullopt);
    EXPECT_EQ(entry_name_problem("Doc_0/Document.xml"), std::nullopt);
    EXPECT_TRUE(entry_name_problem("a//b"));
}

}  // namespace
}  // namespace eseal::document::ofd
