// `eseal token …`: the CA's USB keys (Ukeys) over PKCS#11: inventory, enrollment, PINs, unlock.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/signing_options.hpp"
#include "cli/subject_options.hpp"
#include "token/pkcs11_service.hpp"

namespace eseal::cli {
namespace {

struct Common {
    std::string driver = "pkcs11";
    std::string module;  // empty: the driver's default (see default_token_module)
};

core::Result<std::unique_ptr<token::UkeyService>> service(PlatformHandle& handle, const Common& c) {
    auto platform = handle.get();
    if (!platform) return std::unexpected(platform.error());
    return (*platform)->ukey_service(c.driver, c.module.empty() ? default_token_module(c.driver) : c.module);
}

void print_pin(const core::SecureString& pin) {
    // Shown once: the service texts it to the handler (guide §3); eseal keeps no copy.
    std::cout << "PIN: " << pin.view() << "\n";
    std::cerr << "note: the PIN above is shown once and not stored; give it to the key's holder\n";
}

int do_list(PlatformHandle& handle, const Common& c) {
    auto svc = service(handle, c);
    if (!svc) return report(svc.error());
    auto present = (*svc)->present();
    if (!present) return report(present.error());
    auto& store = (*handle.get())->store();
    for (const auto& t : *present) {
        std::string state = "blank";
        if (!t.blank) {
            auto rec = store.find_token(t.serial);
            state = rec && *rec ? std::string(token::to_string((*rec)->state)) : "not in inventory";
        }
        std::cout << (t.serial.empty() ? "-" : t.serial) << "  " << state << "  " << (t.label.empty() ? "-" : t.label)
                  << "  " << t.detail << (t.pin_locked ? "  PIN LOCKED" : "") << "\n";
    }
    auto inventory = store.list_tokens(std::nullopt);
    if (!inventory) return report(inventory.error());
    for (const auto& r : *inventory) {
        if (r.driver != (*svc)->driver()) continue;
        bool plugged = false;
        for (const auto& t : *present) plugged = plugged || (!t.blank && t.serial == r.serial);
        if (!plugged)
            std::cout << r.serial << "  (not plugged in)  " << token::to_string(r.state) << "  " << r.label << "\n";
    }
    return kExitOk;
}

int do_init(PlatformHandle& handle, const Common& c, const std::string& label) {
    auto svc = service(handle, c);
    if (!svc) return report(svc.error());
    auto rec = (*svc)->init_blank(label, "cli");
    if (!rec) return report(rec.error());
    std::cout << "token " << rec->serial << " initialized, in stock (label " << rec->label
              << "; SO PIN kept sealed by the CA)\n";
    return kExitOk;
}

int do_show(PlatformHandle& handle, const Common& c, const std::string& serial, bool pin_stdin, bool with_pin) {
    auto svc = service(handle, c);
    if (!svc) return report(svc.error());
    auto rec = (*handle.get())->store().find_token(serial);
    if (!rec) return report(rec.error());
    if (*rec) {
        std::cout << "serial     " << (*rec)->serial << "\nstate      " << token::to_string((*rec)->state)
                  << "\nlabel      " << (*rec)->label << "\nmodule     " << (*rec)->module << "\nupdated    "
                  << core::format_utc((*rec)->updated_at) << "\n";
        for (const auto& cert : (*rec)->certificates)
            std::cout << "certificate " << cert.certificate_serial << " (key ID " << cert.key_id << ", written "
                      << core::format_utc(cert.written_at) << ")\n";
    } else {
        std::cout << "token " << serial << " is not in the inventory\n";
    }
    std::optional<core::SecureString> pin;
    if (with_pin || pin_stdin) {
        auto p = read_pin(pin_stdin, "ESEAL_PIN", "user PIN");
        if (!p) return report(p.error());
        pin = std::move(*p);
    }
    auto objects = (*svc)->objects(serial, pin ? &*pin : nullptr);
    if (!objects) return report(objects.error());
    for (const auto& o : *objects) {
        std::cout << "object     " << o.kind << "  label \"" << o.label << "\"  ID " << core::hex_encode(o.id);
        if (!o.key_type.empty()) std::cout << "  " << o.key_type;
        if (o.sensitive) std::cout << (*o.sensitive ? "  sensitive" : "  NOT sensitive");
        if (o.extractable) std::cout << (*o.extractable ? "  EXTRACTABLE" : "  not extractable");
        std::cout << "\n";
    }
    return kExitOk;
}

struct EnrollOptions {
    std::string serial, label = "eseal Ukey", ca, profile = "org", algo = "ecdsa-p256";
    int years = 1;
    int pin_digits = 8;
    std::string out;
    SubjectOptions subject;
};

int do_enroll(PlatformHandle& handle, const Common& c, const EnrollOptions& o) {
    auto profile = pki::parse_profile(o.profile);
    auto alg = crypto::parse_key_algorithm(o.algo);
    if (!profile || !alg)
        return report(core::Error{core::Errc::invalid_input, "token.options", "unknown profile or algorithm", {}});
    auto svc = service(handle, c);
    if (!svc) return report(svc.error());
    auto ca = (*handle.get())->certificate_authority(o.ca);
    if (!ca) return report(ca.error());
    token::EnrollRequest req;
    req.token_serial = o.serial;
    req.label = o.label;
    req.algorithm = *alg;
    req.pin_digits = o.pin_digits;
    req.issue.profile = *profile;
    req.issue.years = o.years;
    req.issue.overrides = o.subject.fields();
    req.issue.actor = "cli";
    auto done = (*svc)->enroll(*ca, req);
    if (!done) return report(done.error());
    std::cout << "token " << done->token.serial << " enrolled: key " << done->key_id << " generated on the token, "
              << "certificate " << done->certificate.serial << " written to it\n"
              << "subject " << done->certificate.subject << "\n";
    print_pin(done->user_pin);
    return kExitOk;
}

int do_change_pin(PlatformHandle& handle, const Common& c, const std::string& serial, bool pin_stdin) {
    auto old_pin = read_pin(pin_stdin, "ESEAL_PIN", "current PIN");
    if (!old_pin) return report(old_pin.error());
    auto new_pin = read_pin(pin_stdin, "ESEAL_NEW_PIN", "new PIN");
    if (!new_pin) return report(new_pin.error());
    auto svc = service(handle, c);
    if (!svc) return report(svc.error());
    if (auto r = (*svc)->change_pin(serial, *old_pin, *new_pin, "cli"); !r) return report(r.error());
    std::cout << "PIN changed on token " << serial << "\n";
    return kExitOk;
}

int do_unlock(PlatformHandle& handle, const Common& c, const std::string& serial, int digits) {
    auto svc = service(handle, c);
    if (!svc) return report(svc.error());
    auto pin = (*svc)->unlock(serial, digits, "cli");
    if (!pin) return report(pin.error());
    std::cout << "token " << serial << " unlocked: the SO (admin) PIN set a new user PIN\n";
    print_pin(*pin);
    return kExitOk;
}

struct SignOptions {
    std::string serial, key_id, in, out;
    bool pin_stdin = false;
};

// Signs a file's bytes with a key on the token (SM2 with the ID 1234567812345678, ECDSA or RSA
// with SHA-256), writing the DER signature: the desktop signer's primitive.
int do_sign(PlatformHandle& handle, const Common& c, const SignOptions& o) {
    auto data = read_file(o.in, std::size_t{256} << 20);
    if (!data) return report(data.error());
    auto pin = read_pin(o.pin_stdin, "ESEAL_PIN", "user PIN");
    if (!pin) return report(pin.error());
    auto svc = service(handle, c);
    if (!svc) return report(svc.error());
    auto signer = (*svc)->signer(o.serial, o.key_id, *pin);
    if (!signer) return report(signer.error());
    auto sig = (*signer)->sign(core::as_bytes(*data));
    if (!sig) return report(sig.error());
    if (auto w = write_file(o.out, core::to_string(*sig)); !w) return report(w.error());
    std::cerr << "signed " << data->size() << " bytes with " << crypto::to_string((*signer)->algorithm()) << "\n";
    return kExitOk;
}

int do_wipe(PlatformHandle& handle, const Common& c, const std::string& serial, bool retire) {
    auto svc = service(handle, c);
    if (!svc) return report(svc.error());
    const auto then = retire ? token::TokenState::retired : token::TokenState::in_stock;
    if (auto r = (*svc)->wipe(serial, then, (*handle.get())->store(), "cli"); !r) return report(r.error());
    std::cout << "token " << serial << " wiped; now " << token::to_string(then) << "\n";
    return kExitOk;
}

}  // namespace

void add_token_commands(CLI::App& app, PlatformHandle& platform, Handler& selected) {
    auto* tok = app.add_subcommand("token", "USB keys (Ukeys) and HSM tokens, over PKCS#11 or GM/T 0016 SKF");
    tok->require_subcommand(1);
    auto common = std::make_shared<Common>();
    const auto add_module = [&](CLI::App* cmd) {
        cmd->add_option("--driver", common->driver, "pkcs11 (PKCS#11 tokens, HSMs) or skf (GM/T 0016 SM2 keys)")
            ->check(CLI::IsMember({"pkcs11", "skf"}))
            ->capture_default_str();
        cmd->add_option("--module", common->module,
                        "library: default $ESEAL_PKCS11_MODULE or SoftHSM2 (pkcs11), $ESEAL_SKF_MODULE or eseal's "
                        "soft token (skf)");
    };

    auto* list = tok->add_subcommand("list", "tokens plugged in, with their inventory state");
    add_module(list);
    list->callback([&, common] { selected = [&, common] { return do_list(platform, *common); }; });

    auto label = std::make_shared<std::string>("eseal Ukey");
    auto* init = tok->add_subcommand("init", "initialize a blank token into the inventory (random SO PIN, sealed)");
    add_module(init);
    init->add_option("--label", *label, "token label (at most 32 bytes)")->capture_default_str();
    init->callback([&, common, label] { selected = [&, common, label] { return do_init(platform, *common, *label); }; });

    auto show = std::make_shared<std::tuple<std::string, bool, bool>>();
    auto* c_show = tok->add_subcommand("show", "a token's inventory record and the objects on it");
    add_module(c_show);
    c_show->add_option("serial", std::get<0>(*show), "token serial")->required();
    c_show->add_flag("--pin", std::get<2>(*show), "log in (PIN from $ESEAL_PIN or a prompt) to list private objects too");
    c_show->add_flag("--pin-stdin", std::get<1>(*show), "read the PIN from stdin");
    c_show->callback([&, common, show] {
        selected = [&, common, show] {
            return do_show(platform, *common, std::get<0>(*show), std::get<1>(*show), std::get<2>(*show));
        };
    });

    auto enroll = std::make_shared<EnrollOptions>();
    auto* c_enroll = tok->add_subcommand(
        "enroll", "make a Ukey: key pair generated on the token, certificate issued and written to it, random PIN");
    add_module(c_enroll);
    c_enroll->add_option("--serial", enroll->serial, "a token in stock (default: initialize a blank one)");
    c_enroll->add_option("--label", enroll->label, "token and key label")->capture_default_str();
    c_enroll->add_option("--ca", enroll->ca, "issuing CA (default: the only one)");
    c_enroll->add_option("--profile", enroll->profile, "org or org-individual")->capture_default_str();
    c_enroll->add_option("--years", enroll->years, "validity in years, 1 to 5")->capture_default_str();
    c_enroll->add_option("--algo", enroll->algo, "key algorithm on the token: ecdsa-p256, rsa2048, rsa3072 (pkcs11); sm2 (skf)")
        ->check(CLI::IsMember({"ecdsa-p256", "rsa2048", "rsa3072", "sm2"}))
        ->capture_default_str();
    c_enroll->add_option("--pin-digits", enroll->pin_digits, "length of the random user PIN, 6 to 8")
        ->check(CLI::Range(6, 8))
        ->capture_default_str();
    add_subject_options(*c_enroll, enroll->subject);
    c_enroll->callback([&, common, enroll] { selected = [&, common, enroll] { return do_enroll(platform, *common, *enroll); }; });

    auto cp = std::make_shared<std::pair<std::string, bool>>();
    auto* c_cp = tok->add_subcommand("change-pin", "change the user PIN (old and new PIN from stdin or $ESEAL_PIN, $ESEAL_NEW_PIN)");
    add_module(c_cp);
    c_cp->add_option("serial", cp->first, "token serial")->required();
    c_cp->add_flag("--pin-stdin", cp->second, "read the current and the new PIN from stdin, one per line");
    c_cp->callback([&, common, cp] { selected = [&, common, cp] { return do_change_pin(platform, *common, cp->first, cp->second); }; });

    auto un = std::make_shared<std::pair<std::string, int>>("", 8);
    auto* c_un = tok->add_subcommand("unlock", "reset a locked user PIN with the SO PIN (介质解锁); prints the new PIN once");
    add_module(c_un);
    c_un->add_option("serial", un->first, "token serial")->required();
    c_un->add_option("--pin-digits", un->second, "length of the new PIN, 6 to 8")->check(CLI::Range(6, 8))->capture_default_str();
    c_un->callback([&, common, un] { selected = [&, common, un] { return do_unlock(platform, *common, un->first, un->second); }; });

    auto sign = std::make_shared<SignOptions>();
    auto* c_sign = tok->add_subcommand("sign", "sign a file with a key on the token (DER signature out)");
    add_module(c_sign);
    c_sign->add_option("serial", sign->serial, "token serial")->required();
    c_sign->add_option("--key-id", sign->key_id, "the key: CKA_ID (hex) or SKF container name")->required();
    c_sign->add_option("--in", sign->in, "file to sign")->required();
    c_sign->add_option("--out", sign->out, "signature file ('-': stdout)")->required();
    c_sign->add_flag("--pin-stdin", sign->pin_stdin, "read the PIN from stdin (else $ESEAL_PIN or a prompt)");
    c_sign->callback([&, common, sign] { selected = [&, common, sign] { return do_sign(platform, *common, *sign); }; });

    auto wipe = std::make_shared<std::pair<std::string, bool>>();
    auto* c_wipe = tok->add_subcommand("wipe", "erase a token (its certificates must be revoked or expired)");
    add_module(c_wipe);
    c_wipe->add_option("serial", wipe->first, "token serial")->required();
    c_wipe->add_flag("--retire", wipe->second, "take it out of service instead of back to stock");
    c_wipe->callback([&, common, wipe] { selected = [&, common, wipe] { return do_wipe(platform, *common, wipe->first, wipe->second); }; });
}

}  // namespace eseal::cli
