#pragma once
// Materials and generated documents as files, content-addressed by SHA-256 (ra::BlobStore):
//   <dir>/ab/cd/abcd…   the blob whose SHA-256 is abcd… (64 lowercase hex); two levels of fan-out
//                       keep directories small with millions of blobs
//   <dir>/tmp/          uploads being written, on the same file system so adopting is a rename
// Files are 0600 and directories 0700: these are people's ID cards and business licences. A
// blob appears whole or not at all (written aside, fsynced, renamed, directory fsynced), and
// identical content is kept once. Ids are checked before they touch a path, so an id from
// outside cannot name any other file.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "ra/ports.hpp"

namespace eseal::store {

class FileBlobStore final : public ra::BlobStore {
  public:
    // Creates the directory and its tmp/ if needed.
    [[nodiscard]] static core::Result<std::unique_ptr<FileBlobStore>> open(
        const std::filesystem::path& dir);

    // A fresh name under tmp/, not yet created: the caller creates it with O_CREAT | O_EXCL
    // and mode 0600.
    [[nodiscard]] core::Result<std::filesystem::path> temp_path() override;
    // Checks that the file's content has that SHA-256 (invalid_input "blob.hash_mismatch" if not,
    // and the file stays where it is), then moves it in, or removes it if the blob is there.
    [[nodiscard]] core::Result<void> adopt(const std::filesystem::path& file,
                                           const std::string& sha256_hex) override;
    [[nodiscard]] core::Result<std::string> put(core::ByteView content) override;
    // not_found ("blob.unknown") if no such blob; invalid_input ("blob.bad_id") if the id is not
    // 64 lowercase hex digits.
    [[nodiscard]] core::Result<std::filesystem::path> path_of(const std::string& id) override;
    [[nodiscard]] core::Result<core::Bytes> read(const std::string& id) override;

    [[nodiscard]] static bool valid_id(std::string_view id) noexcept;

  private:
    explicit FileBlobStore(std::filesystem::path dir) : m_dir(std::move(dir)) {}
    [[nodiscard]] std::filesystem::path location(std::string_view id) const;
    // Moves a written, synced file in under id.
    [[nodiscard]] core::Result<void> install(const std::filesystem::path& file,
                                             std::string_view id);

    std::filesystem::path m_dir;
};

}  // namespace eseal::store
