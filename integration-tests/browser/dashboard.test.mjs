// The dashboard end to end in headless Chromium against a running stack (./setup.sh):
// submit a job through the form, watch its page update live (no reload) until COMPLETED, and see it
// in the jobs list, which also updates live.
//
// Environment: GATEWAY_URL (default http://127.0.0.1:8090), CHROMIUM (default /usr/bin/chromium),
// MAPREDUCE_API_KEY (sent when the gateway wants keys), INPUT_TOPIC (default application-logs),
// NUM_MAPPERS (default 8), HOLD_DIR (the map workers' hold-marker folder, MAPREDUCE_TESTFAULTS_HOLDDIR:
// map task 0 is held after STARTED until the page has shown the job part done, so the page has states
// to show however fast the job would be). Screenshots go to out/.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const GATEWAY = (process.env.GATEWAY_URL || 'http://127.0.0.1:8090').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const API_KEY = process.env.MAPREDUCE_API_KEY || '';
const TOPIC = process.env.INPUT_TOPIC || 'application-logs';
const MAPPERS = process.env.NUM_MAPPERS || '8';
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
const JOB_TIMEOUT_MS = 180_000;
const HOLD = process.env.HOLD_DIR ? join(process.env.HOLD_DIR, 'MAP-0') : null;
const holdMapTaskZero = () => HOLD && writeFileSync(HOLD, '');
const releaseMapTaskZero = () => HOLD && rmSync(HOLD, { force: true });

let failures = 0;
function check(condition, message) {
  if (condition) {
    console.log(`  ok   ${message}`);
  } else {
    failures++;
    console.log(`  FAIL ${message}`);
  }
}

function fatal(message) {
  throw new Error(message);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the job page shows now. */
function snapshot(page) {
  return page.evaluate(() => {
    const bars = [...document.querySelectorAll('#timeline .attempt')];
    return {
      status: document.getElementById('job-status').textContent,
      map: document.getElementById('map-progress').value,
      reduce: document.getElementById('reduce-progress').value,
      bars: bars.length,
      timeline: bars.map((b) => `${b.dataset.status}@${b.style.left}/${b.style.width}`).join(' '),
      barStatuses: [...new Set(bars.map((b) => b.dataset.status))].sort().join(','),
      marker: window.__dashboardTestMarker || null,
      timeOrigin: performance.timeOrigin,
      navigations: performance.getEntriesByType('navigation').length,
    };
  });
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const health = await fetch(`${GATEWAY}/actuator/health`).catch((e) => fatal(
    `the gateway at ${GATEWAY} does not answer (${e.cause?.code || e.message}): start the stack with ./setup.sh`));
  if (!health.ok) fatal(`the gateway at ${GATEWAY} is not healthy: HTTP ${health.status}`);

  const profile = mkdtempSync(join(tmpdir(), 'mapreduce-dashboard-test-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 1000 },
  });
  const errors = [];
  try {
    if (API_KEY) {
      await context.addInitScript((key) => localStorage.setItem('mapreduce.apiKey', key), API_KEY);
    }
    context.on('page', (p) => p.on('pageerror', (e) => errors.push(`${p.url()}: ${e.message}`)));

    // --- a list page left open: it must learn of the new job without reloading ---
    const list = await context.newPage();
    list.on('pageerror', (e) => errors.push(`list: ${e.message}`));
    await list.goto(`${GATEWAY}/`);
    await list.waitForSelector('#live-state[data-state="live"]', { timeout: 15_000 });
    await list.evaluate(() => { window.__dashboardTestMarker = 'list'; });

    // --- the submit form: the server's field errors show next to the fields ---
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
    await page.goto(`${GATEWAY}/`);
    await page.waitForFunction(() => document.querySelectorAll('#mapFunction option').length > 1, null,
      { timeout: 15_000 });
    check(await page.locator('#mapFunction option[value="ERROR_PATTERN"]').count() === 1,
      'the map functions come from GET /api/functions');

    await page.fill('#jobName', '');
    await page.fill('#numMappers', '5000');
    await page.click('#submit-button');
    await page.waitForFunction(() => document.getElementById('error-jobName').textContent !== '', null,
      { timeout: 10_000 });
    check((await page.textContent('#error-jobName')) !== '', 'a missing job name is shown under its field');
    check((await page.textContent('#error-numMappers')) !== '', 'too many mappers is shown under its field');
    check(await page.getAttribute('#numMappers', 'aria-invalid') === 'true', 'the wrong field is marked invalid');
    check(page.url().endsWith('/'), 'a refused job stays on the form');

    // --- a real job ---
    // markup in a name must show as text, never become markup
    const name = `dashboard-e2e-${Date.now()} <b class="injected">bold</b>`;
    await page.fill('#jobName', name);
    await page.fill('#inputTopic', TOPIC);
    await page.fill('#numMappers', MAPPERS);
    await page.fill('#numReducers', '2');
    await page.selectOption('#mapFunction', 'WORD_COUNT');
    await page.selectOption('#reduceFunction', 'SUM');
    holdMapTaskZero();
    await Promise.all([
      page.waitForURL(/\/job\.html\?id=[0-9a-f-]{36}$/, { timeout: 20_000 }),
      page.click('#submit-button'),
    ]);
    const jobId = new URL(page.url()).searchParams.get('id');
    console.log(`job ${jobId} submitted through the form`);
    await page.evaluate(() => { window.__dashboardTestMarker = 'job'; });
    const first = await snapshot(page);

    // --- watch it run, without reloading ---
    const seen = [];
    let screenshot = false;
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    let now = first;
    while (Date.now() < deadline) {
      now = await snapshot(page);
      const last = seen[seen.length - 1];
      if (!last || last.status !== now.status || last.map !== now.map || last.reduce !== now.reduce
          || last.timeline !== now.timeline) {
        seen.push(now);
      }
      // a screenshot as soon as the job runs, taken again once some tasks are done while others run
      const running = now.bars > 0 && ['RUNNING', 'MAP_COMPLETED', 'REDUCE_RUNNING'].includes(now.status);
      const telling = running && now.barStatuses.includes('SUCCEEDED') && now.barStatuses.includes('RUNNING');
      if (running && (!screenshot || (telling && screenshot !== 'telling'))) {
        await page.screenshot({ path: join(OUT, 'job-running.png'), fullPage: true });
        screenshot = telling ? 'telling' : 'early';
        console.log(`screenshot while ${now.status} (${now.barStatuses}): out/job-running.png`);
      }
      if (telling && Number(now.map) > 0) releaseMapTaskZero(); // the page showed the job part done
      if (now.status === 'COMPLETED' || now.status === 'FAILED' || now.status === 'CANCELLED') break;
      await sleep(100);
    }
    console.log(`the page showed ${seen.length} states: ${[...new Set(seen.map((s) => s.status))].join(' → ')}`);
    check(now.status === 'COMPLETED', `the page shows COMPLETED (shows ${now.status})`);
    check(screenshot, 'a screenshot was taken while the job ran');
    const statuses = seen.map((s) => s.status);
    check(statuses.some((s) => ['RUNNING', 'MAP_COMPLETED', 'REDUCE_RUNNING'].includes(s))
      && statuses.indexOf('COMPLETED') > 0, 'the status went from running to COMPLETED on the open page');
    check(new Set(seen.map((s) => s.map)).size >= 2, 'the map progress bar moved');
    check(new Set(seen.map((s) => s.timeline)).size >= 3, 'the task timeline changed while the job ran');
    check(now.barStatuses.includes('SUCCEEDED'), 'the timeline shows succeeded attempts');
    check(now.marker === 'job' && now.timeOrigin === first.timeOrigin && now.navigations === 1,
      'the page was never reloaded');

    check(await page.textContent('#job-name') === name && await page.locator('.injected').count() === 0,
      'the job name is shown as text, markup and all');

    // --- the completed job ---
    await page.waitForSelector('#results-table tbody tr', { timeout: 15_000 });
    const results = await page.locator('#results-table tbody tr').count();
    check(results > 0 && results <= 20, `the top results are shown (${results} rows)`);
    const recordsRead = await page.textContent('#counters tr[data-counter="recordsRead"] td');
    check(Number(recordsRead.replace(/[^0-9]/g, '')) > 0, `the counters are shown (records read: ${recordsRead})`);
    check((await page.textContent('#results-sql')).includes(jobId), 'the results SQL names the job');
    check(await page.isHidden('#cancel-button'), 'an ended job has no cancel button');
    const bars = await page.locator('#timeline .attempt').count();
    const maps = await page.locator('#timeline .row.map').count();
    check(maps === Number(MAPPERS) && bars >= maps + 2, `one timeline row per task (${maps} map rows, ${bars} bars)`);
    await page.screenshot({ path: join(OUT, 'job-completed.png'), fullPage: true });

    // --- the list page that stayed open, and a fresh one ---
    const row = list.locator(`tr[data-job-id="${jobId}"]`);
    await row.waitFor({ timeout: 15_000 });
    await list.waitForFunction((id) => document.querySelector(`tr[data-job-id="${id}"] .badge`)?.textContent
      === 'COMPLETED', jobId, { timeout: 15_000 }).catch(() => {});
    check(await row.locator('.badge').textContent() === 'COMPLETED', 'the open list page shows the job COMPLETED');
    check(await list.evaluate(() => window.__dashboardTestMarker) === 'list', 'the list page was never reloaded');
    await list.screenshot({ path: join(OUT, 'jobs-list.png'), fullPage: true });

    const fresh = await context.newPage();
    await fresh.goto(`${GATEWAY}/`);
    await fresh.locator(`tr[data-job-id="${jobId}"] a`).waitFor({ timeout: 15_000 });
    check(await fresh.locator(`tr[data-job-id="${jobId}"] a`).textContent() === name
      && await fresh.locator('.injected').count() === 0, 'the jobs list links the job by its name, as text');
    await fresh.fill('#name-filter', name);
    const filtered = await fresh.waitForFunction(
      (id) => {
        const rows = document.querySelectorAll('#jobs-body tr[data-job-id]');
        return rows.length === 1 && rows[0].dataset.jobId === id;
      }, jobId, { timeout: 10_000 }).then(() => true, () => false);
    check(filtered, 'filtering by name leaves just the job');

    check(errors.length === 0, `no script errors${errors.length ? `: ${errors.join('; ')}` : ''}`);
  } finally {
    releaseMapTaskZero();
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().then(
  () => {
    if (failures) {
      console.log(`dashboard test: ${failures} check(s) failed`);
      process.exit(1);
    }
    console.log('dashboard test: all checks passed');
  },
  (e) => {
    console.error(`dashboard test failed: ${e.message}`);
    process.exit(1);
  },
);
