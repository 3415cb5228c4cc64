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
                auto r = ca->issue({csrs[i], *profile, 1, overrides, "bench"});
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
}

}  // namespace eseal::cli
