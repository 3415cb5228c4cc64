// libFuzzer target for the PDF readers that take outside bytes without qpdf (which cannot be
// compiled by clang 16 in C++23 mode: qpdf 11's JSON.hh holds a std::vector of its own incomplete
// type). The input is read
//   - as the /Contents of a signature: parse_signed_data (CMS SignedData, DER or BER),
//   - as a file: read_tail (%%EOF, startxref, the style of the last cross-reference section).
// Neither may crash, hang, leak or read out of bounds. The qpdf-based object reader is covered by
// the hostile-input unit tests (document.pdf.PdfTest.HostileInputsAreRefusedWithoutOutput) and by
// qpdf's own fuzzing. Build and run: see fuzz/README.md.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "document/pdf/cms.hpp"
#include "document/pdf/pdf_syntax.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // One scratch file per process, removed when the fuzzer exits.
    static const struct Scratch {
        std::string path = "/dev/shm/eseal-pdf-fuzz-" + std::to_string(::getpid()) + ".pdf";
        ~Scratch() { ::unlink(path.c_str()); }
    } scratch;
    const std::string& file = scratch.path;
    "/dev/shm/eseal-pdf-fuzz-" + std::to_string(::getpid()) + ".pdf";
    auto cms = eseal::document::pdf::parse_signed_data({data, size});
    if (cms && cms->signer_index && *cms->signer_index >= cms->certificates.size())
        __builtin_trap();
    if (FILE* fp = std::fopen(file.c_str(), "wb")) {
        std::fwrite(data, 1, size, fp);
        std::fclose(fp);
        auto tail = eseal::document::pdf::read_tail(file);
        if (tail && tail->startxref >= tail->size)
            __builtin_trap();  // read_tail promises an offset inside
    }
    return 0;
}
