// The dashboard's query box end to end in headless Chromium against a running stack (./setup.sh):
// a query with an unknown function shows the 400's message with its line and column next to the box
// (and makes no job); then two queries typed into the box run as query jobs, and each job's page
// shows the named columns in the query's order, a chart drawn from the rows (bars for a count per
// service, a line for a count per 10-second bucket and level), and a CSV download that holds the table's rows.
//
// Environment: GATEWAY_URL (default http://127.0.0.1:8090), CHROMIUM (default /usr/bin/chromium),
// MAPREDUCE_API_KEY (sent when the gateway wants keys), INPUT_TOPIC (default application-logs, the
// demo events of ./setup.sh). Screenshots go to out/.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const GATEWAY = (process.env.GATEWAY_URL || 'http://127.0.0.1:8090').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const API_KEY = process.env.MAPREDUCE_API_KEY || '';
const TOPIC = process.env.INPUT_TOPIC || 'application-logs';
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
const JOB_TIMEOUT_MS = 180_000;

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

/** RFC 4180: rows of cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Types the query into the box on /, runs it, and waits on the job's page until it has ended. */
async function runQuery(page, sql, jobName) {
  await page.goto(`${GATEWAY}/`);
  await page.fill('#query-sql', sql);
  await page.fill('#query-name', jobName);
  await page.selectOption('#query-input-kind', 'inputTopic');
  await page.fill('#query-input', TOPIC);
  await page.selectOption('#query-format-preset', '');
  await Promise.all([
    page.waitForURL(/\/job\.html\?id=[0-9a-f-]{36}$/, { timeout: 20_000 }),
    page.click('#query-button'),
  ]);
  const jobId = new URL(page.url()).searchParams.get('id');
  console.log(`query job ${jobId} submitted through the query box`);
  await page.waitForFunction(() => ['COMPLETED', 'FAILED', 'CANCELLED']
    .includes(document.getElementById('job-status').textContent), null, { timeout: JOB_TIMEOUT_MS });
  const status = await page.textContent('#job-status');
  check(status === 'COMPLETED', `the query job completed (${status})`);
  if (status !== 'COMPLETED') fatal(`job ${jobId} ended ${status}: ${await page.textContent('#job-error')}`);
  await page.waitForSelector('#results-table tbody tr', { timeout: 15_000 });
  return jobId;
}

/** The results table: its header names and its rows' cells as text. */
function table(page) {
  return page.evaluate(() => ({
    headers: [...document.querySelectorAll('#results-table thead th')].map((th) => th.textContent),
    rows: [...document.querySelectorAll('#results-table tbody tr')]
      .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
  }));
}

/** What the chart holds and whether its canvas has pixels drawn. */
function chart(page) {
  return page.evaluate(() => {
    const canvas = document.getElementById('results-chart');
    const figure = canvas && canvas.closest('figure');
    const instance = canvas && window.Chart && window.Chart.getChart(canvas);
    let painted = 0;
    if (canvas && canvas.width && canvas.height) {
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
    }
    return {
      kind: figure ? figure.dataset.chart : null,
      hidden: figure ? figure.hidden : true,
      type: instance ? instance.config.type : null,
      labels: instance ? instance.data.labels.map(String) : [],
      datasets: instance ? instance.data.datasets.map((d) => ({ label: d.label, data: d.data })) : [],
      painted,
    };
  });
}

/** Clicks the CSV download and parses the file the browser saved. */
async function downloadCsv(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 20_000 }),
    page.click('#csv-download'),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), rows: parseCsv(readFileSync(path, 'utf8')) };
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const health = await fetch(`${GATEWAY}/actuator/health`).catch((e) => fatal(
    `the gateway at ${GATEWAY} does not answer (${e.cause?.code || e.message}): start the stack with ./setup.sh`));
  if (!health.ok) fatal(`the gateway at ${GATEWAY} is not healthy: HTTP ${health.status}`);

  const profile = mkdtempSync(join(tmpdir(), 'mapreduce-query-test-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 1000 },
  });
  const errors = [];
  try {
    if (API_KEY) {
      await context.addInitScript((key) => localStorage.setItem('mapreduce.apiKey', key), API_KEY);
    }
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));

    // --- a query that cannot run (an unknown function; an unknown column is NULL for JSON lines,
    // which take any field): the problem's message with its line and column, by the box ---
    await page.goto(`${GATEWAY}/`);
    await page.fill('#query-sql', 'SELECT service,\n       nope(level)\nFROM logs');
    await page.fill('#query-input', TOPIC);
    await page.click('#query-button');
    await page.waitForFunction(() => document.getElementById('query-error').textContent !== '', null,
      { timeout: 15_000 });
    const message = await page.textContent('#query-error');
    check(/^Line 2, column 8: /.test(message) && message.includes('nope'),
      `the 400 shows next to the box with its line and column ("${message}")`);
    check(await page.getAttribute('#query-sql', 'aria-invalid') === 'true', 'the SQL box is marked invalid');
    check(new URL(page.url()).pathname === '/', 'a refused query stays on the page');
    await page.screenshot({ path: join(OUT, 'query-error.png'), fullPage: true });

    // --- the format: the presets of GET /api/formats, or a format object whose problem shows too ---
    const presets = await page.evaluate(() => [...document.querySelectorAll('#query-format-preset option')]
      .map((o) => o.value));
    check(presets.includes('name:apache_combined') && presets.includes('object'),
      `the format select offers the presets and a JSON format object (${presets.length} options)`);
    check(await page.isHidden('#query-format-json'), 'the format object box is hidden until chosen');
    await page.fill('#query-sql', 'SELECT count(*) AS n FROM logs');
    await page.selectOption('#query-format-preset', 'object');
    await page.fill('#query-format-json', '{"type":"no_such_format"}');
    await page.click('#query-button');
    await page.waitForFunction(() => document.getElementById('query-error-format').textContent !== '', null,
      { timeout: 15_000 });
    check((await page.textContent('#query-error-format')).includes('no_such_format')
      && new URL(page.url()).pathname === '/', 'a format object the API refuses shows under the format');

    // --- a count per service: the named columns, bars, and the CSV ---
    const stamp = Date.now();
    const jobId = await runQuery(page,
      'SELECT service, count(*) AS events, count(DISTINCT level) AS levels\nFROM logs\nGROUP BY service\nORDER BY events DESC, service',
      `query-e2e-bars-${stamp}`);
    const bars = await table(page);
    check(JSON.stringify(bars.headers) === JSON.stringify(['service', 'events', 'levels']),
      `the table's headers are the query's columns in its order (${bars.headers.join(', ')})`);
    check(bars.rows.length > 1, `the table holds the rows (${bars.rows.length})`);
    const barChart = await chart(page);
    check(barChart.kind === 'bar' && barChart.type === 'bar' && !barChart.hidden, `a bar chart is drawn (${barChart.kind})`);
    const byService = new Map(bars.rows.map((r) => [r[0], Number(r[1])]));
    check(barChart.labels.length === Math.min(20, bars.rows.length)
      && barChart.labels.every((label, i) => byService.get(label) === barChart.datasets[0].data[i]),
      `its bars are the rows' services and event counts (${barChart.labels.length} bars)`);
    check(barChart.painted > 1000, `the chart's canvas has pixels drawn (${barChart.painted})`);
    const csv = await downloadCsv(page);
    check(csv.name === `${jobId}.csv`, `the download is named ${csv.name}`);
    check(JSON.stringify(csv.rows[0]) === JSON.stringify(bars.headers), `the CSV's header is the columns (${csv.rows[0]})`);
    check(JSON.stringify(csv.rows.slice(1)) === JSON.stringify(bars.rows),
      `the CSV holds the table's rows, in its order (${csv.rows.length - 1} rows)`);
    await page.screenshot({ path: join(OUT, 'query-bars.png'), fullPage: true });

    // --- a count per time bucket and level: a line over time ---
    await runQuery(page,
      // the demo events span 100 seconds: 10-second buckets give a line of 10 points per level
      "SELECT time_bucket(INTERVAL '10 seconds', timestamp) AS bucket, level, count(*) AS n\nFROM logs\n"
        + "WHERE timestamp IS NOT NULL\nGROUP BY time_bucket(INTERVAL '10 seconds', timestamp), level\nORDER BY bucket, level",
      `query-e2e-line-${stamp}`);
    const lines = await table(page);
    check(JSON.stringify(lines.headers) === JSON.stringify(['bucket', 'level', 'n']),
      `the table's headers are the query's columns in its order (${lines.headers.join(', ')})`);
    const lineChart = await chart(page);
    check(lineChart.kind === 'line' && lineChart.type === 'line', `a line chart is drawn (${lineChart.kind})`);
    const levels = new Set(lines.rows.map((r) => r[1]));
    const buckets = new Set(lines.rows.map((r) => r[0]));
    check(lineChart.datasets.length === Math.min(10, levels.size) && lineChart.labels.length === buckets.size
      && buckets.size > 1, `one line per level (${lineChart.datasets.length}) over the buckets (${lineChart.labels.length})`);
    const points = lineChart.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null).length, 0);
    const total = lineChart.datasets.reduce((n, d) => n + d.data.reduce((a, v) => a + (v || 0), 0), 0);
    const tableTotal = lines.rows.filter((r) => lineChart.datasets.some((d) => d.label === r[1]))
      .reduce((n, r) => n + Number(r[2]), 0);
    check(points > 0 && total === tableTotal, `the lines hold the table's counts (${points} points, ${total} events)`);
    check(lineChart.painted > 1000, `the chart's canvas has pixels drawn (${lineChart.painted})`);
    const lineCsv = await downloadCsv(page);
    check(JSON.stringify(lineCsv.rows) === JSON.stringify([lines.headers, ...lines.rows]),
      `the CSV holds the table's rows (${lineCsv.rows.length - 1} rows)`);
    await page.screenshot({ path: join(OUT, 'query-line.png'), fullPage: true });

    check(errors.length === 0, `no script errors${errors.length ? `: ${errors.join('; ')}` : ''}`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().then(
  () => {
    if (failures) {
      console.log(`query test: ${failures} check(s) failed`);
      process.exit(1);
    }
    console.log('query test: all checks passed');
  },
  (e) => {
    console.error(`query test failed: ${e.message}`);
    process.exit(1);
  },
);
