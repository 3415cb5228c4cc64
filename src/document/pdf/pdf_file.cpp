#include "document/pdf/pdf_file.hpp"

#include <qpdf/QPDFExc.hh>

namespace eseal::document::pdf {
namespace {

core::Error malformed(std::string message) {
    return core::Error{core::Errc::invalid_input, "pdf.malformed", std::move(message), {}};
}

}  // namespace

core::Result<OpenPdf> open_pdf(const std::filesystem::path& file) {
    auto tail = read_tail(file);
    if (!tail)
        return std::unexpected(tail.error());
    OpenPdf out;
    out.tail = *tail;
    out.qpdf = std::make_unique<QPDF>();
    out.qpdf->setSuppressWarnings(true);
    out.qpdf->setAttemptRecovery(false);
    try {
        out.qpdf->processFile(file.c_str());
        if (out.qpdf->isEncrypted())
            return core::fail(core::Errc::unsupported, "pdf.encrypted",
                              file.string() + " is encrypted; eseal seals unencrypted PDFs only");
        auto root = out.qpdf->getRoot();
        if (!root.isDictionary())
            return std::unexpected(malformed("the trailer has no /Root catalog"));
    } catch (const std::exception& e) {
        const std::string what = e.what();
        if (what.find("password") != std::string::npos || what.find("ncrypt") != std::string::npos)
            return core::fail(core::Errc::unsupported, "pdf.encrypted",
                              file.string() + " is encrypted: " + what);
        return std::unexpected(malformed("cannot read " + file.string() + ": " + what));
    }
    return out;
}

}  // namespace eseal::document::pdf
