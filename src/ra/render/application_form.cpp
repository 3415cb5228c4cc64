#include "ra/render/application_form.hpp"

#include <cairo-pdf.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "ra/render/cairo_handles.hpp"
#include "ra/render/form_model.hpp"
#include "ra/render/outline_fonts.hpp"
#include "ra/render/qr.hpp"
#include "ra/render/text_box.hpp"

namespace eseal::ra {
namespace {

using render::Align;
using render::Font;
using render::TextBox;

// ISO 216 A4 (210 × 297 mm) in PDF points, 15 mm margins.
constexpr double kPageWidth = 595.2756;
constexpr double kPageHeight = 841.8898;
constexpr double kMargin = 42.52;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;

constexpr double kPad = 3.5;
constexpr double kMinRow = 21;
constexpr double kLabel = 90;  // label column, the same in full and half rows so they line up
constexpr double kQrSide = 72;
// Room for an official seal: a 42 mm circle (the usual size of a company seal) is 119 pt.
constexpr double kSignatureHeight = 130;
constexpr double kLine = 0.6;
constexpr double kLabelGrey = 0.94;
constexpr double kSectionGrey = 0.85;

constexpr const char* kSans = "Noto Sans CJK SC";
constexpr const char* kSerif = "Noto Serif CJK SC";
const Font kBody{kSans, 10};
const Font kSection{kSans, 10.5, PANGO_WEIGHT_BOLD};
const Font kHeader{kSans, 9};
const Font kSmall{kSans, 8};
const Font kTitle{kSerif, 20, PANGO_WEIGHT_BOLD};
const Font kSubtitle{kSerif, 12};

// A rectangle on the page: a cell's background, its border, or both.
struct Frame {
    double x, y, w, h;
    double fill;  // grey level 0..1; negative: none
    bool outline;
};

// A laid-out text and where its top-left corner goes.
struct PlacedText {
    TextBox text;
    double x, y;
    double grey;
    std::string source;  // where the text comes from, for errors
};

// The layout pass: places every frame and text and measures how far down the page the content
// goes. Nothing is drawn until everything fits, so a form that would overflow is an error, not a
// clipped page.
class PageLayout {
  public:
    explicit PageLayout(PangoContext* context) : m_context(context) {}

    // A text with its top-left corner at (x, y), `w` wide; returns its height.
    double text(std::string_view s, const Font& font, double x, double y, double w,
                std::string source, Align align = Align::left, double grey = 0) {
        TextBox t(m_context, s, font, w, align);
        const double h = t.height();
        m_texts.push_back({std::move(t), x, y, grey, std::move(source)});
        return h;
    }

    // Like text(), but with the text's bottom at `bottom`; returns where its top is.
    double text_above(std::string_view s, const Font& font, double x, double bottom, double w,
                      std::string source, Align align = Align::left, double grey = 0) {
        TextBox t(m_context, s, font, w, align);
        const double top = bottom - t.height();
        m_texts.push_back({std::move(t), x, top, grey, std::move(source)});
        return top;
    }

    void frame(double x, double y, double w, double h, double fill, bool outline) {
        m_frames.push_back({x, y, w, h, fill, outline});
    }

    // The cells of one row; the tallest text sets the row's height and every text is centred
    // in its cell.
    double row(const render::FormRow& r, double y) {
        const double column = kContentWidth / static_cast<double>(r.fields.size());
        const double label_w = kLabel;
        struct Cell {
            double x, w, fill;
            TextBox text;
            std::string source;
        };
        std::vector<Cell> cells;
        for (std::size_t i = 0; i < r.fields.size(); ++i) {
            const render::FormField& f = r.fields[i];
            const double x = kMargin + static_cast<double>(i) * column;
            cells.push_back({x, label_w, kLabelGrey,
                             TextBox(m_context, f.label, kBody, label_w - 2 * kPad), "label"});
            cells.push_back({x + label_w, column - label_w, -1,
                             TextBox(m_context, f.value, kBody, column - label_w - 2 * kPad),
                             f.source});
        }
        double h = kMinRow;
        for (const Cell& c : cells) h = std::max(h, c.text.height() + 2 * kPad);
        for (Cell& c : cells) {
            m_frames.push_back({c.x, y, c.w, h, c.fill, true});
            const double top = y + (h - c.text.height()) / 2;
            m_texts.push_back({std::move(c.text), c.x + kPad, top, 0, std::move(c.source)});
        }
        return h;
    }

    // A shaded title bar across the table, then the section's rows; returns the height.
    double section(const render::FormSection& s, double y) {
        TextBox title(m_context, s.title, kSection, kContentWidth - 2 * kPad);
        const double h = std::max(kMinRow - 3, title.height() + 2 * kPad);
        m_frames.push_back({kMargin, y, kContentWidth, h, kSectionGrey, true});
        const double top = y + (h - title.height()) / 2;
        m_texts.push_back({std::move(title), kMargin + kPad, top, 0, "label"});
        double bottom = y + h;
        for (const render::FormRow& r : s.rows) bottom += row(r, bottom);
        return bottom - y;
    }

    // A bordered box whose text, with padding, sets its height.
    double paragraph(std::string_view s, double y, std::string source) {
        TextBox t(m_context, s, kBody, kContentWidth - 4 * kPad);
        const double h = t.height() + 4 * kPad;
        m_frames.push_back({kMargin, y, kContentWidth, h, -1, true});
        m_texts.push_back({std::move(t), kMargin + 2 * kPad, y + 2 * kPad, 0, std::move(source)});
        return h;
    }

    [[nodiscard]] std::vector<core::Problem> missing_glyphs() const {
        std::vector<core::Problem> problems;
        for (const PlacedText& t : m_texts)
            if (t.text.unknown_glyphs() > 0)
                problems.push_back(
                    {"form.glyph_missing", "字体中没有其中某些字符的字形", t.source});
        return problems;
    }

    // Backgrounds and borders first, texts on top.
    void paint(cairo_t* cr, render::OutlineFonts& fonts) const {
        cairo_set_line_width(cr, kLine);
        for (const Frame& f : m_frames) {
            if (f.fill >= 0) {
                cairo_set_source_rgb(cr, f.fill, f.fill, f.fill);
                cairo_rectangle(cr, f.x, f.y, f.w, f.h);
                cairo_fill(cr);
            }
            if (f.outline) {
                cairo_set_source_rgb(cr, 0, 0, 0);
                cairo_rectangle(cr, f.x, f.y, f.w, f.h);
                cairo_stroke(cr);
            }
        }
        for (const PlacedText& t : m_texts) {
            cairo_set_source_rgb(cr, t.grey, t.grey, t.grey);
            t.text.draw(cr, fonts, t.x, t.y);
        }
    }

  private:
    PangoContext* m_context;
    std::vector<Frame> m_frames;
    std::vector<PlacedText> m_texts;
};

// Lays out the whole page. The content must end above the footer.
struct Extent {
    double content_bottom;
    double footer_top;
};

Extent lay_out(PageLayout& page, const render::FormModel& m) {
    const double qr_x = kPageWidth - kMargin - kQrSide;
    const double header_w = qr_x - kMargin - 120;  // clear of the centred title
    double y = kMargin;
    y += page.text(m.ca_name, kHeader, kMargin, y, header_w, "context.ca_name", Align::left, 0.3);
    page.text(m.product_name, kHeader, kMargin, y, header_w, "context.product_name", Align::left,
              0.3);
    const double caption_y = kMargin + kQrSide + 2;
    const double caption_h = page.text("扫码识别申请编号", kSmall, qr_x, caption_y, kQrSide,
                                       "label", Align::center, 0.3);

    y = kMargin + 24;
    y += page.text(m.title, kTitle, kMargin, y, kContentWidth, "label", Align::center);
    y += page.text(m.subtitle, kSubtitle, kMargin, y, kContentWidth, "label", Align::center);
    y = std::max(y, caption_y + caption_h) + 10;

    for (const render::FormSection& s : m.sections) y += page.section(s, y);
    y += 6;
    y += page.paragraph(m.declaration, y, "declaration");
    y += 6;

    // The official seal on the left; the handler's signature and the date on the right.
    const double half = kContentWidth / 2;
    page.frame(kMargin, y, half, kSignatureHeight, -1, true);
    page.frame(kMargin + half, y, half, kSignatureHeight, -1, true);
    page.text(m.seal_box + "：", kBody, kMargin + kPad, y + kPad, half - 2 * kPad, "label");
    page.text(m.signature_box + "：", kBody, kMargin + half + kPad, y + kPad, half - 2 * kPad,
              "label");
    page.text_above(m.date_line, kBody, kMargin + half + kPad, y + kSignatureHeight - 2 * kPad,
                    half - 2 * kPad, "label");
    y += kSignatureHeight;

    const double footer_top = page.text_above(m.footer, kSmall, kMargin, kPageHeight - kMargin,
                                              kContentWidth, "footer", Align::left, 0.35);
    page.frame(kMargin, footer_top - 4, kContentWidth, 0.4, 0.5, false);
    return {y, footer_top - 4};
}

core::Result<void> check_text(std::vector<core::Problem> problems, core::Errc kind,
                              std::string code, std::string message) {
    if (problems.empty())
        return {};
    return core::fail(kind, std::move(code), std::move(message), std::move(problems));
}

}  // namespace

core::Result<core::Bytes> render_application_form(const Application& application,
                                                  const FormContext& context) {
    if (auto ok =
            check_text(render::check_form_input(application, context), core::Errc::invalid_input,
                       "form.invalid", "the application form cannot be generated from this input");
        !ok)
        return std::unexpected(std::move(ok.error()));
    const render::FormModel model = render::build_form_model(application, context);
    auto qr = encode_qr(application.id);
    if (!qr)
        return std::unexpected(std::move(qr.error()));

    // Declared before the surface so that its fonts plainly outlive it: cairo draws their glyphs
    // when the surface is finished.
    render::OutlineFonts fonts;
    core::Bytes pdf;
    render::SurfacePtr surface(cairo_pdf_surface_create_for_stream(render::append_to_bytes, &pdf,
                                                                   kPageWidth, kPageHeight));
    if (auto ok = render::check_cairo(cairo_surface_status(surface.get()), "pdf surface"); !ok)
        return std::unexpected(std::move(ok.error()));
    // A fixed creation date (the generation time) makes the same input give the same bytes.
    const std::string created = core::format_utc(context.generated_at);
    const std::string title = model.title + " " + application.id;
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR,
                                   context.ca_name.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "eseal");
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
    {
        render::CairoPtr cr(cairo_create(surface.get()));
        const render::PangoContextPtr text_context = render::make_text_context(cr.get());
        PageLayout page(text_context.get());
        const Extent extent = lay_out(page, model);
        if (extent.content_bottom > extent.footer_top)
            return core::fail(core::Errc::invalid_input, "form.too_long",
                              "the application does not fit on one A4 page; shorten the longest "
                              "entries (address, remarks, names)");
        if (auto ok =
                check_text(page.missing_glyphs(), core::Errc::unsupported, "form.glyph_missing",
                           "some characters cannot be printed with the installed fonts");
            !ok)
            return std::unexpected(std::move(ok.error()));

        cairo_set_source_rgb(cr.get(), 1, 1, 1);
        cairo_paint(cr.get());
        page.paint(cr.get(), fonts);
        draw_qr(cr.get(), *qr, kPageWidth - kMargin - kQrSide, kMargin, kQrSide);
        cairo_show_page(cr.get());
        if (auto ok = render::check_cairo(cairo_status(cr.get()), "form drawing"); !ok)
            return std::unexpected(std::move(ok.error()));
    }
    cairo_surface_finish(surface.get());
    if (auto ok = render::check_cairo(cairo_surface_status(surface.get()), "pdf output"); !ok)
        return std::unexpected(std::move(ok.error()));
    return pdf;
}

}  // namespace eseal::ra
