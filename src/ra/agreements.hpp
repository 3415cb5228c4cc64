#pragma once
// The electronic certification service agreement and the privacy policy (guide §3 online step
// 2): versioned texts. Consent names the versions it was given to; a new version needs a new
// consent before the next submission.
#include <string>
#include <vector>

namespace eseal::ra {

struct AgreementText {
    std::string document;  // "agreement" | "privacy"
    std::string version;   // "2026-11-01"
    std::string title;
    std::string text;
};

class Agreements {
  public:
    // The built-in current texts.
    [[nodiscard]] static Agreements standard();
    explicit Agreements(std::vector<AgreementText> current) : m_current(std::move(current)) {}

    [[nodiscard]] const std::vector<AgreementText>& current() const { return m_current; }
    [[nodiscard]] const AgreementText* find(const std::string& document) const;

  private:
    std::vector<AgreementText> m_current;
};

}  // namespace eseal::ra
