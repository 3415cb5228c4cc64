// The generated application form and QR codes, judged where possible by outside tools: poppler's
// pdftotext / pdfinfo / pdftoppm read the PDF, zbarimg (zbar-tools) decodes the QR codes. A test
// that needs a tool that is not installed is skipped, never passed.
#include <cairo-pdf.h>
#include <cairo.h>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "ra/render/application_form.hpp"
#include "ra/render/form_model.hpp"
#include "ra/render/outline_fonts.hpp"
#include "ra/render/qr.hpp"
#include "ra/render/text_box.hpp"

namespace eseal::ra {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// ---- tools ------------------------------------------------------------------------------------

bool have_tool(const std::string& name) {
    return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

struct Output {
    int status = -1;
    std::string text;
};

// Runs a shell command; its stdout and exit status.
Output run(const std::string& command) {
    Output out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr)
        return out;
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        out.text.append(buffer.data(), n);
    out.status = pclose(pipe);
    return out;
}

class TempDir {
  public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "eseal-render-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr)
            throw std::runtime_error("mkdtemp failed");
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] fs::path write(const std::string& name, const core::Bytes& data) const {
        const fs::path file = m_path / name;
        std::ofstream(file, std::ios::binary)
            .write(reinterpret_cast<const char*>(data.data()),
                   static_cast<std::streamsize>(data.size()));
        return file;
    }

  private:
    fs::path m_path;
};

std::string quoted(const fs::path& p) {
    return "'" + p.string() + "'";
}

// ---- fixtures ---------------------------------------------------------------------------------

constexpr const char* kOrgName = "深圳市示例数字科技有限公司";
constexpr const char* kCreditCode = "91440300MA5G2XKQ3U";
constexpr const char* kHandler = "李晓明";

core::TimePoint at(const char* utc) {
    core::TimePoint t{};
    EXPECT_TRUE(core::parse_utc(utc, t)) << utc;
    return t;
}

Application sample_application() {
    Application a;
    a.id = "A260501102030K7Q2";
    a.business = Business::new_cert;
    a.cert_type = CertType::organization_individual;
    a.form.organization = {kOrgName, kCreditCode};
    a.form.handler = {kHandler, "440305199001011234", "13800138000", "lixm@example.cn"};
    a.form.holder = Person{"王芳", "44030319850615002X", "13900139000", "wangfang@example.cn"};
    a.form.algorithm = "sm2";
    a.form.years = 1;
    a.form.delivery = Delivery::post;
    a.form.address = "广东省深圳市南山区科兴路10号科技园文化广场";
    a.form.recipient = kHandler;
    a.form.recipient_phone = "13800138000";
    return a;
}

FormContext sample_context() {
    return FormContext{
        .ca_name = "深圳市电子商务安全证书管理有限公司",
        .product_name = "深圳市统一电子印章管理平台（Ukey）",
        .generated_at = at("2026-05-01T02:20:30Z"),
        .agreement_version = "2024.1",
        .service_point = {},
    };
}

std::string pdftotext(const TempDir& dir, const core::Bytes& pdf, const std::string& options = "") {
    const fs::path file = dir.write("form.pdf", pdf);
    const Output out = run("pdftotext " + options + " " + quoted(file) + " - 2>/dev/null");
    EXPECT_EQ(out.status, 0);
    return out.text;
}

// One line of `pdftotext -bbox-layout`: its words joined, and the union of their boxes.
struct TextLine {
    std::string text;
    double x_min = 1e9, y_min = 1e9, x_max = -1e9, y_max = -1e9;
};

std::vector<TextLine> text_lines(const std::string& xhtml) {
    std::vector<TextLine> lines;
    const std::regex line_re(R"(<line[^>]*>([\s\S]*?)</line>)");
    const std::regex word_re(
        R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
    const std::sregex_iterator end;
    for (std::sregex_iterator l(xhtml.begin(), xhtml.end(), line_re); l != end; ++l) {
        TextLine line;
        const std::string body = (*l)[1];
        for (std::sregex_iterator w(body.begin(), body.end(), word_re); w != end; ++w) {
            line.x_min = std::min(line.x_min, std::stod((*w)[1]));
            line.y_min = std::min(line.y_min, std::stod((*w)[2]));
            line.x_max = std::max(line.x_max, std::stod((*w)[3]));
            line.y_max = std::max(line.y_max, std::stod((*w)[4]));
            line.text += (*w)[5];
        }
        lines.push_back(line);
    }
    return lines;
}

std::size_t utf8_length(const std::string& s) {
    std::size_t n = 0;
    for (const unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// The lines that spell `whole` when read top to bottom in one column: each starts at the same x
// as the first and lies below the one before. Empty if there are none.
std::vector<TextLine> wrapped_lines(const std::vector<TextLine>& lines, const std::string& whole) {
    for (const TextLine& first : lines) {
        if (first.text.empty() || !whole.starts_with(first.text))
            continue;
        std::vector<TextLine> chain{first};
        std::string rest = whole.substr(first.text.size());
        while (!rest.empty()) {
            const TextLine* next = nullptr;
            for (const TextLine& l : lines)
                if (!l.text.empty() && std::abs(l.x_min - first.x_min) < 0.5 &&
                    l.y_min > chain.back().y_min && rest.starts_with(l.text) &&
                    (next == nullptr || l.y_min < next->y_min))
                    next = &l;
            if (next == nullptr)
                break;
            chain.push_back(*next);
            rest = rest.substr(next->text.size());
        }
        if (rest.empty())
            return chain;
    }
    return {};
}

const TextLine* line_containing(const std::vector<TextLine>& lines, const std::string& s) {
    for (const TextLine& l : lines)
        if (l.text.find(s) != std::string::npos)
            return &l;
    return nullptr;
}

// A greyscale page image from `pdftoppm -gray` (binary PGM).
struct Gray {
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels;
    [[nodiscard]] std::uint8_t at(int x, int y) const {
        return pixels[static_cast<std::size_t>(y) * width + x];
    }
};

Gray read_pgm(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string magic;
    int max = 0;
    Gray g;
    in >> magic >> g.width >> g.height >> max;
    in.get();
    if (magic != "P5" || max != 255)
        return {};
    g.pixels.resize(static_cast<std::size_t>(g.width) * g.height);
    in.read(reinterpret_cast<char*>(g.pixels.data()),
            static_cast<std::streamsize>(g.pixels.size()));
    return g;
}

// ---- the form model ---------------------------------------------------------------------------

TEST(RenderFormModel, ChinaTimeIsUtcPlusEight) {
    EXPECT_EQ(render::format_china_time(at("2026-05-01T02:20:30Z")),
              "2026年05月01日 10:20:30（北京时间）");
    EXPECT_EQ(render::format_china_time(at("2026-12-31T20:00:00Z")),
              "2027年01月01日 04:00:00（北京时间）");
}

TEST(RenderFormModel, LabelsFollowTheGuide) {
    EXPECT_EQ(render::business_label(Business::new_cert), "新办");
    EXPECT_EQ(render::business_label(Business::renew), "续期");
    EXPECT_EQ(render::business_label(Business::change), "变更");
    EXPECT_EQ(render::business_label(Business::lost_key), "补办（遗失）");
    EXPECT_EQ(render::business_label(Business::unlock), "解锁");
    EXPECT_EQ(render::business_label(Business::revoke), "注销");
    EXPECT_EQ(render::cert_type_label(CertType::organization), "机构证书");
    EXPECT_EQ(render::cert_type_label(CertType::organization_individual), "机构个人证书");
    EXPECT_EQ(render::algorithm_label("sm2"), "SM2");
    EXPECT_EQ(render::algorithm_label("ecdsa-p256"), "ECDSA P-256");
    EXPECT_EQ(render::algorithm_label("rsa2048"), "RSA 2048");
    EXPECT_EQ(render::revoke_reason_label("keyCompromise"), "密钥泄露");
}

TEST(RenderFormModel, HolderOnlyForOrganizationIndividual) {
    Application a = sample_application();
    const auto has_holder = [](const render::FormModel& m) {
        for (const auto& s : m.sections)
            if (s.title.find("证书持有人") != std::string::npos)
                return true;
        return false;
    };
    EXPECT_TRUE(has_holder(render::build_form_model(a, sample_context())));
    a.cert_type = CertType::organization;
    EXPECT_FALSE(has_holder(render::build_form_model(a, sample_context())));
}

// ---- the form PDF, read back by poppler ------------------------------------------------------

TEST(RenderForm, ChineseTextIsExtractable) {
    if (!have_tool("pdftotext"))
        GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
    const auto pdf = render_application_form(sample_application(), sample_context());
    ASSERT_TRUE(pdf) << pdf.error().describe();
    TempDir dir;
    const std::string text = pdftotext(dir, *pdf);
    for (const char* expected :
         {kOrgName, kCreditCode, kHandler, "机构个人证书", "数字证书申请表", "新办", "SM2",
          "深圳市电子商务安全证书管理有限公司", "王芳", "A260501102030K7Q2", "单位公章",
          "经办人签字", "2024.1", "2026年05月01日 10:20:30（北京时间）"})
        EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected;
}

TEST(RenderForm, OnePageOfA4) {
    if (!have_tool("pdfinfo"))
        GTEST_SKIP() << "pdfinfo (poppler-utils) not installed";
    const auto pdf = render_application_form(sample_application(), sample_context());
    ASSERT_TRUE(pdf) << pdf.error().describe();
    TempDir dir;
    const Output info = run("pdfinfo " + quoted(dir.write("form.pdf", *pdf)) + " 2>&1");
    ASSERT_EQ(info.status, 0) << info.text;
    EXPECT_TRUE(std::regex_search(info.text, std::regex(R"(Pages:\s+1\n)"))) << info.text;
    EXPECT_TRUE(std::regex_search(info.text,
                                  std::regex(R"(Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\))")))
        << info.text;
}

TEST(RenderForm, SameInputGivesSameBytes) {
    const auto a = render_application_form(sample_application(), sample_context());
    const auto b = render_application_form(sample_application(), sample_context());
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a, *b);
}

// What is checked, with pdftotext's word boxes: a long text comes out as lines in one column that
// together spell it, every line inside the value column of a full-width row (x from 132.5 =
// margin 42.5 + label column 90, to 552.8 = the right margin), and the text of the row that
// follows starts at least one em (10 pt) below the top of its last line, so they cannot overlap.
// pdftotext pads the heights of the form's Type 3 fonts, so only distances between the tops of
// same-size text are compared. No text on the page crosses the margins. The cell borders are
// vector lines that pdftotext does not see.
//
// The value column holds 41 ideographs a line at 10 pt, so a 40-character name stays on one line
// inside it; a 58-character one (the longest kind: a free-trade-zone prefix) and a long address
// wrap.
class RenderFormWrap : public ::testing::Test {
  protected:
    static constexpr double kLeft = 42.52;
    static constexpr double kValueLeft = kLeft + 90;
    static constexpr double kRight = 595.2756 - 42.52;
    static constexpr double kEps = 0.01;  // coordinates are rounded on their way through the PDF
    static constexpr double kEm = 10;

    std::vector<TextLine> render_lines(const Application& a) {
        const auto pdf = render_application_form(a, sample_context());
        EXPECT_TRUE(pdf) << pdf.error().describe();
        if (!pdf)
            return {};
        auto lines = text_lines(pdftotext(m_dir, *pdf, "-bbox-layout"));
        for (const TextLine& l : lines) {
            EXPECT_GE(l.x_min, kLeft - kEps) << l.text;
            EXPECT_LE(l.x_max, kRight + kEps) << l.text;
        }
        return lines;
    }

    static void expect_in_cell(const std::vector<TextLine>& lines, const std::string& whole,
                               std::size_t min_lines, const std::string& next_row) {
        const auto chain = wrapped_lines(lines, whole);
        ASSERT_GE(chain.size(), min_lines) << whole;
        for (const TextLine& l : chain) {
            EXPECT_GE(l.x_min, kValueLeft - kEps) << l.text;
            EXPECT_LE(l.x_max, kRight + kEps) << l.text;
        }
        const TextLine* next = line_containing(lines, next_row);
        ASSERT_NE(next, nullptr) << next_row;
        EXPECT_GE(next->y_min - chain.back().y_min, kEm) << next_row;
    }

    TempDir m_dir;
};

TEST_F(RenderFormWrap, LongNamesAndAddressesStayInTheirCells) {
    if (!have_tool("pdftotext"))
        GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
    Application a = sample_application();
    a.form.organization.name =
        "深圳市前海深港现代服务业合作区跨境电子商务数字化供应链管理与信息技术服务有限公司";
    ASSERT_EQ(utf8_length(a.form.organization.name), 40U);
    a.form.address =
        "广东省深圳市龙岗区龙翔大道8033号之一龙岗区行政服务大厅一楼五十四号窗口转交信息技术部"
        "张三收（工作日上午九点至十二点，下午两点至六点）";
    a.form.remarks = "无";
    auto lines = render_lines(a);
    expect_in_cell(lines, a.form.organization.name, 1, "统一社会信用代码");
    expect_in_cell(lines, a.form.address, 2, "备注");

    a.form.organization.name =
        "中国（广东）自由贸易试验区深圳前海蛇口片区前海深港现代服务业合作区跨境电子商务数字化供应链"
        "管理与信息技术服务有限公司";
    ASSERT_EQ(utf8_length(a.form.organization.name), 58U);
    lines = render_lines(a);
    expect_in_cell(lines, a.form.organization.name, 2, "统一社会信用代码");
}

// The form's text goes through render::OutlineFonts because cairo 1.16's own font subsets drop
// parts of some Noto CJK glyphs ("如" prints blank). Every character the sample form uses, and
// "如", is drawn through that path into its own 24 pt cell of a PDF; poppler rasterizes the page
// and each cell must hold ink. pdffonts confirms the form embeds its text that way.
TEST(RenderForm, EveryCharacterPrintsWithInk) {
    if (!have_tool("pdftoppm") || !have_tool("pdffonts"))
        GTEST_SKIP() << "pdftoppm / pdffonts (poppler-utils) not installed";
    const render::FormModel model =
        render::build_form_model(sample_application(), sample_context());
    std::string all = model.title + model.subtitle + model.ca_name + model.product_name +
                      model.declaration + model.footer + model.seal_box + model.signature_box +
                      "如";
    for (const auto& section : model.sections) {
        all += section.title;
        for (const auto& row : section.rows)
            for (const auto& field : row.fields) all += field.label + field.value;
    }
    std::vector<std::string> chars;  // distinct, in order, without spaces
    for (std::size_t i = 0; i < all.size();) {
        std::size_t n = 1;
        while (i + n < all.size() && (static_cast<unsigned char>(all[i + n]) & 0xC0) == 0x80) ++n;
        const std::string c = all.substr(i, n);
        if (c != " " && std::find(chars.begin(), chars.end(), c) == chars.end())
            chars.push_back(c);
        i += n;
    }
    ASSERT_GT(chars.size(), 150U);

    constexpr double kCell = 24;
    constexpr int kColumns = 20;
    const int rows = static_cast<int>((chars.size() + kColumns - 1) / kColumns);
    core::Bytes pdf;
    {
        render::SurfacePtr surface(cairo_pdf_surface_create_for_stream(
            render::append_to_bytes, &pdf, kCell * kColumns, kCell * rows));
        render::CairoPtr cr(cairo_create(surface.get()));
        const render::PangoContextPtr context = render::make_text_context(cr.get());
        render::OutlineFonts fonts;
        for (std::size_t i = 0; i < chars.size(); ++i) {
            const render::TextBox box(context.get(), chars[i], {"Noto Sans CJK SC", 16}, kCell);
            ASSERT_EQ(box.unknown_glyphs(), 0) << chars[i];
            box.draw(cr.get(), fonts, static_cast<double>(i % kColumns) * kCell + 4,
                     static_cast<double>(i / kColumns) * kCell);
        }
        cairo_show_page(cr.get());
        cr.reset();
        cairo_surface_finish(surface.get());
        ASSERT_EQ(cairo_surface_status(surface.get()), CAIRO_STATUS_SUCCESS);
    }
    TempDir dir;
    const fs::path file = dir.write("chars.pdf", pdf);
    // 72 dpi: one pixel per point, so cell i is the 24 × 24 pixel square at its grid position.
    ASSERT_EQ(run("pdftoppm -gray -r 72 -singlefile " + quoted(file) + " " +
                  quoted(file.parent_path() / "chars"))
                  .status,
              0);
    const Gray page = read_pgm(file.parent_path() / "chars.pgm");
    ASSERT_EQ(page.width, kCell * kColumns);
    for (std::size_t i = 0; i < chars.size(); ++i) {
        const int x0 = static_cast<int>(i % kColumns) * static_cast<int>(kCell);
        const int y0 = static_cast<int>(i / kColumns) * static_cast<int>(kCell);
        int ink = 0;
        for (int y = y0; y < y0 + static_cast<int>(kCell); ++y)
            for (int x = x0; x < x0 + static_cast<int>(kCell); ++x) ink += page.at(x, y) < 160;
        EXPECT_GT(ink, 0) << "no ink for " << chars[i];
    }

    const auto form = render_application_form(sample_application(), sample_context());
    ASSERT_TRUE(form);
    const Output fonts_used = run("pdffonts " + quoted(dir.write("form.pdf", *form)));
    ASSERT_EQ(fonts_used.status, 0);
    EXPECT_NE(fonts_used.text.find("Type 3"), std::string::npos) << fonts_used.text;
    EXPECT_EQ(fonts_used.text.find("CID Type 0C"), std::string::npos) << fonts_used.text;
}

TEST(RenderForm, QrOnThePageDecodesToTheApplicationId) {
    if (!have_tool("pdftoppm") || !have_tool("zbarimg"))
        GTEST_SKIP() << "pdftoppm (poppler-utils) or zbarimg (zbar-tools) not installed";
    const auto pdf = render_application_form(sample_application(), sample_context());
    ASSERT_TRUE(pdf) << pdf.error().describe();
    TempDir dir;
    const fs::path file = dir.write("form.pdf", *pdf);
    ASSERT_EQ(run("pdftoppm -png -r 150 -singlefile " + quoted(file) + " " +
                  quoted(file.parent_path() / "page"))
                  .status,
              0);
    const Output decoded =
        run("zbarimg --raw -q " + quoted(file.parent_path() / "page.png") + " 2>/dev/null");
    EXPECT_EQ(decoded.status, 0);
    EXPECT_EQ(decoded.text, "A260501102030K7Q2\n");
}

TEST(RenderForm, EachBusinessShowsWhatItConcerns) {
    if (!have_tool("pdftotext"))
        GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
    Application a = sample_application();
    a.business = Business::revoke;
    a.cert_type = CertType::organization;
    a.form.holder.reset();
    a.form.certificate_serial = "5f3a9c0e12b44d7a8e61c2f09ab3d7e1";
    a.form.revoke_reason = "keyCompromise";
    a.form.address.clear();
    TempDir dir;
    auto pdf = render_application_form(a, sample_context());
    ASSERT_TRUE(pdf) << pdf.error().describe();
    std::string text = pdftotext(dir, *pdf);
    for (const char* expected : {"（机构证书）", "注销", "原证书序列号", "密钥泄露"})
        EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected;
    // A 32-digit serial may wrap; its start is on one line.
    EXPECT_NE(text.find("5f3a9c0e12b4"), std::string::npos);
    for (const char* absent : {"证书持有人", "机构个人证书", "收件地址"})
        EXPECT_EQ(text.find(absent), std::string::npos) << "present: " << absent;

    a.business = Business::lost_key;
    a.form.delivery = Delivery::pickup;
    a.form.service_point = "yannan";
    FormContext c = sample_context();
    c.service_point = "燕南受理点：福田区燕南路92号器材大厦2栋一楼商铺";
    pdf = render_application_form(a, c);
    ASSERT_TRUE(pdf) << pdf.error().describe();
    text = pdftotext(dir, *pdf);
    for (const char* expected : {"补办（遗失）", "到服务网点自取", "燕南受理点"})
        EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected;
}

// ---- the form's errors ------------------------------------------------------------------------

TEST(RenderForm, ReportsEveryBadInputAtOnce) {
    Application a = sample_application();
    a.form.handler.name = "\xE6\x9D";  // a truncated UTF-8 sequence
    FormContext c = sample_context();
    c.agreement_version.clear();
    const auto pdf = render_application_form(a, c);
    ASSERT_FALSE(pdf);
    EXPECT_EQ(pdf.error().kind, core::Errc::invalid_input);
    EXPECT_EQ(pdf.error().code, "form.invalid");
    std::vector<std::string> fields;
    for (const auto& p : pdf.error().problems) fields.push_back(p.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"context.agreement_version", "form.handler.name"}));
}

TEST(RenderForm, TooMuchForOnePageIsAnError) {
    Application a = sample_application();
    for (int i = 0; i < 120; ++i) a.form.remarks += "这是一段很长的备注内容，";
    const auto pdf = render_application_form(a, sample_context());
    ASSERT_FALSE(pdf);
    EXPECT_EQ(pdf.error().code, "form.too_long");
}

// ---- QR codes ---------------------------------------------------------------------------------

struct Png {
    int width = 0, height = 0;
    std::vector<bool> dark;  // per pixel
    [[nodiscard]] bool at(int x, int y) const {
        return dark[static_cast<std::size_t>(y) * width + x];
    }
};

// Reads a PNG back with cairo (a different code path from the writer: libpng decoding).
Png read_png(const core::Bytes& bytes) {
    struct Reader {
        const core::Bytes* data;
        std::size_t offset = 0;
    } reader{&bytes};
    const auto read = [](void* closure, unsigned char* out, unsigned int length) -> cairo_status_t {
        auto* r = static_cast<Reader*>(closure);
        if (r->offset + length > r->data->size())
            return CAIRO_STATUS_READ_ERROR;
        std::copy_n(r->data->begin() + static_cast<std::ptrdiff_t>(r->offset), length, out);
        r->offset += length;
        return CAIRO_STATUS_SUCCESS;
    };
    cairo_surface_t* s = cairo_image_surface_create_from_png_stream(read, &reader);
    Png png;
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
        cairo_surface_flush(s);
        png.width = cairo_image_surface_get_width(s);
        png.height = cairo_image_surface_get_height(s);
        const int stride = cairo_image_surface_get_stride(s);
        const unsigned char* data = cairo_image_surface_get_data(s);
        for (int y = 0; y < png.height; ++y)
            for (int x = 0; x < png.width; ++x) {
                const auto pixel =
                    *reinterpret_cast<const std::uint32_t*>(data + y * stride + x * 4);
                EXPECT_TRUE((pixel & 0xFFFFFFU) == 0 || (pixel & 0xFFFFFFU) == 0xFFFFFFU)
                    << "grey pixel at " << x << "," << y;
                png.dark.push_back((pixel & 0xFFU) < 0x80U);
            }
    }
    cairo_surface_destroy(s);
    return png;
}

// The dark/light pattern of one module, sampled at its centre.
bool module_dark(const Png& png, int module_px, int margin, int mx, int my) {
    return png.at((margin + mx) * module_px + module_px / 2,
                  (margin + my) * module_px + module_px / 2);
}

// ISO/IEC 18004 §6.3.3: a finder pattern is a dark 7×7 ring, a light 5×5 ring and a dark 3×3
// centre; its separator (the row and column next to it, towards the symbol) is light.
bool finder_at(const Png& png, int module_px, int margin, int x0, int y0) {
    for (int dy = 0; dy < 7; ++dy)
        for (int dx = 0; dx < 7; ++dx) {
            const int ring = std::max(std::abs(dx - 3), std::abs(dy - 3));
            if (module_dark(png, module_px, margin, x0 + dx, y0 + dy) != (ring != 2))
                return false;
        }
    return true;
}

void expect_qr_structure(const std::string& text, int module_px, int margin) {
    const auto qr = encode_qr(text);
    ASSERT_TRUE(qr);
    const int w = qr->width();
    const auto bytes = render_qr_png(text, module_px, margin);
    ASSERT_TRUE(bytes) << bytes.error().describe();
    const Png png = read_png(*bytes);
    const int side = (w + 2 * margin) * module_px;
    ASSERT_EQ(png.width, side);
    ASSERT_EQ(png.height, side);
    // Quiet zone: every pixel of the margin is light.
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            const bool inside = x >= margin * module_px && x < (margin + w) * module_px &&
                                y >= margin * module_px && y < (margin + w) * module_px;
            if (!inside) {
                ASSERT_FALSE(png.at(x, y)) << x << "," << y;
            }
        }
    EXPECT_TRUE(finder_at(png, module_px, margin, 0, 0));
    EXPECT_TRUE(finder_at(png, module_px, margin, w - 7, 0));
    EXPECT_TRUE(finder_at(png, module_px, margin, 0, w - 7));
    EXPECT_FALSE(finder_at(png, module_px, margin, w - 7, w - 7));
    for (int i = 0; i < 8; ++i) {
        EXPECT_FALSE(module_dark(png, module_px, margin, 7, i));      // top-left separator
        EXPECT_FALSE(module_dark(png, module_px, margin, w - 8, i));  // top-right
        EXPECT_FALSE(module_dark(png, module_px, margin, i, w - 8));  // bottom-left
    }
    // Timing pattern (§6.3.5) on row 6 between the finders: alternating, dark on even columns.
    for (int x = 8; x < w - 8; ++x)
        EXPECT_EQ(module_dark(png, module_px, margin, x, 6), x % 2 == 0);
    // The pixels agree with the matrix everywhere.
    for (int my = 0; my < w; ++my)
        for (int mx = 0; mx < w; ++mx)
            ASSERT_EQ(module_dark(png, module_px, margin, mx, my), qr->dark(mx, my))
                << mx << "," << my;
}

const std::vector<std::string> kQrTexts = {
    "A260501102030K7Q2",
    "https://dzyz.sz.gov.cn/ep/front/ca-org-web/index.html#/officialHome",
    "深圳市电子商务安全证书管理有限公司 申请编号 A260501102030K7Q2",
};

TEST(RenderQr, PngHasTheSymbolStructure) {
    for (const auto& text : kQrTexts) expect_qr_structure(text, 8, 4);
    expect_qr_structure("A260501102030K7Q2", 3, 2);
    expect_qr_structure("A260501102030K7Q2", 1, 0);
}

TEST(RenderQr, VersionGrowsWithTheText) {
    EXPECT_EQ(encode_qr("A260501102030K7Q2")->width(), 25);             // 17 bytes: version 2 at M
    EXPECT_EQ(encode_qr(std::string(kQrMaxBytes, 'x'))->width(), 177);  // version 40
}

TEST(RenderQr, ZbarimgDecodesThePng) {
    if (!have_tool("zbarimg"))
        GTEST_SKIP() << "zbarimg (zbar-tools) not installed";
    TempDir dir;
    int n = 0;
    for (const auto& text : kQrTexts) {
        const auto png = render_qr_png(text);
        ASSERT_TRUE(png) << png.error().describe();
        const fs::path file = dir.write("qr" + std::to_string(n++) + ".png", *png);
        const Output decoded = run("zbarimg --raw -q " + quoted(file) + " 2>/dev/null");
        EXPECT_EQ(decoded.status, 0) << text;
        EXPECT_EQ(decoded.text, text + "\n");
    }
}

TEST(RenderQr, BadInputIsAnError) {
    EXPECT_EQ(render_qr_png("").error().code, "qr.empty");
    EXPECT_EQ(render_qr_png(std::string(kQrMaxBytes + 1, 'x')).error().code, "qr.too_long");
    EXPECT_EQ(encode_qr(std::string(kQrMaxBytes + 1, 'x')).error().kind, core::Errc::invalid_input);
    EXPECT_EQ(render_qr_png("x", 0).error().code, "qr.bad_size");
    EXPECT_EQ(render_qr_png("x", 33).error().code, "qr.bad_size");
    EXPECT_EQ(render_qr_png("x", 8, -1).error().code, "qr.bad_size");
    EXPECT_EQ(render_qr_png("x", 8, 17).error().code, "qr.bad_size");
    // Version 40 (177 modules + quiet zone) at 32 px would be 5920 px wide.
    EXPECT_EQ(render_qr_png(std::string(kQrMaxBytes, 'x'), 32).error().code, "qr.bad_size");
    EXPECT_TRUE(render_qr_png(std::string(kQrMaxBytes, 'x'), 8));
}

TEST(RenderForm, EmptyApplicationIdIsReported) {
    Application a = sample_application();
    a.id.clear();
    const auto pdf = render_application_form(a, sample_context());
    ASSERT_FALSE(pdf);
    ASSERT_EQ(pdf.error().problems.size(), 1U);
    EXPECT_EQ(pdf.error().problems[0].field, "id");
}

}  // namespace
}  // namespace eseal::ra
