// A query job's results: a table of its named columns in the query's order, a chart, and a CSV
// download (GET /api/jobs/{id}/results with Accept: text/csv, sent with the API key).
//
// The chart (Chart.js, vendored in vendor/chart.js/, a global `Chart`): a line over time when the
// first column is a TIMESTAMP (one line per value of the first text column, if there is one),
// otherwise a bar chart of the top rows (the first text column as label, the first numeric column
// as value).

import { api, apiBlob } from './api.js';
import { el, replace } from './dom.js';

/** Rows shown in the table (the CSV download has every row). */
export const TABLE_ROWS = 500;
const BAR_ROWS = 20;
const MAX_SERIES = 10;
const NUMERIC = new Set(['BIGINT', 'DOUBLE']);
const PALETTE = ['#0b5cad', '#c62828', '#2e8b57', '#d49a00', '#7b3fa0', '#00838f', '#ad5a0b', '#5a6270', '#e91e63', '#558b2f'];

let chart = null;

export async function showQueryResults(container, jobId) {
  const base = `/api/jobs/${encodeURIComponent(jobId)}/results`;
  const page = await api(`${base}?limit=${TABLE_ROWS + 1}`);
  const columns = page.columns || [];
  const all = page.results || [];
  const rows = all.slice(0, TABLE_ROWS);
  const more = all.length > TABLE_ROWS;

  const download = el('a', { id: 'csv-download', href: base, download: `${jobId}.csv`, class: 'button' },
    'Download CSV');
  const downloadStatus = el('span', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  download.addEventListener('click', async (event) => {
    event.preventDefault();
    downloadStatus.textContent = 'Preparing the CSV…';
    try {
      const blob = await apiBlob(base, 'text/csv');
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: `${jobId}.csv`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      downloadStatus.textContent = '';
    } catch (e) {
      downloadStatus.textContent = `Cannot download the CSV: ${e.message}`;
    }
  });

  const canvas = el('canvas', { id: 'results-chart', role: 'img', 'aria-label': 'Chart of the results' });
  const chartBox = el('figure', { class: 'chart' }, el('div', { class: 'chart-area' }, canvas),
    el('figcaption', { id: 'chart-caption', class: 'hint' }));
  const table = el('table', { id: 'results-table', 'data-columns': columns.length },
    el('caption', {}, more ? `The first ${rows.length} rows, in the query's order (the CSV has them all)`
      : `${rows.length} row${rows.length === 1 ? '' : 's'}, in the query's order`),
    el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', {
      scope: 'col', class: NUMERIC.has(c.type) ? 'number' : null, title: c.type, 'data-type': c.type,
    }, c.name)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...columns.map((c) => el('td', {
      class: NUMERIC.has(c.type) ? 'number' : null,
    }, cell(r[c.name])))))));
  replace(container,
    el('div', { class: 'actions' }, download, downloadStatus),
    chartBox,
    el('div', { class: 'table-wrap' }, table));
  drawChart(canvas, document.getElementById('chart-caption'), columns, all.slice(0, TABLE_ROWS));
}

/** A value as the API gives it (exact; NULL shown as an empty cell, as in the CSV). */
function cell(value) {
  if (value === null || value === undefined) return '';
  return String(value);
}

function drawChart(canvas, caption, columns, rows) {
  if (chart) {
    chart.destroy();
    chart = null;
  }
  const box = canvas.closest('figure');
  const numeric = columns.find((c) => NUMERIC.has(c.type));
  if (typeof window.Chart !== 'function' || !numeric || rows.length === 0 || columns.length < 2) {
    box.hidden = true;
    box.dataset.chart = 'none';
    return;
  }
  const text = columns.find((c) => c.type === 'VARCHAR');
  const value = (r) => {
    const n = Number(r[numeric.name]);
    return r[numeric.name] === null || !Number.isFinite(n) ? null : n;
  };
  let config;
  if (columns[0].type === 'TIMESTAMP') {
    const time = columns[0].name;
    const times = [...new Set(rows.map((r) => r[time]).filter((t) => t !== null))].sort();
    const seriesOf = new Map();
    for (const r of rows) {
      if (r[time] === null) continue;
      const name = text ? String(r[text.name] ?? 'NULL') : numeric.name;
      if (!seriesOf.has(name)) seriesOf.set(name, new Map());
      seriesOf.get(name).set(r[time], value(r));
    }
    // the series with the largest totals when there are too many to tell apart
    const total = (points) => [...points.values()].reduce((a, b) => a + (b || 0), 0);
    const series = [...seriesOf.entries()].sort((a, b) => total(b[1]) - total(a[1])).slice(0, MAX_SERIES);
    config = {
      type: 'line',
      data: {
        labels: times,
        datasets: series.map(([name, points], i) => ({
          label: name, data: times.map((t) => (points.has(t) ? points.get(t) : null)),
          borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length],
          spanGaps: false, tension: 0, pointRadius: times.length > 60 ? 0 : 2,
        })),
      },
      options: { scales: { x: { title: { display: true, text: time } }, y: { title: { display: true, text: numeric.name } } } },
    };
    caption.textContent = `${numeric.name} over ${time}${text ? `, one line per ${text.name}` : ''}`
      + (seriesOf.size > series.length ? ` (the ${series.length} largest of ${seriesOf.size})` : '');
    box.dataset.chart = 'line';
  } else {
    const label = text || columns.find((c) => c !== numeric);
    const top = rows.filter((r) => value(r) !== null)
      .sort((a, b) => value(b) - value(a)).slice(0, BAR_ROWS);
    config = {
      type: 'bar',
      data: {
        labels: top.map((r) => (r[label.name] === null ? 'NULL' : String(r[label.name]))),
        datasets: [{ label: numeric.name, data: top.map(value), backgroundColor: PALETTE[0] }],
      },
      options: { indexAxis: top.length > 8 ? 'y' : 'x', plugins: { legend: { display: false } } },
    };
    caption.textContent = `The top ${top.length} rows by ${numeric.name}, labelled by ${label.name}`;
    box.dataset.chart = 'bar';
  }
  config.options.animation = false;
  config.options.maintainAspectRatio = false;
  chart = new window.Chart(canvas, config);
  box.dataset.points = String(config.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null).length, 0));
}
