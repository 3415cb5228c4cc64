#pragma once
// The certificates a seal verifier trusts: anchors (root CAs) and the CA certificates that may
// link a maker's or signer's certificate to them. DER throughout.
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace eseal::seal {

struct TrustStore {
    std::vector<core::Bytes> anchors;        // self-signed roots
    std::vector<core::Bytes> intermediates;  // untrusted CA certificates, used to build paths
};

// Sorts CA certificates: self-issued ones become anchors, the others intermediates. Certificates
// that do not parse are left out and returned as problems.
[[nodiscard]] TrustStore trust_store_of(const std::vector<core::Bytes>& certificates,
                                        std::vector<core::Problem>* problems = nullptr);

// Every problem with the certificate's path to an anchor as of `at` (RFC 5280 §6 through
// pki::verify_chain, each SM2 signature checked with the GM ID), as problems with `code` and the
// path validator's reason in the message. Empty when the path is good.
[[nodiscard]] std::vector<core::Problem> check_chain(core::ByteView certificate_der,
                                                     const TrustStore& trust, core::TimePoint at,
                                                     std::string_view code);

}  // namespace eseal::seal
