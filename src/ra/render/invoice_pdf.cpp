#include "ra/render/invoice_pdf.hpp"

#include <cairo-pdf.h>

#include <cstdio>
#include <vector>

#include "core/working_days.hpp"
#include "ra/applications.hpp"
#include "ra/invoices.hpp"
#include "ra/render/cairo_handles.hpp"
#include "ra/render/outline_fonts.hpp"
#include "ra/render/text_box.hpp"

namespace eseal::ra {
namespace {

constexpr double kWidth = 595.0;  // A5 landscape, points
constexpr double kHeight = 420.0;
constexpr double kMargin = 36.0;
constexpr const char* kFamily = "Noto Sans CJK SC";

struct Placed {
    render::TextBox box;
    double x;
    double y;
};

}  // namespace

std::string invoice_number_text(std::int64_t number) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%08lld", static_cast<long long>(number));
    return buf;
}

core::Result<core::Bytes> render_invoice(const Invoice& inv, const std::string& seller, const std::string& seller_credit_code) {
    render::OutlineFonts fonts;  // outlives the surface: cairo draws the glyphs when it finishes
    core::Bytes pdf;
    render::SurfacePtr surface(cairo_pdf_surface_create_for_stream(render::append_to_bytes, &pdf, kWidth, kHeight));
    if (auto ok = render::check_cairo(cairo_surface_status(surface.get()), "pdf surface"); !ok)
        return std::unexpected(ok.error());
    const std::string number = invoice_number_text(inv.number);
    const std::string created = core::format_utc(inv.issued_at);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, ("电子发票 " + number).c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR, seller.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "eseal");
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
    {
        render::CairoPtr cr(cairo_create(surface.get()));
        const render::PangoContextPtr ctx = render::make_text_context(cr.get());
        const render::Font title{kFamily, 18, PANGO_WEIGHT_BOLD};
        const render::Font body{kFamily, 10};
        const render::Font bold{kFamily, 10, PANGO_WEIGHT_BOLD};
        const double inner = kWidth - 2 * kMargin;
        const auto date = core::china_date(inv.issued_at);
        char date_text[40];
        std::snprintf(date_text, sizeof date_text, "%04d年%02u月%02u日", static_cast<int>(date.year()),
                      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
        std::vector<Placed> texts;
        double y = kMargin;
        texts.push_back({render::TextBox(ctx.get(), "电子发票（普通发票）", title, inner, render::Align::center), kMargin, y});
        y += texts.back().box.height() + 10;
        texts.push_back({render::TextBox(ctx.get(), "发票号码：" + number + "　　开票日期：" + date_text, body, inner), kMargin, y});
        y += texts.back().box.height() + 8;
        texts.push_back({render::TextBox(ctx.get(), "购买方　名称：" + inv.buyer + "　统一社会信用代码：" + inv.buyer_credit_code, body, inner),
                         kMargin, y});
        y += texts.back().box.height() + 4;
        texts.push_back({render::TextBox(ctx.get(), "销售方　名称：" + seller + "　统一社会信用代码：" + seller_credit_code, body, inner),
                         kMargin, y});
        y += texts.back().box.height() + 14;
        const double columns[] = {kMargin, kMargin + 230, kMargin + 280, kMargin + 360, kMargin + 420};
        const double widths[] = {225, 45, 75, 55, inner - 420};
        const char* heads[] = {"项目名称", "数量", "金额（不含税）", "税率", "税额"};
        for (int i = 0; i < 5; ++i) texts.push_back({render::TextBox(ctx.get(), heads[i], bold, widths[i]), columns[i], y});
        const double table_top = y - 4;
        y += texts.back().box.height() + 6;
        char rate[32];
        std::snprintf(rate, sizeof rate, "%lld%%", static_cast<long long>(inv.tax_rate_permille / 10));
        for (const auto& line : inv.lines) {
            const auto tax = tax_included(line.amount_fen, inv.tax_rate_permille);
            const std::string cells[] = {line.item, std::to_string(line.quantity), yuan(line.amount_fen - tax), rate, yuan(tax)};
            double tallest = 0;
            for (int i = 0; i < 5; ++i) {
                texts.push_back({render::TextBox(ctx.get(), cells[i], body, widths[i]), columns[i], y});
                tallest = std::max(tallest, texts.back().box.height());
            }
            y += tallest + 4;
        }
        const double table_bottom = y + 2;
        y += 12;
        texts.push_back({render::TextBox(ctx.get(), "合计金额：¥" + yuan(inv.amount_fen - inv.tax_fen) + "　　合计税额：¥" + yuan(inv.tax_fen),
                                         body, inner),
                         kMargin, y});
        y += texts.back().box.height() + 4;
        texts.push_back({render::TextBox(ctx.get(), "价税合计（小写）：¥" + yuan(inv.amount_fen), bold, inner), kMargin, y});
        y += texts.back().box.height() + 12;
        texts.push_back({render::TextBox(ctx.get(), "备注：申请编号 " + inv.application_id + "　订单号 " + inv.order_no, body, inner),
                         kMargin, y});
        int missing = 0;
        for (const auto& t : texts) missing += t.box.unknown_glyphs();
        if (missing > 0)
            return core::fail(core::Errc::unsupported, "invoice.glyph_missing",
                              std::to_string(missing) + " characters cannot be printed with the installed fonts");
        cairo_set_source_rgb(cr.get(), 1, 1, 1);
        cairo_paint(cr.get());
        cairo_set_source_rgb(cr.get(), 0.55, 0.25, 0.1);  // the brownish frame of Chinese invoices
        cairo_set_line_width(cr.get(), 0.8);
        cairo_rectangle(cr.get(), kMargin - 6, table_top, inner + 12, table_bottom - table_top);
        cairo_stroke(cr.get());
        cairo_set_source_rgb(cr.get(), 0, 0, 0);
        for (const auto& t : texts) t.box.draw(cr.get(), fonts, t.x, t.y);
        cairo_show_page(cr.get());
        if (auto ok = render::check_cairo(cairo_status(cr.get()), "invoice drawing"); !ok) return std::unexpected(ok.error());
    }
    cairo_surface_finish(surface.get());
    if (auto ok = render::check_cairo(cairo_surface_status(surface.get()), "pdf output"); !ok) return std::unexpected(ok.error());
    return pdf;
}

}  // namespace eseal::ra
