#include "store/blob_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <string>

#include "crypto/digest.hpp"
#include "store/test_support.hpp"

namespace eseal::store {
namespace {

using test_support::TempDir;

mode_t mode_of(const std::filesystem::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 0777;
}

std::string sha256_hex(std::string_view s) {
    return core::hex_encode(crypto::sha256(core::as_bytes(s)));
}

void write_file(const std::filesystem::path& p, std::string_view content) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << content;
}

std::size_t files_under(const std::filesystem::path& dir) {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        n += e.is_regular_file() ? 1 : 0;
    return n;
}

class FileBlobStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened = FileBlobStore::open(m_root);
        ASSERT_TRUE(opened) << opened.error().describe();
        m_store = std::move(*opened);
    }

    TempDir m_dir;
    std::filesystem::path m_root = m_dir.path() / "blobs";
    std::unique_ptr<FileBlobStore> m_store;
};

TEST_F(FileBlobStoreTest, PutStoresUnderTheSha256WithFanOutAndPrivateModes) {
    const std::string content = "a scanned business licence";
    auto id = m_store->put(core::as_bytes(content));
    ASSERT_TRUE(id) << id.error().describe();
    EXPECT_EQ(*id, sha256_hex(content));

    auto path = m_store->path_of(*id);
    ASSERT_TRUE(path) << path.error().describe();
    EXPECT_EQ(*path, m_root / id->substr(0, 2) / id->substr(2, 2) / *id);
    EXPECT_EQ(mode_of(*path), 0600u);
    EXPECT_EQ(mode_of(path->parent_path()), 0700u);
    EXPECT_EQ(mode_of(path->parent_path().parent_path()), 0700u);
    EXPECT_EQ(mode_of(m_root), 0700u);
    EXPECT_EQ(mode_of(m_root / "tmp"), 0700u);

    auto back = m_store->read(*id);
    ASSERT_TRUE(back) << back.error().describe();
    EXPECT_EQ(*back, core::to_bytes(content));

    // The same content again is the same blob, kept once, and nothing is left in tmp/.
    auto again = m_store->put(core::as_bytes(content));
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *id);
    EXPECT_EQ(files_under(m_root), 1u);

    auto empty = m_store->put({});
    ASSERT_TRUE(empty);
    EXPECT_EQ(*empty, sha256_hex(""));
    auto nothing = m_store->read(*empty);
    ASSERT_TRUE(nothing);
    EXPECT_TRUE(nothing->empty());
}

TEST_F(FileBlobStoreTest, AdoptMovesAFinishedUploadIn) {
    auto temp = m_store->temp_path();
    ASSERT_TRUE(temp) << temp.error().describe();
    EXPECT_EQ(temp->parent_path(), m_root / "tmp");
    EXPECT_FALSE(std::filesystem::exists(*temp));  // the upload creates it, O_EXCL
    auto other = m_store->temp_path();
    ASSERT_TRUE(other);
    EXPECT_NE(*other, *temp);

    const std::string content(200000, 'x');  // more than one read chunk
    write_file(*temp, content);
    const auto id = sha256_hex(content);
    ASSERT_TRUE(m_store->adopt(*temp, id));
    EXPECT_FALSE(std::filesystem::exists(*temp));
    auto back = m_store->read(id);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, core::to_bytes(content));
    auto path = m_store->path_of(id);
    ASSERT_TRUE(path);
    EXPECT_EQ(mode_of(*path), 0600u);

    // The same content uploaded again: kept once, the upload removed.
    write_file(*other, content);
    ASSERT_TRUE(m_store->adopt(*other, id));
    EXPECT_FALSE(std::filesystem::exists(*other));
    EXPECT_EQ(files_under(m_root), 1u);
}

TEST_F(FileBlobStoreTest, AdoptRefusesAFileThatIsNotItsHash) {
    auto temp = m_store->temp_path();
    ASSERT_TRUE(temp);
    write_file(*temp, "what was uploaded");
    const auto claimed = sha256_hex("something else");
    auto r = m_store->adopt(*temp, claimed);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "blob.hash_mismatch");
    EXPECT_TRUE(std::filesystem::exists(*temp));
    auto missing = m_store->path_of(claimed);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, core::Errc::not_found);
}

TEST_F(FileBlobStoreTest, BadIdsNeverReachAPath) {
    write_file(m_dir.path() / "secret", "not a blob");
    const std::string good = sha256_hex("x");
    std::string upper = good;
    upper[0] = 'A';
    for (const std::string& id :
         {std::string("../secret"), std::string("../../") + good.substr(6), upper, good.substr(1),
          good + "0", std::string(64, 'g'), std::string(), std::string("/etc/passwd")}) {
        auto path = m_store->path_of(id);
        ASSERT_FALSE(path) << id;
        EXPECT_EQ(path.error().code, "blob.bad_id") << id;
        auto read = m_store->read(id);
        ASSERT_FALSE(read) << id;
        EXPECT_EQ(read.error().code, "blob.bad_id") << id;
        auto adopt = m_store->adopt(m_dir.path() / "secret", id);
        ASSERT_FALSE(adopt) << id;
        EXPECT_EQ(adopt.error().code, "blob.bad_id") << id;
    }
    EXPECT_TRUE(std::filesystem::exists(m_dir.path() / "secret"));

    auto unknown = m_store->read(good);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().kind, core::Errc::not_found);
    EXPECT_EQ(unknown.error().code, "blob.unknown");
}

TEST(FileBlobStoreOpen, ReopensAnExistingStore) {
    TempDir dir;
    std::string id;
    {
        auto store = FileBlobStore::open(dir.path() / "a" / "blobs");
        ASSERT_TRUE(store) << store.error().describe();
        auto put = (*store)->put(core::as_bytes("kept"));
        ASSERT_TRUE(put);
        id = *put;
    }
    auto again = FileBlobStore::open(dir.path() / "a" / "blobs");
    ASSERT_TRUE(again) << again.error().describe();
    auto back = (*again)->read(id);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, core::to_bytes("kept"));

    write_file(dir.path() / "file", "x");
    auto not_a_dir = FileBlobStore::open(dir.path() / "file");
    ASSERT_FALSE(not_a_dir);
    EXPECT_EQ(not_a_dir.error().kind, core::Errc::io);
}

}  // namespace
}  // namespace eseal::store
