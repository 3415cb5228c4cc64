#pragma once
// The RA's subject overrides, shared by `ca issue` and `bench issue`.
#include <CLI/CLI.hpp>

#include "pki/subject.hpp"

namespace eseal::cli {

struct SubjectOptions {
    std::string organization, credit_code, province, locality, name, id_number;

    [[nodiscard]] pki::SubjectFields fields() const {
        pki::SubjectFields f;
        const auto set = [](std::optional<std::string>& field, const std::string& v) {
            if (!v.empty()) field = v;
        };
        set(f.organization, organization);
        set(f.credit_code, credit_code);
        set(f.province, province);
        set(f.locality, locality);
        set(f.person_name, name);
        set(f.person_id, id_number);
        return f;
    }
};

inline void add_subject_options(CLI::App& cmd, SubjectOptions& o) {
    cmd.add_option("--org", o.organization, "organization name (O), overrides the CSR");
    cmd.add_option("--credit-code", o.credit_code, "18-character unified social credit code (GB 32100)");
    cmd.add_option("--province", o.province, "province (ST)");
    cmd.add_option("--locality", o.locality, "city (L)");
    cmd.add_option("--name", o.name, "holder's name (CN), org-individual");
    cmd.add_option("--id-number", o.id_number, "holder's resident ID number (GB 11643), org-individual");
}

}  // namespace eseal::cli
