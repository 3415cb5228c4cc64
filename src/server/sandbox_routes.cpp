#include "server/sandbox_routes.hpp"

#include <spdlog/spdlog.h>

#include "ra/applications.hpp"
#include "server/api_support.hpp"

namespace eseal::server {
namespace {

using nlohmann::json;

std::string escape_html(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

Response page(int status, const std::string& title, const std::string& body) {
    Response r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.body = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
             "content=\"width=device-width\"><title>" +
             escape_html(title) + "</title></head><body><p><strong>沙箱 / sandbox</strong>：开发环境模拟的外部服务。</p><h1>" +
             escape_html(title) + "</h1>" + body + "</body></html>";
    r.set("Cache-Control", "no-store");
    return r;
}

std::string buttons(const std::string& base, std::initializer_list<std::pair<const char*, const char*>> choices) {
    std::string out;
    for (const auto& [path, label] : choices)
        out += "<form method=\"post\" action=\"" + escape_html(base + "/" + path) + "\"><button type=\"submit\">" + label +
               "</button></form>";
    return out;
}

std::string mask(const std::string& id) {
    return id.size() > 8 ? id.substr(0, 4) + std::string(id.size() - 8, '*') + id.substr(id.size() - 4) : id;
}

}  // namespace

void add_sandbox_routes(Router& router, SandboxContext ctx) {
    router.add("GET", "/api/v1/dev/messages", [ctx](const Request& req, const Captures&) {
        const auto to = query_param(req, "to").value_or("");
        json list = json::array();
        auto add = [&](const std::vector<ra::providers::SandboxMessage>& messages, const char* channel) {
            for (const auto& m : messages)
                list.push_back({{"id", m.id}, {"channel", channel}, {"to", m.recipient}, {"subject", m.subject},
                                {"body", m.body}, {"sent_at", core::format_utc(m.sent_at)}});
        };
        add(ctx.sms.messages(to), "sms");
        add(ctx.email.messages(to), "email");
        return json_response(200, {{"messages", list}});
    });

    router.add("GET", "/sandbox/face/{ref}", [ctx](const Request&, const Captures& c) {
        const auto session = ctx.face.session(c.at("ref"));
        if (!session) return page(404, "人脸核验", "<p>没有这个核验会话。</p>");
        return page(200, "人脸核验",
                    "<p>姓名：" + escape_html(session->name) + "；身份证号：" + escape_html(mask(session->id_number)) + "</p>" +
                        buttons("/sandbox/face/" + c.at("ref"), {{"pass", "核验通过"}, {"fail", "核验不通过"}}));
    });
    router.add("POST", "/sandbox/face/{ref}/{outcome}", [ctx](const Request&, const Captures& c) {
        const bool pass = c.at("outcome") == "pass";
        if (!pass && c.at("outcome") != "fail") return page(404, "人脸核验", "<p>结果只能是 pass 或 fail。</p>");
        auto callback = ctx.face.make_callback(c.at("ref"), pass ? ra::providers::FaceOutcome::pass : ra::providers::FaceOutcome::fail,
                                               pass ? 0.98 : 0.21, pass ? "" : "face does not match the ID photo");
        if (!callback) return page(404, "人脸核验", "<p>" + escape_html(callback.error().message) + "</p>");
        ctx.delivery.deliver_async(*callback);
        spdlog::info("sandbox: face check {} {}; callback to {}", c.at("ref"), c.at("outcome"), callback->url);
        return page(202, "人脸核验", std::string("<p>") + (pass ? "核验通过" : "核验不通过") + "，结果已发送。</p>");
    });

    router.add("GET", "/sandbox/pay/{method}/{order}", [ctx](const Request&, const Captures& c) {
        const auto& order = c.at("order");
        std::int64_t amount = -1;
        if (c.at("method") == "wechat") {
            if (auto o = ctx.wechat.order(order)) amount = o->total_fen;
        } else if (c.at("method") == "alipay") {
            if (auto o = ctx.alipay.order(order)) amount = o->total_fen;
        }
        if (amount < 0) return page(404, "支付", "<p>没有这个订单。</p>");
        return page(200, c.at("method") == "wechat" ? "微信支付" : "支付宝",
                    "<p>订单 " + escape_html(order) + "，金额 ¥" + ra::yuan(amount) + "</p>" +
                        buttons("/sandbox/pay/" + c.at("method") + "/" + order, {{"success", "确认支付"}, {"failure", "支付失败"}}));
    });
    router.add("POST", "/sandbox/pay/{method}/{order}/{outcome}", [ctx](const Request&, const Captures& c) {
        const bool success = c.at("outcome") == "success";
        if (!success && c.at("outcome") != "failure") return page(404, "支付", "<p>结果只能是 success 或 failure。</p>");
        const auto outcome = success ? ra::providers::PaymentOutcome::success : ra::providers::PaymentOutcome::failure;
        core::Result<ra::providers::Callback> callback = core::fail(core::Errc::not_found, "sandbox.method", "no such method");
        if (c.at("method") == "wechat") callback = ctx.wechat.make_notification(c.at("order"), outcome);
        else if (c.at("method") == "alipay") callback = ctx.alipay.make_notification(c.at("order"), outcome);
        if (!callback) return page(404, "支付", "<p>" + escape_html(callback.error().message) + "</p>");
        ctx.delivery.deliver_async(*callback);
        spdlog::info("sandbox: {} order {} {}; notification to {}", c.at("method"), c.at("order"), c.at("outcome"), callback->url);
        return page(202, "支付", success ? "<p>支付成功，通知已发送。</p>" : "<p>支付失败，通知已发送。</p>");
    });
}

}  // namespace eseal::server
