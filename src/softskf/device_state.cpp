#include "device_state.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace eseal::softskf {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "eseal-softskf-device";
constexpr int kVersion = 1;

json bytes_json(ByteView b) {
    return to_hex(b);
}

Bytes bytes_from(const json& j, std::string_view key, std::optional<std::size_t> size = {}) {
    auto decoded = from_hex(j.at(std::string(key)).get<std::string>());
    if (!decoded || (size && decoded->size() != *size))
        throw std::invalid_argument("bad field " + std::string(key));
    return *decoded;
}

json sealed_json(const Sealed& s) {
    return {{"nonce", bytes_json(s.nonce)},
            {"ciphertext", bytes_json(s.ciphertext)},
            {"tag", bytes_json(s.tag)}};
}

Sealed sealed_from(const json& j) {
    return {bytes_from(j, "nonce", kGcmNonceBytes), bytes_from(j, "ciphertext"),
            bytes_from(j, "tag", kGcmTagBytes)};
}

json pin_json(const PinRecord& p) {
    return {{"kdf",
             {{"name", "scrypt"},
              {"salt", bytes_json(p.kdf.salt)},
              {"n", p.kdf.n},
              {"r", p.kdf.r},
              {"p", p.kdf.p}}},
            {"verifier", bytes_json(p.verifier)},
            {"max_retries", p.max_retries},
            {"remaining_retries", p.remaining_retries},
            {"default", p.is_default},
            {"wrapped_dek", sealed_json(p.wrapped_dek)}};
}

PinRecord pin_from(const json& j) {
    const json& kdf = j.at("kdf");
    if (kdf.at("name").get<std::string>() != "scrypt")
        throw std::invalid_argument("kdf");
    PinRecord p;
    p.kdf = {bytes_from(kdf, "salt", kPinSaltBytes), kdf.at("n").get<std::uint64_t>(),
             kdf.at("r").get<std::uint32_t>(), kdf.at("p").get<std::uint32_t>()};
    p.verifier = bytes_from(j, "verifier", kPinVerifierBytes);
    p.max_retries = j.at("max_retries").get<std::uint32_t>();
    p.remaining_retries = j.at("remaining_retries").get<std::uint32_t>();
    p.is_default = j.at("default").get<bool>();
    p.wrapped_dek = sealed_from(j.at("wrapped_dek"));
    if (p.remaining_retries > p.max_retries || p.wrapped_dek.ciphertext.size() != kDataKeyBytes)
        throw std::invalid_argument("pin");
    return p;
}

json container_json(const Container& c) {
    json j = {{"id", c.id},
              {"name", c.name},
              {"sign_cert", bytes_json(c.sign_cert)},
              {"enc_cert", bytes_json(c.enc_cert)}};
    if (c.sign_key) {
        j["sign_key"] = {{"algorithm", "sm2"},
                         {"public", bytes_json(c.sign_key->public_point)},
                         {"private", sealed_json(c.sign_key->private_scalar)}};
    }
    return j;
}

Container container_from(const json& j) {
    Container c;
    c.id = j.at("id").get<std::string>();
    c.name = j.at("name").get<std::string>();
    c.sign_cert = bytes_from(j, "sign_cert");
    c.enc_cert = bytes_from(j, "enc_cert");
    if (j.contains("sign_key")) {
        const json& k = j.at("sign_key");
        if (k.at("algorithm").get<std::string>() != "sm2")
            throw std::invalid_argument("alg");
        SignKey key;
        const Bytes pub = bytes_from(k, "public", key.public_point.size());
        std::copy(pub.begin(), pub.end(), key.public_point.begin());
        key.private_scalar = sealed_from(k.at("private"));
        if (key.private_scalar.ciphertext.size() != kSm2ScalarBytes)
            throw std::invalid_argument("private");
        c.sign_key = std::move(key);
    }
    return c;
}

json application_json(const Application& a) {
    json containers = json::array();
    for (const auto& c : a.containers) containers.push_back(container_json(c));
    return {{"id", a.id},
            {"name", a.name},
            {"create_file_rights", a.create_file_rights},
            {"admin_pin", pin_json(a.admin_pin)},
            {"user_pin", pin_json(a.user_pin)},
            {"containers", std::move(containers)}};
}

Application application_from(const json& j) {
    Application a;
    a.id = j.at("id").get<std::string>();
    a.name = j.at("name").get<std::string>();
    a.create_file_rights = j.at("create_file_rights").get<std::uint32_t>();
    a.admin_pin = pin_from(j.at("admin_pin"));
    a.user_pin = pin_from(j.at("user_pin"));
    for (const auto& c : j.at("containers")) a.containers.push_back(container_from(c));
    return a;
}

}  // namespace

Container* Application::find_container(std::string_view wanted) {
    const auto it = std::ranges::find(containers, wanted, &Container::name);
    return it == containers.end() ? nullptr : &*it;
}

Container* Application::find_container_by_id(std::string_view wanted) {
    const auto it = std::ranges::find(containers, wanted, &Container::id);
    return it == containers.end() ? nullptr : &*it;
}

Application* DeviceState::find_application(std::string_view wanted) {
    const auto it = std::ranges::find(applications, wanted, &Application::name);
    return it == applications.end() ? nullptr : &*it;
}

Application* DeviceState::find_application_by_id(std::string_view wanted) {
    const auto it = std::ranges::find(applications, wanted, &Application::id);
    return it == applications.end() ? nullptr : &*it;
}

std::string serialize(const DeviceState& state) {
    json applications = json::array();
    for (const auto& a : state.applications) applications.push_back(application_json(a));
    const json j = {{"format", kFormat},
                    {"version", kVersion},
                    {"serial", state.serial},
                    {"label", state.label},
                    {"dev_auth_key", bytes_json(state.dev_auth_key)},
                    {"applications", std::move(applications)}};
    return j.dump(2) + "\n";
}

std::optional<DeviceState> parse_state(std::string_view text) {
    try {
        const json j = json::parse(text);
        if (j.at("format").get<std::string>() != kFormat || j.at("version").get<int>() != kVersion)
            return std::nullopt;
        DeviceState state;
        state.serial = j.at("serial").get<std::string>();
        state.label = j.at("label").get<std::string>();
        state.dev_auth_key = bytes_from(j, "dev_auth_key", 16);
        for (const auto& a : j.at("applications"))
            state.applications.push_back(application_from(a));
        return state;
    } catch (const json::exception&) {
        return std::nullopt;
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

std::string dek_binding(const Application& app, PinRole role) {
    return "eseal-softskf/v1/dek/" + app.id + (role == PinRole::admin ? "/admin" : "/user");
}

std::string sign_key_binding(const Application& app, const Container& container) {
    return "eseal-softskf/v1/sign-key/" + app.id + "/" + container.id;
}

}  // namespace eseal::softskf
