# OFD (GB/T 33190-2016) sealing and verification with GB/T 38540-2020 seals: the package is a zip
# (libzip), its descriptions are XML (pugixml). Included by ../CMakeLists.txt.
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
find_package(pugixml REQUIRED)
set(DOCUMENT_OFD_SOURCES package.cpp xml.cpp ofd_document.cpp signature_xml.cpp sign.cpp verify.cpp)
set(DOCUMENT_OFD_DEPENDS PkgConfig::LIBZIP pugixml::pugixml)
