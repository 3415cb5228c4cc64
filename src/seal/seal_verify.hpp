#pragma once
// Verifying a seal, in the order of GM/T 0031-2014 §6.1.2: its format, the maker's signature,
// the maker's certificate (a path to a trust anchor, valid when the seal was made, as GM/T
// 0031-2025 judges it, and allowed to sign), and the seal's validity window at a given time.
#include "core/clock.hpp"
#include "seal/seseal.hpp"
#include "seal/trust.hpp"
#include "seal/verification.hpp"

namespace eseal::seal {

// Problem codes: seal.header_invalid, seal.version_mismatch, seal.maker_certificate_invalid,
// seal.algorithm_unsupported, seal.algorithm_mismatch, seal.signature_invalid,
// seal.maker_untrusted, seal.maker_key_usage, seal.validity_invalid, seal.not_yet_valid,
// seal.expired, seal.signer_certificate_invalid, seal.picture_invalid.
[[nodiscard]] Verification verify_seal(const Seal& seal, const TrustStore& trust,
                                       core::TimePoint at);

}  // namespace eseal::seal
