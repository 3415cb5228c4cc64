#include "ra/agreements.hpp"

namespace eseal::ra {

// Our own short texts (not any CA's): what the service is, what the customer must do, what we
// keep and why. An operator replaces them with the licensed CA's texts and a new version.
Agreements Agreements::standard() {
    return Agreements({
        {"agreement", "2026-11-01", "电子认证服务协议",
         "一、本协议由申请机构（以下简称“用户”）与电子认证服务机构（以下简称“CA”）订立。\n"
         "二、CA 依据《中华人民共和国电子签名法》和《电子认证服务管理办法》为用户签发数字证书，证书存放于 USB Key（Ukey）中。\n"
         "三、用户保证所提交的资料真实、准确、完整，并对因资料不实造成的后果负责。\n"
         "四、用户应妥善保管 Ukey 及其 PIN 码；Ukey 遗失、PIN 码泄露或证书信息变更时，应及时申请注销、补办或变更。\n"
         "五、证书有效期届满前，用户可申请续期；证书注销后不可恢复。\n"
         "六、收费标准以 CA 公布的收费表为准；注销、变更免费。\n"},
        {"privacy", "2026-11-01", "隐私政策",
         "我们收集经办人的姓名、身份证号码、手机号码、电子邮箱及证件照片，用于身份核验、证书签发、短信通知和开具发票。\n"
         "证件扫描件仅供 CA 审核人员查看，申请办结后按法定期限保存，到期删除。\n"
         "人脸核验由身份核验服务提供方完成，我们只保存核验结果，不保存人脸图像。\n"
         "您可以联系客服查询、更正您的个人信息。\n"},
    });
}

const AgreementText* Agreements::find(const std::string& document) const {
    for (const auto& a : m_current)
        if (a.document == document) return &a;
    return nullptr;
}

}  // namespace eseal::ra
