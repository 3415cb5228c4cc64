// libFuzzer target for the seal readers (outside input: a .esl file from another system, or the
// SignedValue.dat of a sealed OFD). Build and run: see fuzz/README.md.
#include <cstddef>
#include <cstdint>

#include "seal/ses_signature.hpp"
#include "seal/seseal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const eseal::core::ByteView input{data, size};
    // Either reader may refuse the input; neither may crash, leak or read out of bounds.
    auto seal = eseal::seal::parse_seal(input);
    (void)seal;
    auto signature = eseal::seal::parse_signature(input);
    (void)signature;
    return 0;
}
