#pragma once
// Shared by the store's *_test.cpp files: a temporary directory per test (DESIGN §8: hermetic),
// sample records, and direct SQLite access for tests that play the part of someone editing the
// database file behind the store's back.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "core/audit.hpp"
#include "core/bytes.hpp"
#include "crypto/digest.hpp"
#include "pki/ports.hpp"

namespace eseal::store::test_support {

class TempDir {
  public:
    TempDir()
        : m_path(std::filesystem::temp_directory_path() /
                 ("eseal-store-" + core::hex_encode(crypto::random_bytes(8)))) {
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    TempDir(TempDir&&) = delete;
    TempDir& operator=(TempDir&&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

  private:
    std::filesystem::path m_path;
};

inline core::TimePoint day(int y, unsigned m, unsigned d) {
    return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} /
                                 std::chrono::day{d}};
}

inline pki::CaRecord sample_ca(const std::string& name, const std::string& parent = {}) {
    pki::CaRecord ca;
    ca.name = name;
    ca.parent = parent;
    ca.algorithm = crypto::KeyAlgorithm::ecdsa_p256;
    ca.key_ref = "file:keys/" + name + ".key.pem";
    ca.serial = core::hex_encode(crypto::sha256(core::as_bytes(name))).substr(0, 32);
    ca.subject = "CN=" + name + ",O=eseal test,C=CN";
    ca.not_before = day(2026, 1, 1);
    ca.not_after = day(2036, 1, 1);
    ca.certificate = core::to_bytes("DER of " + name);
    ca.crl_url = "http://ca.test/crl/" + name + ".crl";
    ca.ocsp_url = "http://ca.test/ocsp";
    ca.created_at = day(2026, 1, 1) + std::chrono::hours{1};
    return ca;
}

// The certificate row of a CA's own certificate.
inline pki::CertificateRecord ca_certificate(const pki::CaRecord& ca) {
    pki::CertificateRecord c;
    c.serial = ca.serial;
    c.ca = ca.parent.empty() ? ca.name : ca.parent;
    c.profile = ca.parent.empty() ? "root-ca" : "issuing-ca";
    c.subject = ca.subject;
    c.organization = "eseal test";
    c.key_sha256 = core::hex_encode(crypto::sha256(core::as_bytes("key of " + ca.name)));
    c.not_before = ca.not_before;
    c.not_after = ca.not_after;
    c.issued_at = ca.created_at;
    c.der = ca.certificate;
    return c;
}

inline pki::CertificateRecord sample_certificate(const std::string& serial, const std::string& ca) {
    pki::CertificateRecord c;
    c.serial = serial;
    c.ca = ca;
    c.profile = "org";
    c.subject = "CN=Seal " + serial + ",O=Shenzhen Example Co,C=CN";
    c.organization = "Shenzhen Example Co";
    c.credit_code = "91440300MA5EXAMPLE";
    c.key_sha256 = core::hex_encode(crypto::sha256(core::as_bytes("key " + serial)));
    c.not_before = day(2026, 3, 1);
    c.not_after = day(2027, 3, 1);
    c.issued_at = day(2026, 3, 1);
    c.der = core::to_bytes("DER of certificate " + serial);
    return c;
}

inline core::AuditEvent sample_event(const std::string& action, const std::string& object) {
    return {day(2026, 3, 1), "cli:root", action, object, R"({"note":"test"})"};
}

// Runs SQL on the database file without the store: a stand-in for someone with the file.
inline void raw_exec(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << sql << ": " << message;
}

// The first column of the first row of a query, as text ("" if no row).
inline std::string raw_query(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
        out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
}

inline long raw_count(const std::filesystem::path& file, const std::string& table) {
    return std::stol(raw_query(file, "SELECT COUNT(*) FROM " + table));
}

}  // namespace eseal::store::test_support
