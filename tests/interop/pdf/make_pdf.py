#!/usr/bin/env python3
"""Writes a plain PDF 1.4 (classic xref table, no object streams) for the sealing tests: N A4
pages of text, optionally an incompressible image stream of a given size per page (to make big
files for bench/pdf_sign.sh without holding them in memory). ISO 32000-1 §7.5."""
import argparse
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=2)
    ap.add_argument("--image-mb", type=float, default=0, help="MB of random image data per page")
    ap.add_argument("--title", default="eseal test contract")
    ap.add_argument("--origin", default="0,0", help="X,Y points: the MediaBox's lower-left corner")
    ap.add_argument("--crop", type=float, default=0, help="points: a CropBox this far inside the MediaBox")
    a = ap.parse_args()

    f = open(a.out, "wb")
    offsets = {}

    def obj(num, body):
        offsets[num] = f.tell()
        f.write(b"%d 0 obj\n" % num)
        f.write(body)
        f.write(b"\nendobj\n")

    f.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    n_pages = a.pages
    # 1 catalog, 2 pages, 3 font, 4 info; page i: 5+3i page, 6+3i content, 7+3i image
    kids = " ".join("%d 0 R" % (5 + 3 * i) for i in range(n_pages))
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    ox, oy = (float(v) for v in a.origin.split(","))
    box = "/MediaBox [%g %g %g %g]" % (ox, oy, ox + 595.28, oy + 841.89)
    if a.crop:
        box += " /CropBox [%g %g %g %g]" % (ox + a.crop, oy + a.crop, ox + 595.28 - a.crop,
                                                    oy + 841.89 - a.crop)
    obj(2, ("<< /Type /Pages /Kids [%s] /Count %d %s >>" % (kids, n_pages, box)).encode())
    obj(3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    obj(4, ("<< /Producer (eseal make_pdf.py) /Title (%s) >>" % a.title).encode())
    side = 0
    if a.image_mb > 0:
        side = max(1, int((a.image_mb * 1024 * 1024 / 3) ** 0.5))
    for i in range(n_pages):
        p, c, im = 5 + 3 * i, 6 + 3 * i, 7 + 3 * i
        res = "/Font << /F1 3 0 R >>"
        draw = ""
        if side:
            res += " /XObject << /Im1 %d 0 R >>" % im
            draw = "q 400 0 0 300 100 100 cm /Im1 Do Q\n"
        obj(p, ("<< /Type /Page /Parent 2 0 R /Resources << %s >> /Contents %d 0 R >>" % (res, c)).encode())
        text = ("1 0 0 1 %.2f %.2f cm\n" % (ox, oy) if ox or oy else "").encode() + ("BT /F1 18 Tf 72 760 Td (%s - page %d of %d) Tj ET\n"
                "BT /F1 11 Tf 72 730 Td (Party A and Party B agree to the terms below.) Tj ET\n"
                "BT /F1 11 Tf 72 200 Td (Seal here:) Tj ET\n" % (a.title, i + 1, n_pages) + draw).encode()
        obj(c, b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream")
        if side:
            n = side * side * 3
            offsets[im] = f.tell()
            f.write(b"%d 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                    b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (im, side, side, n))
            left = n
            while left > 0:
                k = min(left, 1 << 20)
                f.write(os.urandom(k))
                left -= k
            f.write(b"\nendstream\nendobj\n")
        else:
            obj(im, b"null")
    size = 5 + 3 * n_pages
    xref = f.tell()
    f.write(b"xref\n0 %d\n0000000000 65535 f\r\n" % size)
    for num in range(1, size):
        f.write(b"%010d 00000 n\r\n" % offsets[num])
    f.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R /ID [<0123456789abcdef0123456789abcdef> "
            b"<0123456789abcdef0123456789abcdef>] >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    f.close()


if __name__ == "__main__":
    sys.exit(main())
