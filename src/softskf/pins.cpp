#include "pins.hpp"

#include <openssl/rand.h>

namespace eseal::softskf {

ULONG check_pin_format(std::string_view pin) {
    return pin.size() >= kMinPinLength && pin.size() <= kMaxPinLength ? SAR_OK : SAR_PIN_LEN_RANGE;
}

PinCheck check_pin(Transaction& tx, Application& app, PinRole role, std::string_view pin) {
    PinRecord& record = app.pin(role);
    if (record.remaining_retries == 0)
        return {SAR_PIN_LOCKED, 0, {}};
    record.remaining_retries -= 1;
    if (const ULONG rc = tx.save(); rc != SAR_OK)
        return {rc, record.remaining_retries + 1, {}};

    const auto keys = derive_pin_keys(pin, record.kdf);
    if (!keys)
        return {SAR_FAIL, record.remaining_retries, {}};
    if (!equal_ct(keys->verifier, record.verifier)) {
        const ULONG remaining = record.remaining_retries;
        return {
            static_cast<ULONG>(remaining == 0 ? SAR_PIN_LOCKED : SAR_PIN_INCORRECT), remaining, {}};
    }
    record.remaining_retries = record.max_retries;
    if (const ULONG rc = tx.save(); rc != SAR_OK)
        return {rc, record.remaining_retries, {}};
    auto dek = unseal(keys->kek, record.wrapped_dek, as_bytes(dek_binding(app, role)));
    // The PIN is right but its key does not open the DEK: the state file was tampered with.
    if (!dek || dek->size() != kDataKeyBytes)
        return {SAR_FILEERR, record.remaining_retries, {}};
    return {SAR_OK, record.remaining_retries, std::move(*dek)};
}

ULONG set_pin(Application& app, PinRole role, std::string_view pin, ByteView dek, bool is_default) {
    PinRecord& record = app.pin(role);
    auto kdf = new_pin_kdf();
    if (!kdf)
        return SAR_GENRANDERR;
    const auto keys = derive_pin_keys(pin, *kdf);
    if (!keys)
        return SAR_FAIL;
    auto wrapped = seal(keys->kek, dek, as_bytes(dek_binding(app, role)));
    if (!wrapped)
        return SAR_FAIL;
    record.kdf = std::move(*kdf);
    record.verifier.assign(keys->verifier.begin(), keys->verifier.end());
    record.wrapped_dek = std::move(*wrapped);
    record.remaining_retries = record.max_retries;
    record.is_default = is_default;
    return SAR_OK;
}

std::optional<std::string> random_id() {
    Bytes id(16);
    if (RAND_bytes(id.data(), static_cast<int>(id.size())) != 1)
        return std::nullopt;
    return to_hex(id);
}

ULONG make_application(const NewApplication& spec, Application& out) {
    const auto dek = random_secret(kDataKeyBytes);
    auto id = random_id();
    if (!dek || !id)
        return SAR_GENRANDERR;
    Application app;
    app.id = std::move(*id);
    app.name = spec.name;
    app.create_file_rights = spec.create_file_rights;
    app.admin_pin.max_retries = spec.admin_retries;
    app.user_pin.max_retries = spec.user_retries;
    if (const ULONG rc = set_pin(app, PinRole::admin, spec.admin_pin, *dek, true); rc != SAR_OK)
        return rc;
    if (const ULONG rc = set_pin(app, PinRole::user, spec.user_pin, *dek, true); rc != SAR_OK)
        return rc;
    out = std::move(app);
    return SAR_OK;
}

}  // namespace eseal::softskf
