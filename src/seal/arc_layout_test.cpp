#include "seal/arc_layout.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace eseal::seal::layout {
namespace {

TEST(ArcLayout, BoxesFollowTheArc) {
    const Arc upper{0, 0, 10, 10, ArcSide::upper};
    auto top = box_at(upper, 0, {2, 3});
    EXPECT_NEAR(top.cx, 0, 1e-12);
    EXPECT_NEAR(top.cy, -10, 1e-12);
    EXPECT_NEAR(top.angle, 0, 1e-12);
    auto right = box_at(upper, std::numbers::pi / 2, {2, 3});
    EXPECT_NEAR(right.cx, 10, 1e-12);
    EXPECT_NEAR(right.angle, std::numbers::pi / 2, 1e-12);  // its top points right, outwards
    const Arc lower{0, 0, 10, 10, ArcSide::lower};
    auto bottom_right = box_at(lower, 0.3, {2, 3});
    EXPECT_GT(bottom_right.cx, 0);
    EXPECT_GT(bottom_right.cy, 0);
    EXPECT_NEAR(bottom_right.angle, -0.3, 1e-12);  // bottom outwards: turned anticlockwise
}

TEST(ArcLayout, OverlapTest) {
    GlyphBox a{0, 0, 0, 2, 2};
    GlyphBox b{2.3, 0, 0, 2, 2};
    EXPECT_FALSE(overlap(a, b));
    EXPECT_TRUE(overlap(a, b, 0.4));  // closer than the gap
    b.angle = std::numbers::pi / 4;   // a diamond reaching left to 2.3 - 1.414
    EXPECT_TRUE(overlap(a, b));
}

TEST(ArcLayout, PlacedBoxesAreCentredAndClear) {
    const Arc arc{0, 0, 15, 15, ArcSide::upper};
    std::vector<BoxSize> sizes(12, {3, 5});
    auto boxes = place(sizes, arc, 0.2, std::numbers::pi * 1.5);
    ASSERT_TRUE(boxes);
    ASSERT_EQ(boxes->size(), 12u);
    for (std::size_t i = 0; i + 1 < boxes->size(); ++i) {
        EXPECT_FALSE(overlap((*boxes)[i], (*boxes)[i + 1], 0.2));
        EXPECT_TRUE(overlap((*boxes)[i], (*boxes)[i + 1], 0.3));  // and not much further apart
    }
    EXPECT_NEAR(boxes->front().cx, -boxes->back().cx, 1e-3);
    EXPECT_FALSE(place(sizes, arc, 0.2, 1.0));  // does not fit in one radian
}

TEST(ArcLayout, ShortRunsAreSpreadToTheTarget) {
    const Arc arc{0, 0, 15, 15, ArcSide::upper};
    std::vector<BoxSize> sizes(4, {3, 5});
    auto boxes = place_spread(sizes, arc, 0.2, 10.0, 2.0, 4.0);
    ASSERT_TRUE(boxes);
    EXPECT_NEAR(span_of(*boxes, arc), 2.0, 0.05);
}

TEST(ArcLayout, EllipseRunsDoNotOverlap) {
    const Arc arc{20, 15, 16, 11, ArcSide::upper};
    std::vector<BoxSize> sizes;
    for (int i = 0; i < 20; ++i) sizes.push_back({1.0 + (i % 3) * 0.4, 3});
    auto boxes = place(sizes, arc, 0.1, std::numbers::pi * 1.3);
    ASSERT_TRUE(boxes);
    for (std::size_t i = 0; i < boxes->size(); ++i)
        for (std::size_t j = i + 1; j < boxes->size(); ++j)
            EXPECT_FALSE(overlap((*boxes)[i], (*boxes)[j]));
}

}  // namespace
}  // namespace eseal::seal::layout
