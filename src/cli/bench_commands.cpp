// `eseal bench issue`: end-to-end issuance throughput (CSR parsed and checked, certificate signed,
// stored durably) for bench/issue.sh, which compares it with `openssl ca` and `openssl speed`.
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/subject_options.hpp"
#include "crypto/soft_key.hpp"

namespace eseal::cli {
namespace {

struct BenchOptions {
    std::string ca;
    std::string csr_dir;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::string profile = "org";
    SubjectOptions subject;
};

int do_bench_issue(PlatformHandle& handle, const BenchOptions& o) {
    std::vector<core::Bytes> csrs;
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(o.csr_dir, ec))
        if (e.is_regular_file()) files.push_back(e.path());
    if (ec) return report(core::Error{core::Errc::not_found, "bench.csr_dir", "cannot read " + o.csr_dir + ": " + ec.message(), {}});
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        auto data = read_file(f.string(), 64 * 1024);
        if (!data) return report(data.error());
        csrs.push_back(core::to_bytes(*data));
    }
    if (csrs.empty()) return report(core::Error{core::Errc::invalid_input, "bench.empty", "no CSR files in " + o.csr_dir, {}});
    auto profile = pki::parse_profile(o.profile);
    if (!profile) return report(core::Error{core::Errc::invalid_input, "profile.unknown", "unknown profile " + o.profile, {}});
    auto platform = handle.get();
    if (!platform) return report(platform.error());
    auto ca = (*platform)->certificate_authority(o.ca);
    if (!ca) return report(ca.error());

    const auto overrides = o.subject.fields();
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> failed{0};
    std::mutex first_error_mutex;
    std::optional<core::Error> first_error;
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < o.threads; ++t) {
        workers.emplace_back([&] {
            for (std::size_t i; (i = next++) < csrs.size();) {
                auto r = ca->issue({csrs[i], *profile, 1, overrides, "bench", std::nullopt});
                if (!r) {
                    ++failed;
                    std::lock_guard lock(first_error_mutex);
                    if (!first_error) first_error = r.error();
                }
            }
        });
    }
    for (auto& w : workers) w.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (first_error) {
        std::cerr << failed << " of " << csrs.size() << " issuances failed; the first:\n";
        return report(*first_error);
    }
    const double rate = static_cast<double>(csrs.size()) / seconds;
    std::cout << "issued " << csrs.size() << " " << crypto::to_string(ca->record().algorithm) << " certificates in "
              << seconds << " s with " << o.threads << " thread(s): " << rate << " per second\n";
    return kExitOk;
}

struct SignOptions {
    std::string algo = "ecdsa-p256";
    std::size_t count = 2000;
    std::string driver = "pkcs11";
    std::string module;
    std::string token;
    std::string key_id;
};

// Signs `count` 1 KiB messages; returns signatures per second.
core::Result<double> time_signatures(const crypto::Signer& signer, std::size_t count) {
    const core::Bytes message(1024, 0x5a);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < count; ++i) {
        auto sig = signer.sign(message);
        if (!sig) return std::unexpected(sig.error());
    }
    return static_cast<double>(count) / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int do_bench_sign(PlatformHandle& handle, const SignOptions& o) {
    auto alg = crypto::parse_key_algorithm(o.algo);
    if (!alg) return report(core::Error{core::Errc::invalid_input, "bench.algo", "unknown algorithm " + o.algo, {}});
    auto soft = crypto::SoftKey::generate(*alg);
    if (!soft) return report(soft.error());
    auto soft_rate = time_signatures(*soft, o.count);
    if (!soft_rate) return report(soft_rate.error());
    std::cout << "software key  " << o.algo << "  " << *soft_rate << " signatures/s (" << o.count << ", one thread)\n";
    if (o.token.empty()) return kExitOk;
    const char* pin = std::getenv("ESEAL_PIN");
    if (pin == nullptr) return report(core::Error{core::Errc::invalid_input, "pin.missing", "set ESEAL_PIN for the token", {}});
    auto platform = handle.get();
    if (!platform) return report(platform.error());
    auto svc = (*platform)->ukey_service(o.driver, o.module.empty() ? default_token_module(o.driver) : o.module);
    if (!svc) return report(svc.error());
    auto signer = (*svc)->signer(o.token, o.key_id, core::SecureString(pin));
    if (!signer) return report(signer.error());
    auto token_rate = time_signatures(**signer, o.count);
    if (!token_rate) return report(token_rate.error());
    std::cout << "token key     " << crypto::to_string((*signer)->algorithm()) << "  " << *token_rate
              << " signatures/s (" << o.count << ", one thread, through " << o.driver << ")\n"
              << "token / software = " << *token_rate / *soft_rate << "\n";
    return kExitOk;
}

}  // namespace

void add_bench_commands(CLI::App& app, PlatformHandle& platform, Handler& selected) {
    auto* bench = app.add_subcommand("bench", "measure throughput (see bench/README.md)");
    bench->require_subcommand(1);
    auto o = std::make_shared<BenchOptions>();
    auto* issue = bench->add_subcommand("issue", "issue a certificate for every CSR in a directory, timed end to end");
    issue->add_option("--csr-dir", o->csr_dir, "directory of CSR files")->required();
    issue->add_option("--ca", o->ca, "issuing CA name (default: the only one)");
    issue->add_option("--threads", o->threads, "worker threads")->capture_default_str();
    issue->add_option("--profile", o->profile, "org or org-individual")->capture_default_str();
    add_subject_options(*issue, o->subject);
    issue->callback([&, o] { selected = [&, o] { return do_bench_issue(platform, *o); }; });

    auto so = std::make_shared<SignOptions>();
    auto* sign = bench->add_subcommand("sign", "signatures per second: a software key, and a key on a PKCS#11 token");
    sign->add_option("--algo", so->algo, "software key algorithm")->capture_default_str();
    sign->add_option("--count", so->count, "signatures to make")->capture_default_str();
    sign->add_option("--token", so->token, "token serial (PIN in $ESEAL_PIN)");
    sign->add_option("--key-id", so->key_id, "the key on the token: CKA_ID (hex) or SKF container name");
    sign->add_option("--driver", so->driver, "pkcs11 or skf")->capture_default_str();
    sign->add_option("--module", so->module, "token library (default as for `eseal token`)");
    sign->callback([&, so] { selected = [&, so] { return do_bench_sign(platform, *so); }; });
}

}  // namespace eseal::cli
