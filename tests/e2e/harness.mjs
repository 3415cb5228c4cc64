// A small step runner for the browser tests: each step passes or fails (a failure stops the run,
// later steps depend on it), a screenshot is kept after each step and on failure, and the run ends
// with the plain "N passed, N failed" line.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE = process.env.ESEAL_E2E_URL;
export const ARTIFACTS = process.env.ESEAL_E2E_ARTIFACTS;
export const WORK = process.env.ESEAL_E2E_WORK;
if (!BASE || !ARTIFACTS || !WORK) throw new Error('run through run_e2e.sh');
mkdirSync(ARTIFACTS, { recursive: true });

export class Failure extends Error {}
// A step that cannot run on this server (a feature it does not offer): reported with the reason,
// the steps that depend on it are skipped too, and the run is not failed for it.
export class Skip extends Error {}
export function check(condition, what) {
  if (!condition) throw new Failure(what);
}

// Chromium with the flags that keep it off the network and out of the sandbox it cannot have as
// root, in a fresh profile.
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'eseal-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(15000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function run(name, steps, pageOf) {
  // This run's screenshots only (a FAILED one from an earlier run would mislead).
  for (const f of readdirSync(ARTIFACTS)) if (f.startsWith(`${name}-`) && f.endsWith('.png')) rmSync(join(ARTIFACTS, f));
  let passed = 0;
  let failed = 0;
  let shot = 0;
  let skipping = '';
  let skippedOnPurpose = 0;
  for (const [title, fn, opts] of steps) {
    if (skipping && opts?.needs === skipping) {
      skippedOnPurpose++;
      console.log(`SKIP: ${title} (needs ${skipping})`);
      continue;
    }
    try {
      await fn();
      passed++;
      console.log(`PASS: ${title}`);
      const page = pageOf();
      if (page) await page.screenshot({ path: join(ARTIFACTS, `${name}-${String(++shot).padStart(2, '0')}.png`), fullPage: true });
    } catch (e) {
      if (e instanceof Skip) {
        skippedOnPurpose++;
        skipping = opts?.provides ?? '';
        console.log(`SKIP: ${title}: ${e.message}`);
        continue;
      }
      failed++;
      console.log(`FAIL: ${title}: ${e instanceof Failure ? e.message : e.stack || e}`);
      const page = pageOf();
      if (page) await page.screenshot({ path: join(ARTIFACTS, `${name}-FAILED.png`), fullPage: true }).catch(() => {});
      break;
    }
  }
  const notRun = steps.length - passed - failed - skippedOnPurpose;
  const skipped = notRun + skippedOnPurpose;
  console.log(`screenshots in ${ARTIFACTS}`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0 && notRun === 0;
}

// The sandbox SMS with the login code, as the dev endpoint shows it.
export async function smsCode(phone) {
  const r = await fetch(`${BASE}/api/v1/dev/messages?to=${phone}`);
  const { messages } = await r.json();
  const sms = messages.filter((m) => m.channel === 'sms').sort((a, b) => b.sent_at.localeCompare(a.sent_at));
  const m = sms[0]?.body.match(/\d{6}/);
  if (!m) throw new Failure(`no SMS code for ${phone}: ${JSON.stringify(messages)}`);
  return m[0];
}
