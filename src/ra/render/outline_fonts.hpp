#pragma once
// Draws pango layouts through cairo user fonts that paint each glyph's outline, so that a PDF
// carries its text as Type 3 fonts (still real text: cairo writes a ToUnicode map from the text
// clusters we pass) instead of cairo's subsets of the OpenType fonts.
//
// Why: cairo 1.16 (Debian 12) subsets CID-keyed CFF fonts such as Noto Sans CJK wrongly. Its
// charstring scanner does not clear its operand count on path operators, so when a glyph's first
// hintmask comes after path operators it skips the wrong number of mask bytes, misses the local
// subroutines called after it, and writes them out as bare `return`s. The glyph then prints blank
// (poppler) or as a box (Ghostscript) while text extraction still finds it. "如" alone is one such
// glyph (local subroutine 26920 of the Ideographs font dict). Fixed in later cairo releases;
// this avoids the subsetter until the platform moves on.
#include <map>

#include "ra/render/cairo_handles.hpp"

namespace eseal::ra::render {

using FontFacePtr = std::unique_ptr<cairo_font_face_t, Free<cairo_font_face_destroy>>;

// One per document: it keeps one user font face per underlying font face, so each font becomes
// one Type 3 font in the PDF.
class OutlineFonts {
  public:
    OutlineFonts() = default;
    OutlineFonts(const OutlineFonts&) = delete;
    OutlineFonts& operator=(const OutlineFonts&) = delete;

    // Like pango_cairo_show_layout with the layout's top-left corner at (x, y), in the current
    // source colour.
    void show_layout(cairo_t* cr, PangoLayout* layout, double x, double y);

  private:
    cairo_font_face_t* outline_face(cairo_font_face_t* inner);

    std::map<cairo_font_face_t*, FontFacePtr> m_faces;  // key: the underlying (pango's) face
};

}  // namespace eseal::ra::render
