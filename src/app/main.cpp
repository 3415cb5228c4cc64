// The `eseal` command: wires the platform (app::Platform) into the command line (cli::run).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>

#include "app/platform.hpp"

int main(int argc, char** argv) {
    // Logs go to stderr, so stdout carries only results (PEM, listings, JSON).
    spdlog::set_default_logger(spdlog::stderr_color_mt("eseal"));
    spdlog::set_pattern("%^%l%$: %v");
    try {
        return eseal::cli::run(argc, argv, [](const eseal::cli::GlobalOptions& options)
                                               -> eseal::core::Result<std::unique_ptr<eseal::cli::Platform>> {
            auto p = eseal::app::Platform::open(options.home);
            if (!p) return std::unexpected(p.error());
            return std::unique_ptr<eseal::cli::Platform>(std::move(*p));
        });
    } catch (const std::exception& e) {  // a broken invariant: say so, and fail
        std::cerr << "eseal: internal error: " << e.what() << "\n";
        return 70;
    }
}
