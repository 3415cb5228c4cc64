#include "seal/trust.hpp"

#include "pki/chain.hpp"
#include "pki/x509.hpp"

namespace eseal::seal {
namespace {

std::vector<crypto::X509Ptr> parse_all(const std::vector<core::Bytes>& ders) {
    std::vector<crypto::X509Ptr> out;
    for (const auto& d : ders)
        if (auto c = pki::parse_certificate(d))
            out.push_back(std::move(*c));
    return out;
}

std::vector<const X509*> pointers(const std::vector<crypto::X509Ptr>& certs) {
    std::vector<const X509*> out;
    for (const auto& c : certs) out.push_back(c.get());
    return out;
}

}  // namespace

TrustStore trust_store_of(const std::vector<core::Bytes>& certificates,
                          std::vector<core::Problem>* problems) {
    TrustStore trust;
    for (const auto& der : certificates) {
        auto cert = pki::parse_certificate(der);
        if (!cert) {
            if (problems != nullptr)
                problems->push_back({"trust.unreadable", cert.error().message, ""});
            continue;
        }
        const bool self_issued = X509_check_issued(cert->get(), cert->get()) == X509_V_OK;
        (self_issued ? trust.anchors : trust.intermediates)
            .push_back(pki::certificate_der(cert->get()));
    }
    return trust;
}

std::vector<core::Problem> check_chain(core::ByteView certificate_der, const TrustStore& trust,
                                       core::TimePoint at, std::string_view code) {
    auto leaf = pki::parse_certificate(certificate_der);
    if (!leaf)
        return {{std::string(code), "the certificate cannot be read: " + leaf.error().message, ""}};
    if (trust.anchors.empty())
        return {{std::string(code), "no trust anchors were given", ""}};
    const auto anchors = parse_all(trust.anchors);
    const auto intermediates = parse_all(trust.intermediates);
    const auto anchor_ptrs = pointers(anchors);
    const auto inter_ptrs = pointers(intermediates);
    const auto result = pki::verify_chain(leaf->get(), inter_ptrs, anchor_ptrs, at);
    std::vector<core::Problem> out;
    for (const auto& p : result.problems) out.push_back({std::string(code), p.message, p.field});
    return out;
}

}  // namespace eseal::seal
