// The legal representative's name seal (法定代表人名章): a square frame, the name and 印 in
// columns read from right to left, top to bottom, as seal script is; each character stretched to
// its cell. 2 characters + 印: the name in the right column, 印 alone filling the left one.
#include "seal/canvas.hpp"
#include "seal/glyphs.hpp"
#include "seal/image.hpp"
#include "seal/text_checks.hpp"

namespace eseal::seal {

core::Result<SealImage> render_square_seal(const SquareSealSpec& spec) {
    std::vector<core::Problem> problems;
    checks::name(spec.name, 2, 4, problems);
    if (spec.size_mm < 10 || spec.size_mm > 40)
        problems.push_back({"image.size", "a square seal is 10 to 40 mm", "size"});
    if (auto ok = checks::verdict(std::move(problems)); !ok)
        return std::unexpected(ok.error());

    const auto chars = glyphs::measure_all(spec.name + "印", glyphs::Face::serif_bold);
    const double s = spec.size_mm, k = s / 20.0;
    const double border = 1.0 * k;
    const double frame = 0.1 * k + border / 2;  // centre line of the frame
    const double inner = s - 2 * (0.1 * k + border) - 2 * 0.7 * k;
    const double origin = (s - inner) / 2;
    const std::size_t columns = (chars.size() + 1) / 2;
    const double col_w = inner / static_cast<double>(columns);
    const double fill = 0.92;

    std::vector<GlyphBox> boxes;
    for (std::size_t i = 0; i < chars.size(); ++i) {
        const std::size_t col = i / 2, row = i % 2;
        const bool alone =
            col == columns - 1 && chars.size() % 2 == 1;  // an odd last character fills its column
        const double cell_h = alone ? inner : inner / 2;
        const double x = origin + inner - (static_cast<double>(col) + 0.5) * col_w;
        const double y = origin + (alone ? inner / 2 : (static_cast<double>(row) + 0.5) * cell_h);
        boxes.push_back({x, y, 0, col_w * fill, cell_h * fill});
    }
    auto image = canvas::paint(s, s, spec.dpi, [&](cairo_t* cr) {
        canvas::use_seal_red(cr);
        cairo_set_line_width(cr, border);
        cairo_rectangle(cr, frame, frame, s - 2 * frame, s - 2 * frame);
        cairo_stroke(cr);
        for (std::size_t i = 0; i < chars.size(); ++i) glyphs::draw_filling(cr, chars[i], boxes[i]);
    });
    if (!image)
        return image;
    image->glyphs = std::move(boxes);
    return image;
}

}  // namespace eseal::seal
