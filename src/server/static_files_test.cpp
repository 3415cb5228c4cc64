#include "server/static_files.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/bytes.hpp"
#include "crypto/digest.hpp"

namespace eseal::server {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("eseal-static-" + core::hex_encode(crypto::random_bytes(8)));
        m_root = m_dir / "dist";
        fs::create_directories(m_root / "assets");
        write(m_root / "index.html", "<!doctype html><div id=root></div>");
        write(m_root / "assets" / "index-Bx12Ab.js", "console.log(1)");
        write(m_root / "assets" / "index-C9.css", "body{}");
        write(m_root / "favicon.svg", "<svg/>");
        write(m_dir / "secret.txt", "outside the root");
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    static void write(const fs::path& p, const std::string& text) {
        std::ofstream(p, std::ios::binary) << text;
    }
    static std::string header(const Response& r, std::string_view name) {
        for (const auto& [k, v] : r.headers)
            if (k == name)
                return v;
        return {};
    }
    [[nodiscard]] Response get(const std::string& path) const {
        Request req;
        req.method = "GET";
        req.path = path;
        req.target = path;
        return serve_static(m_root, req);
    }
    fs::path m_dir, m_root;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirContentTypes) {
    auto js = get("/assets/index-Bx12Ab.js");
    EXPECT_EQ(js.status, 200);
    EXPECT_EQ(js.body, "console.log(1)");
    EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(get("/assets/index-C9.css").content_type, "text/css; charset=utf-8");
    EXPECT_EQ(get("/favicon.svg").content_type, "image/svg+xml");
    auto index = get("/");
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
    EXPECT_NE(index.body.find("id=root"), std::string::npos);
    EXPECT_EQ(static_content_type("A.PNG"), "image/png");
    EXPECT_EQ(static_content_type("noext"), "application/octet-stream");
}

TEST_F(StaticFilesTest, HashedAssetsAreCachedForAYearTheRestRevalidated) {
    EXPECT_EQ(header(get("/assets/index-Bx12Ab.js"), "Cache-Control"),
              "public, max-age=31536000, immutable");
    EXPECT_EQ(header(get("/"), "Cache-Control"), "no-cache");
    EXPECT_EQ(header(get("/favicon.svg"), "Cache-Control"), "no-cache");
    EXPECT_FALSE(header(get("/favicon.svg"), "Last-Modified").empty());
}

TEST_F(StaticFilesTest, AppPathsFallBackToIndexButMissingFilesAndServerPathsAreNotFound) {
    auto app = get("/applications/A2026112600000001");
    EXPECT_EQ(app.status, 200);
    EXPECT_NE(app.body.find("id=root"), std::string::npos);
    EXPECT_EQ(get("/staff").status, 200);
    EXPECT_EQ(get("/assets/missing-123.js").status, 404);  // a file name: no fallback
    EXPECT_EQ(get("/api/v1/nothing").status, 404);
    EXPECT_EQ(get("/api").status, 404);
    EXPECT_EQ(get("/sandbox/face/x").status, 404);
    EXPECT_EQ(get("/crl/none.crl").status, 404);
}

TEST_F(StaticFilesTest, NoWayOutOfTheRoot) {
    for (const std::string path :
         {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
          "/assets/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets%2f..%2f..%2fsecret.txt",
          "/a\\..\\secret.txt", "/%00", "/%zz", "//secret.txt", "/./index.html"}) {
        auto r = get(path);
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_EQ(r.body.find("outside the root"), std::string::npos) << path;
    }
    EXPECT_FALSE(static_file_for(m_root, "/../secret.txt"));
    // A symlink pointing out of the root is not followed.
    fs::create_symlink(m_dir / "secret.txt", m_root / "link.txt");
    EXPECT_EQ(get("/link.txt").status, 404);
    EXPECT_FALSE(static_file_for(m_root, "/link.txt"));
}

TEST_F(StaticFilesTest, RouterServesTheAppAfterEveryOtherRoute) {
    Router router;
    router.add("GET", "/api/v1/ping",
               [](const Request&, const Captures&) { return text_response(200, "pong"); });
    add_static_routes(router, m_root);
    Request req;
    req.method = "GET";
    req.path = "/api/v1/ping";
    EXPECT_EQ(router.route(req).body, "200 OK: pong\n");
    req.path = "/service-points";
    EXPECT_NE(router.route(req).body.find("id=root"), std::string::npos);
    req.method = "HEAD";
    req.path = "/assets/index-Bx12Ab.js";
    auto head = router.route(req);
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
}

TEST(StaticFilesNoBuild, AnUnbuiltAppSaysHowToBuildIt) {
    Request req;
    req.method = "GET";
    req.path = "/";
    auto r = serve_static(fs::temp_directory_path() / "eseal-no-such-dist-dir", req);
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.body.find("npm run build"), std::string::npos);
}

}  // namespace
}  // namespace eseal::server
