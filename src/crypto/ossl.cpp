#include "crypto/ossl.hpp"

#include <openssl/err.h>

namespace eseal::crypto {

std::string openssl_errors() {
    std::string out;
    unsigned long e;
    while ((e = ERR_get_error()) != 0) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!out.empty()) out += "; ";
        out += buf;
    }
    return out;
}

std::unexpected<core::Error> openssl_fail(core::Errc kind, std::string code, std::string what) {
    const std::string detail = openssl_errors();
    if (!detail.empty()) what += " (" + detail + ")";
    return core::fail(kind, std::move(code), std::move(what));
}

}  // namespace eseal::crypto
