#pragma once
// Sealing a PDF: a PAdES baseline B-B (or B-T with a time stamper) signature with the seal's
// picture as its visible appearance, appended as an incremental update (ISO 32000-1 §7.5.6) so the
// original bytes, and any earlier signature over them, stay as they were.
//
// The update holds: the image and its soft mask, the appearance form XObject, the signature
// dictionary (§12.8.1, /SubFilter /ETSI.CAdES.detached per ETSI EN 319 142-1 §5.3), a merged
// signature field and widget (/F 132: print + locked), the page with the widget added to /Annots,
// an indirect /AcroForm with /SigFlags 3 (and the catalog if the AcroForm was absent or direct),
// and a cross-reference section in the style of the original (table, or stream §7.5.8).
//
// Memory stays bounded: the original is copied to the output and hashed in one streaming pass;
// only the update itself (a few hundred KB with the picture) is held in memory. The output is
// written to a temporary file beside OUT and renamed over it when complete: on any error there is
// no output file.
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/signer.hpp"
#include "document/pdf/cms.hpp"

namespace eseal::document::pdf {

struct SealPicture {
    core::ByteView png;
    double width_mm = 0;
    double height_mm = 0;
};

// single: the whole seal on one page. riding (骑缝章): the seal cut into as many vertical strips
// as there are pages, strip i at the right edge of page i, so that the pages' edges, fanned out,
// show the whole seal; one signature, one field with a widget per page.
enum class Layout { single, riding };

struct Placement {
    int page = 1;  // 1-based (single)
    // The seal's centre from the top-left corner of the page as displayed (its CropBox turned by
    // /Rotate): x rightwards (single), y downwards (riding: 0 = the page's middle; riding needs
    // unrotated pages).
    double x_mm = 0;
    double y_mm = 0;
    Layout layout = Layout::single;
};

struct SignRequest {
    std::filesystem::path input;
    std::filesystem::path output;
    SealPicture picture;
    Placement placement;
    core::ByteView signer_certificate;  // DER; its key is the signer's
    std::vector<core::Bytes> chain;  // CA certificates to carry in the CMS (RFC 5652 certificates)
    core::TimePoint signing_time{};  // goes into /M (PAdES: not into the CMS)
    std::string reason;              // optional /Reason
    std::string location;            // optional /Location
    const TimeStamper* time_stamper = nullptr;  // B-T when set
    std::size_t time_stamp_reserve = 0;         // bytes of /Contents kept for the token
};

struct SignResult {
    std::string field_name;
    std::array<std::uint64_t, 4> byte_range{};
    std::uint64_t output_size = 0;
    std::size_t cms_size = 0;
    std::size_t contents_capacity = 0;  // bytes the /Contents placeholder holds
    bool xref_stream = false;
};

// Errors: those of open_pdf; invalid_input "pdf.page" (no such page), "pdf.placement" (the seal
// would be off the page); unsupported "pdf.page_rotated"; io "pdf.write"; the signer's and the
// time stamper's own; internal "pdf.contents_too_small" if the CMS outgrew its placeholder.
[[nodiscard]] core::Result<SignResult> sign_pdf(const SignRequest& request,
                                                const crypto::Signer& signer);

}  // namespace eseal::document::pdf
