// Public verification in a browser (issue 9, DESIGN §7 /verify): an OFD and a PDF sealed with the
// eseal CLI by a certificate of this home's CA (openssl makes the key and CSR, `eseal ca issue`,
// `eseal seal make`, `eseal ofd sign`, `eseal pdf sign`), uploaded without logging in through the
// verify page (picker), which shows "valid" with the seal picture; a changed byte shows "invalid"
// with the reason, and a file that is no document shows the server's problem.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, WORK, check, launch, run } from './harness.mjs';

const ESEAL = process.env.ESEAL;
const dir = join(WORK, 'verify');
mkdirSync(join(dir, 'ofd', 'Doc_0', 'Pages', 'Page_0'), { recursive: true });
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts }).toString();

// A one-page OFD (GB/T 33190-2016: OFD.xml → Document.xml → the page) zipped by Info-ZIP.
function makeOfd() {
  const ns = 'xmlns:ofd="http://www.ofdspec.org/2016"';
  const files = {
    'OFD.xml': `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${ns} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>6e2e0000000000000000000000000000</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
    'Doc_0/Document.xml': `<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${ns}><ofd:CommonData><ofd:MaxUnitID>20</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages><ofd:Page ID="10" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`,
    'Doc_0/PublicRes.xml': `<?xml version="1.0" encoding="UTF-8"?><ofd:Res ${ns} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="SimSun" FamilyName="SimSun"/></ofd:Fonts></ofd:Res>`,
    'Doc_0/Pages/Page_0/Content.xml': `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${ns}><ofd:Content><ofd:Layer ID="11"><ofd:TextObject ID="12" Boundary="20 20 170 10" Font="2" Size="5"><ofd:TextCode X="0" Y="5">Contract</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>`,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'ofd', name), text);
  sh('zip', ['-q', '-X', '-r', join(dir, 'in.ofd'), 'OFD.xml', 'Doc_0'], { cwd: join(dir, 'ofd') });
}

// A one-page PDF with a classic xref table (ISO 32000-1 §7.5.4).
function makePdf() {
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
  writeFileSync(join(dir, 'in.pdf'), out, 'latin1');
}

const browser = await launch();
const page = browser.context.pages()[0] ?? (await browser.context.newPage());
const consoleErrors = [];
page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
page.on('pageerror', (e) => consoleErrors.push(String(e)));

const upload = async (file) => {
  await page.locator('#verify-file').setInputFiles(file);
};

const steps = [
  ['an organization certificate from this home\'s CA, a seal, and an OFD and a PDF sealed with the CLI', async () => {
    const subj = '/C=CN/ST=广东省/L=深圳市/O=深圳市示例科技有限公司/organizationIdentifier=91350100M000100Y43';
    sh('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(dir, 'org.key')]);
    sh('openssl', ['req', '-new', '-utf8', '-key', join(dir, 'org.key'), '-subj', subj, '-out', join(dir, 'org.csr')]);
    sh(ESEAL, ['-q', 'ca', 'issue', '--csr', join(dir, 'org.csr'), '--ca', 'e2e-ecdsa', '--profile', 'org', '--years', '1', '--out', join(dir, 'org.pem')]);
    sh(ESEAL, ['-q', 'seal', 'make', '--type', 'contract', '--name', '深圳市示例科技有限公司', '--maker-key', join(dir, 'org.key'),
      '--maker-cert', join(dir, 'org.pem'), '--cert', join(dir, 'org.pem'), '--out', join(dir, 'seal.esl')]);
    makeOfd();
    makePdf();
    sh(ESEAL, ['-q', 'ofd', 'sign', join(dir, 'in.ofd'), join(dir, 'sealed.ofd'), '--seal', join(dir, 'seal.esl'), '--key', join(dir, 'org.key'), '--at', '160,250']);
    sh(ESEAL, ['-q', 'pdf', 'sign', join(dir, 'in.pdf'), join(dir, 'sealed.pdf'), '--seal', join(dir, 'seal.esl'), '--key', join(dir, 'org.key'), '--at', '150,250']);
  }],
  ['the verify page is linked from the header and needs no login', async () => {
    await page.goto(BASE + '/');
    await page.getByRole('link', { name: '验证文档' }).click();
    await page.getByRole('heading', { name: '电子签章验证' }).waitFor();
    check(new URL(page.url()).pathname === '/verify', `at ${page.url()}`);
  }],
  ['a sealed OFD is shown valid, green, with the seal picture, organization and credit code', async () => {
    await upload(join(dir, 'sealed.ofd'));
    await page.locator('#verify-result[data-valid="true"]').waitFor();
    check((await page.locator('#verify-result').textContent()).includes('有效'), 'the heading says valid');
    const card = page.locator('li[data-valid="true"]');
    check((await card.count()) === 1, 'one valid signature');
    const text = await card.textContent();
    check(text.includes('深圳市示例科技有限公司') && text.includes('91350100M000100Y43'), `signer shown: ${text}`);
    const img = card.locator('img');
    check((await img.getAttribute('src')).startsWith('data:image/png;base64,'), 'seal picture as PNG');
    check(await img.evaluate((el) => el.complete && el.naturalWidth > 100), 'the seal picture decodes');
  }],
  ['a sealed PDF dropped onto the page is shown valid', async () => {
    // Drag and drop as the browser delivers it: a drop event whose DataTransfer holds the file.
    const b64 = readFileSync(join(dir, 'sealed.pdf')).toString('base64');
    await page.evaluate((data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'sealed.pdf', { type: 'application/pdf' }));
      const zone = document.querySelector('label[for="verify-file"]').parentElement;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, b64);
    await page.getByText('PDF 文档').waitFor();
    await page.locator('#verify-result[data-valid="true"]').waitFor();
    // The seal picture comes out of the signature widget's appearance (image + soft mask).
    const img = page.locator('li[data-valid="true"] img');
    check((await img.count()) === 1, 'the PDF signature shows its seal picture');
    check((await img.getAttribute('src')).startsWith('data:image/png;base64,'), 'PDF seal picture as PNG');
    check(await img.evaluate((el) => el.complete && el.naturalWidth > 100), 'the PDF seal picture decodes');
  }],
  ['a changed byte in the sealed PDF is invalid (red), with the reason; English strings on the switch', async () => {
    const bytes = readFileSync(join(dir, 'sealed.pdf'));
    const at = bytes.indexOf('(Contract)');
    bytes[at + 1] = 'K'.charCodeAt(0);
    writeFileSync(join(dir, 'tampered.pdf'), bytes);
    await page.getByRole('button', { name: 'English' }).click();
    await upload(join(dir, 'tampered.pdf'));
    await page.locator('#verify-result[data-valid="false"]').waitFor();
    check((await page.locator('#verify-result').textContent()).includes('Invalid'), 'the heading says invalid');
    const card = page.locator('li[data-valid="false"]');
    check((await card.locator('.error-box li').count()) > 0, 'the problems are listed');
    check((await card.textContent()).includes('Integrity: fail'), 'integrity fails');
  }],
  ['a file that is no document shows the server\'s problem', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'not a document');
    await upload(join(dir, 'notes.txt'));
    await page.locator('.error-box[data-code="verify.unsupported"]').waitFor();
    check((await page.locator('#verify-result').count()) === 0, 'no report shown');
  }],
  ['no errors in the browser console', async () => {
    // 401: the app's session probe (GET /api/v1/me) when nobody is logged in; 422: the refused file.
    const real = consoleErrors.filter((e) => !/status of (401|422)/.test(e));
    check(real.length === 0, `console errors: ${real.join(' | ')}`);
  }],
];

const ok = await run('verify', steps, () => page);
await browser.close();
process.exit(ok ? 0 : 1);
