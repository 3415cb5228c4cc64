// GM/T 0016-2012 §7.5 container management.
#include <algorithm>
#include <string>

#include "api_support.hpp"
#include "handles.hpp"
#include "pins.hpp"
#include "skf.h"

using namespace eseal::softskf;

namespace {

constexpr std::size_t kMaxContainers = 16;
constexpr ULONG kMaxCertificate = 16U << 10;
constexpr ULONG kContainerEmpty = 0;  // §7.5.7: 0 empty, 1 RSA, 2 ECC
constexpr ULONG kContainerEcc = 2;

HandleTable& handles() {
    return HandleTable::instance();
}

ULONG check_container_name(std::optional<std::string_view> name) {
    if (!name)
        return SAR_INVALIDPARAMERR;
    if (name->size() > kMaxContainerName)
        return SAR_NAMELENERR;
    return printable_name(*name) ? SAR_OK : SAR_INVALIDPARAMERR;
}

}  // namespace

// §7.5.2: needs the user PIN.
ULONG DEVAPI SKF_CreateContainer(HAPPLICATION hApplication, LPSTR szContainerName,
                                 HCONTAINER* phContainer) {
    return guarded([&]() -> ULONG {
        return with_application(
            hApplication, LockMode::exclusive,
            [&](Transaction& tx, Application& app, AppSession& session) -> ULONG {
                const auto name = c_string(szContainerName);
                if (const ULONG rc = check_container_name(name); rc != SAR_OK)
                    return rc;
                if (phContainer == nullptr)
                    return SAR_INVALIDPARAMERR;
                if (!session.user_logged_in)
                    return SAR_USER_NOT_LOGGED_IN;
                if (app.find_container(*name) != nullptr)
                    return SAR_FILE_ALREADY_EXIST;
                if (app.containers.size() >= kMaxContainers)
                    return SAR_REACH_MAX_CONTAINER_COUNT;
                auto id = random_id();
                if (!id)
                    return SAR_GENRANDERR;
                Container container;
                container.id = std::move(*id);
                container.name = std::string(*name);
                app.containers.push_back(container);
                if (const ULONG rc = tx.save(); rc != SAR_OK)
                    return rc;
                auto opened = std::make_shared<ContainerSession>();
                opened->app = session.shared_from_this();
                opened->container_id = container.id;
                *phContainer = handles().add(std::move(opened), hApplication);
                return SAR_OK;
            });
    });
}

// §7.5.3: needs the user PIN; the keys and certificates go with the container.
ULONG DEVAPI SKF_DeleteContainer(HAPPLICATION hApplication, LPSTR szContainerName) {
    return guarded([&]() -> ULONG {
        return with_application(
            hApplication, LockMode::exclusive,
            [&](Transaction& tx, Application& app, AppSession& session) -> ULONG {
                const auto name = c_string(szContainerName);
                if (!name)
                    return SAR_INVALIDPARAMERR;
                if (!session.user_logged_in)
                    return SAR_USER_NOT_LOGGED_IN;
                const auto it = std::ranges::find(app.containers, *name, &Container::name);
                if (it == app.containers.end())
                    return SAR_FILE_NOT_EXIST;
                app.containers.erase(it);
                return tx.save();
            });
    });
}

ULONG DEVAPI SKF_OpenContainer(HAPPLICATION hApplication, LPSTR szContainerName,
                               HCONTAINER* phContainer) {
    return guarded([&]() -> ULONG {
        return with_application(hApplication, LockMode::shared,
                                [&](Transaction&, Application& app, AppSession& session) -> ULONG {
                                    const auto name = c_string(szContainerName);
                                    if (!name || phContainer == nullptr)
                                        return SAR_INVALIDPARAMERR;
                                    const Container* container = app.find_container(*name);
                                    if (container == nullptr)
                                        return SAR_FILE_NOT_EXIST;
                                    auto opened = std::make_shared<ContainerSession>();
                                    opened->app = session.shared_from_this();
                                    opened->container_id = container->id;
                                    *phContainer = handles().add(std::move(opened), hApplication);
                                    return SAR_OK;
                                });
    });
}

ULONG DEVAPI SKF_CloseContainer(HCONTAINER hContainer) {
    return guarded([&]() -> ULONG {
        return handles().remove<ContainerSession>(hContainer) ? SAR_OK : SAR_INVALIDHANDLEERR;
    });
}

ULONG DEVAPI SKF_EnumContainer(HAPPLICATION hApplication, LPSTR szContainerName, ULONG* pulSize) {
    return guarded([&]() -> ULONG {
        return with_application(hApplication, LockMode::shared,
                                [&](Transaction&, Application& app, AppSession&) -> ULONG {
                                    if (pulSize == nullptr)
                                        return SAR_INVALIDPARAMERR;
                                    std::vector<std::string> names;
                                    for (const auto& c : app.containers) names.push_back(c.name);
                                    return write_name_list(names, szContainerName, pulSize);
                                });
    });
}

ULONG DEVAPI SKF_GetContainerType(HCONTAINER hContainer, ULONG* pulContainerType) {
    return guarded([&]() -> ULONG {
        return with_container(hContainer, LockMode::shared,
                              [&](Transaction&, Application&, Container& c, AppSession&) -> ULONG {
                                  if (pulContainerType == nullptr)
                                      return SAR_INVALIDPARAMERR;
                                  *pulContainerType = c.sign_key ? kContainerEcc : kContainerEmpty;
                                  return SAR_OK;
                              });
    });
}

// §7.5.8: bSignFlag TRUE for the signing certificate, FALSE for the encryption one. Needs the
// user PIN. The bytes are stored as given (normally DER); the token does not parse them.
ULONG DEVAPI SKF_ImportCertificate(HCONTAINER hContainer, BOOL bSignFlag, BYTE* pbCert,
                                   ULONG ulCertLen) {
    return guarded([&]() -> ULONG {
        return with_container(
            hContainer, LockMode::exclusive,
            [&](Transaction& tx, Application&, Container& c, AppSession& session) -> ULONG {
                if (pbCert == nullptr)
                    return SAR_INVALIDPARAMERR;
                if (ulCertLen == 0 || ulCertLen > kMaxCertificate)
                    return SAR_INDATALENERR;
                if (!session.user_logged_in)
                    return SAR_USER_NOT_LOGGED_IN;
                (is_true(bSignFlag) ? c.sign_cert : c.enc_cert).assign(pbCert, pbCert + ulCertLen);
                return tx.save();
            });
    });
}

// §7.5.9: SAR_CERTNOTFOUNTERR for an empty slot.
ULONG DEVAPI SKF_ExportCertificate(HCONTAINER hContainer, BOOL bSignFlag, BYTE* pbCert,
                                   ULONG* pulCertLen) {
    return guarded([&]() -> ULONG {
        return with_container(hContainer, LockMode::shared,
                              [&](Transaction&, Application&, Container& c, AppSession&) -> ULONG {
                                  if (pulCertLen == nullptr)
                                      return SAR_INVALIDPARAMERR;
                                  const Bytes& cert = is_true(bSignFlag) ? c.sign_cert : c.enc_cert;
                                  if (cert.empty())
                                      return SAR_CERTNOTFOUNTERR;
                                  return write_output(cert, pbCert, pulCertLen);
                              });
    });
}
