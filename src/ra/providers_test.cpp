// The providers against their sandboxes: what a sandbox makes is accepted and read right; every
// forgery is refused with its own error code; the message sandboxes refuse bad recipients and
// keep what they "send" readable.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <deque>
#include <filesystem>
#include <fstream>
#include <thread>

#include "crypto/soft_key.hpp"
#include "ra/providers/alipay_provider.hpp"
#include "ra/providers/alipay_sandbox.hpp"
#include "ra/providers/alipay_signature.hpp"
#include "ra/providers/face_signature.hpp"
#include "ra/providers/form_urlencoded.hpp"
#include "ra/providers/money.hpp"
#include "ra/providers/random_text.hpp"
#include "ra/providers/recipients.hpp"
#include "ra/providers/sandbox_email_provider.hpp"
#include "ra/providers/sandbox_face_provider.hpp"
#include "ra/providers/sandbox_face_service.hpp"
#include "ra/providers/sandbox_sms_provider.hpp"
#include "ra/providers/wechat_pay_provider.hpp"
#include "ra/providers/wechat_pay_sandbox.hpp"
#include "ra/providers/wechat_pay_signature.hpp"

namespace eseal::ra::providers {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

core::TimePoint noon() {
    return std::chrono::sys_days{std::chrono::year{2026} / 1 / 5} + 4h;  // 12:00 Beijing
}

// RSA-2048 generation is slow in a debug build: test keys are made once per run, sandboxes
// once per suite (each test uses its own order numbers).
const crypto::SoftKey& rsa_key(std::size_t n) {
    static std::deque<crypto::SoftKey> keys;  // push_back keeps references valid
    while (keys.size() <= n)
        keys.push_back(crypto::SoftKey::generate(crypto::KeyAlgorithm::rsa2048).value());
    return keys[n];
}
const crypto::SoftKey& merchant_key() {
    return rsa_key(0);
}
const crypto::SoftKey& stranger_key() {
    return rsa_key(1);
}

Payment payment(std::string order_no, std::int64_t fen, PaymentMethod method) {
    Payment p;
    p.order_no = std::move(order_no);
    p.application_id = "A202601050001";
    p.method = method;
    p.amount_fen = fen;
    return p;
}

template <class T>
std::string code_of(const core::Result<T>& r) {
    return r ? std::string("(accepted)") : r.error().code;
}

// An ApiTransport between the provider and a sandbox that rewrites replies, as a party in the
// middle would.
class RewritingTransport final : public ApiTransport {
  public:
    RewritingTransport(ApiTransport& inner, std::function<void(ApiReply&)> rewrite)
        : m_inner(inner), m_rewrite(std::move(rewrite)) {}
    core::Result<ApiReply> exchange(const std::string& method, const std::string& path,
                                    const HeaderMap& headers, const std::string& body) override {
        auto reply = m_inner.exchange(method, path, headers, body);
        if (reply)
            m_rewrite(*reply);
        return reply;
    }

  private:
    ApiTransport& m_inner;
    std::function<void(ApiReply&)> m_rewrite;
};

// ---- amounts and forms -------------------------------------------------------------------------

TEST(ProviderMoney, YuanTextToFenExactly) {
    EXPECT_EQ(parse_yuan("0.1").value(), 10);
    EXPECT_EQ(parse_yuan("0.10").value(), 10);
    EXPECT_EQ(parse_yuan("0.01").value(), 1);
    EXPECT_EQ(parse_yuan("200").value(), 20000);
    EXPECT_EQ(parse_yuan("200.00").value(), 20000);
    EXPECT_EQ(parse_yuan("12.34").value(), 1234);
    EXPECT_EQ(parse_yuan("100000000.00").value(), 10'000'000'000);
    for (const char* bad :
         {"", ".", "1.", ".5", "1.234", "-1.00", "+1.00", "1e2", " 1.00", "1.00 ", "01.00", "1,00",
          "0x10", "100000000.01", "9999999999", "1.2.3", "１.00"})
        EXPECT_EQ(code_of(parse_yuan(bad)), "amount.malformed") << bad;
    EXPECT_EQ(format_yuan(20000), "200.00");
    EXPECT_EQ(format_yuan(10), "0.10");
    EXPECT_EQ(format_yuan(1), "0.01");
    EXPECT_EQ(format_yuan(0), "0.00");
}

TEST(ProviderForm, DecodesPlusAsSpaceAndRefusesAmbiguity) {
    auto f = parse_form("b=x+y%2Bz&a=%E6%94%AF%E4%BB%98&empty=&flag");
    ASSERT_TRUE(f) << f.error().describe();
    EXPECT_EQ(f->at("b"), "x y+z");
    EXPECT_EQ(f->at("a"), "支付");
    EXPECT_EQ(f->at("empty"), "");
    EXPECT_EQ(f->at("flag"), "");
    EXPECT_EQ(f->begin()->first, "a") << "sorted by name";
    EXPECT_EQ(code_of(parse_form("a=1&a=2")), "form.malformed");
    EXPECT_EQ(code_of(parse_form("a=%4")), "form.malformed");
    EXPECT_EQ(code_of(parse_form("a=%zz")), "form.malformed");
    EXPECT_EQ(code_of(parse_form("=1")), "form.malformed");
    const FormFields round{{"k", "a b+c&d=e/支"}};
    EXPECT_EQ(parse_form(encode_form(round)).value(), round);
}

// ---- WeChat Pay --------------------------------------------------------------------------------

class WechatPayTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        m_sandbox =
            WechatPaySandbox::create(
                {"1900009191", "wxd678efh567hg6787"},
                core::SecureString("0123456789abcdefghijABCDEFGHIJ01"),
                {"5157F09EFDC096DE15EBE81A47057A7232F1B8E1", merchant_key().public_key()}, m_clock)
                .value();
        m_provider = std::make_unique<WechatPayProvider>(
            m_sandbox->merchant_config("http://127.0.0.1:8080/api/v1/payments/wechat/notify"),
            merchant_key(), *m_sandbox, m_clock);
    }
    static void TearDownTestSuite() {
        m_provider.reset();
        m_sandbox.reset();
    }
    void SetUp() override { m_clock.set(noon()); }

    // An order at the sandbox and its notification.
    Callback paid(const std::string& order_no, std::int64_t fen = 20000,
                  PaymentOutcome outcome = PaymentOutcome::success) {
        auto order =
            m_provider->create_order(payment(order_no, fen, PaymentMethod::wechat), "数字证书服务");
        EXPECT_TRUE(order) << order.error().describe();
        auto n = m_sandbox->make_notification(order_no, outcome);
        EXPECT_TRUE(n) << n.error().describe();
        return *n;
    }

    static inline core::ManualClock m_clock{noon()};
    static inline std::unique_ptr<WechatPaySandbox> m_sandbox;
    static inline std::unique_ptr<WechatPayProvider> m_provider;
};

TEST_F(WechatPayTest, NativeOrderGivesACodeUrlAndTheNotificationIsRead) {
    auto order = m_provider->create_order(payment("P20260105000001", 20000, PaymentMethod::wechat),
                                          "数字证书服务");
    ASSERT_TRUE(order) << order.error().describe();
    EXPECT_TRUE(order->qr_content.starts_with("weixin://wxpay/bizpayurl?pr=")) << order->qr_content;
    const auto recorded = m_sandbox->order("P20260105000001");
    ASSERT_TRUE(recorded);
    EXPECT_EQ(recorded->total_fen, 20000);
    EXPECT_EQ(recorded->notify_url, "http://127.0.0.1:8080/api/v1/payments/wechat/notify");

    const auto n = m_sandbox->make_notification("P20260105000001", PaymentOutcome::success);
    ASSERT_TRUE(n) << n.error().describe();
    EXPECT_EQ(n->url, recorded->notify_url);
    for (const char* h :
         {"wechatpay-serial", "wechatpay-signature", "wechatpay-timestamp", "wechatpay-nonce"})
        EXPECT_TRUE(n->headers.contains(h)) << h;
    const auto body = json::parse(n->body);
    EXPECT_EQ(body["event_type"], "TRANSACTION.SUCCESS");
    EXPECT_EQ(body["resource"]["algorithm"], "AEAD_AES_256_GCM");
    EXPECT_EQ(n->body.find("P20260105000001"), std::string::npos) << "the resource is encrypted";

    auto notice = m_provider->parse_notification(n->headers, n->body);
    ASSERT_TRUE(notice) << notice.error().describe();
    EXPECT_EQ(notice->order_no, "P20260105000001");
    EXPECT_EQ(notice->amount_fen, 20000);
    EXPECT_TRUE(notice->success);
    EXPECT_EQ(notice->transaction_id, m_sandbox->order("P20260105000001")->transaction_id);
    EXPECT_EQ(notice->transaction_id.size(), 28u);
    EXPECT_EQ(notice->notify_id, body["id"]);
    EXPECT_EQ(json::parse(m_provider->acknowledge(true)),
              (json{{"code", "SUCCESS"}, {"message", "成功"}}));
    EXPECT_EQ(json::parse(m_provider->acknowledge(false))["code"], "FAIL");
}

TEST_F(WechatPayTest, OrderingAgainIsIdempotentButAChangedOrderIsRefused) {
    const auto p = payment("P20260105000002", 20000, PaymentMethod::wechat);
    const auto first = m_provider->create_order(p, "数字证书服务");
    const auto again = m_provider->create_order(p, "数字证书服务");
    ASSERT_TRUE(first && again);
    EXPECT_EQ(first->qr_content, again->qr_content);
    const auto changed = m_provider->create_order(
        payment("P20260105000002", 1, PaymentMethod::wechat), "数字证书服务");
    ASSERT_EQ(code_of(changed), "wechatpay.refused");
    EXPECT_NE(changed.error().message.find("OUT_TRADE_NO_USED"), std::string::npos);
    EXPECT_EQ(m_sandbox->order("P20260105000002")->total_fen, 20000) << "the first order stands";
}

TEST_F(WechatPayTest, AFailedPaymentAndAnotherAmountAreReportedAsSent) {
    const auto failed = paid("P20260105000003", 20000, PaymentOutcome::failure);
    auto notice = m_provider->parse_notification(failed.headers, failed.body);
    ASSERT_TRUE(notice) << notice.error().describe();
    EXPECT_FALSE(notice->success);
    // The provider reports the amount paid; matching it to the order is the payment service's.
    auto other = m_sandbox->make_notification("P20260105000003", PaymentOutcome::success, 1);
    ASSERT_TRUE(other);
    notice = m_provider->parse_notification(other->headers, other->body);
    ASSERT_TRUE(notice);
    EXPECT_TRUE(notice->success);
    EXPECT_EQ(notice->amount_fen, 1);
}

TEST_F(WechatPayTest, ForgedNotificationsAreEachRefusedWithTheirOwnCode) {
    const auto n = paid("P20260105000004");
    ASSERT_TRUE(m_provider->parse_notification(n.headers, n.body));

    {  // signed by a key that is not the platform's, under the platform's serial
        auto h = n.headers;
        h["wechatpay-signature"] =
            core::base64_encode(stranger_key()
                                    .sign(core::as_bytes(wechatpay_response_message(
                                        h["wechatpay-timestamp"], h["wechatpay-nonce"], n.body)))
                                    .value());
        EXPECT_EQ(code_of(m_provider->parse_notification(h, n.body)),
                  "wechatpay.signature_invalid");
    }
    {  // the body altered after signing (cryptographically the same failure as above)
        std::string body = n.body;
        body.replace(body.find("支付成功"), std::string("支付成功").size(), "支付失败");
        EXPECT_EQ(code_of(m_provider->parse_notification(n.headers, body)),
                  "wechatpay.signature_invalid");
    }
    {  // a serial that is not one of our platform certificates
        auto h = n.headers;
        h["wechatpay-serial"] = "0000000000000000000000000000000000000000";
        EXPECT_EQ(code_of(m_provider->parse_notification(h, n.body)), "wechatpay.serial_unknown");
    }
    {  // WeChat's signature probe, and garbage
        auto h = n.headers;
        h["wechatpay-signature"] = "WECHATPAY/SIGNTEST/" + h["wechatpay-signature"];
        EXPECT_EQ(code_of(m_provider->parse_notification(h, n.body)),
                  "wechatpay.signature_malformed");
    }
    {  // a header missing
        auto h = n.headers;
        h.erase("wechatpay-nonce");
        EXPECT_EQ(code_of(m_provider->parse_notification(h, n.body)), "wechatpay.header_missing");
    }
    {  // another signature type
        auto h = n.headers;
        h["wechatpay-signature-type"] = "WECHATPAY2-SM2-WITH-SM3";
        EXPECT_EQ(code_of(m_provider->parse_notification(h, n.body)), "wechatpay.signature_type");
    }
}

TEST_F(WechatPayTest, StaleOrFutureTimestampsAreRefused) {
    const auto now = paid("P20260105000005");
    m_clock.advance(-6min);
    const auto early = m_sandbox->make_notification("P20260105000005", PaymentOutcome::success);
    m_clock.advance(12min);
    const auto late = m_sandbox->make_notification("P20260105000005", PaymentOutcome::success);
    m_clock.set(noon());
    ASSERT_TRUE(early && late);
    EXPECT_EQ(code_of(m_provider->parse_notification(early->headers, early->body)),
              "wechatpay.timestamp_stale");
    EXPECT_EQ(code_of(m_provider->parse_notification(late->headers, late->body)),
              "wechatpay.timestamp_stale");
    // Within 5 minutes is fine; a replay of the fresh one later is not.
    m_clock.advance(4min);
    EXPECT_TRUE(m_provider->parse_notification(now.headers, now.body));
    m_clock.advance(2min);
    EXPECT_EQ(code_of(m_provider->parse_notification(now.headers, now.body)),
              "wechatpay.timestamp_stale");
}

TEST_F(WechatPayTest, AWrongApiV3KeyOrAlteredCiphertextDoesNotDecrypt) {
    const auto n = paid("P20260105000006");
    auto config = m_sandbox->merchant_config("http://127.0.0.1/notify");
    config.api_v3_key = core::SecureString("ZZZZZZZZZZabcdefghijABCDEFGHIJ01");
    WechatPayProvider wrong_key(std::move(config), merchant_key(), *m_sandbox, m_clock);
    EXPECT_EQ(code_of(wrong_key.parse_notification(n.headers, n.body)),
              "wechatpay.resource_undecryptable");

    // A ciphertext altered and then validly signed (as if the signing key leaked, or WeChat
    // signed garbage): the AEAD tag still catches it.
    auto body = json::parse(n.body);
    auto ct = core::base64_decode(body["resource"]["ciphertext"].get<std::string>()).value();
    ct[10] ^= 0x01;
    body["resource"]["ciphertext"] = core::base64_encode(ct);
    const std::string altered = body.dump();
    const auto headers = m_sandbox->sign(altered);
    ASSERT_TRUE(headers);
    EXPECT_EQ(code_of(m_provider->parse_notification(*headers, altered)),
              "wechatpay.resource_undecryptable");
    // associated_data is authenticated too.
    body = json::parse(n.body);
    body["resource"]["associated_data"] = "refund";
    const std::string other_aad = body.dump();
    EXPECT_EQ(
        code_of(m_provider->parse_notification(m_sandbox->sign(other_aad).value(), other_aad)),
        "wechatpay.resource_undecryptable");
}

TEST_F(WechatPayTest, APaymentToAnotherAppIsRefused) {
    const auto n = paid("P20260105000007");
    auto config = m_sandbox->merchant_config("http://127.0.0.1/notify");
    config.merchant.app_id = "wx0000000000000000";
    WechatPayProvider other_app(std::move(config), merchant_key(), *m_sandbox, m_clock);
    EXPECT_EQ(code_of(other_app.parse_notification(n.headers, n.body)),
              "wechatpay.merchant_mismatch");
}

TEST_F(WechatPayTest, RequestsAreSignedAndRepliesChecked) {
    // A merchant key WeChat does not know: 401 SIGN_ERROR.
    WechatPayProvider unknown(m_sandbox->merchant_config("http://127.0.0.1/notify"), stranger_key(),
                              *m_sandbox, m_clock);
    const auto refused =
        unknown.create_order(payment("P20260105000008", 100, PaymentMethod::wechat), "x");
    ASSERT_EQ(code_of(refused), "wechatpay.refused");
    EXPECT_NE(refused.error().message.find("SIGN_ERROR"), std::string::npos);
    // A reply changed on the way (another code_url) does not verify.
    RewritingTransport mitm(*m_sandbox, [](ApiReply& r) {
        auto j = json::parse(r.body);
        if (j.contains("code_url"))
            j["code_url"] = "weixin://wxpay/bizpayurl?pr=evil";
        r.body = j.dump();
    });
    WechatPayProvider through_mitm(m_sandbox->merchant_config("http://127.0.0.1/notify"),
                                   merchant_key(), mitm, m_clock);
    EXPECT_EQ(code_of(through_mitm.create_order(
                  payment("P20260105000009", 100, PaymentMethod::wechat), "x")),
              "wechatpay.signature_invalid");
}

TEST_F(WechatPayTest, RefundsOnlyPaidOrdersOnceEach) {
    const auto p = payment("P20260105000010", 20000, PaymentMethod::wechat);
    ASSERT_TRUE(m_provider->create_order(p, "数字证书服务"));
    const auto unpaid = m_provider->refund(p, "R20260105000010");
    ASSERT_EQ(code_of(unpaid), "wechatpay.refused");
    EXPECT_NE(unpaid.error().message.find("INVALID_REQUEST"), std::string::npos);
    ASSERT_TRUE(m_sandbox->make_notification(p.order_no, PaymentOutcome::success));
    ASSERT_TRUE(m_provider->refund(p, "R20260105000010"));
    ASSERT_TRUE(m_provider->refund(p, "R20260105000010")) << "the same refund again";
    ASSERT_EQ(m_sandbox->refunds().size(), 1u) << "only this test refunds";
    EXPECT_EQ(m_sandbox->refunds()[0].refund_fen, 20000);
    EXPECT_EQ(m_sandbox->order(p.order_no)->refunded_fen, 20000);
    EXPECT_EQ(code_of(m_provider->refund(p, "R20260105000011")), "wechatpay.refused")
        << "nothing left to refund";
    EXPECT_EQ(code_of(m_sandbox->make_notification("NOPE000001", PaymentOutcome::success)),
              "wechatpay_sandbox.unknown_order");
}

// ---- Alipay ------------------------------------------------------------------------------------

class AlipayTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        m_sandbox =
            AlipaySandbox::create("2021000000000001", merchant_key().public_key(), m_clock).value();
        m_provider = std::make_unique<AlipayProvider>(
            m_sandbox->merchant_config("http://127.0.0.1:8080/api/v1/payments/alipay/notify"),
            merchant_key(), *m_sandbox, m_clock);
    }
    static void TearDownTestSuite() {
        m_provider.reset();
        m_sandbox.reset();
    }
    void SetUp() override { m_clock.set(noon()); }

    void order(const std::string& order_no, std::int64_t fen = 20000) {
        auto o =
            m_provider->create_order(payment(order_no, fen, PaymentMethod::alipay), "数字证书服务");
        ASSERT_TRUE(o) << o.error().describe();
    }
    // A validly signed notification for the order with its fields changed by `edit`.
    std::string signed_with(const std::string& order_no,
                            const std::function<void(FormFields&)>& edit) {
        const auto n = m_sandbox->make_notification(order_no, PaymentOutcome::success);
        EXPECT_TRUE(n);
        auto fields = parse_form(n->body).value();
        edit(fields);
        return m_sandbox->sign_notification(std::move(fields)).value();
    }

    static inline core::ManualClock m_clock{noon()};
    static inline std::unique_ptr<AlipaySandbox> m_sandbox;
    static inline std::unique_ptr<AlipayProvider> m_provider;
};

TEST_F(AlipayTest, PrecreateGivesAQrCodeAndTheNotificationIsRead) {
    auto o = m_provider->create_order(payment("P20260105000101", 20000, PaymentMethod::alipay),
                                      "数字证书服务");
    ASSERT_TRUE(o) << o.error().describe();
    EXPECT_TRUE(o->qr_content.starts_with("https://qr.alipay.com/")) << o->qr_content;
    const auto n = m_sandbox->make_notification("P20260105000101", PaymentOutcome::success);
    ASSERT_TRUE(n) << n.error().describe();
    EXPECT_EQ(n->url, "http://127.0.0.1:8080/api/v1/payments/alipay/notify");
    EXPECT_TRUE(n->headers.at("content-type").starts_with("application/x-www-form-urlencoded"));
    const auto fields = parse_form(n->body).value();
    EXPECT_EQ(fields.at("total_amount"), "200.00");
    EXPECT_EQ(fields.at("sign_type"), "RSA2");
    auto notice = m_provider->parse_notification({}, n->body);
    ASSERT_TRUE(notice) << notice.error().describe();
    EXPECT_EQ(notice->order_no, "P20260105000101");
    EXPECT_EQ(notice->amount_fen, 20000);
    EXPECT_TRUE(notice->success);
    EXPECT_EQ(notice->transaction_id, m_sandbox->order("P20260105000101")->trade_no);
    EXPECT_EQ(notice->notify_id, fields.at("notify_id"));
    EXPECT_EQ(m_provider->acknowledge(true), "success");
    EXPECT_EQ(m_provider->acknowledge(false), "failure");

    const auto closed = m_sandbox->make_notification("P20260105000101", PaymentOutcome::failure);
    notice = m_provider->parse_notification({}, closed->body);
    ASSERT_TRUE(notice);
    EXPECT_FALSE(notice->success);
}

TEST_F(AlipayTest, AmountsInYuanAreReadExactly) {
    order("P20260105000102", 10);
    for (const auto& [text, fen] : std::vector<std::pair<std::string, std::int64_t>>{
             {"0.1", 10}, {"0.10", 10}, {"0.01", 1}, {"200", 20000}}) {
        const auto n =
            m_sandbox->make_notification("P20260105000102", PaymentOutcome::success, text);
        auto notice = m_provider->parse_notification({}, n->body);
        ASSERT_TRUE(notice) << text << ": " << notice.error().describe();
        EXPECT_EQ(notice->amount_fen, fen) << text;
    }
    for (const char* bad : {"1.234", "1e2", "-0.10", "0,10", ""}) {
        const auto n =
            m_sandbox->make_notification("P20260105000102", PaymentOutcome::success, bad);
        const auto r = m_provider->parse_notification({}, n->body);
        // An empty value is left out of what is signed, and then missing.
        EXPECT_EQ(code_of(r), *bad ? "alipay.amount_malformed" : "alipay.field_missing") << bad;
    }
}

TEST_F(AlipayTest, ForgedNotificationsAreEachRefusedWithTheirOwnCode) {
    order("P20260105000103");
    const auto n = m_sandbox->make_notification("P20260105000103", PaymentOutcome::success);
    ASSERT_TRUE(m_provider->parse_notification({}, n->body));
    auto fields = parse_form(n->body).value();

    {  // a parameter changed after signing
        auto f = fields;
        f["total_amount"] = "0.01";
        EXPECT_EQ(code_of(m_provider->parse_notification({}, encode_form(f))),
                  "alipay.sign_invalid");
        f = fields;
        f["out_trade_no"] = "P20260105999999";
        EXPECT_EQ(code_of(m_provider->parse_notification({}, encode_form(f))),
                  "alipay.sign_invalid");
        f = fields;
        f["extra_param"] = "x";  // an added parameter is signed content too
        EXPECT_EQ(code_of(m_provider->parse_notification({}, encode_form(f))),
                  "alipay.sign_invalid");
    }
    {  // signed by a key that is not Alipay's
        auto f = fields;
        f["sign"] =
            alipay_sign(stranger_key(), alipay_sign_content(f, AlipaySigned::notification)).value();
        EXPECT_EQ(code_of(m_provider->parse_notification({}, encode_form(f))),
                  "alipay.sign_invalid");
    }
    {
        auto f = fields;
        f.erase("sign");
        EXPECT_EQ(code_of(m_provider->parse_notification({}, encode_form(f))),
                  "alipay.sign_missing");
        f = fields;
        f["sign"] = "***";
        EXPECT_EQ(code_of(m_provider->parse_notification({}, encode_form(f))),
                  "alipay.sign_malformed");
        f = fields;
        f["sign_type"] = "RSA";
        EXPECT_EQ(code_of(m_provider->parse_notification({}, encode_form(f))), "alipay.sign_type");
    }
    EXPECT_EQ(code_of(m_provider->parse_notification({}, n->body + "&sign=again")),
              "alipay.malformed");
    // Validly signed by Alipay, but for another app.
    const auto other_app =
        signed_with("P20260105000103", [](FormFields& f) { f["app_id"] = "2021999999999999"; });
    EXPECT_EQ(code_of(m_provider->parse_notification({}, other_app)), "alipay.app_mismatch");
    const auto odd_status =
        signed_with("P20260105000103", [](FormFields& f) { f["trade_status"] = "PAID"; });
    EXPECT_EQ(code_of(m_provider->parse_notification({}, odd_status)),
              "alipay.trade_status_unknown");
    const auto no_trade =
        signed_with("P20260105000103", [](FormFields& f) { f.erase("trade_no"); });
    EXPECT_EQ(code_of(m_provider->parse_notification({}, no_trade)), "alipay.field_missing");
}

TEST_F(AlipayTest, TheGatewayChecksOurSignatureAndRefundsOnce) {
    AlipayProvider unknown(m_sandbox->merchant_config("http://127.0.0.1/notify"), stranger_key(),
                           *m_sandbox, m_clock);
    const auto refused =
        unknown.create_order(payment("P20260105000104", 100, PaymentMethod::alipay), "x");
    ASSERT_EQ(code_of(refused), "alipay.refused");
    EXPECT_NE(refused.error().message.find("isv.invalid-signature"), std::string::npos);

    RewritingTransport mitm(*m_sandbox, [](ApiReply& r) {
        const auto at = r.body.find("https://qr.alipay.com/");
        if (at != std::string::npos)
            r.body.replace(at, 22, "https://qr.alipay.evil/");
    });
    AlipayProvider through_mitm(m_sandbox->merchant_config("http://127.0.0.1/notify"),
                                merchant_key(), mitm, m_clock);
    EXPECT_EQ(code_of(through_mitm.create_order(
                  payment("P20260105000105", 100, PaymentMethod::alipay), "x")),
              "alipay.sign_invalid");

    const auto p = payment("P20260105000106", 20000, PaymentMethod::alipay);
    ASSERT_TRUE(m_provider->create_order(p, "数字证书服务"));
    const auto unpaid = m_provider->refund(p, "R1");
    ASSERT_EQ(code_of(unpaid), "alipay.refused");
    EXPECT_NE(unpaid.error().message.find("ACQ.TRADE_STATUS_ERROR"), std::string::npos);
    ASSERT_TRUE(m_sandbox->make_notification(p.order_no, PaymentOutcome::success));
    auto r = m_provider->refund(p, "R1");
    ASSERT_TRUE(r) << r.error().describe();
    ASSERT_TRUE(m_provider->refund(p, "R1"));
    ASSERT_EQ(m_sandbox->refunds().size(), 1u) << "only this test refunds";
    EXPECT_EQ(m_sandbox->refunds()[0].refund_fen, 20000);
    const auto again = m_provider->create_order(p, "数字证书服务");
    ASSERT_EQ(code_of(again), "alipay.refused");
    EXPECT_NE(again.error().message.find("ACQ.TRADE_HAS_SUCCESS"), std::string::npos);
}

// ---- face verification -------------------------------------------------------------------------

class FaceTest : public ::testing::Test {
  protected:
    FaceTest()
        : m_service(core::SecureString("sk_sandbox_123"), core::SecureString("whsec_456"),
                    "http://127.0.0.1:8080/", m_clock),
          m_provider(m_service.client_config("http://127.0.0.1:8080/api/v1/identity/callback"),
                     m_service, m_clock) {}

    IdentitySession start() {
        IdentityCheck c;
        c.id = "IC0001";
        c.application_id = "A202601050001";
        c.purpose = "application";
        c.name = "张三";
        c.id_number = "11010519491231002X";
        auto s = m_provider.start(c);
        EXPECT_TRUE(s) << s.error().describe();
        return *s;
    }

    core::ManualClock m_clock{noon()};
    SandboxFaceService m_service;
    SandboxFaceProvider m_provider;
};

TEST_F(FaceTest, StartGivesAPageAndTheSignedResultIsRead) {
    const auto s = start();
    EXPECT_EQ(s.url, "http://127.0.0.1:8080/sandbox/face/" + s.provider_ref);
    const auto session = m_service.session(s.provider_ref);
    ASSERT_TRUE(session);
    EXPECT_EQ(session->name, "张三");
    EXPECT_EQ(session->reference, "IC0001");

    const auto pass = m_service.make_callback(s.provider_ref, FaceOutcome::pass, 0.93, "");
    ASSERT_TRUE(pass);
    EXPECT_EQ(pass->url, "http://127.0.0.1:8080/api/v1/identity/callback");
    EXPECT_TRUE(pass->headers.at("x-sandbox-signature").starts_with("t="));
    auto result = m_provider.parse_callback(pass->headers, pass->body);
    ASSERT_TRUE(result) << result.error().describe();
    EXPECT_EQ(result->provider_ref, s.provider_ref);
    EXPECT_EQ(result->status, CheckStatus::passed);
    EXPECT_NE(result->detail.find("0.93"), std::string::npos) << result->detail;

    const auto fail = m_service.make_callback(s.provider_ref, FaceOutcome::fail, 0.12, "不是本人");
    result = m_provider.parse_callback(fail->headers, fail->body);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, CheckStatus::failed);
    EXPECT_NE(result->detail.find("不是本人"), std::string::npos);
    EXPECT_EQ(code_of(m_service.make_callback("fv_nope", FaceOutcome::pass, 1, "")),
              "face_sandbox.unknown_ref");
}

TEST_F(FaceTest, ForgedAndStaleCallbacksAreRefused) {
    const auto s = start();
    const auto c = m_service.make_callback(s.provider_ref, FaceOutcome::pass, 0.93, "").value();
    auto h = c.headers;
    h["x-sandbox-signature"] = face_signature_header("not-the-secret", c.body, m_clock.now());
    EXPECT_EQ(code_of(m_provider.parse_callback(h, c.body)), "face.signature_invalid");
    std::string altered = c.body;
    altered.replace(altered.find("\"pass\""), 6, "\"fail\"");
    EXPECT_EQ(code_of(m_provider.parse_callback(c.headers, altered)), "face.signature_invalid");
    h = c.headers;
    h.erase("x-sandbox-signature");
    EXPECT_EQ(code_of(m_provider.parse_callback(h, c.body)), "face.signature_missing");
    h["x-sandbox-signature"] = "v1=abc";
    EXPECT_EQ(code_of(m_provider.parse_callback(h, c.body)), "face.signature_malformed");
    // A rolled-over secret: any one v1 that verifies is enough.
    h["x-sandbox-signature"] = c.headers.at("x-sandbox-signature") + ",v1=00";
    EXPECT_TRUE(m_provider.parse_callback(h, c.body));
    m_clock.advance(5min + 1s);
    EXPECT_EQ(code_of(m_provider.parse_callback(c.headers, c.body)), "face.timestamp_stale");
    // Signed right, but not a result.
    m_clock.set(noon());
    const std::string odd = json{{"ref", s.provider_ref}, {"result", "maybe"}}.dump();
    h["x-sandbox-signature"] = face_signature_header("whsec_456", odd, m_clock.now());
    EXPECT_EQ(code_of(m_provider.parse_callback(h, odd)), "face.result_unknown");
}

TEST_F(FaceTest, AWrongApiKeyIsRefused) {
    auto config = m_service.client_config("http://127.0.0.1/cb");
    config.api_key = core::SecureString("sk_wrong");
    SandboxFaceProvider wrong(std::move(config), m_service, m_clock);
    IdentityCheck c;
    c.name = "张三";
    c.id_number = "11010519491231002X";
    EXPECT_EQ(code_of(wrong.start(c)), "face.refused");
}

// ---- SMS and e-mail ----------------------------------------------------------------------------

OutboxMessage sms(std::string to, std::string body) {
    OutboxMessage m;
    m.channel = MessageChannel::sms;
    m.recipient = std::move(to);
    m.body = std::move(body);
    return m;
}

TEST(SandboxSms, InvalidRecipientsAreErrorsNotSilence) {
    core::ManualClock clock{noon()};
    SandboxSmsProvider provider({}, clock);
    for (const char* bad : {"", "12345", "12800138000", "23800138000", "+8613800138000",
                            "1380013800a", "138001380001", "138 0013 8000"})
        EXPECT_EQ(code_of(provider.send(sms(bad, "您的验证码是 123456"))), "sms.recipient_invalid")
            << bad;
    EXPECT_EQ(code_of(provider.send(sms("13800138000", ""))), "sms.body_empty");
    EXPECT_EQ(code_of(provider.send(sms("13800138000", "\xff\xfe"))), "sms.body_encoding");
    EXPECT_EQ(code_of(provider.send(sms("13800138000", std::string(600, 'a')))), "sms.too_long");
    auto mail = sms("13800138000", "x");
    mail.channel = MessageChannel::email;
    EXPECT_EQ(code_of(provider.send(mail)), "sms.wrong_channel");
    EXPECT_TRUE(provider.messages().empty());
}

TEST(SandboxSms, SentMessagesAreReadableByRecipient) {
    core::ManualClock clock{noon()};
    SandboxSmsProvider provider({}, clock);
    const auto a = provider.send(sms("13800138000", "您的验证码是 123456，5 分钟内有效。"));
    ASSERT_TRUE(a) << a.error().describe();
    ASSERT_TRUE(provider.send(sms("19912345678", "您的证书已签发。")));
    std::string long_text;
    for (int i = 0; i < 100; ++i) long_text += "字";
    ASSERT_TRUE(provider.send(sms("13800138000", long_text)));

    const auto mine = provider.messages("13800138000");
    ASSERT_EQ(mine.size(), 2u);
    EXPECT_EQ(mine[1].id, a->provider_ref) << "newest first";
    EXPECT_EQ(mine[1].body, "【电子印章】您的验证码是 123456，5 分钟内有效。");
    EXPECT_EQ(mine[1].segments, 1u);
    EXPECT_EQ(mine[0].segments, 2u) << "106 characters: two 67-character segments";
    EXPECT_EQ(mine[1].sent_at, noon());
    EXPECT_EQ(provider.messages().size(), 3u);
    EXPECT_TRUE(provider.messages("13900000000").empty());
    EXPECT_EQ(sms_segments(70), 1u);
    EXPECT_EQ(sms_segments(71), 2u);
    EXPECT_EQ(sms_segments(134), 2u);
    EXPECT_EQ(sms_segments(135), 3u);
}

TEST(SandboxSms, TheRingIsBoundedTheFileKeepsAllAndThreadsAreSafe) {
    core::ManualClock clock{noon()};
    const auto dir = std::filesystem::temp_directory_path() / ("eseal-sms-" + random_alnum(12));
    SandboxSmsOptions options;
    options.mailbox.capacity = 50;
    options.mailbox.directory = dir;
    SandboxSmsProvider provider(std::move(options), clock);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&provider, t] {
            for (int i = 0; i < 25; ++i)
                EXPECT_TRUE(
                    provider.send(sms("1380013800" + std::to_string(t), "n" + std::to_string(i))));
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(provider.messages().size(), 50u);
    std::ifstream file(dir / "sms.jsonl");
    std::string line;
    int lines = 0;
    while (std::getline(file, line)) {
        const auto j = json::parse(line);
        EXPECT_EQ(j["channel"], "sms");
        ++lines;
    }
    EXPECT_EQ(lines, 100);
    std::filesystem::remove_all(dir);
}

TEST(SandboxEmail, ChecksTheAddressAndKeepsTheMail) {
    core::ManualClock clock{noon()};
    SandboxEmailProvider provider({}, clock);
    OutboxMessage m;
    m.channel = MessageChannel::email;
    m.subject = "电子印章证书申请已受理";
    m.body = "您好，您的申请 A202601050001 已受理。";
    m.attachment_name = "申请表.pdf";
    m.attachment_blob = std::string(64, 'a');
    for (const char* bad : {"", "alice", "alice@", "@example.com", "alice@example",
                            "alice@@example.com", "al ice@example.com", "alice@-example.com",
                            "alice@example..com", "alice.@example.com", "alice@example.com."}) {
        m.recipient = bad;
        EXPECT_EQ(code_of(provider.send(m)), "email.recipient_invalid") << bad;
    }
    m.recipient = "zhang.san+cert@example.com.cn";
    auto sent = provider.send(m);
    ASSERT_TRUE(sent) << sent.error().describe();
    const auto mail = provider.messages("zhang.san+cert@example.com.cn");
    ASSERT_EQ(mail.size(), 1u);
    EXPECT_EQ(mail[0].id, sent->provider_ref);
    EXPECT_EQ(mail[0].attachment_name, "申请表.pdf");
    m.subject = "hi\r\nBcc: everyone@example.com";
    EXPECT_EQ(code_of(provider.send(m)), "email.header_injection");
    m.subject = "";
    EXPECT_EQ(code_of(provider.send(m)), "email.subject_empty");
    EXPECT_EQ(code_of(provider.send(sms("13800138000", "x"))), "email.wrong_channel");
}

}  // namespace
}  // namespace eseal::ra::providers
