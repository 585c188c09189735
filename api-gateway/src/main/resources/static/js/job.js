// One job, live from /api/jobs/{id}/events: status, phase progress, counters, the task timeline,
// and the top results once it has completed.

import { api, askForKey, follow } from './api.js';
import {
  announce, el, FINAL, formatBytes, formatDuration, formatNumber, formatPercent, formatTime, jobDuration,
  replace,
} from './dom.js';
import { renderTimeline } from './timeline.js';
import { showQueryResults } from './results.js';

const jobId = new URLSearchParams(window.location.search).get('id') || '';
const pageError = document.getElementById('page-error');
const actionStatus = document.getElementById('action-status');
const cancelButton = document.getElementById('cancel-button');
const liveState = document.getElementById('live-state');

let job = null;
let tasks = null;
let resultsShown = false;

function showJob(view) {
  job = view;
  document.title = `${view.jobName} · MapReduce`;
  document.getElementById('job-name').textContent = view.jobName;
  const status = document.getElementById('job-status');
  status.textContent = view.status;
  status.className = `badge status-${String(view.status).toLowerCase()}`;
  cancelButton.hidden = FINAL.has(view.status);

  phase('map', view.mapProgress, view.completedMapTasks, view.totalMapTasks);
  phase('reduce', view.reduceProgress, view.completedReduceTasks, view.totalReduceTasks);

  const error = document.getElementById('job-error');
  error.hidden = !view.error;
  error.textContent = view.error || '';

  showDetails(view);
  showCounters(view.counters || {});
  showMalformedSamples(view.malformedSamples);
  document.getElementById('results-sql').textContent = view.resultsQuery
    || `SELECT result_key, result_value FROM results WHERE job_id = '${view.jobId}' ORDER BY result_value DESC LIMIT 20;`;
  if (view.status === 'COMPLETED' && !resultsShown) {
    resultsShown = true;
    showResults();
  }
}

function phase(name, percent, done, total) {
  const value = Number(percent) || 0;
  document.getElementById(`${name}-progress`).value = value;
  document.getElementById(`${name}-text`).textContent = total
    ? `${formatNumber(done)} of ${formatNumber(total)} tasks · ${formatPercent(value)}`
    : (name === 'reduce' ? 'starts when every map task is done' : 'no tasks yet');
}

function showDetails(view) {
  const facts = [
    ['Job id', view.jobId],
    ['Owner', view.owner],
    ['Input', view.inputPath ? `file ${view.inputPath}` : `topic ${view.inputTopic}`],
    ['Time range', view.from || view.to ? `${view.from || '…'} → ${view.to || '…'}` : null],
    view.query
      ? ['Query', view.query]
      : ['Functions', `${view.mapFunction} → ${view.reduceFunction}${view.combiner ? ' (combiner on)' : ''}`],
    ['Parameters', view.parameters && Object.keys(view.parameters).length
      ? Object.entries(view.parameters).map(([k, v]) => `${k}=${v}`).join(', ') : null],
    ['Format', formatText(view.format)],
    ['Max malformed share', view.maxMalformedRatio === undefined ? null : String(view.maxMalformedRatio)],
    ['Mappers / reducers', `${view.numMappers} / ${view.numReducers}`],
    ['Input records', formatNumber(view.inputRecords)],
    ['Created', formatTime(view.createdAt)],
    ['Started', formatTime(view.startedAt)],
    ['Map phase done', formatTime(view.mapCompletedAt)],
    ['Ended', formatTime(view.completedAt)],
    ['Duration', formatDuration(jobDuration(view))],
  ];
  replace(document.getElementById('details'),
    ...facts.filter(([, value]) => value !== null && value !== undefined)
      .flatMap(([term, value]) => [el('dt', {}, term), el('dd', { 'data-fact': term }, value)]));
}

const COUNTERS = [
  ['recordsRead', 'Records read'],
  ['malformedRecords', 'Malformed records'],
  ['mapOutputRecords', 'Map output records'],
  ['combineOutputRecords', 'Combine output records'],
  ['shuffleBytes', 'Shuffle bytes'],
  ['reduceInputRecords', 'Reduce input records'],
  ['outputRecords', 'Output records'],
];

/** A format as a name when it is only one, else its JSON. */
function formatText(format) {
  if (!format) return null;
  const members = Object.keys(format);
  return members.length === 1 && members[0] === 'type' ? format.type : JSON.stringify(format);
}

/** The job's first malformed records: where, why, and the line. */
function showMalformedSamples(samples) {
  const container = document.getElementById('malformed-samples');
  const count = samples ? samples.length : 0;
  document.getElementById('malformed-details').hidden = count === 0;
  document.getElementById('malformed-summary').textContent =
    `First ${count} malformed record${count === 1 ? '' : 's'}: where, why, and the line`;
  replace(container, ...(samples || []).map((s) => el('li', {},
    el('span', { class: 'where' }, `${s.where || 'somewhere'}: ${s.reason}`),
    el('code', {}, s.line))));
}

function showCounters(counters) {
  replace(document.querySelector('#counters tbody'), ...COUNTERS.map(([key, label]) => el('tr', { 'data-counter': key },
    el('th', { scope: 'row' }, label),
    el('td', { class: 'number' }, key === 'shuffleBytes' ? formatBytes(counters[key]) : formatNumber(counters[key])))));
}

function showTasks(document_) {
  tasks = document_.tasks || [];
  renderTimeline(document.getElementById('timeline'), document.getElementById('timeline-summary'), job, tasks);
  const rows = [];
  for (const task of tasks) {
    for (const a of task.attempts || []) {
      rows.push(el('tr', {},
        el('td', {}, `${task.type.toLowerCase()} ${task.index}`),
        el('td', {}, `${a.attempt}${a.speculative ? ' (backup)' : ''}`),
        el('td', {}, a.status),
        el('td', {}, a.workerId || '—'),
        el('td', {}, formatTime(a.startedAt)),
        el('td', {}, formatDuration(a.durationMs)),
        el('td', { class: 'number' }, formatNumber(a.recordsRead)),
        el('td', { class: 'number' }, formatNumber(a.outputRecords)),
        el('td', {}, a.error || '')));
    }
  }
  replace(document.querySelector('#attempts-table tbody'), ...rows);
}

async function showResults() {
  const container = document.getElementById('results');
  if (job && job.query) {
    try {
      await showQueryResults(container, jobId);
    } catch (e) {
      resultsShown = false;
      replace(container, el('p', { class: 'notice notice-error' }, `Cannot read the results: ${e.message}`));
    }
    return;
  }
  try {
    const page = await api(`/api/jobs/${encodeURIComponent(jobId)}/results?limit=20`);
    const rows = page.results || [];
    replace(container,
      el('table', { id: 'results-table', class: 'numbers' },
        el('caption', {}, `Top ${rows.length} by value`),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Key'), el('th', { scope: 'col', class: 'number' }, 'Value'))),
        el('tbody', {}, ...rows.map((r) => el('tr', {},
          // values as the API gives them: exact (AVG has decimals), not rounded for display
          el('td', {}, r.key), el('td', { class: 'number' }, String(r.value)))))));
  } catch (e) {
    resultsShown = false;
    replace(container, el('p', { class: 'notice notice-error' }, `Cannot read the results: ${e.message}`));
  }
}

cancelButton.addEventListener('click', async () => {
  if (!window.confirm('Cancel this job? Its running tasks stop and its results are discarded.')) {
    return;
  }
  cancelButton.disabled = true;
  try {
    showJob(await api(`/api/jobs/${encodeURIComponent(jobId)}/cancel`, { method: 'POST' }));
    announce(actionStatus, 'The job was cancelled.', 'success');
  } catch (e) {
    announce(actionStatus, `Not cancelled: ${e.message}`, 'error');
  } finally {
    cancelButton.disabled = false;
  }
});

document.getElementById('key-button').addEventListener('click', async () => {
  if (await askForKey('The API key to send with every call (X-API-Key).')) {
    window.location.reload();
  }
});

// running bars grow and the duration ticks between updates
setInterval(() => {
  if (job && !FINAL.has(job.status)) {
    const duration = document.querySelector('#details dd[data-fact="Duration"]');
    if (duration) duration.textContent = formatDuration(jobDuration(job));
    if (tasks) renderTimeline(document.getElementById('timeline'), document.getElementById('timeline-summary'), job, tasks);
  }
}, 1000);

const LIVE_TEXT = { live: '● live', reconnecting: 'reconnecting…', ended: '', stopped: '' };
if (!jobId) {
  announce(pageError, 'No job given: open a job from the jobs list.', 'error');
} else {
  follow(`/api/jobs/${encodeURIComponent(jobId)}/events`, {
    onEvent: (name, data) => {
      if (name === 'job') showJob(data);
      else if (name === 'tasks' && job) showTasks(data);
    },
    onState: (s) => {
      liveState.textContent = LIVE_TEXT[s] ?? '';
      liveState.dataset.state = s;
    },
    onError: (e) => announce(pageError, e.status === 404 ? `No job ${jobId}.` : `Live updates stopped: ${e.message}`, 'error'),
    // the stream ends after the job has ended; anything else was a broken connection
    shouldReconnect: () => !job || !FINAL.has(job.status),
  });
}
