#pragma once
// How a provider reaches its outside service, and what an outside service sends back to us.
// A provider speaks the service's request shape through an ApiTransport: in production an HTTPS
// client to the service's host, in development the service's sandbox answering in-process (the
// sandbox classes implement it). Callbacks go the other way: the sandbox makes them exactly as
// the service would and server::SandboxDelivery POSTs them to our callback URL.
#include <string>

#include "core/error.hpp"
#include "ra/ports.hpp"

namespace eseal::ra::providers {

struct ApiReply {
    int status = 0;
    HeaderMap headers;  // names in lowercase
    std::string body;
};

class ApiTransport {
  public:
    virtual ~ApiTransport() = default;
    // One HTTP exchange. An error means the service was not reached; a refusal by the service is
    // a reply with its status.
    [[nodiscard]] virtual core::Result<ApiReply> exchange(const std::string& method,
                                                          const std::string& path,
                                                          const HeaderMap& headers,
                                                          const std::string& body) = 0;
};

// An HTTP POST an outside service makes to us (a payment notification, a face-check result).
struct Callback {
    std::string url;
    HeaderMap headers;  // names in lowercase
    std::string body;
};

}  // namespace eseal::ra::providers
