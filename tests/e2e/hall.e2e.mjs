// The online business hall in a browser (issue 9): an applicant logs in by keyboard alone with the
// sandbox SMS code, consents, applies for a new organization certificate with live validation,
// downloads the generated application form, uploads the materials (progress, previews), passes
// the sandbox face check, pays by the sandbox WeChat Pay QR code and sees "paid, awaiting review".
// Staff then review, issue onto a SoftHSM2 Ukey and ship it; the applicant, now the seal admin,
// requests an official seal, binds the Ukey with `eseal ukey bind` (PIN from the sandbox SMS, face
// check on the "phone"), stamps a PDF with `eseal pdf sign` on the Ukey, logs the use, stamps one
// again through the stamp page and the local Ukey agent (`eseal ukey agent`: the seal placed by a
// click on the pdf.js preview, the PIN to the agent only, the use logged verified by the server),
// and the public verify page shows the PDF valid.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, BASE, WORK, Skip, check, launch, run, smsCode } from './harness.mjs';

const PHONE = '13800138000';
const browser = await launch();
const page = browser.context.pages()[0] ?? (await browser.context.newPage());
const consoleErrors = [];
page.on('console', (m) => {
  if (m.type() === 'error') consoleErrors.push(m.text());
});
page.on('pageerror', (e) => consoleErrors.push(String(e)));

// What has the focus: tag, name, its label's text, and whether a focus ring is drawn.
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    const cs = el ? getComputedStyle(el) : null;
    return {
      tag: el?.tagName.toLowerCase(),
      name: el?.getAttribute('name') ?? '',
      type: el?.getAttribute('type') ?? '',
      text: (el?.textContent ?? '').trim(),
      label: el?.labels?.[0]?.textContent?.trim() ?? el?.getAttribute('aria-label') ?? '',
      ring: !!cs && cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0,
    };
  });
async function tabTo(predicate, what, limit = 25) {
  const seen = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focused();
    seen.push(f.name || f.text || f.tag);
    if (predicate(f)) return f;
  }
  throw new Error(`Tab never reached ${what}; went through ${seen.join(' → ')}`);
}

// Every form control on the page has a label (its <label>, or aria-label for the hidden file
// inputs behind their visible label buttons); the unlabelled ones, described.
const unlabelled = (p = page) =>
  p.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
      .map((el) => `${el.tagName.toLowerCase()}[name=${el.getAttribute('name')}]`),
  );
async function allLabelled(where, p = page) {
  const bad = await unlabelled(p);
  check(bad.length === 0, `unlabelled controls on ${where}: ${bad.join(', ')}`);
}

// Sample files drawn by the browser itself: a PNG and a JPEG "ID card photo".
async function drawImage(type, text) {
  const dataUrl = await page.evaluate(
    ([type, text]) => {
      const c = document.createElement('canvas');
      c.width = 320;
      c.height = 200;
      const g = c.getContext('2d');
      g.fillStyle = '#dfe9f5';
      g.fillRect(0, 0, 320, 200);
      g.fillStyle = '#b0102a';
      g.font = '28px sans-serif';
      g.fillText(text, 20, 110);
      return c.toDataURL(type, 0.9);
    },
    [type, text],
  );
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

let appId = '';
let staffBrowser = null;
let staff = null;
let current = page;
let formPdf = null;
let sealId = '';
let certSerial = '';
let ukeyPin = '';
const ESEAL = process.env.ESEAL;
const TOKEN = process.env.ESEAL_E2E_TOKEN;
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts }).toString();

// A one-page PDF to stamp (what the customer's contract would be).
function makePdf(path) {
  const text = 'BT /F1 12 Tf 72 720 Td (Contract) Tj ET';
  const bodies = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>',
    '<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = bodies.map((b, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${b}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 6\n0000000000 65535 f\r\n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n\r\n`).join('')}`;
  out += `trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  writeFileSync(path, out, 'latin1');
}

const steps = [
  ['the app loads in Chinese with the SMS login form', async () => {
    await page.goto(BASE + '/');
    await page.getByRole('heading', { name: '手机验证码登录', exact: true }).waitFor();
    check((await page.getAttribute('html', 'lang')) === 'zh-CN', 'html lang is zh-CN');
    check((await page.title()) === '深圳CA 网上营业厅', `title: ${await page.title()}`);
    await allLabelled('the login page');
  }],
  ['keyboard only: Tab reaches the labelled phone field with a visible focus ring; a bad number is flagged', async () => {
    const first = await tabTo(() => true, 'anything', 1);
    check(first.text === '跳到主要内容', `the first Tab stop is the skip link, not ${JSON.stringify(first)}`);
    const phone = await tabTo((f) => f.name === 'phone', 'the phone field');
    check(phone.label === '手机号码', `phone field label: ${phone.label}`);
    check(phone.ring, 'focus ring visible on the phone field');
    await page.keyboard.type('12345');
    await page.keyboard.press('Tab'); // leaves the field: checked
    await page.getByText('不是有效的中国大陆手机号码').waitFor();
    check((await page.getAttribute('input[name=phone]', 'aria-invalid')) === 'true', 'aria-invalid on a bad phone');
    await page.keyboard.press('Shift+Tab');
    check((await focused()).name === 'phone', 'Shift+Tab goes back to the phone field');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(PHONE);
    check((await page.getAttribute('input[name=phone]', 'aria-invalid')) === 'false', 'a good phone is no longer invalid');
  }],
  ['keyboard only: send the code, type it from the sandbox SMS, log in with Enter', async () => {
    const send = await tabTo((f) => f.tag === 'button', 'the send-code button', 3);
    check(send.text === '获取验证码', `send button: ${send.text}`);
    check(send.ring, 'focus ring visible on the button');
    await page.keyboard.press('Enter');
    await page.getByText('验证码已发送，5分钟内有效。').waitFor();
    const codeField = await focused();
    check(codeField.name === 'code' && codeField.label === '短信验证码', `focus moved to the code field: ${JSON.stringify(codeField)}`);
    await page.getByText('开发环境：短信由沙箱代发').waitFor(); // the dev-mode hint
    const code = await smsCode(PHONE);
    await page.keyboard.type(code);
    const submit = await tabTo((f) => f.type === 'submit', 'the login button', 5);
    check(submit.text === '登录', `login button: ${submit.text}`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '我的申请', exact: true }).waitFor();
    await page.getByText('还没有申请。').waitFor();
  }],
  ['证书新办 asks for consent to the agreement and privacy policy first', async () => {
    await page.getByRole('link', { name: '证书新办' }).first().click();
    await page.getByRole('heading', { name: '电子认证服务协议', exact: true }).waitFor();
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByText('请先阅读并勾选同意。').waitFor();
    await page.getByLabel('我同意并接受《电子认证服务协议》和《隐私保护》').check();
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('heading', { name: '证书新办', exact: true }).waitFor();
  }],
  ['the product comes from the catalogue; live validation flags a wrong credit code check character and ID check digit', async () => {
    const product = page.getByLabel('产品');
    check((await product.locator('option:checked').textContent()) === '深圳市统一电子印章管理平台（Ukey）', 'product from the catalogue');
    check(await page.getByRole('radio', { name: '新办' }).isChecked(), 'new business chosen');
    await page.getByRole('radio', { name: '机构证书' }).check();
    const code = page.getByLabel('统一社会信用代码');
    await code.fill('91350100M000100Y44'); // the right check character is 3
    await page.getByText('校验码应为“3”，填写的是“4”').waitFor();
    check((await code.getAttribute('aria-invalid')) === 'true', 'aria-invalid on the credit code');
    await code.fill('91350100M000100Y43');
    await page.getByText('校验码应为“3”').waitFor({ state: 'detached' });
    const handler = page.getByRole('group', { name: '经办人信息' });
    await handler.getByLabel('身份证号码').fill('110105194912310021');
    await page.getByText('校验码应为“X”，填写的是“1”').waitFor();
    await handler.getByLabel('身份证号码').fill('11010519491231002x'); // upper-cased as typed
    check((await handler.getByLabel('身份证号码').inputValue()) === '11010519491231002X', 'ID upper-cased');
    await handler.getByLabel('手机号码').fill('1380013800');
    await handler.getByLabel('电子邮箱').focus();
    await page.getByText('不是有效的中国大陆手机号码').waitFor();
    await handler.getByLabel('手机号码').fill(PHONE);
    await handler.getByLabel('电子邮箱').fill('zhang@example');
    await handler.getByLabel('姓名').focus();
    await page.getByText('不是有效的电子邮箱地址').waitFor();
    await handler.getByLabel('电子邮箱').fill('zhangsan@example.cn');
    await allLabelled('the application form');
  }],
  ['saving with empty fields lists every problem; the filled form is saved as a draft', async () => {
    await page.getByRole('button', { name: '保存申请' }).click();
    await page.getByText(/请修改标出的 \d+ 处问题。/).waitFor();
    const required = await page.locator('.field-error', { hasText: '必填' }).count();
    check(required >= 3, `required fields flagged at once (${required})`);
    await page.getByLabel('单位名称').fill('深圳市示例科技有限公司');
    await page.getByRole('group', { name: '经办人信息' }).getByLabel('姓名').fill('张三');
    await page.getByRole('radio', { name: '邮寄' }).check();
    await page.getByLabel('收件地址').fill('深圳市福田区深南大道1号');
    await page.getByLabel('收件人', { exact: true }).fill('张三');
    check((await page.locator('.fee strong').textContent()).includes('200.00'), 'fee 200.00 for one year');
    await page.getByLabel('有效期（年）').selectOption('2');
    check((await page.locator('.fee strong').textContent()).includes('400.00'), 'fee 400.00 for two years');
    await page.getByLabel('有效期（年）').selectOption('1');
    // ECDSA P-256 goes on a PKCS#11 token (SoftHSM2 here); SM2 would need an SKF Ukey.
    await page.getByLabel('密钥算法').selectOption('ecdsa-p256');
    await page.getByRole('button', { name: '保存申请' }).click();
    await page.waitForURL(/\/applications\/A\w+$/);
    appId = page.url().split('/').pop();
    await page.getByRole('heading', { name: `申请 ${appId}` }).waitFor();
    check((await page.locator('.detail .heading-row .badge').textContent()) === '草稿', 'state draft');
  }],
  ['the draft can be changed (the version read is sent back)', async () => {
    await page.getByRole('link', { name: '修改申请信息' }).click();
    await page.getByRole('heading', { name: `修改申请 ${appId}`, exact: true }).waitFor();
    check(await page.getByRole('radio', { name: '新办' }).isDisabled(), 'the business type stays');
    await page.getByLabel('收件地址').fill('深圳市南山区科技园科兴路10号');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.waitForURL(new RegExp(`/applications/${appId}$`));
    await page.getByText('深圳市南山区科技园科兴路10号').waitFor();
  }],
  ['the generated application form PDF downloads', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载申请表（PDF）' }).click()]);
    const path = join(WORK, 'form.pdf');
    await download.saveAs(path);
    formPdf = readFileSync(path);
    check(formPdf.subarray(0, 5).toString() === '%PDF-', 'the download is a PDF');
    check(formPdf.length > 2000, `form PDF size ${formPdf.length}`);
  }],
  ['materials upload with a progress bar and previews (the stamped form, a licence PDF, ID photos)', async () => {
    const png = await drawImage('image/png', '身份证 正面');
    const jpeg = await drawImage('image/jpeg', '身份证 反面');
    writeFileSync(join(WORK, 'id-front.png'), png);
    writeFileSync(join(WORK, 'id-back.jpg'), jpeg);
    writeFileSync(join(WORK, 'application-form.pdf'), formPdf);
    // A 2 MB scan, sent through a throttled link so the progress bar is there to be seen.
    writeFileSync(join(WORK, 'licence.pdf'), Buffer.concat([formPdf, Buffer.alloc(2 * 1024 * 1024, 0x20)]));
    const row = (kind) => page.locator(`li.material[data-kind="${kind}"]`);
    const upload = async (kind, file, name) => {
      await row(kind).locator('input[type=file]').setInputFiles(join(WORK, file));
      await row(kind).getByText(`已上传：${file}`).waitFor();
      void name;
    };
    await upload('application_form', 'application-form.pdf');
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
    await row('business_licence').locator('input[type=file]').setInputFiles(join(WORK, 'licence.pdf'));
    await row('business_licence').locator('progress').waitFor();
    // XHR upload progress events arrive part-way (the bar is neither empty nor full).
    await page.waitForFunction(() => {
      const p = document.querySelector('li.material[data-kind="business_licence"] progress');
      return p && p.value > 0.05 && p.value < 0.95;
    });
    await row('business_licence').getByText('已上传：licence.pdf').waitFor({ timeout: 30000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await upload('handler_id_front', 'id-front.png');
    await upload('handler_id_back', 'id-back.jpg');
    for (const kind of ['handler_id_front', 'handler_id_back']) {
      const img = row(kind).locator('img.preview');
      await img.waitFor();
      await page.waitForFunction((el) => el.complete && el.naturalWidth === 320, await img.elementHandle());
    }
    // pdf.js draws the first page of the uploaded application form; it is the real generated PDF.
    await row('application_form').locator('canvas[data-rendered=true]').waitFor();
    await row('application_form').getByText('第1页，共1页').waitFor();
    await allLabelled('the application page');
    const inked = await row('application_form').locator('canvas').evaluate((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 1] < 128 && d[i + 2] < 128) dark++;
      return dark;
    });
    check(inked > 500, `the form's first page has text on it (${inked} dark pixels)`);
  }],
  ['a disguised executable is refused with the reason', async () => {
    writeFileSync(join(WORK, 'virus.png'), Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(4000, 1)]));
    const row = page.locator('li.material[data-kind="handler_id_front"]');
    await row.locator('input[type=file]').setInputFiles(join(WORK, 'virus.png'));
    await row.locator('.error-box').waitFor();
    await row.getByText('已上传：id-front.png').waitFor(); // the earlier file stays
  }],
  ['submitting before the face check says what is missing', async () => {
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('提交前还需：').waitFor();
    await page.locator('.error-box', { hasText: 'identity' }).waitFor();
  }],
  ['the face check: QR code and link to the sandbox; the result is polled', async () => {
    await page.getByRole('button', { name: '开始人脸核验' }).click();
    const qr = page.locator('section[aria-labelledby=identity-title] img.qr');
    await qr.waitFor();
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 50, await qr.elementHandle());
    const href = await page.getByRole('link', { name: '打开人脸核验页面' }).getAttribute('href');
    check(href.startsWith(BASE + '/sandbox/face/'), `face link ${href}`);
    const phone = await browser.context.newPage(); // the handler's phone
    await phone.goto(href);
    await phone.getByText('张三').waitFor();
    await phone.getByRole('button', { name: '核验通过' }).click();
    await phone.getByText('核验通过，结果已发送。').waitFor();
    await phone.close();
    await page.getByText('人脸核验已通过').waitFor({ timeout: 20000 });
  }],
  ['submit; the fee quote is shown', async () => {
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.locator('.detail .heading-row .badge', { hasText: '待缴费' }).waitFor();
    const total = await page.locator('.quote .total .num').textContent();
    check(total === '¥200.00', `quote total ${total}`);
  }],
  ['pay by the WeChat Pay QR code in the sandbox; the page sees "paid, awaiting review"', async () => {
    await page.getByRole('radio', { name: '微信支付' }).check();
    await page.getByRole('button', { name: '生成付款二维码' }).click();
    const qr = page.locator('section[aria-labelledby=pay-title] img.qr');
    await qr.waitFor();
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 50, await qr.elementHandle());
    const href = new URL(await page.getByRole('link', { name: '打开支付页面（沙箱）' }).getAttribute('href'), BASE).href;
    const phone = await browser.context.newPage();
    await phone.goto(href);
    await phone.getByText('¥200.00').waitFor();
    await phone.getByRole('button', { name: '确认支付' }).click();
    await phone.getByText('支付成功，通知已发送。').waitFor();
    await phone.close();
    await page.locator('.detail .heading-row .badge', { hasText: '已付款，等待审核' }).waitFor({ timeout: 20000 });
    await page.getByText('✔ 已付款，等待审核').waitFor();
  }],
  ['the electronic invoice of the payment downloads as a PDF', async () => {
    const section = page.locator('section[aria-labelledby=invoice-title]');
    await section.waitFor();
    check((await section.textContent()).includes('¥200.00'), `invoice amount: ${await section.textContent()}`);
    const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('link', { name: '下载发票（PDF）' }).click()]);
    const path = join(WORK, 'invoice.pdf');
    await download.saveAs(path);
    check(readFileSync(path).subarray(0, 5).toString() === '%PDF-', 'the invoice is a PDF');
  }],
  ['the timeline tells the story; the list shows the state', async () => {
    const entries = await page.locator('.timeline li').allTextContents();
    check(entries.length >= 6, `timeline entries: ${entries.length}`);
    check(entries.some((e) => e.includes('已付款，等待审核')), `timeline reaches paid: ${entries.join(' | ')}`);
    await page.getByRole('link', { name: '我的申请' }).click();
    await page.getByRole('link', { name: appId }).waitFor();
    await page.locator('tbody .badge', { hasText: '已付款，等待审核' }).waitFor();
  }],
  ['English on request', async () => {
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: 'My applications', exact: true }).waitFor();
    await page.locator('tbody .badge', { hasText: 'Paid, awaiting review' }).waitFor();
    check((await page.getAttribute('html', 'lang')) === 'en', 'html lang en');
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await page.getByRole('heading', { name: '我的申请', exact: true }).waitFor();
  }],
  ['the service-point finder: nine points, opening hours, open or closed at a chosen time', async () => {
    await page.getByRole('link', { name: '受理点查询' }).click();
    await page.getByRole('heading', { name: '受理点查询', exact: true }).waitFor();
    await page.locator('li.point').nth(8).waitFor();
    check((await page.locator('li.point').count()) === 9, 'nine service points');
    await allLabelled('the service points');
    await page.getByText('周一至周五 9:00-18:00').first().waitFor();
    // 2026-10-01 10:00 Beijing time is National Day: every point is closed.
    await page.getByLabel(/查询时间/).fill('2026-10-01T10:00');
    await page.locator('li.point .badge', { hasText: '营业中' }).first().waitFor({ state: 'detached' });
    check((await page.locator('li.point .badge', { hasText: '休息中' }).count()) === 9, 'all closed on a public holiday');
    // A Wednesday at 10:00: the weekday points are open.
    await page.getByLabel(/查询时间/).fill('2026-11-25T10:00');
    await page.locator('li.point .badge', { hasText: '营业中' }).first().waitFor();
    await page.getByLabel('只看营业中').check();
    const open = await page.locator('li.point').count();
    check(open >= 1 && open <= 9, `open points listed: ${open}`);
  }],
  ['a reviewer logs in to the staff console and finds the paid application in the review queue with its deadline', async () => {
    staffBrowser = await launch();
    staff = staffBrowser.context.pages()[0] ?? (await staffBrowser.context.newPage());
    staff.on('pageerror', (e) => consoleErrors.push(String(e)));
    current = staff;
    await staff.goto(BASE + '/staff');
    await staff.getByRole('heading', { name: '工作人员登录', exact: true }).waitFor();
    await staff.getByLabel('用户名').fill('reviewer');
    await staff.getByLabel('密码').fill('wrong-password-123');
    await staff.getByRole('button', { name: '登录' }).click();
    await staff.locator('.error-box').waitFor();
    await staff.getByLabel('密码').fill(process.env.ESEAL_E2E_STAFF_PASSWORD);
    await staff.getByRole('button', { name: '登录' }).click();
    await staff.getByRole('heading', { name: '受理审核工作台', exact: true }).waitFor();
    const row = staff.locator('tbody tr', { hasText: appId });
    await row.waitFor();
    check((await row.locator('time').count()) === 1, 'the due time is shown');
    await row.getByRole('link', { name: appId }).click();
    await staff.getByRole('heading', { name: `申请 ${appId}`, exact: true }).waitFor();
    await allLabelled('the staff desk', staff);
  }],
  ['the reviewer claims it, sees the materials (image inline), rejects one with a reason, then accepts all and approves', async () => {
    await staff.getByRole('button', { name: '开始审核' }).click();
    await staff.locator('.detail .heading-row .badge', { hasText: '审核中' }).waitFor();
    await allLabelled('the staff desk in review', staff);
    const img = staff.locator('li.material[data-kind="handler_id_front"] img.viewer');
    await img.waitFor();
    await staff.waitForFunction((el) => el.complete && el.naturalWidth === 320, await img.elementHandle());
    await staff.locator('li.material[data-kind="application_form"] canvas[data-rendered=true]').waitFor();
    const licence = staff.locator('li.material[data-kind="business_licence"]');
    await licence.getByLabel('驳回原因').fill('公章不清晰');
    await licence.getByRole('button', { name: '驳回' }).click();
    await licence.getByText('已驳回：公章不清晰').waitFor();
    await staff.getByRole('button', { name: '审核通过', exact: true }).click();
    await staff.locator('section[aria-labelledby=actions-title] .error-box').waitFor(); // not with a rejected material
    for (const kind of ['application_form', 'business_licence', 'handler_id_front', 'handler_id_back']) {
      const m = staff.locator(`li.material[data-kind="${kind}"]`);
      await m.getByRole('button', { name: '通过', exact: true }).click();
      await m.getByText('已通过').waitFor();
    }
    await staff.getByRole('button', { name: '审核通过', exact: true }).click();
    await staff.locator('.detail .heading-row .badge', { hasText: '审核通过' }).waitFor();
  }],
  ['the applicant sees the approval on the timeline', async () => {
    current = page;
    await page.goto(`${BASE}/applications/${appId}`);
    await page.locator('.detail .heading-row .badge', { hasText: '审核通过' }).waitFor();
    const steps = await page.locator('.steps li.current').textContent();
    check(steps === '审核通过', `current step ${steps}`);
  }],
  ['an issuer sees the blank Ukey in the inventory and the approved application in the fulfilment queue', async () => {
    current = staff;
    await staff.getByRole('button', { name: '退出登录' }).click();
    await staff.getByRole('heading', { name: '工作人员登录', exact: true }).waitFor();
    await staff.getByLabel('用户名').fill('issuer');
    await staff.getByLabel('密码').fill(process.env.ESEAL_E2E_STAFF_PASSWORD);
    await staff.getByRole('button', { name: '登录' }).click();
    await staff.getByRole('link', { name: 'Ukey 库存' }).click();
    await staff.getByRole('cell', { name: process.env.ESEAL_E2E_TOKEN }).waitFor();
    await staff.getByRole('link', { name: '制证与寄送' }).click();
    await staff.locator('tbody tr', { hasText: appId }).getByRole('link', { name: appId }).click();
    await staff.getByRole('heading', { name: `申请 ${appId}`, exact: true }).waitFor();
    const token = staff.getByLabel('Ukey（库存）');
    await token.locator(`option[value="${process.env.ESEAL_E2E_TOKEN}"]`).waitFor({ state: 'attached' });
    await token.selectOption(process.env.ESEAL_E2E_TOKEN);
  }],
  ['the issuer issues onto that Ukey', async () => {
    await staff.getByRole('button', { name: /制作证书/ }).click();
    const done = staff.locator('.detail .heading-row .badge', { hasText: '证书已制作' });
    const refused = staff.locator('section[aria-labelledby=actions-title] .error-box');
    await Promise.race([done.waitFor({ timeout: 60000 }), refused.waitFor({ timeout: 60000 })]);
    if (await refused.isVisible()) {
      const code = await refused.getAttribute('data-code');
      const text = await refused.textContent();
      // `eseal serve` issues only once it is given the CA and Ukey drivers (issue 7's wiring).
      if (code === 'issuance.unavailable') throw new Skip(`this eseal serve does not issue yet: ${text}`);
      throw new Error(`issuance refused: ${code} ${text}`);
    }
  }, { provides: 'issuance' }],
  ['a shipper records the parcel; the applicant sees the Ukey shipped with the tracking number', async () => {
    await staff.getByRole('button', { name: '退出登录' }).click();
    await staff.getByLabel('用户名').fill('shipper');
    await staff.getByLabel('密码').fill(process.env.ESEAL_E2E_STAFF_PASSWORD);
    await staff.getByRole('button', { name: '登录' }).click();
    await staff.getByRole('button', { name: '退出登录' }).waitFor(); // logged in before navigating away
    await staff.goto(`${BASE}/staff/applications/${appId}`);
    await staff.getByLabel('快递单号').fill('SF1234567890');
    await staff.getByRole('button', { name: '登记寄出' }).click();
    await staff.locator('.detail .heading-row .badge', { hasText: 'Ukey 已寄出' }).waitFor();
    current = page;
    await page.goto(`${BASE}/applications/${appId}`);
    await page.locator('.detail .heading-row .badge', { hasText: 'Ukey 已寄出' }).waitFor();
    await page.locator('.timeline', { hasText: 'SF1234567890' }).waitFor();
  }, { needs: 'issuance' }],
  ['the applicant, now the seal admin, requests an official seal: it is active and lists no Ukey yet', async () => {
    await page.getByRole('link', { name: '电子印章' }).click();
    await page.getByRole('heading', { name: '我的电子印章', exact: true }).waitFor();
    await page.getByText('还没有电子印章。').waitFor();
    await allLabelled('the seal workspace');
    await page.getByLabel('统一社会信用代码').fill('91350100M000100Y44');
    await page.getByRole('button', { name: '制作印章' }).click();
    await page.getByText('校验码应为“3”，填写的是“4”').waitFor(); // checked before asking the server
    check((await page.locator('li.seal').count()) === 0, 'no seal made from a bad credit code');
    await page.getByLabel('统一社会信用代码').fill('91350100M000100Y43');
    await page.getByLabel('印章类型').selectOption('official');
    await page.getByRole('button', { name: '制作印章' }).click();
    const card = page.locator('li.seal');
    await card.waitFor();
    sealId = await card.getAttribute('data-seal');
    await card.locator('.badge', { hasText: '有效' }).waitFor();
    const text = await card.textContent();
    // The organization's name comes from its certificate, not from what the admin typed.
    check(text.includes('公章') && text.includes('91350100M000100Y43') && text.includes('未绑定 Ukey'), `the seal card: ${text}`);
  }, { needs: 'issuance' }],
  ['the desktop edition binds the Ukey: `eseal ukey bind` with the PIN from the issuance SMS, the face check on the phone', async () => {
    const r = await fetch(`${BASE}/api/v1/dev/messages?to=${PHONE}`);
    const pinSms = (await r.json()).messages.find((m) => m.body.includes('PIN码为'));
    check(pinSms, 'the issuance SMS with the PIN');
    ukeyPin = pinSms.body.match(/PIN码为(\d+)/)[1];
    const session = (await browser.context.cookies(BASE)).find((c) => c.name === 'eseal_session');
    check(session, 'the browser holds a session cookie');
    const env = { ...process.env, ESEAL_SESSION: session.value, ESEAL_PIN: ukeyPin };
    const bind = spawn(ESEAL, ['ukey', 'bind', '--server', BASE, '--seal', sealId, '--token', TOKEN, '--wait', '60'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let phoneOpened = false;
    const exited = new Promise((resolve) => bind.on('close', resolve));
    const faceUrl = new Promise((resolve) => {
      const onData = (d) => {
        out += d;
        const m = out.match(/(\/sandbox\/face\/\S+)/);
        if (m && !phoneOpened) {
          phoneOpened = true;
          resolve(BASE + m[1]);
        }
      };
      bind.stdout.on('data', onData);
      bind.stderr.on('data', onData);
      exited.then(() => resolve(null));
    });
    const url = await faceUrl;
    check(url, `ukey bind printed no face-check link: ${out}`);
    const phone = await browser.context.newPage(); // the handler's phone
    await phone.goto(url);
    await phone.getByRole('button', { name: '核验通过' }).click();
    await phone.getByText('核验通过，结果已发送。').waitFor();
    await phone.close();
    const code = await exited;
    check(code === 0 && out.includes('now lists 1 certificate'), `eseal ukey bind exited ${code}: ${out}`);
    await page.reload();
    const card = page.locator(`li.seal[data-seal="${sealId}"]`);
    await card.locator('.badge', { hasText: '有效' }).waitFor();
    const seal = await page.evaluate(async (id) => (await fetch(`/api/v1/seals/${id}`)).json(), sealId);
    check(seal.bound_certificates.length === 1, `bound: ${JSON.stringify(seal.bound_certificates)}`);
    certSerial = seal.bound_certificates[0];
    await card.getByText(certSerial).waitFor();
    check(!(await card.textContent()).includes('未绑定 Ukey'), 'no longer shown unbound');
  }, { needs: 'issuance' }],
  ['the re-made seal (.esl) downloads; `eseal pdf sign` stamps a PDF with the Ukey key; the use is logged', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载印章数据（.esl）' }).click()]);
    const esl = join(WORK, 'official.esl');
    await download.saveAs(esl);
    // The card shows the seal's picture (GET …/picture.png); read back from the .esl, it is the
    // drawn round seal: a PNG with red ink on it.
    const shown = sh(ESEAL, ['seal', 'show', esl, '--picture', join(WORK, 'official.png')]);
    check(shown.includes(sealId), `eseal seal show names the seal: ${shown}`);
    const png = readFileSync(join(WORK, 'official.png'));
    check(png.subarray(1, 4).toString() === 'PNG' && png.readUInt32BE(16) > 100, 'the seal picture is a PNG over 100 px wide');
    const inkShown = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.naturalWidth, img.naturalHeight];
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      let red = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 128 && d[i] > 150 && d[i + 1] < 100 && d[i + 2] < 100) red++;
      return red;
    }, png.toString('base64'));
    check(inkShown > 1000, `red ink in the seal picture: ${inkShown} px`);
    const cardPicture = page.locator(`li.seal[data-seal="${sealId}"] img.seal-picture`);
    check(await cardPicture.evaluate((img) => img.complete && img.naturalWidth > 100), 'the seal card shows the picture');
    const keyId = sh(ESEAL, ['token', 'show', TOKEN]).match(/\(key ID ([0-9a-fA-F]+)/)?.[1];
    check(keyId, 'the Ukey key ID from the inventory');
    makePdf(join(WORK, 'contract.pdf'));
    sh(ESEAL, ['-q', 'pdf', 'sign', join(WORK, 'contract.pdf'), join(WORK, 'contract-sealed.pdf'), '--seal', esl, '--token', TOKEN,
      '--key-id', keyId, '--page', '1', '--at', '100,100'], { env: { ...process.env, ESEAL_PIN: ukeyPin } });
    // Outside tools judge the stamp: poppler's pdfsig checks the signature's bytes and digest (it
    // does not know this CA: "not trusted" is expected), pdfimages finds the seal's picture.
    const pdfsig = spawnSync('pdfsig', [join(WORK, 'contract-sealed.pdf')]).stdout.toString();
    check(pdfsig.includes('Signature Validation: Signature is Valid.'), `pdfsig: ${pdfsig}`);
    const images = sh('pdfimages', ['-list', join(WORK, 'contract-sealed.pdf')]).trim().split('\n').slice(2);
    check(images.length >= 1, `the seal picture is in the PDF: ${images.length} images`);
    const sealed = readFileSync(join(WORK, 'contract-sealed.pdf'));
    const sha = createHash('sha256').update(sealed).digest('hex');
    // What the document-sealing work of the desktop edition reports: the hash and the certificate used.
    const status = await page.evaluate(async ([id, sha, serial]) => {
      const { csrf_token } = await (await fetch('/api/v1/me')).json();
      const r = await fetch(`/api/v1/seals/${id}/uses`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf_token },
        body: JSON.stringify({ document_sha256: sha, document_name: 'contract-sealed.pdf', certificate_serial: serial }),
      });
      return r.status;
    }, [sealId, sha, certSerial]);
    check(status === 201, `POST uses: ${status}`);
    await page.reload();
    const uses = page.locator(`li.seal[data-seal="${sealId}"] table.list tbody tr`);
    await uses.first().waitFor();
    check((await uses.first().textContent()).includes('contract-sealed.pdf'), `the usage log: ${await uses.first().textContent()}`);
  }, { needs: 'issuance' }],
  ['the seal admin stamps through the page: the local Ukey agent signs where the seal was placed; pdfsig says valid; the use is logged verified', async () => {
    // The customer's machine: `eseal ukey agent` beside the Ukey (the same SoftHSM2 as the issuance),
    // serving this platform's pages only.
    const portFile = join(WORK, 'agent.port');
    const agentLog = [];
    const agent = spawn(ESEAL, ['ukey', 'agent', '--port', '0', '--port-file', portFile, '--origin', BASE], { stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stdout.on('data', (d) => agentLog.push(d.toString()));
    agent.stderr.on('data', (d) => agentLog.push(d.toString()));
    try {
      for (let i = 0; i < 100 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 100));
      check(existsSync(portFile), `the agent did not start: ${agentLog.join('')}`);
      const agentUrl = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
      await page.evaluate((u) => localStorage.setItem('eseal.agent', u), agentUrl);
      await page.goto(BASE + '/seals');
      await page.locator(`li.seal[data-seal="${sealId}"]`).getByRole('link', { name: '在 PDF 上盖章' }).click();
      await page.getByRole('heading', { name: '在 PDF 上盖章', exact: true }).waitFor();
      await page.locator('[data-agent="found"]').waitFor();
      check((await page.locator('select[name=token] option').count()) >= 1, 'the agent lists the Ukey');
      await allLabelled('the stamp page');
      await page.locator('input[name=pdf]').setInputFiles(join(WORK, 'contract.pdf'));
      const stage = page.locator('.page-stage');
      await stage.locator('canvas[data-rendered="true"]').waitFor();
      // Place by a click on the preview (560 px wide for 595 pt: 210 mm), then one step right by keyboard.
      await stage.click({ position: { x: 280, y: 560 } });
      const seal = page.locator('img.placed-seal');
      await seal.waitFor();
      const where = async () => (await page.locator('#stamp-position').textContent()).match(/([\d.]+) 毫米.*?([\d.]+) 毫米/).slice(1).map(Number);
      const [x0, y0] = await where();
      check(Math.abs(x0 - 105) < 0.6 && Math.abs(y0 - 209.9) < 0.6, `placed at ${x0}, ${y0} mm`);
      // The picture at its real size: 42 mm wide on a 210 mm page shown 560 px wide.
      const box = await seal.boundingBox();
      check(Math.abs(box.width - (42 * 560) / 210) < 2, `the seal shown ${box.width} px wide`);
      await seal.focus();
      await page.keyboard.press('ArrowRight');
      const [x1, y1] = await where();
      check(Math.abs(x1 - x0 - 1) < 0.01 && y1 === y0, `ArrowRight moved it 1 mm: ${x1}, ${y1}`);
      await page.screenshot({ path: join(ARTIFACTS, 'hall-stamp-placed.png'), fullPage: true });
      const pin = page.getByLabel('Ukey PIN 码');
      check((await pin.getAttribute('type')) === 'password' && (await pin.getAttribute('autocomplete')) === 'off', 'the PIN field hides and is not remembered');
      await pin.fill(ukeyPin);
      await page.getByRole('button', { name: '盖章', exact: true }).click();
      const link = page.locator('#stamp-download');
      await link.waitFor({ timeout: 60000 });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const stamped = join(WORK, 'contract-stamped-web.pdf');
      await download.saveAs(stamped);
      const pdfsig = spawnSync('pdfsig', [stamped]).stdout.toString();
      check(pdfsig.includes('Signature Validation: Signature is Valid.'), `pdfsig: ${pdfsig}`);
      check(sh(ESEAL, ['pdf', 'verify', stamped, '--no-revocation']).includes('VALID'), 'eseal pdf verify: valid');
      await page.locator('[data-use-verified="true"]').waitFor();
      const log = agentLog.join('');
      check(log.includes(`with seal ${sealId} on page 1`) && !log.includes(ukeyPin), `the agent's log line (no PIN): ${log}`);
      await page.goto(BASE + '/seals');
      const first = page.locator(`li.seal[data-seal="${sealId}"] table.list tbody tr`).first();
      await first.waitFor();
      check((await first.textContent()).includes('contract-sealed.pdf'), `the usage log: ${await first.textContent()}`);
      check((await first.locator('td[data-verified="true"]').count()) === 1, `the newest use is verified: ${await first.innerHTML()}`);
      const older = page.locator(`li.seal[data-seal="${sealId}"] table.list tbody tr`).nth(1);
      check((await older.locator('td[data-verified="false"]').count()) === 1, 'the use logged by hash alone is not verified');
    } finally {
      agent.kill('SIGTERM');
    }
  }, { needs: 'issuance' }],
  ['the public verify page shows the Ukey-stamped PDF valid: integrity, chain, the organization', async () => {
    const verify = await browser.context.newPage();
    current = verify;
    await verify.goto(BASE + '/verify');
    await verify.getByRole('heading', { name: '电子签章验证' }).waitFor();
    await verify.locator('#verify-file').setInputFiles(join(WORK, 'contract-sealed.pdf'));
    await verify.locator('#verify-result[data-valid="true"]').waitFor();
    const card = verify.locator('li[data-valid="true"]');
    check((await card.count()) === 1, 'one valid signature');
    const text = await card.textContent();
    check(text.includes('91350100M000100Y43'), `the signer's organization: ${text}`);
    check(text.includes('文档完整性: 通过') && text.includes('证书链: 通过'), `integrity and chain pass: ${text}`);
    current = page;
    await verify.close();
  }, { needs: 'issuance' }],
  ['logging out ends the session: the application page asks for the SMS login again', async () => {
    current = page;
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '手机验证码登录', exact: true }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    check(status === 401, `GET /api/v1/me after logout: ${status}`);
    await page.goto(`${BASE}/applications/${appId}`);
    await page.getByRole('heading', { name: '手机验证码登录', exact: true }).waitFor();
  }],
  ['no errors in the browser console', async () => {
    const real = consoleErrors.filter((e) => !/status of (401|403|404|409|415|422)/.test(e));
    check(real.length === 0, `console errors: ${real.join(' | ')}`);
  }],
];

const ok = await run('hall', steps, () => current);
await browser.close();
if (staffBrowser) await staffBrowser.close();
process.exit(ok ? 0 : 1);
