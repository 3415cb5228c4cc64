#include "document/pdf/pdf_sign.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <set>

#include "crypto/digest.hpp"
#include "document/pdf/pdf_file.hpp"
#include "document/pdf/pdf_update.hpp"
#include "document/pdf/seal_image.hpp"

namespace eseal::document::pdf {
namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr std::size_t kCopyChunk = 1 << 20;
constexpr std::size_t kByteRangeWidth = 12;  // digits per offset: files up to 1 TB (pyHanko#336)

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

core::Error write_error(const std::filesystem::path& p, const char* what) {
    return core::Error{
        core::Errc::io, "pdf.write", p.string() + ": " + what + ": " + std::strerror(errno), {}};
}

// A temporary file beside the output, removed unless committed (renamed over the output).
class TempOutput {
  public:
    explicit TempOutput(std::filesystem::path target) : m_target(std::move(target)) {}
    ~TempOutput() {
        if (m_fd >= 0)
            ::close(m_fd);
        if (!m_path.empty())
            ::unlink(m_path.c_str());
    }
    TempOutput(const TempOutput&) = delete;
    TempOutput& operator=(const TempOutput&) = delete;

    core::Result<void> open() {
        std::string templ = m_target.string() + ".tmp-XXXXXX";
        m_fd = ::mkstemp(templ.data());
        if (m_fd < 0)
            return std::unexpected(
                write_error(m_target, "cannot create a temporary file beside it"));
        m_path = templ;
        ::fchmod(m_fd, 0644);
        return {};
    }
    core::Result<void> write(const void* data, std::size_t n) {
        const char* p = static_cast<const char*>(data);
        while (n > 0) {
            const ssize_t w = ::write(m_fd, p, n);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                return std::unexpected(write_error(m_target, "write failed"));
            }
            p += w;
            n -= static_cast<std::size_t>(w);
            m_written += static_cast<std::uint64_t>(w);
        }
        // Start writeback as we go (asynchronously), so that the fsync before the rename finds
        // little left to flush instead of the whole file.
        if (m_written - m_flushed >= kWritebackChunk) {
            ::sync_file_range(m_fd, static_cast<off_t>(m_flushed),
                              static_cast<off_t>(m_written - m_flushed), SYNC_FILE_RANGE_WRITE);
            m_flushed = m_written;
        }
        return {};
    }
    core::Result<void> commit() {
        if (::fsync(m_fd) != 0)
            return std::unexpected(write_error(m_target, "fsync failed"));
        if (::close(m_fd) != 0) {
            m_fd = -1;
            return std::unexpected(write_error(m_target, "close failed"));
        }
        m_fd = -1;
        if (::rename(m_path.c_str(), m_target.c_str()) != 0)
            return std::unexpected(write_error(m_target, "rename failed"));
        m_path.clear();
        return {};
    }

  private:
    std::filesystem::path m_target;
    static constexpr std::uint64_t kWritebackChunk = 8 << 20;
    std::string m_path;
    int m_fd = -1;
    std::uint64_t m_written = 0;
    std::uint64_t m_flushed = 0;
};

}  // namespace

core::Result<SignResult> sign_pdf(const SignRequest& request, const crypto::Signer& signer) {
    if (request.picture.width_mm <= 0 || request.picture.height_mm <= 0)
        return core::fail(core::Errc::invalid_input, "seal.picture",
                          "the seal's picture has no size in mm");
    auto image = pdf_image_from_png(request.picture.png);
    if (!image)
        return std::unexpected(image.error());

    auto opened = open_pdf(request.input);
    if (!opened)
        return std::unexpected(opened.error());
    QPDF& q = *opened->qpdf;
    const PdfTail& tail = opened->tail;

    UpdateWriter update(q, tail);
    auto prepared = update.prepare();
    if (!prepared)
        return std::unexpected(prepared.error());

    const double w = request.picture.width_mm * kPointsPerMm;
    const double h = request.picture.height_mm * kPointsPerMm;
    // Where the widgets go: one rectangle per page used, and the strip of the picture it shows.
    struct Spot {
        PageRef page;
        std::array<double, 4> rect;
        double shift;    // points of the picture left of this strip
        int rotate = 0;  // the page's /Rotate, which the appearance turns back
    };
    std::vector<Spot> spots;
    if (request.placement.layout == Layout::single) {
        auto page = update.page(request.placement.page);
        if (!page)
            return std::unexpected(page.error());
        // --at is from the top-left of the page as displayed: the CropBox turned clockwise by
        // /Rotate (ISO 32000-1 §7.7.3.3). In default user space that corner is (x0,y1), (x0,y0),
        // (x1,y0), (x1,y1) for 0, 90, 180, 270, and rightwards / downwards on the screen run
        // along +x/-y, +y/+x, -x/+y, -y/-x.
        const auto [x0, y0, x1, y1] = page->box;
        const double dx = request.placement.x_mm * kPointsPerMm;
        const double dy = request.placement.y_mm * kPointsPerMm;
        const int rot = page->rotate;
        const double cx = rot == 0 ? x0 + dx : rot == 90 ? x0 + dy : rot == 180 ? x1 - dx : x1 - dy;
        const double cy = rot == 0 ? y1 - dy : rot == 90 ? y0 + dx : rot == 180 ? y0 + dy : y1 - dx;
        const bool sideways = rot == 90 || rot == 270;
        const double rw = sideways ? h : w, rh = sideways ? w : h;
        const std::array<double, 4> rect{cx - rw / 2, cy - rh / 2, cx + rw / 2, cy + rh / 2};
        const double shown_w = (sideways ? y1 - y0 : x1 - x0) / kPointsPerMm;
        const double shown_h = (sideways ? x1 - x0 : y1 - y0) / kPointsPerMm;
        if (rect[0] < x0 - 0.01 || rect[1] < y0 - 0.01 || rect[2] > x1 + 0.01 ||
            rect[3] > y1 + 0.01)
            return core::fail(core::Errc::invalid_input, "pdf.placement",
                              "a " + num(request.picture.width_mm) + " x " +
                                  num(request.picture.height_mm) + " mm seal centred at " +
                                  num(request.placement.x_mm) + "," + num(request.placement.y_mm) +
                                  " mm would leave page " + std::to_string(request.placement.page) +
                                  " (" + num(shown_w) + " x " + num(shown_h) + " mm as shown)");
        spots.push_back({*page, rect, 0, rot});
    } else {
        const int n = update.page_count();
        if (n < 2)
            return core::fail(
                core::Errc::invalid_input, "pdf.riding_one_page",
                "a riding seal spans the edges of two or more pages; this document has one");
        const double strip = w / n;
        for (int i = 1; i <= n; ++i) {
            auto page = update.page(i);
            if (!page)
                return std::unexpected(page.error());
            if (page->rotate != 0)
                return core::fail(core::Errc::unsupported, "pdf.page_rotated",
                                  "page " + std::to_string(i) + " is rotated (/Rotate " +
                                      std::to_string(page->rotate) +
                                      "): a riding seal needs every page unrotated");
            const double cy = request.placement.y_mm > 0
                                  ? page->box[3] - request.placement.y_mm * kPointsPerMm
                                  : (page->box[1] + page->box[3]) / 2;
            if (cy - h / 2 < page->box[1] - 0.01 || cy + h / 2 > page->box[3] + 0.01)
                return core::fail(core::Errc::invalid_input, "pdf.placement",
                                  "the riding seal (" + num(request.picture.height_mm) +
                                      " mm high) centred " + num(request.placement.y_mm) +
                                      " mm from the top would leave page " + std::to_string(i));
            spots.push_back({*page,
                             {page->box[2] - strip, cy - h / 2, page->box[2], cy + h / 2},
                             strip * (i - 1)});
        }
    }

    // The size of /Contents, by a dry run of the CMS with a signature of the largest size.
    const core::Bytes dummy_digest(32, 0);
    const CmsInput cms_in{request.signer_certificate, request.chain, dummy_digest};
    auto bound =
        signed_data_size_bound(cms_in, signer.algorithm(),
                               request.time_stamper != nullptr ? request.time_stamp_reserve : 0);
    if (!bound)
        return std::unexpected(bound.error());
    const std::size_t capacity = *bound + 64;

    // The objects of the update (numbers from the trailer's /Size on).
    const int smask = update.new_object();
    const int img = update.new_object();
    const int sig = update.new_object();
    std::vector<int> forms, widgets;
    for (std::size_t i = 0; i < spots.size(); ++i) {
        forms.push_back(update.new_object());
        widgets.push_back(update.new_object());
    }
    const int field = widgets[0];

    update.add_stream(smask,
                      "/Type /XObject /Subtype /Image /Width " + std::to_string(image->width) +
                          " /Height " + std::to_string(image->height) +
                          " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                      image->alpha_flate);
    update.add_stream(
        img,
        "/Type /XObject /Subtype /Image /Width " + std::to_string(image->width) + " /Height " +
            std::to_string(image->height) +
            " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /SMask " +
            std::to_string(smask) + " 0 R",
        image->rgb_flate);
    // ISO 32000-1 §12.5.5 / §8.10: each appearance draws the whole image, shifted left by the
    // strip's offset; the form's /BBox clips it to the strip (all of it for a single seal). On a
    // rotated page the form's /Matrix turns the picture counter-clockwise by /Rotate, so that it
    // shows upright; the turned BBox, placed at the origin, then fits the /Rect at scale 1.
    for (std::size_t i = 0; i < spots.size(); ++i) {
        const double bw = spots[i].rect[2] - spots[i].rect[0];
        const double fw = spots[i].rotate % 180 == 0 ? bw : w;
        const std::string draw =
            "q " + num(w) + " 0 0 " + num(h) + " " + num(-spots[i].shift) + " 0 cm /Im0 Do Q\n";
        std::string matrix;
        if (spots[i].rotate == 90)
            matrix = " /Matrix [0 1 -1 0 " + num(h) + " 0]";
        else if (spots[i].rotate == 180)
            matrix = " /Matrix [-1 0 0 -1 " + num(fw) + " " + num(h) + "]";
        else if (spots[i].rotate == 270)
            matrix = " /Matrix [0 -1 1 0 0 " + num(fw) + "]";
        update.add_stream(forms[i],
                          "/Type /XObject /Subtype /Form /BBox [0 0 " + num(fw) + " " + num(h) +
                              "]" + matrix + " /Resources << /XObject << /Im0 " +
                              std::to_string(img) + " 0 R >> >>",
                          core::as_bytes(draw));
    }

    std::string sigdict =
        "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M " +
        pdf_text_string(pdf_date(request.signing_time.time_since_epoch().count()));
    if (!request.reason.empty())
        sigdict += " /Reason " + pdf_text_string(request.reason);
    if (!request.location.empty())
        sigdict += " /Location " + pdf_text_string(request.location);
    sigdict += " /ByteRange [0 " + std::string(kByteRangeWidth * 3 + 2, ' ') + "] /Contents <";
    const std::size_t byte_range_rel = sigdict.find("/ByteRange [0 ") + 14;
    const std::size_t contents_rel = sigdict.size() - 1;  // the '<'
    sigdict += std::string(capacity * 2, '0') + "> >>";
    const std::size_t sig_offset = update.add_object(sig, sigdict);

    // §12.7.3.1: the signature field and its widget merged into one dictionary, on the (first)
    // page. A riding seal's other strips are stamp annotations (§12.5.6.12) with the same kind of
    // appearance, written in the same update and so covered by the signature. (A field with one
    // widget per page would be the tidier structure, but poppler 22.12 and mupdf 1.21 then report
    // each widget as an unsigned or broken signature.)
    const std::string field_name = update.unique_field_name("Seal");
    for (std::size_t i = 0; i < spots.size(); ++i) {
        const auto& r = spots[i].rect;
        const std::string where = " /P " + spots[i].page.ref + " /Rect [" + num(r[0]) + " " +
                                  num(r[1]) + " " + num(r[2]) + " " + num(r[3]) +
                                  "] /F 132 /AP << /N " + std::to_string(forms[i]) + " 0 R >>";
        if (i == 0)
            update.add_object(widgets[i], "<< /Type /Annot /Subtype /Widget /FT /Sig /T " +
                                              pdf_text_string(field_name) + " /V " +
                                              std::to_string(sig) + " 0 R" + where + " >>");
        else
            update.add_object(widgets[i], "<< /Type /Annot /Subtype /Stamp /NM " +
                                              pdf_text_string("eseal-riding-" + field_name + "-" +
                                                              std::to_string(i + 1)) +
                                              where + " >>");
        if (auto added = update.add_widgets_to_page(spots[i].page, {widgets[i]}); !added)
            return std::unexpected(added.error());
    }
    if (auto r = update.add_fields_to_acroform({field}); !r)
        return std::unexpected(r.error());
    const std::string& out = update.finish();

    // ByteRange [0 a b c]: a is the offset of '<', b the offset after '>' (ISO 32000-1 §12.8.1).
    const std::uint64_t a = update.base() + sig_offset + contents_rel;
    const std::uint64_t b = a + capacity * 2 + 2;
    const std::uint64_t total = update.base() + out.size();
    SignResult result;
    result.byte_range = {0, a, b, total - b};
    result.output_size = total;
    result.contents_capacity = capacity;
    result.field_name = field_name;
    result.xref_stream = tail.style == XrefStyle::stream;
    {
        std::string br;
        for (int i = 1; i < 4; ++i) {
            std::string n = std::to_string(result.byte_range[static_cast<std::size_t>(i)]);
            n.resize(kByteRangeWidth, ' ');
            br += n + (i < 3 ? " " : "");
        }
        update.overwrite(sig_offset + byte_range_rel, br);
    }

    TempOutput temp(request.output);
    if (auto r = temp.open(); !r)
        return std::unexpected(r.error());
    crypto::Hasher hasher(digest_algorithm_for(signer.algorithm()));
    {
        const int fd = ::open(request.input.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return core::fail(core::Errc::io, "pdf.open", "cannot open " + request.input.string());
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        std::vector<std::uint8_t> buf(kCopyChunk);
        std::uint64_t copied = 0;
        core::Result<void> status;
        while (copied < tail.size) {
            const ssize_t n =
                ::read(fd, buf.data(), std::min<std::uint64_t>(buf.size(), tail.size - copied));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                status = core::fail(core::Errc::io, "pdf.read",
                                    request.input.string() + " changed or could not be read");
                break;
            }
            hasher.update(core::ByteView(buf.data(), static_cast<std::size_t>(n)));
            status = temp.write(buf.data(), static_cast<std::size_t>(n));
            if (!status)
                break;
            copied += static_cast<std::uint64_t>(n);
        }
        ::close(fd);
        if (!status)
            return std::unexpected(status.error());
    }
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(out.data());
    const std::size_t a_rel = a - update.base();
    const std::size_t b_rel = b - update.base();
    hasher.update(core::ByteView(bytes, a_rel));
    hasher.update(core::ByteView(bytes + b_rel, out.size() - b_rel));
    const core::Bytes digest = hasher.finish();

    auto cms = build_signed_data({request.signer_certificate, request.chain, digest}, signer,
                                 request.time_stamper);
    if (!cms)
        return std::unexpected(cms.error());
    if (cms->size() > capacity)
        return core::fail(core::Errc::internal, "pdf.contents_too_small",
                          "the signature (" + std::to_string(cms->size()) +
                              " bytes) outgrew its placeholder (" + std::to_string(capacity) +
                              " bytes)");
    result.cms_size = cms->size();
    update.overwrite(a_rel + 1, core::hex_encode(*cms, true));

    if (auto r = temp.write(out.data(), out.size()); !r)
        return std::unexpected(r.error());
    if (auto r = temp.commit(); !r)
        return std::unexpected(r.error());
    return result;
}

}  // namespace eseal::document::pdf
