// The business rules without storage: catalogue (guide §4-§5), form validation, the state
// machine (DESIGN §5) and material sniffing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pki/identifiers.hpp"
#include "ra/catalogue.hpp"
#include "ra/materials.hpp"
#include "ra/state_machine.hpp"
#include "ra/validation.hpp"

namespace eseal::ra {
namespace {

std::string credit_code(std::string first17 = "91440300MA5F00000") {
    return first17 + pki::credit_code_check_char(first17);
}
std::string resident_id(std::string first17 = "44030519900101123") {
    return first17 + pki::resident_id_check_char(first17);
}

ApplicationForm good_form() {
    ApplicationForm f;
    f.organization = {"深圳市示例科技有限公司", credit_code()};
    f.handler = {"张三", resident_id(), "13800138000", "zhangsan@example.cn"};
    f.address = "深圳市福田区燕南路92号";
    return f;
}

ValidationContext context() { return {Catalogue::standard(), {"yannan"}}; }

bool has_problem(const std::vector<core::Problem>& list, std::string_view field, std::string_view code) {
    for (const auto& p : list)
        if (p.field == field && p.code == code) return true;
    return false;
}

TEST(Catalogue, FeesFollowTheGuide) {
    const auto& c = Catalogue::standard();
    EXPECT_EQ(c.quote(Business::new_cert, CertType::organization, 3).total_fen, 60000);  // 200 CNY × 3 years
    EXPECT_EQ(c.quote(Business::new_cert, CertType::organization_individual, 1).total_fen, 20000);
    EXPECT_EQ(c.quote(Business::renew, CertType::organization, 2).total_fen, 40000);
    EXPECT_EQ(c.quote(Business::lost_key, CertType::organization, 1).total_fen, 12000);
    EXPECT_EQ(c.quote(Business::change, CertType::organization, 1).total_fen, 0);
    EXPECT_EQ(c.quote(Business::revoke, CertType::organization_individual, 1).total_fen, 0);
    EXPECT_EQ(c.quote(Business::unlock, CertType::organization, 1).total_fen, 0);
}

std::vector<std::string> kinds(const std::vector<MaterialRule>& rules) {
    std::vector<std::string> out;
    for (const auto& r : rules) out.push_back(r.kind);
    return out;
}

TEST(Catalogue, MaterialsDependOnBusinessTypeAndChannel) {
    const auto& c = Catalogue::standard();
    using V = std::vector<std::string>;
    EXPECT_EQ(kinds(c.required_materials(Business::new_cert, CertType::organization, Channel::online)),
              (V{"application_form", "business_licence", "handler_id_front", "handler_id_back"}));
    // The holder's ID only for organization-individual (guide §4.4).
    EXPECT_EQ(kinds(c.required_materials(Business::new_cert, CertType::organization_individual, Channel::online)),
              (V{"application_form", "business_licence", "handler_id_front", "handler_id_back", "holder_id"}));
    // A renewal needs no business licence (guide §4 notes).
    EXPECT_EQ(kinds(c.required_materials(Business::renew, CertType::organization, Channel::online)),
              (V{"application_form", "handler_id_front", "handler_id_back"}));
    // At the counter renewal brings the Ukey.
    const auto counter = kinds(c.required_materials(Business::renew, CertType::organization, Channel::counter));
    EXPECT_NE(std::find(counter.begin(), counter.end(), "ukey"), counter.end());
}

TEST(Catalogue, OperatorFileIsCheckedAsAWhole) {
    auto doc = nlohmann::json::parse(R"({"algorithms": [], "cert_types": [{"type": "robot", "years": [1]}],
        "business": [{"business": "new", "token": "teleport", "online": ["selfie"]}]})");
    auto c = Catalogue::parse(doc);
    ASSERT_FALSE(c);
    std::vector<std::string> codes;
    for (const auto& p : c.error().problems) codes.push_back(p.code);
    for (const char* expected : {"catalogue.algorithms", "catalogue.cert_type", "catalogue.token",
                                 "catalogue.material.kind", "catalogue.business.missing"})
        EXPECT_NE(std::find(codes.begin(), codes.end(), expected), codes.end()) << expected;
}

TEST(Validation, GoodFormPasses) {
    EXPECT_TRUE(validate_form(Business::new_cert, CertType::organization, Channel::online, good_form(), context()).empty());
}

TEST(Validation, ReportsEveryProblemByField) {
    auto f = good_form();
    f.organization.credit_code = "91440300MA5F00000X";  // wrong check character
    f.handler.id_number = "440305199001011234";
    f.handler.phone = "12345";
    f.handler.email = "not-an-address";
    f.years = 9;
    f.algorithm = "des";
    f.address.clear();
    const auto problems = validate_form(Business::new_cert, CertType::organization, Channel::online, f, context());
    EXPECT_TRUE(has_problem(problems, "organization.credit_code", "credit_code.checksum"));
    EXPECT_EQ(std::count_if(problems.begin(), problems.end(), [](auto& p) { return p.field == "organization.credit_code"; }), 1);
    EXPECT_TRUE(std::any_of(problems.begin(), problems.end(), [](auto& p) { return p.field == "handler.id_number"; }));
    EXPECT_TRUE(has_problem(problems, "handler.phone", "phone.invalid"));
    EXPECT_TRUE(has_problem(problems, "handler.email", "email.invalid"));
    EXPECT_TRUE(has_problem(problems, "years", "years.unsupported"));
    EXPECT_TRUE(has_problem(problems, "algorithm", "algorithm.unsupported"));
    EXPECT_TRUE(has_problem(problems, "address", "field.required"));
    EXPECT_EQ(problems.size(), 7u);
}

TEST(Validation, HolderOnlyForOrganizationIndividual) {
    auto f = good_form();
    auto problems = validate_form(Business::new_cert, CertType::organization_individual, Channel::online, f, context());
    EXPECT_TRUE(has_problem(problems, "holder", "field.required"));
    f.holder = Person{"李四", resident_id("11010119851231002"), "", ""};
    EXPECT_TRUE(validate_form(Business::new_cert, CertType::organization_individual, Channel::online, f, context()).empty());
    problems = validate_form(Business::new_cert, CertType::organization, Channel::online, f, context());
    EXPECT_TRUE(has_problem(problems, "holder", "field.not_applicable"));
}

TEST(Validation, BusinessOnAnExistingCertificateNamesIt) {
    auto f = good_form();
    auto problems = validate_form(Business::revoke, CertType::organization, Channel::online, f, context());
    EXPECT_TRUE(has_problem(problems, "certificate_serial", "field.required"));
    EXPECT_TRUE(has_problem(problems, "revoke_reason", "field.required"));
    f.certificate_serial = "7f3a9c";
    f.revoke_reason = "certificateHold";  // not a reason a final revocation may give
    problems = validate_form(Business::revoke, CertType::organization, Channel::online, f, context());
    EXPECT_TRUE(has_problem(problems, "revoke_reason", "revoke_reason.invalid"));
    f.revoke_reason = "cessationOfOperation";
    EXPECT_TRUE(validate_form(Business::revoke, CertType::organization, Channel::online, f, context()).empty());
}

TEST(Validation, PickUpNamesAKnownServicePoint) {
    auto f = good_form();
    f.delivery = Delivery::pickup;
    f.service_point = "atlantis";
    EXPECT_TRUE(has_problem(validate_form(Business::new_cert, CertType::organization, Channel::online, f, context()),
                            "service_point", "service_point.unknown"));
    f.service_point = "yannan";
    EXPECT_TRUE(validate_form(Business::new_cert, CertType::organization, Channel::online, f, context()).empty());
}

TEST(Validation, PhoneAndEmailShapes) {
    EXPECT_TRUE(is_mainland_mobile("13800138000"));
    EXPECT_TRUE(is_mainland_mobile("19912345678"));
    EXPECT_FALSE(is_mainland_mobile("12800138000"));
    EXPECT_FALSE(is_mainland_mobile("1380013800"));
    EXPECT_FALSE(is_mainland_mobile("1380013800a"));
    EXPECT_TRUE(is_email("a.b@example.com.cn"));
    EXPECT_FALSE(is_email("a@b"));
    EXPECT_FALSE(is_email("a b@example.com"));
    EXPECT_EQ(utf8_length("深圳CA"), 4);
    EXPECT_EQ(utf8_length("\xE6\xB7"), -1);
}

TEST(StateMachine, FollowsTheDesign) {
    using K = Actor::Kind;
    EXPECT_TRUE(check_transition(State::draft, State::submitted, K::applicant));
    EXPECT_TRUE(check_transition(State::awaiting_payment, State::paid, K::system));
    EXPECT_TRUE(check_transition(State::in_review, State::approved, K::staff));
    // Illegal: a conflict that says where it can go.
    auto r = check_transition(State::draft, State::approved, K::staff);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "application.illegal_transition");
    EXPECT_NE(r.error().message.find("submitted"), std::string::npos);
    // Legal, but not the applicant's to make.
    r = check_transition(State::in_review, State::approved, K::applicant);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "application.transition_not_yours");
    // Nothing leaves cancelled or delivered.
    EXPECT_FALSE(check_transition(State::cancelled, State::draft, K::staff));
    EXPECT_FALSE(check_transition(State::delivered, State::cancelled, K::staff));
    EXPECT_FALSE(check_transition(State::issued, State::cancelled, K::staff));  // cancel only before issue
}

core::Bytes bytes(std::initializer_list<unsigned> v) {
    core::Bytes out;
    for (auto b : v) out.push_back(static_cast<std::uint8_t>(b));
    return out;
}

TEST(Materials, TypeIsJudgedByContent) {
    EXPECT_EQ(*sniff_material_type(bytes({0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'})), "image/jpeg");
    EXPECT_EQ(*sniff_material_type(bytes({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0})), "image/png");
    EXPECT_EQ(*sniff_material_type(core::to_bytes("%PDF-1.7\n")), "application/pdf");
    auto exe = sniff_material_type(bytes({'M', 'Z', 0x90, 0}));
    ASSERT_FALSE(exe);
    EXPECT_EQ(exe.error().code, "material.type_refused");
    EXPECT_NE(exe.error().message.find("Windows executable"), std::string::npos);
    EXPECT_FALSE(sniff_material_type(core::to_bytes("\x7F" "ELF")));
    EXPECT_FALSE(sniff_material_type(core::to_bytes("GIF89a")));
    EXPECT_FALSE(sniff_material_type({}));
}

TEST(Materials, FileNamesAreCleaned) {
    EXPECT_EQ(clean_file_name("../../etc/passwd"), "passwd");
    EXPECT_EQ(clean_file_name("C:\\scans\\营业执照.pdf"), "营业执照.pdf");
    EXPECT_EQ(clean_file_name("a\nb\"c.png"), "abc.png");
    EXPECT_EQ(clean_file_name(""), "upload");
}

}  // namespace
}  // namespace eseal::ra
