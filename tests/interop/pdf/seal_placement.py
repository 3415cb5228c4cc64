#!/usr/bin/env python3
"""Judges where and which way up a seal shows on a page rendered by pdftoppm (binary PPM, the page
as displayed, /Rotate applied): the box of the seal-red (#E60012) pixels must be centred on the
expected point, and the red shape must match the reference rendering (the same seal on an
unrotated page) as it is, better than turned by 90, 180 or 270 degrees: the seal is upright.
Usage: seal_placement.py PAGE.ppm REFERENCE.ppm X_PX Y_PX
Prints "centre X,Y", "match upright/turned" figures and the verdicts "placed" and "upright"."""
import sys


def read_ppm(path):
    d = open(path, "rb").read()
    parts = d.split(maxsplit=4)
    assert parts[0] == b"P6", "not a binary PPM"
    return int(parts[1]), int(parts[2]), parts[4]


def red_mask(path):
    w, h, px = read_ppm(path)
    pts = set()
    for y in range(h):
        row = px[3 * y * w:3 * (y + 1) * w]
        for x in range(w):
            r, g, b = row[3 * x], row[3 * x + 1], row[3 * x + 2]
            if r > 180 and g < 90 and b < 90:
                pts.add((x, y))
    return pts


def normalise(pts):
    """The points relative to their box, and the box's size."""
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, y0 = min(xs), min(ys)
    return {(x - x0, y - y0) for x, y in pts}, max(xs) - x0, max(ys) - y0


def turned(pts, quarters):
    for _ in range(quarters):
        pts = {(-y, x) for x, y in pts}
    return normalise(pts)[0]


def iou(a, b):
    # Tolerate a pixel of rasterisation difference: dilate each by one.
    def dilate(s):
        return {(x + dx, y + dy) for x, y in s for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
    return (len(a & dilate(b)) + len(b & dilate(a))) / (len(a) + len(b))


def main():
    page, ref, ex, ey = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    pts = red_mask(page)
    if len(pts) < 100:
        print("no seal")
        return 0
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    print("centre %.0f,%.0f (expected %.0f,%.0f)" % (cx, cy, ex, ey))
    if abs(cx - ex) <= 4 and abs(cy - ey) <= 4:
        print("placed")
    seal = normalise(pts)[0]
    reference = normalise(red_mask(ref))[0]
    upright = iou(seal, reference)
    others = [iou(seal, turned(reference, q)) for q in (1, 2, 3)]
    print("match upright %.3f, turned %s" % (upright, " ".join("%.3f" % o for o in others)))
    if upright > 0.9 and upright > max(others) + 0.05:
        print("upright")
    return 0


if __name__ == "__main__":
    sys.exit(main())
