// Swagger UI drives the API, in headless Chromium against a running local stack: on /swagger-ui.html,
// POST /api/jobs is opened, "Try it out" takes the request body the OpenAPI description offers (its
// first example, the demo word count), "Execute" submits it and the page shows 201 with the new job,
// which then runs to COMPLETED. With MAPREDUCE_API_KEY set, the key is given through "Authorize" as a
// user would. Environment: GATEWAY_URL, CHROMIUM, MAPREDUCE_API_KEY, as dashboard.test.mjs;
// JOB_TIMEOUT_SECONDS (300). Screenshots: out/swagger-*.png.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const GATEWAY = (process.env.GATEWAY_URL || 'http://127.0.0.1:8090').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const API_KEY = process.env.MAPREDUCE_API_KEY || '';
const JOB_TIMEOUT_MS = Number(process.env.JOB_TIMEOUT_SECONDS || 300) * 1000;
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');

let failures = 0;
function check(condition, message) {
  console.log(`  ${condition ? 'ok  ' : 'FAIL'} ${message}`);
  if (!condition) {
    failures++;
  }
}

async function api(path) {
  const response = await fetch(`${GATEWAY}${path}`, { headers: API_KEY ? { 'X-API-Key': API_KEY } : {} });
  return { status: response.status, body: await response.json().catch(() => null) };
}

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1600 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${GATEWAY}/swagger-ui.html`);
  const submit = page.locator('#operations-Jobs-submit');
  await submit.waitFor({ timeout: 30000 });
  check(await page.locator('.info .title').first().textContent().then((t) => t.includes('MapReduce gateway API')),
    'Swagger UI shows the gateway API');

  if (API_KEY) {
    await page.click('button.authorize');
    const dialog = page.locator('.modal-ux');
    await dialog.locator('input').first().fill(API_KEY);
    await dialog.locator('button.authorize').first().click();
    await dialog.locator('button.btn-done, button.close-modal').first().click();
    console.log('  (API key given through Authorize)');
  }

  await submit.locator('.opblock-summary').first().click();
  await submit.locator('button.try-out__btn').click();
  const text = submit.locator('textarea.body-param__text');
  await text.waitFor({ timeout: 10000 });
  const example = JSON.parse(await text.inputValue());
  check(example.jobName === 'word-count-analysis' && example.inputTopic === 'application-logs'
    && example.mapFunction === 'WORD_COUNT', `the request body is the description's example: ${JSON.stringify(example)}`);
  const jobName = `swagger-ui-${Date.now()}`;
  await text.fill(JSON.stringify({ ...example, jobName }, null, 2));
  await submit.locator('button.execute').click();

  const status = submit.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({ timeout: 30000 });
  const code = (await status.textContent()).trim();
  check(code === '201', `"Execute" answers 201 (${code})`);
  const answer = await submit.locator('.live-responses-table .response .response-col_description pre').first().textContent();
  let job = {};
  try {
    job = JSON.parse(answer);
  } catch (e) {
    check(false, `the answer is JSON: ${answer}`);
  }
  check(/^[0-9a-f-]{36}$/.test(job.jobId || '') && job.jobName === jobName
    && ['RUNNING', 'PENDING'].includes(job.status) && job.message === 'Job submitted successfully',
    `the page shows the submitted job: ${job.jobId} ${job.status}`);
  await submit.screenshot({ path: join(OUT, 'swagger-submit.png') });

  if (job.jobId) {
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    let view = await api(`/api/jobs/${job.jobId}`);
    while (view.status === 200 && !['COMPLETED', 'FAILED', 'CANCELLED'].includes(view.body.status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      view = await api(`/api/jobs/${job.jobId}`);
    }
    check(view.status === 200 && view.body.status === 'COMPLETED',
      `the job Swagger UI submitted runs to COMPLETED (${view.body && view.body.status}, ${view.body && view.body.counters && view.body.counters.outputRecords} rows)`);
  }
  check(errors.length === 0, `no page errors ${errors.join('; ')}`);
} finally {
  await browser.close();
}
console.log(failures ? `swagger ui: ${failures} check(s) failed` : 'swagger ui: all checks passed');
process.exit(failures ? 1 : 0);
