// The picture for each kind of seal (seal_type.hpp), at the usual sizes: round 42 mm for the
// organization's seals, the oval 40 x 30 mm invoice seal, a 20 mm square name seal.
#include "seal/image.hpp"
#include "seal/text_checks.hpp"

namespace eseal::seal {

core::Result<SealImage> render_seal(const SealDesign& d) {
    const auto& kind = info(d.kind);
    std::vector<core::Problem> unused;
    if (kind.shape != SealShape::round && !d.code.empty())
        unused.push_back({"image.option_unused", "a seal code goes on round seals only", "code"});
    if (kind.shape != SealShape::oval && !d.taxpayer.empty())
        unused.push_back(
            {"image.option_unused", "a taxpayer number goes on the invoice seal only", "taxpayer"});
    if (auto ok = checks::verdict(std::move(unused)); !ok)
        return std::unexpected(ok.error());
    switch (kind.shape) {
        case SealShape::round: {
            RoundSealSpec spec;
            spec.name = d.name;
            spec.purpose = std::string(kind.purpose);
            spec.code = d.code;
            spec.dpi = d.dpi;
            return render_round_seal(spec);
        }
        case SealShape::oval: {
            OvalSealSpec spec;
            spec.name = d.name;
            spec.taxpayer_number = d.taxpayer;
            spec.purpose = std::string(kind.purpose);
            spec.dpi = d.dpi;
            return render_oval_seal(spec);
        }
        case SealShape::square: {
            SquareSealSpec spec;
            spec.name = d.name;
            spec.dpi = d.dpi;
            return render_square_seal(spec);
        }
    }
    return core::fail(core::Errc::internal, "image.shape", "unknown seal shape");
}

}  // namespace eseal::seal
