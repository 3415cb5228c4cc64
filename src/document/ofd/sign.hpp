#pragma once
// Sealing an OFD document (GB/T 33190-2016 §18, GB/T 38540-2020 §8): a new
// Doc_N/Signs/Sign_K/ with Signature.xml (SM3 References over every package file, a StampAnnot
// placing the seal, the seal's location), Seal.esl (the seal) and SignedValue.dat (a V4
// SES_Signature whose dataHash is the hash of Signature.xml's bytes); the signature list
// Signatures.xml created (and named in OFD.xml's DocBody) or extended. The list is left out of
// the References, so later signatures can extend it without breaking this one (§18.1); earlier
// signatures' files are covered like any other file.
#include <filesystem>
#include <string>

#include "core/clock.hpp"
#include "crypto/signer.hpp"
#include "document/ofd/ofd_document.hpp"
#include "document/ofd/package.hpp"
#include "seal/ses_signature.hpp"
#include "seal/seseal.hpp"

namespace eseal::document::ofd {

struct SealPlacement {
    int page = 1;         // 1-based, in the first document
    double x_mm = 0;      // the seal's centre, from the page's top-left corner (as `eseal pdf sign
    double y_mm = 0;      // --at`); the StampAnnot Boundary holds its top-left corner
    double width_mm = 0;  // 0: the seal picture's size (SES_ESPictureInfo width/height)
    double height_mm = 0;
};

struct SignRequest {
    const seal::Seal& seal;
    const crypto::Signer& signer;
    core::ByteView signer_certificate;  // DER; empty: the seal's certificate for the signer's key
    SealPlacement placement;
};

struct Signed {
    Package package;
    std::string signature_id;    // "s001"
    std::string signature_path;  // "Doc_0/Signs/Sign_0/Signature.xml"
    std::string page_id;
    Box boundary;
    std::size_t references = 0;
    seal::SealSignature signature;
};

// Errors list every problem with the request at once (ofd.page_invalid, ofd.stamp_off_page, the
// seal and signer problems of seal::make_signature); the input package is not changed.
[[nodiscard]] core::Result<Signed> sign_package(const Package& input, const SignRequest& request,
                                                const core::Clock& clock);

// Reads `in`, seals it, writes `out` (through a temporary file: on any error no `out` is left).
[[nodiscard]] core::Result<Signed> sign_file(const std::filesystem::path& in,
                                             const std::filesystem::path& out,
                                             const SignRequest& request, const core::Clock& clock,
                                             const PackageLimits& limits = {});

}  // namespace eseal::document::ofd
