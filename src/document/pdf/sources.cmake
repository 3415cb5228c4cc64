# PDF sealing and verification (PAdES B-B / B-T as incremental updates). libqpdf reads the input
# (lazily: the xref and the few objects the update touches); poppler-cpp lays out text for --keyword.
find_package(PkgConfig REQUIRED)
pkg_check_modules(QPDF REQUIRED IMPORTED_TARGET libqpdf)
pkg_check_modules(ZLIB_PC REQUIRED IMPORTED_TARGET zlib)
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)
set(DOCUMENT_PDF_SOURCES cms.cpp pdf_syntax.cpp pdf_file.cpp pdf_update.cpp seal_image.cpp pdf_sign.cpp pdf_verify.cpp
    text_search.cpp)
set(DOCUMENT_PDF_DEPENDS PkgConfig::QPDF PkgConfig::POPPLER_CPP PkgConfig::ZLIB_PC)
# qpdf 11: use std::shared_ptr, not the deprecated PointerHolder (qpdf/PointerHolder.hh).
set_property(TARGET PkgConfig::QPDF APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS POINTERHOLDER_TRANSITION=4)
