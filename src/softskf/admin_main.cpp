// eseal-softskf-admin: makes and inspects soft token devices. SKF itself has no "create device"
// call (a real token comes from the factory), so this tool plays the factory.
//
//   eseal-softskf-admin create DIR/NAME [--serial S] [--label L] [--dev-auth-key HEX]
//   eseal-softskf-admin info DIR/NAME
//
// A device is found by SKF_EnumDev / SKF_ConnectDev when DIR is $ESEAL_SOFTSKF_DIR (default
// $HOME/.eseal-softskf) and NAME is its name.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "device_state.hpp"
#include "device_store.hpp"
#include "pins.hpp"

using namespace eseal::softskf;

namespace {

// "1234567812345678" in ASCII: the default device authentication key of many vendors.
constexpr std::string_view kDefaultDevAuthKeyHex = "31323334353637383132333435363738";

int usage() {
    std::cerr << "usage:\n"
                 "  eseal-softskf-admin create DIR/NAME [--serial S] [--label L] "
                 "[--dev-auth-key HEX]\n"
                 "  eseal-softskf-admin info DIR/NAME\n"
                 "NAME: 1-64 of [A-Za-z0-9._-]; serial and label at most 31 bytes; the device\n"
                 "authentication key is 16 bytes (32 hex digits), default "
              << kDefaultDevAuthKeyHex << " (\"1234567812345678\").\n";
    return 2;
}

int fail(const std::string& message) {
    std::cerr << "eseal-softskf-admin: " << message << "\n";
    return 1;
}

int create(const std::filesystem::path& dir, const std::vector<std::string_view>& options) {
    DeviceState state;
    state.label = dir.filename().string();
    std::string key_hex(kDefaultDevAuthKeyHex);
    std::optional<std::string> serial;
    for (std::size_t i = 0; i < options.size(); i += 2) {
        if (i + 1 >= options.size())
            return usage();
        const std::string_view option = options[i];
        const std::string value(options[i + 1]);
        if (option == "--serial")
            serial = value;
        else if (option == "--label")
            state.label = value;
        else if (option == "--dev-auth-key")
            key_hex = value;
        else
            return usage();
    }
    if (!serial) {
        const auto id = random_id();
        if (!id)
            return fail("no randomness");
        serial = id->substr(0, 16);
    }
    state.serial = *serial;
    if (state.serial.empty() || state.serial.size() > 31)
        return fail("serial: 1-31 bytes");
    if (state.label.size() > 31)
        return fail("label: at most 31 bytes");
    const auto key = from_hex(key_hex);
    if (!key || key->size() != 16)
        return fail("--dev-auth-key: 32 hex digits");
    state.dev_auth_key = *key;
    if (!valid_device_name(dir.filename().string()))
        return fail("device name: 1-64 of [A-Za-z0-9._-], not starting with '.'");

    const ULONG rc = create_device(dir, state);
    if (rc == SAR_FILE_ALREADY_EXIST)
        return fail(dir.string() + ": a device is already there");
    if (rc != SAR_OK)
        return fail(dir.string() + ": cannot write the device");
    std::cout << "created " << dir.string() << " serial " << state.serial << " label "
              << state.label << "\n";
    return 0;
}

int info(const std::filesystem::path& dir) {
    const auto store = DeviceStore::for_directory(dir);
    const ULONG rc = store->transact(LockMode::shared, [](Transaction& tx) -> ULONG {
        const DeviceState& s = tx.state();
        std::cout << "serial " << s.serial << "\nlabel " << s.label << "\n";
        for (const auto& app : s.applications) {
            std::cout << "application " << app.name << "\n"
                      << "  admin PIN " << app.admin_pin.remaining_retries << "/"
                      << app.admin_pin.max_retries << " tries left\n"
                      << "  user PIN " << app.user_pin.remaining_retries << "/"
                      << app.user_pin.max_retries << " tries left\n";
            for (const auto& c : app.containers) {
                std::cout << "  container " << c.name << ": "
                          << (c.sign_key ? "SM2 signing key" : "no key") << ", sign cert "
                          << c.sign_cert.size() << " bytes, enc cert " << c.enc_cert.size()
                          << " bytes\n";
            }
        }
        return SAR_OK;
    });
    if (rc != SAR_OK) {
        char code[16];
        std::snprintf(code, sizeof code, "0x%08X", static_cast<unsigned>(rc));
        return fail(dir.string() + ": cannot read the device (" + code + ")");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.size() < 2)
        return usage();
    try {
        std::filesystem::path dir = std::filesystem::path(args[1]).lexically_normal();
        if (!dir.has_filename())
            dir = dir.parent_path();  // "DIR/NAME/"
        if (args[0] == "create")
            return create(dir, {args.begin() + 2, args.end()});
        if (args[0] == "info" && args.size() == 2)
            return info(dir);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    return usage();
}
