// libFuzzer target for the PDF readers that take outside bytes. The input is read
//   - as the /Contents of a signature: parse_signed_data (CMS SignedData, DER or BER),
//   - as a file: read_tail (%%EOF, startxref, the style of the last cross-reference section),
//   - as a file through libqpdf, as `pdf verify` reads it: verify_pdf (every signature field,
//     its byte range, CMS, the changes after it, the widget's seal picture decoded to a PNG),
//   - as a file through libqpdf, as `pdf sign` reads it: UpdateWriter::prepare and page() for
//     every page (boxes, /Rotate, the AcroForm).
// None may crash, hang, leak or read out of bounds. qpdf 11's JSON.hh does not compile with clang
// 16 in C++23 mode (a std::vector of its own incomplete type in an inline virtual destructor);
// fuzz/CMakeLists.txt gives this target a copy of that header with the two destructors only
// declared (libqpdf defines them). Build and run: see fuzz/README.md.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "document/pdf/cms.hpp"
#include "document/pdf/pdf_file.hpp"
#include "document/pdf/pdf_syntax.hpp"
#include "document/pdf/pdf_update.hpp"
#include "document/pdf/pdf_verify.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // One scratch file per process, removed when the fuzzer exits.
    static const struct Scratch {
        std::string path = "/dev/shm/eseal-pdf-fuzz-" + std::to_string(::getpid()) + ".pdf";
        ~Scratch() { ::unlink(path.c_str()); }
    } scratch;
    const std::string& file = scratch.path;
    auto cms = eseal::document::pdf::parse_signed_data({data, size});
    if (cms && cms->signer_index && *cms->signer_index >= cms->certificates.size())
        __builtin_trap();
    if (FILE* fp = std::fopen(file.c_str(), "wb")) {
        std::fwrite(data, 1, size, fp);
        std::fclose(fp);
        auto tail = eseal::document::pdf::read_tail(file);
        if (tail && tail->startxref >= tail->size)
            __builtin_trap();  // read_tail promises an offset inside
        if (!tail)
            return 0;
        eseal::document::pdf::VerifyOptions options;  // no anchors, no revocation fetchers
        auto report = eseal::document::pdf::verify_pdf(file, options);
        if (report)
            for (const auto& s : report->signatures)
                if (s.valid())
                    __builtin_trap();  // nothing is valid without a trust anchor
        auto opened = eseal::document::pdf::open_pdf(file);
        if (opened) {
            eseal::document::pdf::UpdateWriter update(*opened->qpdf, opened->tail);
            if (update.prepare())
                for (int i = 1; i <= update.page_count(); ++i) {
                    auto page = update.page(i);
                    if (page && (page->box[0] >= page->box[2] || page->box[1] >= page->box[3] ||
                                 page->rotate % 90 != 0 || page->rotate < 0 || page->rotate > 270))
                        __builtin_trap();  // page() promises a real box and a normal rotation
                }
        }
    }
    return 0;
}
