#include "pki/chain.hpp"

#include <openssl/err.h>

#include "pki/x509.hpp"

namespace eseal::pki {
namespace {

// Copies, so that setting the SM2 ID does not touch the caller's objects.
crypto::X509Ptr copy_with_id(const X509* cert) {
    crypto::X509Ptr c(X509_dup(const_cast<X509*>(cert)));
    if (c) set_sm2_id(c.get());
    return c;
}

int collect_all(int ok, X509_STORE_CTX* ctx) {
    if (ok == 0) {
        auto* problems = static_cast<std::vector<core::Problem>*>(
            X509_STORE_CTX_get_app_data(ctx));
        const int err = X509_STORE_CTX_get_error(ctx);
        const int depth = X509_STORE_CTX_get_error_depth(ctx);
        X509* cert = X509_STORE_CTX_get_current_cert(ctx);
        std::string who = cert != nullptr ? name_rfc2253(X509_get_subject_name(cert)) : "?";
        problems->push_back({std::string("chain.") + std::to_string(err),
                             std::string(X509_verify_cert_error_string(err)) + " (" + who + ")",
                             "depth " + std::to_string(depth)});
    }
    return 1;  // keep going: report every problem, not the first
}

}  // namespace

ChainResult verify_chain(const X509* leaf, std::span<const X509* const> intermediates,
                         std::span<const X509* const> anchors, core::TimePoint at) {
    ChainResult result;
    crypto::X509StorePtr store(X509_STORE_new());
    std::vector<crypto::X509Ptr> owned;
    for (const X509* a : anchors) {
        owned.push_back(copy_with_id(a));
        X509_STORE_add_cert(store.get(), owned.back().get());
    }
    crypto::X509StackPtr untrusted(sk_X509_new_null());
    for (const X509* c : intermediates) {
        owned.push_back(copy_with_id(c));
        X509_up_ref(owned.back().get());
        sk_X509_push(untrusted.get(), owned.back().get());
    }
    auto target = copy_with_id(leaf);
    crypto::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (X509_STORE_CTX_init(ctx.get(), store.get(), target.get(), untrusted.get()) != 1) {
        result.problems.push_back({"chain.init", "cannot set up path validation", ""});
        return result;
    }
    X509_STORE_CTX_set_app_data(ctx.get(), &result.problems);
    X509_STORE_CTX_set_verify_cb(ctx.get(), collect_all);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_time(param, std::chrono::system_clock::to_time_t(at));
    // Check the anchor's self-signature too: a damaged root should not pass.
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CHECK_SS_SIGNATURE | X509_V_FLAG_X509_STRICT);
    const int rc = X509_verify_cert(ctx.get());
    if (rc != 1 && result.problems.empty())
        result.problems.push_back({"chain.failed", "path validation failed: " + crypto::openssl_errors(), ""});
    ERR_clear_error();
    if (STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get())) {
        for (int i = 0; i < sk_X509_num(chain); ++i)
            result.path.push_back(name_rfc2253(X509_get_subject_name(sk_X509_value(chain, i))));
    }
    return result;
}

}  // namespace eseal::pki
