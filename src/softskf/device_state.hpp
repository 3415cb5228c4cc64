#pragma once
// What a soft token holds, as stored in DEVICE_DIR/device.json (format in README.md). The
// structure follows GM/T 0016-2012 §5: a device holds applications; an application has an admin
// PIN, a user PIN and containers; a container holds an SM2 signing key pair and the signing and
// encryption certificates.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bytes.hpp"
#include "key_wrap.hpp"
#include "sm2.hpp"

namespace eseal::softskf {

enum class PinRole { admin, user };

struct PinRecord {
    PinKdf kdf;
    Bytes verifier;
    std::uint32_t max_retries = 0;
    std::uint32_t remaining_retries = 0;
    bool is_default = true;  // never changed since the application was created
    Sealed wrapped_dek;      // the application's DEK under this PIN's KEK
};

struct SignKey {
    Sm2Point public_point{};
    Sealed private_scalar;  // under the DEK
};

struct Container {
    std::string id;  // random; binds sealed keys and open handles to this very container
    std::string name;
    std::optional<SignKey> sign_key;
    Bytes sign_cert;  // empty: none
    Bytes enc_cert;
};

struct Application {
    std::string id;
    std::string name;
    std::uint32_t create_file_rights = 0;
    PinRecord admin_pin;
    PinRecord user_pin;
    std::vector<Container> containers;

    PinRecord& pin(PinRole role) { return role == PinRole::admin ? admin_pin : user_pin; }
    [[nodiscard]] Container* find_container(std::string_view name);
    [[nodiscard]] Container* find_container_by_id(std::string_view id);
};

struct DeviceState {
    std::string serial;
    std::string label;
    Bytes dev_auth_key;  // 16 bytes, SM4 (GM/T 0016-2012 §7.2.3)
    std::vector<Application> applications;

    [[nodiscard]] Application* find_application(std::string_view name);
    [[nodiscard]] Application* find_application_by_id(std::string_view id);
};

[[nodiscard]] std::string serialize(const DeviceState& state);
// nullopt when the text is not a well-formed state of a known version.
[[nodiscard]] std::optional<DeviceState> parse_state(std::string_view text);

// Associated data that binds each sealed secret to its place, so that blobs cannot be moved
// between applications, roles or containers.
[[nodiscard]] std::string dek_binding(const Application& app, PinRole role);
[[nodiscard]] std::string sign_key_binding(const Application& app, const Container& container);

}  // namespace eseal::softskf
