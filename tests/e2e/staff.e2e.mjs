// The staff console in a browser (issue 9 §2): a counter clerk serves a walk-in handler for a new
// organization certificate in one sitting (form with live checks, the counter materials ticked,
// card payment, claim, approve, issue onto the SoftHSM2 Ukey, hand over); a CA operator finds the
// certificate, revokes it after a confirmation naming subject and serial, and OCSP (openssl ocsp
// against `eseal serve`'s responder, after its maintenance pass) answers revoked; an auditor sees
// those actions in the audit log and the hash chain verifies; a reviewer sees neither the
// revocation nor the audit part of the console.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, WORK, Skip, check, launch, run, smsCode } from './harness.mjs';

const ESEAL = process.env.ESEAL;
const TOKEN = process.env.ESEAL_E2E_TOKEN;
const PASSWORD = process.env.ESEAL_E2E_STAFF_PASSWORD;
const CREDIT = '91350100M000100Y43';
const ORG = '福州市柜台示例科技有限公司';

// The staff this test needs besides run_e2e.sh's reviewer, issuer and shipper (the same command).
for (const [login, name, role] of [
  ['clerk', '柜台员', 'counter_clerk'],
  ['operator', 'CA操作员', 'ca_operator'],
  ['auditor', '审计员', 'auditor'],
]) {
  const r = spawnSync(ESEAL, ['-q', 'staff', 'add', login, '--name', name, '--role', role], {
    env: { ...process.env, ESEAL_STAFF_PASSWORD: PASSWORD },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`eseal staff add ${login}: ${r.stderr}`);
}

const browser = await launch();
const page = browser.context.pages()[0] ?? (await browser.context.newPage());
const consoleErrors = [];
page.on('console', (m) => {
  if (m.type() === 'error') consoleErrors.push(m.text());
});
page.on('pageerror', (e) => consoleErrors.push(String(e)));

const unlabelled = () =>
  page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
      .map((el) => `${el.tagName.toLowerCase()}[name=${el.getAttribute('name')}]`),
  );
async function allLabelled(where) {
  const bad = await unlabelled();
  check(bad.length === 0, `unlabelled controls on ${where}: ${bad.join(', ')}`);
}
const tabs = async () => (await page.locator('nav.tabs a').allTextContents()).map((s) => s.trim());
const badge = (text) => page.locator('.detail .heading-row .badge', { hasText: text });

async function login(name) {
  if (await page.getByRole('button', { name: '退出登录' }).isVisible()) {
    await page.getByRole('button', { name: '退出登录' }).click();
  }
  await page.goto(BASE + '/staff');
  await page.getByRole('heading', { name: '工作人员登录', exact: true }).waitFor();
  await page.getByLabel('用户名').fill(name);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '受理审核工作台', exact: true }).waitFor();
}

// openssl ocsp against the server's responder, the request by serial and issuer; the answer
// verified against the chain. Returns the serial's line ("0x…: good" / "revoked").
function ocsp(issuerPem, chainPem, serial) {
  const out = spawnSync(
    'openssl',
    ['ocsp', '-issuer', issuerPem, '-CAfile', chainPem, '-serial', `0x${serial}`, '-url', `${BASE}/ocsp`, '-no_nonce'],
    { encoding: 'utf8' },
  );
  const text = `${out.stdout}\n${out.stderr}`;
  check(/Response verify OK/.test(text), `openssl ocsp verifies the response: ${text}`);
  const line = text.split('\n').find((l) => l.toLowerCase().startsWith(`0x${serial.toLowerCase()}:`));
  check(line, `openssl ocsp answers for the serial: ${text}`);
  return line.split(':')[1].trim();
}

// An applicant who applied online and chose a bank transfer (guide §5), with the receipt uploaded:
// the hall's API driven from a second browser (hall.e2e.mjs goes through these pages one by one).
// The uploads are real files: the generated application form (PDF) and PNGs drawn by the browser.
async function bankTransferApplication() {
  const applicant = await launch();
  try {
    const p = applicant.context.pages()[0] ?? (await applicant.context.newPage());
    await p.goto(BASE + '/service-points');
    const call = (method, path, body) =>
      p.evaluate(
        async ([method, path, body]) => {
          const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': window.__csrf ?? '' };
          const r = await fetch(path, { method, headers, body: body === null ? undefined : JSON.stringify(body) });
          const json = r.headers.get('content-type')?.includes('json') ? await r.json() : null;
          if (json?.csrf_token) window.__csrf = json.csrf_token;
          return { status: r.status, json };
        },
        [method, path, body ?? null],
      );
    const want = (r, status, what) => check(r.status === status, `${what}: ${r.status} ${JSON.stringify(r.json)}`);
    const phone = '13700137000';
    want(await call('POST', '/api/v1/auth/sms-code', { phone }), 202, 'SMS code');
    want(await call('POST', '/api/v1/auth/login', { phone, code: await smsCode(phone) }), 200, 'login');
    const texts = (await call('GET', '/api/v1/agreements')).json.agreements;
    const version = (d) => texts.find((a) => a.document === d).version;
    want(await call('POST', '/api/v1/consents', { agreement_version: version('agreement'), privacy_version: version('privacy') }), 201, 'consent');
    const created = await call('POST', '/api/v1/applications', {
      business: 'new',
      cert_type: 'organization',
      form: {
        organization: { name: '厦门市转账示例有限公司', credit_code: CREDIT },
        handler: { name: '赵六', id_number: '11010519491231002X', phone, email: 'zhaoliu@example.cn' },
        algorithm: 'ecdsa-p256',
        years: 1,
        delivery: 'post',
        address: '广东省深圳市南山区科兴路10号',
      },
    });
    want(created, 201, 'application');
    const id = created.json.id;
    const upload = (kind) =>
      p.evaluate(
        async ([id, kind]) => {
          let blob;
          if (kind === 'application_form' || kind === 'business_licence') {
            blob = await (await fetch(`/api/v1/applications/${id}/form.pdf`)).blob();
          } else {
            const c = document.createElement('canvas');
            c.width = 320;
            c.height = 200;
            const g = c.getContext('2d');
            g.fillStyle = '#eef3e6';
            g.fillRect(0, 0, 320, 200);
            g.fillStyle = '#1a7f37';
            g.font = '24px sans-serif';
            g.fillText(kind === 'payment_receipt' ? '银行回单 ¥200.00' : kind, 16, 110);
            blob = await new Promise((res) => c.toBlob(res, 'image/png'));
          }
          const r = await fetch(`/api/v1/applications/${id}/materials/${kind}`, {
            method: 'PUT',
            headers: { 'Content-Type': blob.type, 'X-CSRF-Token': window.__csrf },
            body: blob,
          });
          return r.status;
        },
        [id, kind],
      );
    for (const m of (await call('GET', `/api/v1/applications/${id}/materials`)).json.materials) {
      const status = await upload(m.kind);
      check(status === 201, `upload ${m.kind}: ${status}`);
    }
    const face = await call('POST', `/api/v1/applications/${id}/identity-checks`);
    want(face, 201, 'identity check');
    const passed = await p.evaluate(async (url) => (await fetch(url.slice(url.indexOf('/sandbox/')) + '/pass', { method: 'POST' })).status, face.json.url);
    check(passed === 202, `sandbox face check: ${passed}`);
    let submitted = null;
    for (let i = 0; i < 50; i++) {
      submitted = await call('POST', `/api/v1/applications/${id}/submit`);
      if (submitted.status === 200) break;
      await new Promise((r) => setTimeout(r, 200)); // the face check's result arrives by callback
    }
    want(submitted, 200, 'submit');
    check(submitted.json.state === 'awaiting_payment', `awaiting payment: ${submitted.json.state}`);
    want(await call('POST', `/api/v1/applications/${id}/payments`, { method: 'bank_transfer' }), 201, 'bank transfer order');
    check((await upload('payment_receipt')) === 201, 'the receipt uploaded');
    return id;
  } finally {
    await applicant.close();
  }
}

let appId = '';
let serial = '';
let issuerPem = '';
let chainPem = '';

const steps = [
  ['the counter clerk logs in and sees the counter, not revocation or the audit log', async () => {
    await login('clerk');
    const t = await tabs();
    check(t.includes('柜台受理') && t.includes('Ukey 库存'), `clerk's tabs: ${t}`);
    check(!t.includes('证书与注销') && !t.includes('审计日志'), `clerk's tabs: ${t}`);
    await page.getByRole('link', { name: '柜台受理' }).click();
    await page.getByRole('heading', { name: '柜台受理（现场办理）' }).waitFor();
    await allLabelled('the counter form');
  }],
  ['the clerk enters the walk-in form with live checks and is stopped by an unticked counter material', async () => {
    await page.getByRole('radio', { name: '新办' }).check();
    await page.getByRole('radio', { name: '机构证书' }).check();
    await page.getByLabel('单位名称').fill(ORG);
    const code = page.getByLabel('统一社会信用代码');
    await code.fill(CREDIT.slice(0, 17) + '4');
    await page.getByText('校验码应为“3”，填写的是“4”').waitFor(); // GB 32100 check character, as in the hall
    await code.fill(CREDIT);
    const handler = page.getByRole('group', { name: '经办人信息' });
    await handler.getByLabel('姓名').fill('王五');
    await handler.getByLabel('身份证号码').fill('11010519491231002X');
    await handler.getByLabel('手机号码').fill('13900139000');
    await handler.getByLabel('电子邮箱').fill('wangwu@example.cn');
    // ECDSA P-256 goes on the PKCS#11 token (SoftHSM2 here).
    await page.getByLabel('密钥算法').selectOption('ecdsa-p256');
    const boxes = page.locator('.checklist input[type=checkbox]');
    const n = await boxes.count();
    check(n === 3, `the counter list of a new organization certificate has 3 items: ${n}`);
    for (let i = 0; i < n - 1; i++) await boxes.nth(i).check();
    await page.getByText(`已核验 ${n - 1} / ${n} 项材料`).waitFor();
    await page.getByRole('button', { name: '受理并提交' }).click();
    await page.locator('.checklist .field-error').waitFor();
    check((await page.locator('.checklist .field-error').count()) === 1, 'one unticked material named');
    check(await boxes.nth(n - 1).evaluate((el) => el === document.activeElement), 'focus on the unticked material');
    check(page.url().endsWith('/staff/counter'), `nothing opened: ${page.url()}`);
  }],
  ['with every material ticked the application is opened and awaits payment', async () => {
    await page.locator('.checklist input[type=checkbox]').last().press('Space');
    await page.getByRole('button', { name: '受理并提交' }).click();
    await page.getByRole('heading', { name: /^柜台办理 / }).waitFor();
    appId = (await page.getByRole('heading', { name: /^柜台办理 / }).textContent()).replace('柜台办理 ', '').trim();
    await badge('待缴费').waitFor();
    await page.locator('.steps li.current', { hasText: '收费' }).waitFor();
    await page.getByText('¥200.00').waitFor();
    await allLabelled('the counter payment');
  }],
  ['a card payment without the slip number is refused at that field; with it the application is paid', async () => {
    await page.getByRole('radio', { name: '刷卡' }).check();
    await page.getByRole('button', { name: '确认收费' }).click();
    const slip = page.getByLabel('刷卡凭条号');
    await page.locator('.field-invalid .field-error').waitFor();
    check((await slip.getAttribute('aria-invalid')) === 'true', 'the slip number is marked');
    await badge('待缴费').waitFor();
    await slip.fill('POS-000123');
    await page.getByRole('button', { name: '确认收费' }).click();
    await badge('已付款，等待审核').waitFor();
    await page.getByText(/已收费 ¥200\.00/).waitFor();
    await page.locator('.steps li.current', { hasText: '开始审核' }).waitFor();
  }],
  ['the clerk claims and approves (the counter list stands for the materials)', async () => {
    await page.getByRole('button', { name: '开始审核' }).click();
    await badge('审核中').waitFor();
    await page.getByText('柜台已核验 3 项材料。').waitFor();
    await page.getByRole('button', { name: '审核通过' }).click();
    await badge('审核通过').waitFor();
  }],
  ['the clerk issues onto the Ukey from the inventory', async () => {
    const token = page.getByLabel('Ukey（库存）');
    await token.locator(`option[value="${TOKEN}"]`).waitFor({ state: 'attached' });
    await token.selectOption(TOKEN);
    await page.getByRole('button', { name: /制作证书/ }).click();
    const done = badge('证书已制作');
    const refused = page.locator('.detail .error-box');
    await Promise.race([done.waitFor({ timeout: 60000 }), refused.waitFor({ timeout: 60000 })]);
    if (await refused.isVisible()) {
      const code = await refused.getAttribute('data-code');
      if (code === 'issuance.unavailable') throw new Skip(`this eseal serve does not issue: ${await refused.textContent()}`);
      throw new Error(`issuance refused: ${code} ${await refused.textContent()}`);
    }
    await page.getByText(new RegExp(`已写入 Ukey ${TOKEN}`)).waitFor();
  }, { provides: 'issuance' }],
  ['the clerk hands the Ukey over: done, with the certificate serial', async () => {
    await page.getByRole('button', { name: '交付 Ukey' }).click();
    await badge('已签收').waitFor();
    await page.getByText('办理完成，Ukey 已交付。').waitFor();
    serial = await page.locator('[data-certificate]').getAttribute('data-certificate');
    check(/^[0-9a-f]{8,40}$/i.test(serial), `certificate serial: ${serial}`);
  }, { needs: 'issuance' }],
  ['a CA operator finds the certificate by credit code: good, and OCSP says good', async () => {
    await login('operator');
    const t = await tabs();
    check(t.includes('证书与注销') && !t.includes('柜台受理') && !t.includes('审计日志'), `operator's tabs: ${t}`);
    await page.getByRole('link', { name: '证书与注销' }).click();
    await page.getByLabel('证书序列号、统一社会信用代码或主题').fill(CREDIT);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    const row = page.locator(`tr[data-serial="${serial}"]`);
    await row.waitFor();
    check((await row.locator('[data-status]').getAttribute('data-status')) === 'good', 'the certificate is good');
    check((await row.textContent()).includes(ORG), `the subject names the organization: ${await row.textContent()}`);
    await page.getByRole('heading', { name: '待注销申请' }).waitFor();
    // The issuing CA's certificate and chain, for openssl.
    const found = await page.evaluate(async (s) => (await (await fetch(`/api/v1/staff/certificates?q=${s}`)).json()).certificates[0], serial);
    issuerPem = join(WORK, 'issuing.pem');
    chainPem = join(WORK, 'chain.pem');
    writeFileSync(issuerPem, execFileSync(ESEAL, ['-q', 'ca', 'export', found.issuer]));
    writeFileSync(chainPem, execFileSync(ESEAL, ['-q', 'ca', 'export', '--chain', found.issuer]));
    const status = ocsp(issuerPem, chainPem, serial);
    check(status === 'good', `OCSP before the revocation: ${status}`);
  }, { needs: 'issuance' }],
  ['the revoke form wants a reason and a note, then asks to confirm naming subject and serial', async () => {
    await page.getByRole('button', { name: `注销证书 ${serial}` }).click();
    await page.getByRole('heading', { name: '注销证书', exact: true }).waitFor();
    await allLabelled('the revoke form');
    await page.getByRole('button', { name: '注销', exact: true }).click();
    const errors = page.locator('section.revoke .field-error');
    await errors.first().waitFor();
    check((await errors.count()) === 2, `reason and note both required: ${await errors.count()}`);
    await page.getByLabel('注销原因').selectOption('keyCompromise');
    await page.getByLabel('注销说明').fill('经办人来电报告 Ukey 遗失，工单 2026-1126-01');
    await page.getByRole('button', { name: '注销', exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    const text = await dialog.textContent();
    check(text.includes(serial) && text.includes(ORG) && text.includes('密钥泄露'), `confirmation: ${text}`);
    const focus = await page.evaluate(() => document.activeElement?.textContent);
    check(focus === '确认注销', `focus on the confirm button: ${focus}`);
  }, { needs: 'issuance' }],
  ['confirmed by keyboard: revoked at once on the page, and OCSP answers revoked after the maintenance pass', async () => {
    await page.keyboard.press('Enter');
    await page.getByText(`证书 ${serial} 已注销。`).waitFor();
    await page.getByRole('button', { name: '查询', exact: true }).click();
    const row = page.locator(`tr[data-serial="${serial}"] [data-status="revoked"]`);
    await row.waitFor();
    check((await row.textContent()).includes('密钥泄露'), `status with reason: ${await row.textContent()}`);
    // The responders follow the revocation journal on their maintenance pass (every poll interval).
    let status = '';
    for (let i = 0; i < 50 && status !== 'revoked'; i++) {
      status = ocsp(issuerPem, chainPem, serial);
      if (status !== 'revoked') await new Promise((r) => setTimeout(r, 200));
    }
    check(status === 'revoked', `OCSP after the revocation: ${status}`);
  }, { needs: 'issuance' }],
  ['revoking it again is refused: 409 certificate.already_revoked', async () => {
    const r = await page.evaluate(async (s) => {
      const { csrf_token } = await (await fetch('/api/v1/staff/me')).json();
      const res = await fetch(`/api/v1/staff/certificates/${s}/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf_token },
        body: JSON.stringify({ reason: 'superseded', note: 'again' }),
      });
      return [res.status, (await res.json()).code];
    }, serial);
    check(r[0] === 409 && r[1] === 'certificate.already_revoked', `second revocation: ${r}`);
  }, { needs: 'issuance' }],
  ['an auditor sees the revocation and the counter steps in the audit log, filtered', async () => {
    await login('auditor');
    const t = await tabs();
    check(t.includes('审计日志') && t.includes('证书与注销') && !t.includes('柜台受理'), `auditor's tabs: ${t}`);
    await page.getByRole('link', { name: '审计日志' }).click();
    await page.getByRole('heading', { name: '审计日志', exact: true }).waitFor();
    await allLabelled('the audit log');
    const rows = page.locator('table.audit tbody tr');
    await rows.first().waitFor();
    const revoke = page.locator('table.audit tbody tr[data-action="certificate.revoke"]');
    check((await revoke.count()) === 1, `one certificate.revoke event: ${await revoke.count()}`);
    const revokeText = await revoke.textContent();
    check((revokeText.includes('operator') || revokeText.includes('CA操作员')) && revokeText.includes(serial), `the revoke event: ${revokeText}`);
    const ids = (await rows.locator('td.num').allTextContents()).map(Number);
    check(ids.every((id, i) => i === 0 || ids[i - 1] > id), `newest first: ${ids.join(',')}`);
    // The counter application's events, by the clerk.
    const ofApp = page.locator('table.audit tbody tr', { hasText: appId });
    check((await ofApp.count()) >= 4, `events of ${appId}: ${await ofApp.count()}`);
    const actor = (await revoke.locator('td').nth(2).textContent()).trim();
    await page.getByLabel('操作', { exact: true }).fill('certificate.');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('table.audit tbody tr')].every((r) => r.dataset.action.startsWith('certificate.')));
    await page.getByLabel('操作', { exact: true }).fill('');
    await page.getByLabel('操作人').fill(actor);
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForFunction(
      (a) => {
        const r = [...document.querySelectorAll('table.audit tbody tr')];
        return r.length > 0 && r.every((x) => x.children[2].textContent === a);
      },
      actor,
    );
  }, { needs: 'issuance' }],
  ['the audit log pages back with "older events": newest first, no event twice', async () => {
    await page.getByLabel('操作人').fill('');
    await page.getByLabel('每页条数').selectOption('20');
    await page.getByRole('button', { name: '筛选' }).click();
    const rows = page.locator('table.audit tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('table.audit tbody tr').length === 20);
    await page.getByRole('button', { name: '更早的记录' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table.audit tbody tr').length > 20);
    const ids = (await rows.locator('td.num').allTextContents()).map(Number);
    check(ids.every((id, i) => i === 0 || ids[i - 1] > id), `newest first across pages: ${ids.join(',')}`);
  }, { needs: 'issuance' }],
  ['"verify chain" says the chain is intact', async () => {
    await page.getByRole('button', { name: '校验哈希链' }).click();
    const ok = page.locator('.audit-verdict [data-ok="true"]');
    await ok.waitFor();
    check((await ok.textContent()).includes('哈希链完整'), await ok.textContent());
    // The console in English too.
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.locator('.audit-verdict [data-ok="true"]', { hasText: 'The chain is intact' }).waitFor();
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await page.getByRole('heading', { name: '审计日志', exact: true }).waitFor();
  }],
  ['a reviewer sees neither revocation nor the audit log, and a typed link says so', async () => {
    await login('reviewer');
    const t = await tabs();
    check(!t.includes('证书与注销') && !t.includes('审计日志') && !t.includes('柜台受理'), `reviewer's tabs: ${t}`);
    await page.goto(BASE + '/staff/audit');
    await page.getByText('您的角色不能使用这部分工作台。').waitFor();
    check((await page.locator('table.audit').count()) === 0, 'no audit table');
    const status = await page.evaluate(async () => (await fetch('/api/v1/staff/audit')).status);
    check(status === 403, `GET /api/v1/staff/audit as a reviewer: ${status}`);
  }],
  ['the reviewer confirms a bank transfer against its receipt; the reference is required', async () => {
    const id = await bankTransferApplication();
    await page.goto(`${BASE}/staff/applications/${id}`);
    await badge('待缴费').waitFor();
    const section = page.locator('section[aria-labelledby=transfer-title]');
    await section.getByRole('heading', { name: '对公转账' }).waitFor();
    const receipt = section.locator('li.material[data-kind="payment_receipt"] img.viewer');
    await receipt.waitFor();
    await page.waitForFunction((el) => el.complete && el.naturalWidth === 320, await receipt.elementHandle());
    await allLabelled('the bank transfer');
    await section.getByRole('button', { name: '确认到账' }).click();
    const reference = section.getByLabel('银行回单上的交易流水号');
    await section.locator('.field-invalid .field-error').waitFor();
    check((await reference.getAttribute('aria-invalid')) === 'true', 'the reference is marked');
    await badge('待缴费').waitFor();
    await reference.fill('BOC-20261126-000042');
    await section.getByRole('button', { name: '确认到账' }).click();
    await badge('已付款，等待审核').waitFor();
    await section.getByText('已到账').waitFor();
    await receipt.waitFor(); // the receipt stays with the record
  }],
  ['no errors in the browser console', async () => {
    const real = consoleErrors.filter((e) => !/status of (401|403|404|409|415|422)/.test(e));
    check(real.length === 0, `console errors: ${real.join(' | ')}`);
  }],
];

const ok = await run('staff', steps, () => page);
await browser.close();
process.exit(ok ? 0 : 1);
