#pragma once
// The product catalogue and the business rules (DESIGN §5 table; guide §3-§5, §8) as data, not
// code branches: fees, the materials each business needs per certificate type and channel, the
// algorithms and validity options. The default is the guide's; an operator replaces it with a
// JSON file of the same shape (`catalogue.json` in the docs), checked on load.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/error.hpp"
#include "ra/application.hpp"
#include "ra/ports.hpp"

namespace eseal::ra {

struct FeeRule {
    std::int64_t per_year_fen = 0;  // × years
    std::int64_t flat_fen = 0;      // once
    std::string item;               // invoice line: "证书服务费", "介质费"
};

// One required document. `only` limits it to one certificate type.
struct MaterialRule {
    std::string kind;  // online: a MaterialKind name; counter: a checklist item
    std::string label;
    std::optional<CertType> only;
    bool stamped = true;  // must bear the organization's official seal (guide §4)
};

enum class TokenAction { new_token, same_token, none };

struct BusinessRule {
    Business business = Business::new_cert;
    std::string label;  // 新办, 续期, ...
    std::map<CertType, FeeRule> fees;  // absent: free
    std::vector<MaterialRule> online;
    std::vector<MaterialRule> counter;
    TokenAction token = TokenAction::new_token;
};

struct CertTypeOffer {
    CertType type = CertType::organization;
    std::string label;
    std::vector<int> years;  // validity options
};

struct Quote {
    std::int64_t total_fen = 0;
    struct Line {
        std::string item;
        std::int64_t unit_fen = 0;
        int quantity = 0;
        std::int64_t amount_fen = 0;
    };
    std::vector<Line> lines;
};

class Catalogue {
  public:
    // The guide's rules.
    [[nodiscard]] static const Catalogue& standard();
    [[nodiscard]] static core::Result<Catalogue> parse(const nlohmann::json& doc);
    [[nodiscard]] static core::Result<Catalogue> load(const std::filesystem::path& file);

    [[nodiscard]] const BusinessRule& rule(Business b) const;
    [[nodiscard]] const std::vector<CertTypeOffer>& cert_types() const { return m_cert_types; }
    [[nodiscard]] const CertTypeOffer* offer(CertType t) const;
    [[nodiscard]] const std::vector<std::string>& algorithms() const { return m_algorithms; }
    [[nodiscard]] bool offers_algorithm(std::string_view a) const;

    // The online materials this application must upload.
    [[nodiscard]] std::vector<MaterialRule> required_materials(Business b, CertType t,
                                                               Channel c) const;
    [[nodiscard]] Quote quote(Business b, CertType t, int years) const;

    // The catalogue as the API shows it (category → product → certificate types, algorithms,
    // validity, fees and materials per business).
    [[nodiscard]] nlohmann::json to_json() const;

  private:
    std::string m_category;
    std::string m_product;
    std::vector<CertTypeOffer> m_cert_types;
    std::vector<std::string> m_algorithms;
    std::vector<BusinessRule> m_rules;  // one per Business, in enum order
};

}  // namespace eseal::ra
