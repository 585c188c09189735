// The jobs list (live from /api/jobs/events, filtered, paged) and the submit form.

import { api, askForKey, follow, submitJob } from './api.js';
import {
  announce, badge, el, FINAL, formatDuration, formatTime, jobDuration, progressBar, replace, STATUSES,
} from './dom.js';

const PAGE = 20;
const state = { offset: 0, total: 0, jobs: new Map(), loading: null };

const body = document.getElementById('jobs-body');
const pageInfo = document.getElementById('page-info');
const listError = document.getElementById('list-error');
const liveState = document.getElementById('live-state');
const nameFilter = document.getElementById('name-filter');
const statusOptions = document.getElementById('status-options');

// ---- the list -----------------------------------------------------------------------------------

for (const status of STATUSES) {
  const id = `status-${status.toLowerCase()}`;
  statusOptions.append(
    el('span', { class: 'check' },
      el('input', { type: 'checkbox', id, value: status, onchange: () => reload(0) }),
      el('label', { for: id }, status)),
  );
}

function selectedStatuses() {
  return [...statusOptions.querySelectorAll('input:checked')].map((input) => input.value);
}

function matchesFilters(job) {
  const statuses = selectedStatuses();
  const name = nameFilter.value.trim().toLowerCase();
  return (statuses.length === 0 || statuses.includes(job.status))
    && (!name || String(job.jobName).toLowerCase().includes(name));
}

function query(offset) {
  const params = new URLSearchParams({ limit: PAGE, offset });
  const statuses = selectedStatuses();
  if (statuses.length) params.set('status', statuses.join(','));
  const name = nameFilter.value.trim();
  if (name) params.set('name', name);
  return `/api/jobs?${params}`;
}

async function reload(offset = state.offset) {
  const loading = api(query(offset));
  state.loading = loading;
  try {
    const page = await loading;
    if (state.loading !== loading) {
      return; // a newer reload is under way
    }
    state.offset = page.offset;
    state.total = page.total;
    state.jobs = new Map(page.jobs.map((job) => [job.jobId, job]));
    announce(listError, '');
    render();
  } catch (e) {
    if (state.loading === loading) {
      announce(listError, `Cannot load the jobs: ${e.message}`, 'error');
    }
  }
}

let reloadTimer = null;
/** A reload soon, once for a burst of changes. */
function reloadSoon() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => reload(), 400);
}

function render() {
  replace(body, ...[...state.jobs.values()].map(row));
  if (state.jobs.size === 0) {
    body.append(el('tr', {}, el('td', { colspan: 5, class: 'empty' }, 'No jobs match.')));
  }
  const first = state.total === 0 ? 0 : state.offset + 1;
  const last = state.offset + state.jobs.size;
  pageInfo.textContent = `${first}–${last} of ${state.total}`;
  document.getElementById('previous-page').disabled = state.offset === 0;
  document.getElementById('next-page').disabled = last >= state.total;
}

function row(job) {
  return el('tr', { 'data-job-id': job.jobId },
    el('td', {}, badge(job.status)),
    el('td', {}, el('a', { href: `job.html?id=${encodeURIComponent(job.jobId)}` }, job.jobName)),
    el('td', { class: 'progress-cell' }, progressBar(job.progress, `Progress of ${job.jobName}`)),
    el('td', {}, el('time', { datetime: job.createdAt || '' }, formatTime(job.createdAt))),
    el('td', { class: 'duration', 'data-running': FINAL.has(job.status) ? null : 'true' },
      formatDuration(jobDuration(job))));
}

/** A list entry from the event stream: updated in place if shown, else the page may change. */
function changed(job) {
  const shown = state.jobs.get(job.jobId);
  if (shown && matchesFilters(job)) {
    state.jobs.set(job.jobId, { ...shown, ...job });
    const old = body.querySelector(`tr[data-job-id="${CSS.escape(job.jobId)}"]`);
    if (old) old.replaceWith(row(state.jobs.get(job.jobId)));
  } else if (shown || (state.offset === 0 && matchesFilters(job))) {
    reloadSoon();
  }
}

// running jobs' durations tick
setInterval(() => {
  for (const cell of body.querySelectorAll('td.duration[data-running]')) {
    const job = state.jobs.get(cell.parentElement.dataset.jobId);
    if (job) cell.textContent = formatDuration(jobDuration(job));
  }
}, 1000);

document.getElementById('previous-page').addEventListener('click', () => reload(Math.max(0, state.offset - PAGE)));
document.getElementById('next-page').addEventListener('click', () => reload(state.offset + PAGE));
let nameTimer = null;
nameFilter.addEventListener('input', () => {
  clearTimeout(nameTimer);
  nameTimer = setTimeout(() => reload(0), 250);
});
document.getElementById('filters').addEventListener('submit', (event) => event.preventDefault());
document.getElementById('key-button').addEventListener('click', async () => {
  if (await askForKey('The API key to send with every call (X-API-Key).')) {
    window.location.reload();
  }
});

reload();
const LIVE_TEXT = { live: '● live', reconnecting: 'reconnecting…', ended: '', stopped: 'not live' };
follow('/api/jobs/events', {
  // read the list after the stream is open, so no change falls between the two
  onOpen: () => reload(),
  onEvent: (name, data) => {
    if (name === 'job') changed(data);
  },
  onState: (s) => {
    liveState.textContent = LIVE_TEXT[s] ?? '';
    liveState.dataset.state = s;
  },
  onError: (e) => announce(listError, `Live updates stopped: ${e.message}`, 'error'),
});

// ---- the submit form ------------------------------------------------------------------------------

const form = document.getElementById('submit-form');
const submitStatus = document.getElementById('submit-status');
const mapSelect = document.getElementById('mapFunction');
const reduceSelect = document.getElementById('reduceFunction');
const parameterFields = document.getElementById('parameter-fields');
let catalogue = { mapFunctions: [], reduceFunctions: [] };

async function loadFunctions() {
  try {
    catalogue = await api('/api/functions');
  } catch (e) {
    announce(submitStatus, `Cannot load the functions: ${e.message}`, 'error');
    return;
  }
  fill(mapSelect, catalogue.mapFunctions, 'WORD_COUNT');
  fill(reduceSelect, catalogue.reduceFunctions, 'SUM');
  describeFunctions();
}

/** The format names for the format field's suggestions; without them the field still takes any name. */
async function loadFormats() {
  try {
    const catalogue = await api('/api/formats');
    const names = [...new Set((catalogue.formats || []).map((f) => f.name))];
    replace(document.getElementById('format-names'), ...names.map((name) => el('option', { value: name })));
  } catch (e) {
    // the field works without suggestions
  }
}

/** The format field: absent when empty, a format object when it reads as JSON, else a name. */
function formatOf() {
  const text = document.getElementById('format').value.trim();
  if (text === '') return undefined;
  if (!text.startsWith('{')) return text;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FormatFieldError(`is not a format object: ${e.message}`);
  }
}

class FormatFieldError extends Error {}

function fill(select, functions, preferred) {
  const current = select.value || preferred;
  replace(select, ...functions.map((f) => el('option', { value: f.name, selected: f.name === current }, f.name)));
}

function describeFunctions() {
  const map = catalogue.mapFunctions.find((f) => f.name === mapSelect.value);
  const reduce = catalogue.reduceFunctions.find((f) => f.name === reduceSelect.value);
  document.getElementById('map-description').textContent = map ? map.description : '';
  document.getElementById('reduce-description').textContent = reduce ? reduce.description : '';
  const parameters = map && Array.isArray(map.parameters) ? map.parameters : [];
  replace(parameterFields, ...parameters.map((p) => {
    const id = `parameter-${p.name}`;
    return el('div', { class: 'field' },
      el('label', { for: id }, p.name),
      el('input', {
        id, 'data-parameter': p.name, autocomplete: 'off', spellcheck: 'false',
        placeholder: p.default === undefined || p.default === null ? '' : `default: ${p.default}`,
        'aria-describedby': `${id}-hint`,
      }),
      el('p', { class: 'hint', id: `${id}-hint` }, p.description || ''));
  }));
}

mapSelect.addEventListener('change', describeFunctions);
reduceSelect.addEventListener('change', describeFunctions);

function parametersOf() {
  const parameters = {};
  for (const input of parameterFields.querySelectorAll('input[data-parameter]')) {
    if (input.value.trim() !== '') parameters[input.dataset.parameter] = input.value.trim();
  }
  for (const line of document.getElementById('extraParameters').value.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    if (eq < 0) {
      parameters[trimmed] = '';
    } else {
      parameters[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
    }
  }
  return parameters;
}

/** A number field as the user typed it: a number when it reads as one, else the text (the server says what is wrong). */
function numberOf(id) {
  const text = document.getElementById(id).value.trim();
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

function clearErrors() {
  for (const p of form.querySelectorAll('.field-error')) p.textContent = '';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

/** Shows each field error next to its field; those for no field of the form go to the status line. */
function showErrors(problem) {
  const unplaced = [];
  let first = null;
  for (const error of problem.errors || []) {
    const field = String(error.field || '');
    const key = field.startsWith('parameters') ? 'parameters'
      : field.startsWith('format') || field.startsWith('fieldMap') ? 'format' : field;
    const target = form.querySelector(`[data-error-for="${CSS.escape(key)}"]`);
    if (!target) {
      unplaced.push(field ? `${field}: ${error.message}` : error.message);
      continue;
    }
    target.textContent = target.textContent ? `${target.textContent} ${error.message}` : error.message;
    const input = document.getElementById(key === 'parameters' ? 'extraParameters' : key);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      first = first || input;
    }
  }
  const summary = problem.errors && problem.errors.length
    ? 'The job was not submitted: see the fields marked.'
    : `The job was not submitted: ${problem.detail || problem.title}`;
  announce(submitStatus, unplaced.length ? `${summary} ${unplaced.join('; ')}` : summary, 'error');
  if (first) first.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  let format;
  try {
    format = formatOf();
  } catch (e) {
    showErrors({ errors: [{ field: 'format', message: e.message }] });
    return;
  }
  const request = {
    jobName: document.getElementById('jobName').value,
    inputTopic: document.getElementById('inputTopic').value.trim() || undefined,
    numMappers: numberOf('numMappers'),
    numReducers: numberOf('numReducers'),
    mapFunction: mapSelect.value,
    reduceFunction: reduceSelect.value,
    parameters: parametersOf(),
    combiner: document.getElementById('combiner').checked,
    format,
    maxMalformedRatio: numberOf('maxMalformedRatio'),
  };
  await submitJob(request, {
    button: document.getElementById('submit-button'),
    status: submitStatus,
    showErrors,
    failure: 'The job was not submitted',
  });
});

loadFunctions();
loadFormats();
