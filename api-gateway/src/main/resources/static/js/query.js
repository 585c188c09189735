// The query box: SQL over `logs`, an input (topic or path) and a format (a preset or a format
// object in JSON), submitted as a query job (POST /api/jobs with "query"). A 400 shows the
// problem's message, with its line and column, next to the box; a job goes to its page.

import { api, submitJob } from './api.js';
import { announce, el, replace } from './dom.js';

const form = document.getElementById('query-form');
const status = document.getElementById('query-status');
const sql = document.getElementById('query-sql');
const preset = document.getElementById('query-format-preset');
const jsonField = document.getElementById('query-format-json-field');
const jsonText = document.getElementById('query-format-json');

/** The presets from GET /api/formats; without them "default" and JSON still work. */
async function loadPresets() {
  try {
    const catalogue = await api('/api/formats');
    const names = [...new Set((catalogue.formats || []).map((f) => f.name))].filter((n) => n !== 'default');
    replace(preset,
      el('option', { value: '' }, 'default'),
      ...names.map((name) => el('option', { value: `name:${name}` }, name)),
      el('option', { value: 'object' }, 'a format object in JSON…'));
  } catch (e) {
    // the select keeps default and JSON
  }
}

preset.addEventListener('change', () => {
  jsonField.hidden = preset.value !== 'object';
});

class FieldProblem extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

function formatOf() {
  if (preset.value === '') return undefined;
  if (preset.value.startsWith('name:')) return preset.value.slice('name:'.length);
  try {
    const format = JSON.parse(jsonText.value);
    if (typeof format !== 'object' || format === null || Array.isArray(format)) {
      throw new Error('not a JSON object');
    }
    return format;
  } catch (e) {
    throw new FieldProblem('format', `The format is not a format object: ${e.message}`);
  }
}

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

const TARGETS = { inputTopic: 'input', inputPath: 'input' };
const INPUTS = { query: 'query-sql', jobName: 'query-name', input: 'query-input', numMappers: 'query-mappers',
  format: 'query-format-preset' };

/** Where an error of the problem goes: the query's with "line L, column C:" before the message. */
function showErrors(problem) {
  const unplaced = [];
  let first = null;
  for (const error of problem.errors || []) {
    const field = String(error.field || '');
    const key = TARGETS[field] || (field.startsWith('format') || field.startsWith('fieldMap') ? 'format' : field);
    const target = form.querySelector(`[data-error-for="${CSS.escape(key)}"]`);
    let message = error.message;
    if (key === 'query' && Number(error.line) > 0) {
      message = `Line ${error.line}, column ${error.column}: ${message}`;
    }
    if (!target) {
      unplaced.push(field ? `${field}: ${message}` : message);
      continue;
    }
    target.textContent = target.textContent ? `${target.textContent} ${message}` : message;
    const input = document.getElementById(INPUTS[key]);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      first = first || input;
    }
    if (key === 'query' && Number(error.line) > 0) placeCaret(Number(error.line), Number(error.column));
  }
  const summary = problem.errors && problem.errors.length
    ? 'The query was not run: see the fields marked.'
    : `The query was not run: ${problem.detail || problem.title}`;
  announce(status, unplaced.length ? `${summary} ${unplaced.join('; ')}` : summary, 'error');
  if (first) first.focus();
}

/** Puts the caret in the SQL box at a 1-based line and column. */
function placeCaret(line, column) {
  const lines = sql.value.split('\n');
  let at = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) at += lines[i].length + 1;
  at += Math.max(0, column - 1);
  sql.setSelectionRange(at, at);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  let format;
  try {
    format = formatOf();
  } catch (e) {
    showErrors({ errors: [{ field: e.field, message: e.message }] });
    return;
  }
  const kind = document.getElementById('query-input-kind').value;
  const input = document.getElementById('query-input').value.trim();
  const request = {
    jobName: document.getElementById('query-name').value.trim() || `query ${new Date().toISOString()}`,
    query: sql.value,
    numMappers: numberOf('query-mappers'),
    format,
  };
  if (input) request[kind] = input;
  await submitJob(request, {
    button: document.getElementById('query-button'),
    status,
    showErrors,
    failure: 'The query was not run',
  });
});

loadPresets();
