// Opens OFD documents with the npm package ofd.js 0.2.6 in headless Debian chromium (driven by
// playwright-core) and prints what ofd.js records for each seal:
//   verifyRet  ofd.js's own check of the SES_Signature: sm-crypto's SM2 verify of DER(TBS_Sign)
//              with the signer certificate's key and the ID 1234567812345678 (its
//              SES_Signature_Verify, stored as sealObj.verifyRet / signedInfo.VerifyRet);
//   digestOk   ofd.js's digestCheck over the References it collected (its own SM3);
//   images     seal pictures drawn on the pages by its renderOfd.
// usage: node ofdjs_verify.js EXPECTED_SIGNATURES FILE.ofd
// Prints JSON; exits 0 only when ofd.js found EXPECTED_SIGNATURES seals, every verifyRet and
// digestOk is true, and every seal picture was drawn.
'use strict';
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const [expectedArg, ofdFile] = process.argv.slice(2);
if (!expectedArg || !ofdFile) {
  console.error('usage: ofdjs_verify.js EXPECTED_SIGNATURES FILE.ofd');
  process.exit(2);
}
const lib = path.join(__dirname, '..', 'node_modules', 'ofd.js', 'lib', 'ofd.umd.js');
const files = {
  '/': ['text/html', '<!doctype html><meta charset="utf-8"><script src="/ofd.umd.js"></script><body></body>'],
  '/ofd.umd.js': ['text/javascript', fs.readFileSync(lib)],
  '/doc.ofd': ['application/octet-stream', fs.readFileSync(ofdFile)],
};

// Runs in the page: parse with ofd.js, keep every signature's reference list (ofd.js stores them
// in a global Map that it replaces for each signature, so each new Map is kept as it is set).
async function inPage() {
  const lists = [];
  let current;
  Object.defineProperty(window, 'toBeChecked', {
    configurable: true,
    get() { return current; },
    set(v) { current = v; lists.push(v); },
  });
  const buffer = await (await fetch('/doc.ofd')).arrayBuffer();
  const docs = await new Promise((resolve, reject) =>
    ofd.parseOfdDocument({ ofd: buffer, success: resolve, fail: reject }));
  // ofd.js reads the referenced files asynchronously and does not wait: settle until no list grows.
  let last = -1;
  for (let stable = 0; stable < 5; ) {
    await new Promise((r) => setTimeout(r, 20));
    const n = lists.reduce((acc, m) => acc + [...m.values()].reduce((a, arr) => a + arr.length, 0), 0);
    stable = n === last ? stable + 1 : 0;
    last = n;
  }
  const seen = {};
  for (const doc of docs) {
    for (const [pageId, stamps] of Object.entries(doc.stampAnnot || {})) {
      for (const s of stamps) {
        const info = s.stamp.signedInfo;
        const entry = seen[info.signatureID] || (seen[info.signatureID] = {
          id: info.signatureID,
          verifyRet: info.VerifyRet === true && s.stamp.sealObj.verifyRet === true,
          sealType: s.stamp.sealObj.type,
          signatureMethod: info.SignatureMethod,
          stamps: [],
        });
        entry.stamps.push({ pageId, boundary: s.obj.boundary || (s.stamp.stampAnnot && s.stamp.stampAnnot.boundary) });
      }
    }
  }
  for (const m of lists)
    for (const [id, arr] of m.entries())
      if (seen[id]) {
        seen[id].references = arr.length;
        seen[id].digestOk = arr.length > 0 && ofd.digestCheck(arr) === true;
      }
  let images = 0;
  for (const doc of docs)
    for (const div of ofd.renderOfd(800, doc)) {
      document.body.appendChild(div);
      // renderPage draws each stamp as <svg name="seal_img_div"><image href="data:image/png…">.
      images += [...div.querySelectorAll('svg[name="seal_img_div"] image')]
        .filter((i) => i.href.baseVal.startsWith('data:image/png')).length;
    }
  return { pages: docs.reduce((a, d) => a + d.pages.length, 0), images, signatures: Object.values(seen) };
}

(async () => {
  const server = http.createServer((req, res) => {
    const f = files[req.url];
    if (!f) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': f[0] });
    res.end(f[1]);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'ofdjs-chromium-'));
  const browser = await chromium.launchPersistentContext(userData, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  let code = 1;
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const result = await page.evaluate(inPage);
    result.pageErrors = errors;
    console.log(JSON.stringify(result, null, 2));
    const expected = Number(expectedArg);
    const sigs = result.signatures;
    const good = sigs.length === expected && sigs.every((s) => s.verifyRet && s.digestOk) &&
      result.images >= sigs.reduce((a, s) => a + s.stamps.length, 0);
    code = good ? 0 : 1;
  } catch (e) {
    console.error(`ofd.js failed: ${e}`);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(userData, { recursive: true, force: true });
  }
  process.exit(code);
})();
