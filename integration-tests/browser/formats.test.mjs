// The dashboard's Formats page in headless Chromium against a running gateway: the catalogue loads,
// a preset's sample lines parse into a table of fields, a malformed line shows its reason, and a bad
// format shows the gateway's field errors. Needs only the gateway (the formats calls do not reach the
// coordinator). Environment: GATEWAY_URL, CHROMIUM, MAPREDUCE_API_KEY, as dashboard.test.mjs.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const GATEWAY = (process.env.GATEWAY_URL || 'http://127.0.0.1:8090').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const API_KEY = process.env.MAPREDUCE_API_KEY || '';
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');

let failures = 0;
function check(condition, message) {
  console.log(`  ${condition ? 'ok  ' : 'FAIL'} ${message}`);
  if (!condition) {
    failures++;
  }
}

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  if (API_KEY) {
    await page.addInitScript((key) => localStorage.setItem('mapreduce.apiKey', key), API_KEY);
  }
  await page.goto(`${GATEWAY}/formats.html`);
  await page.waitForSelector('#format option[value="apache_combined"]', { state: 'attached', timeout: 20000 });
  const options = await page.$$eval('#format option', (o) => o.map((x) => x.value));
  check(options.includes('syslog_rfc5424') && options.includes('log4j') && options.includes('grok'),
    `the formats are listed (${options.length})`);
  check((await page.$$('#catalogue details')).length >= 14, 'the catalogue shows every format');

  await page.selectOption('#format', 'apache_combined');
  await page.fill('#lines', `${await page.inputValue('#lines')}\nnot an access log line`);
  await page.click('#preview-button');
  await page.waitForSelector('#result-body tr', { timeout: 20000 });
  const summary = await page.textContent('#result-summary');
  check(summary.includes('2 of 3 records parsed') && summary.includes('1 malformed'), `summary: ${summary}`);
  const heads = await page.$$eval('#result-head th', (t) => t.map((x) => x.textContent));
  check(['client', 'status', 'bytes', 'user_agent'].every((h) => heads.includes(h)), 'the fields are the columns');
  const statusColumn = heads.indexOf('status');
  const firstStatus = await page.$eval('#result-body tr', (tr, i) => tr.children[i].textContent, statusColumn);
  check(firstStatus === '200', `the first line's status is 200 (${firstStatus})`);
  const malformed = await page.textContent('#result-body tr.malformed');
  check(malformed.includes('no [time] after the user') && malformed.includes('not an access log line'),
    `the malformed line shows why: ${malformed.trim()}`);
  await page.screenshot({ path: join(OUT, 'formats.png') });

  await page.fill('#spec', '{"type":"grok","pattern":"%{NOPE:x}","timestamp":{"zone":"Mars/Olympus"}}');
  await page.click('#preview-button');
  await page.waitForFunction(() => document.getElementById('error-spec').textContent.length > 0, null, { timeout: 20000 });
  const fieldErrors = await page.textContent('#error-spec');
  check(fieldErrors.includes("unknown grok pattern 'NOPE'") && fieldErrors.includes('Mars/Olympus'),
    `a bad format shows every problem: ${fieldErrors}`);
  check(errors.length === 0, `no page errors ${errors.join('; ')}`);
} finally {
  await browser.close();
}
console.log(failures ? `formats page: ${failures} check(s) failed` : 'formats page: all checks passed');
process.exit(failures ? 1 : 0);
