#include "pki/asn1_util.hpp"

#include <openssl/objects.h>

namespace eseal::pki {

std::string integer_hex(const ASN1_INTEGER* i) {
    if (i == nullptr || ASN1_STRING_type(i) == V_ASN1_NEG_INTEGER)
        return {};
    crypto::BnPtr bn(ASN1_INTEGER_to_BN(i, nullptr));
    if (!bn || BN_is_zero(bn.get()))
        return {};
    char* hex = BN_bn2hex(bn.get());
    std::string out(hex);
    OPENSSL_free(hex);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto first = out.find_first_not_of('0');
    return first == std::string::npos ? std::string{} : out.substr(first);
}

core::Bytes oid_der(int nid) {
    return crypto::to_der(OBJ_nid2obj(nid), i2d_ASN1_OBJECT);
}

std::time_t to_time_t(core::TimePoint t) {
    return std::chrono::system_clock::to_time_t(t);
}

core::Bytes generalized_time_der(core::TimePoint t) {
    std::unique_ptr<ASN1_GENERALIZEDTIME, crypto::Free<ASN1_GENERALIZEDTIME_free>> g(
        ASN1_GENERALIZEDTIME_set(nullptr, to_time_t(t)));
    return crypto::to_der(g.get(), i2d_ASN1_GENERALIZEDTIME);
}

}  // namespace eseal::pki
