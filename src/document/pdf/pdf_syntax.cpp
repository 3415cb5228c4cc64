#include "document/pdf/pdf_syntax.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>

namespace eseal::document::pdf {
namespace {

core::Error malformed(std::string message) {
    return core::Error{core::Errc::invalid_input, "pdf.malformed", std::move(message), {}};
}

bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

}  // namespace

core::Result<PdfTail> read_tail(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return core::fail(core::Errc::io, "pdf.open", "cannot open " + file.string());
    in.seekg(0, std::ios::end);
    PdfTail tail;
    tail.size = static_cast<std::uint64_t>(in.tellg());
    if (tail.size < 32)
        return std::unexpected(malformed(file.string() + " is too short to be a PDF"));
    char head[8] = {};
    in.seekg(0);
    in.read(head, 5);
    if (std::string_view(head, 5) != "%PDF-")
        return std::unexpected(malformed(file.string() + " does not start with %PDF-"));
    const std::uint64_t n = std::min<std::uint64_t>(tail.size, 1024);
    std::string buf(n, '\0');
    in.seekg(static_cast<std::streamoff>(tail.size - n));
    in.read(buf.data(), static_cast<std::streamsize>(n));
    tail.ends_with_newline = buf.back() == '\n' || buf.back() == '\r';
    // ISO 32000-1 §7.5.5: "startxref", the offset, "%%EOF" at the end.
    const auto eof = buf.rfind("%%EOF");
    if (eof == std::string::npos)
        return std::unexpected(malformed("no %%EOF at the end (truncated?)"));
    const auto sx = buf.rfind("startxref", eof);
    if (sx == std::string::npos)
        return std::unexpected(malformed("no startxref before the final %%EOF"));
    std::size_t i = sx + 9;
    while (i < eof && is_space(buf[i])) ++i;
    std::uint64_t offset = 0;
    const auto [end, ec] = std::from_chars(buf.data() + i, buf.data() + eof, offset);
    if (ec != std::errc{} || end == buf.data() + i)
        return std::unexpected(malformed("startxref has no offset"));
    if (offset >= tail.size)
        return std::unexpected(malformed("startxref points past the end of the file"));
    tail.startxref = offset;
    char probe[64] = {};
    in.clear();
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(probe, sizeof probe);
    const std::string_view p(probe, static_cast<std::size_t>(in.gcount()));
    if (p.starts_with("xref")) {
        tail.style = XrefStyle::table;
    } else if (!p.empty() && p[0] >= '0' && p[0] <= '9' &&
               p.find("obj") != std::string_view::npos) {
        tail.style = XrefStyle::stream;  // §7.5.8: "N G obj << /Type /XRef ..."
    } else {
        return std::unexpected(malformed("startxref does not point at a cross-reference section"));
    }
    return tail;
}

std::string pdf_date(std::int64_t unix_seconds) {
    const std::chrono::sys_seconds t{std::chrono::seconds{unix_seconds}};
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{t - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "D:%04d%02u%02u%02d%02d%02d+00'00'",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return buf;
}

std::optional<std::int64_t> parse_pdf_date(std::string_view s) {
    if (s.starts_with("D:"))
        s.remove_prefix(2);
    if (s.size() < 4)
        return std::nullopt;
    int f[6] = {0, 1, 1, 0, 0, 0};
    const int widths[6] = {4, 2, 2, 2, 2, 2};
    std::size_t pos = 0;
    for (int i = 0; i < 6 && pos + static_cast<std::size_t>(widths[i]) <= s.size(); ++i) {
        int v = 0;
        const auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + widths[i], v);
        if (ec != std::errc{} || p != s.data() + pos + widths[i])
            break;
        f[i] = v;
        pos += static_cast<std::size_t>(widths[i]);
    }
    std::int64_t offset = 0;  // §7.9.4: O HH'mm
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-') && pos + 3 <= s.size()) {
        int hh = 0, mm = 0;
        std::from_chars(s.data() + pos + 1, s.data() + pos + 3, hh);
        if (pos + 6 <= s.size())
            std::from_chars(s.data() + pos + 4, s.data() + pos + 6, mm);
        offset = (s[pos] == '+' ? 1 : -1) * (hh * 3600 + mm * 60);
    }
    const std::chrono::year_month_day ymd{std::chrono::year{f[0]},
                                          std::chrono::month{static_cast<unsigned>(f[1])},
                                          std::chrono::day{static_cast<unsigned>(f[2])}};
    if (!ymd.ok())
        return std::nullopt;
    const auto t = std::chrono::sys_days{ymd} + std::chrono::hours{f[3]} +
                   std::chrono::minutes{f[4]} + std::chrono::seconds{f[5]};
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count() - offset;
}

std::string pdf_text_string(std::string_view utf8) {
    const bool ascii = std::all_of(utf8.begin(), utf8.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) {
        std::string out = "(";
        for (char c : utf8) {
            if (c == '(' || c == ')' || c == '\\')
                out += '\\';
            if (c == '\r' || c == '\n')
                c = ' ';
            out += c;
        }
        return out + ")";
    }
    // §7.9.2.2: UTF-16BE with the byte order mark, here as a hex string.
    std::string out = "<FEFF";
    char hex[8];
    for (std::size_t i = 0; i < utf8.size();) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        std::uint32_t cp = 0;
        int len = 1;
        if (b < 0x80)
            cp = b;
        else if ((b >> 5) == 0x6) {
            cp = b & 0x1F;
            len = 2;
        } else if ((b >> 4) == 0xE) {
            cp = b & 0x0F;
            len = 3;
        } else {
            cp = b & 0x07;
            len = 4;
        }
        for (int k = 1; k < len && i + static_cast<std::size_t>(k) < utf8.size(); ++k)
            cp = (cp << 6) |
                 (static_cast<unsigned char>(utf8[i + static_cast<std::size_t>(k)]) & 0x3F);
        i += static_cast<std::size_t>(len);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            std::snprintf(hex, sizeof hex, "%04X", 0xD800 + (cp >> 10));
            out += hex;
            cp = 0xDC00 + (cp & 0x3FF);
        }
        std::snprintf(hex, sizeof hex, "%04X", cp);
        out += hex;
    }
    return out + ">";
}

}  // namespace eseal::document::pdf
