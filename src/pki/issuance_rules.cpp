#include "pki/issuance_rules.hpp"

#include "pki/csr.hpp"

namespace eseal::pki {
namespace {

// RFC 2986 §3: the requester proves possession of the key by signing the request.
class CsrSignatureRule final : public IssuanceRule {
public:
    void check(const IssuanceContext& ctx, std::vector<core::Problem>& problems) const override {
        if (csr_signature_valid(ctx.csr)) return;
        std::string msg = "the CSR's signature does not verify with its own public key";
        if (ctx.key.algorithm == crypto::KeyAlgorithm::sm2)
            msg += " (SM2 CSRs must be signed with the ID 1234567812345678, e.g. openssl req -sigopt "
                   "distid:1234567812345678)";
        problems.push_back({"csr.bad_signature", msg, "csr"});
    }
};

// DESIGN §4: SM2, ECDSA P-256, RSA 2048/3072; one suite per hierarchy.
class KeyPolicyRule final : public IssuanceRule {
public:
    void check(const IssuanceContext& ctx, std::vector<core::Problem>& problems) const override {
        const auto& k = ctx.key;
        if (!k.algorithm) {
            if (k.type == "RSA" && k.bits < 2048) {
                problems.push_back({"key.rsa_too_small",
                                    "RSA keys need at least 2048 bits; this one has " + std::to_string(k.bits), "key"});
            } else if (k.type == "RSA") {
                problems.push_back({"key.rsa_size", "RSA keys must be 2048 or 3072 bits; this one has " +
                                                        std::to_string(k.bits), "key"});
            } else if (k.type == "EC") {
                problems.push_back({"key.curve", "the curve " + (k.curve.empty() ? std::string("(unnamed)") : k.curve) +
                                                     " is not allowed (use SM2 or P-256)", "key"});
            } else {
                problems.push_back({"key.type", "the key type " + k.type + " is not allowed", "key"});
            }
            return;
        }
        if (crypto::suite_of(*k.algorithm) != crypto::suite_of(ctx.ca.algorithm))
            problems.push_back({"key.suite_mismatch",
                                "a " + std::string(crypto::to_string(*k.algorithm)) + " key cannot be certified by " +
                                    ctx.ca.name + ", an " + std::string(crypto::to_string(ctx.ca.algorithm)) +
                                    " CA (" + std::string(crypto::to_string(crypto::suite_of(ctx.ca.algorithm))) +
                                    " suite)", "key"});
    }
};

class SubjectRule final : public IssuanceRule {
public:
    void check(const IssuanceContext& ctx, std::vector<core::Problem>& problems) const override {
        auto found = check_subject(ctx.subject, ctx.profile);
        problems.insert(problems.end(), found.begin(), found.end());
    }
};

// Validity from the paid years (guide §5: fees per year), never past the issuing CA's own end.
class ValidityRule final : public IssuanceRule {
public:
    void check(const IssuanceContext& ctx, std::vector<core::Problem>& problems) const override {
        if (ctx.years < 1 || ctx.years > 5) {
            problems.push_back({"validity.years", "a certificate is valid for 1 to 5 years, not " +
                                                      std::to_string(ctx.years), "years"});
            return;
        }
        if (ctx.not_after > ctx.ca.not_after)
            problems.push_back({"validity.beyond_ca", "the certificate would end on " + core::format_utc(ctx.not_after) +
                                                          ", after its CA " + ctx.ca.name + " (" +
                                                          core::format_utc(ctx.ca.not_after) + ")", "years"});
    }
};

// One certificate per key: a key that is (or was) certified is not certified again.
class KeyUniquenessRule final : public IssuanceRule {
public:
    void check(const IssuanceContext& ctx, std::vector<core::Problem>& problems) const override {
        auto existing = ctx.repository.find_by_key(ctx.key_sha256);
        if (!existing) {
            problems.push_back({"storage.unavailable", existing.error().message, ""});
        } else if (*existing) {
            problems.push_back({"key.already_certified",
                                "this public key is already certified (certificate " + (*existing)->serial + ", " +
                                    std::string(to_string((*existing)->status)) + "); generate a new key pair",
                                "key"});
        }
    }
};

}  // namespace

std::vector<std::unique_ptr<IssuanceRule>> default_issuance_rules() {
    std::vector<std::unique_ptr<IssuanceRule>> rules;
    rules.push_back(std::make_unique<CsrSignatureRule>());
    rules.push_back(std::make_unique<KeyPolicyRule>());
    rules.push_back(std::make_unique<SubjectRule>());
    rules.push_back(std::make_unique<ValidityRule>());
    rules.push_back(std::make_unique<KeyUniquenessRule>());
    return rules;
}

}  // namespace eseal::pki
