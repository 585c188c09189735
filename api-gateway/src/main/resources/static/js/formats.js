// The formats page: the catalogue (GET /api/formats) and a preview of pasted lines
// (POST /api/formats/preview), each record's fields in a table, malformed ones with their reason.

import { api, ApiError, askForKey } from './api.js';
import { el, replace } from './dom.js';

const form = document.getElementById('preview-form');
const select = document.getElementById('format');
const spec = document.getElementById('spec');
const lines = document.getElementById('lines');
const status = document.getElementById('preview-status');
const description = document.getElementById('format-description');
let formats = [];

function current() {
  return formats.find((f) => f.name === select.value);
}

function showErrors(errors) {
  for (const p of form.querySelectorAll('[data-error-for]')) {
    p.textContent = '';
  }
  for (const e of errors) {
    const target = e.field.startsWith('format') ? 'spec' : e.field.startsWith('lines') ? 'lines' : 'spec';
    const p = form.querySelector(`[data-error-for="${target}"]`);
    p.textContent = p.textContent ? `${p.textContent}; ${e.field}: ${e.message}` : `${e.field}: ${e.message}`;
  }
}

function fillSpec() {
  const f = current();
  if (!f) {
    return;
  }
  description.textContent = f.description;
  const example = { ...f.example };
  spec.value = JSON.stringify(example, null, 1).replace(/\n\s*/g, ' ');
}

function fillSamples() {
  const f = current();
  if (f) {
    lines.value = f.sampleLines.join('\n');
  }
}

function catalogue() {
  const root = document.getElementById('catalogue');
  replace(
    root,
    formats.map((f) => el(
      'details',
      { class: 'format' },
      el('summary', {}, el('strong', {}, f.name), ` (${f.kind}) — ${f.description}`),
      el('p', {}, f.timestampField ? `Event time: ${f.timestampField}. ` : 'No event time unless the spec names one. ',
        f.multiline ? 'Joins multi-line events. ' : '',
        f.acceptsAnyField ? 'Any other field name is a field too (absent where a record lacks it). ' : '',
        f.options.length ? `Takes: ${f.options.join(', ')}.` : ''),
      f.fields.length
        ? el('table', { class: 'fields' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Field'), el('th', { scope: 'col' }, 'Type'),
            el('th', { scope: 'col' }, 'What it holds'))),
          el('tbody', {}, f.fields.map((x) => el('tr', {}, el('td', {}, el('code', {}, x.name)),
            el('td', {}, x.type), el('td', {}, x.description)))))
        : null,
      el('pre', {}, f.sampleLines.join('\n')),
    )),
  );
}

function show(result) {
  const card = document.getElementById('result-card');
  card.hidden = false;
  document.getElementById('result-summary').textContent =
    `${result.format}: ${result.parsed} of ${result.parsed + result.malformed} records parsed` +
    (result.malformed ? `, ${result.malformed} malformed` : '');
  const names = result.fields.map((f) => f.name);
  replace(document.getElementById('result-head'), el('tr', {},
    el('th', { scope: 'col' }, 'Line'),
    el('th', { scope: 'col' }, 'Time'),
    names.map((n) => el('th', { scope: 'col' }, n))));
  replace(document.getElementById('result-body'), result.records.map((r) => (r.error
    ? el('tr', { class: 'malformed' },
      el('th', { scope: 'row' }, String(r.line)),
      el('td', { colspan: names.length + 1 }, el('strong', {}, 'malformed: '), r.error, ' — ',
        el('code', {}, r.text)))
    : el('tr', {},
      el('th', { scope: 'row' }, String(r.line)),
      el('td', {}, r.time || '—'),
      names.map((n) => el('td', {}, r.fields[n] === null || r.fields[n] === undefined
        ? el('span', { class: 'absent', title: 'absent (NULL)' }, '∅')
        : r.fields[n]))))));
}

async function preview(event) {
  event.preventDefault();
  showErrors([]);
  let format;
  try {
    format = spec.value.trim() ? JSON.parse(spec.value) : select.value;
  } catch (e) {
    showErrors([{ field: 'format', message: `not JSON: ${e.message}` }]);
    return;
  }
  status.textContent = 'Parsing…';
  try {
    show(await api('/api/formats/preview', { method: 'POST', body: { format, lines: lines.value } }));
    status.textContent = '';
  } catch (e) {
    status.textContent = e.message;
    if (e instanceof ApiError && e.problem.errors) {
      showErrors(e.problem.errors);
    }
  }
}

async function load() {
  try {
    const answer = await api('/api/formats');
    formats = answer.formats.filter((f, i, all) => all.findIndex((g) => g.name === f.name) === i);
    replace(select, formats.map((f) => el('option', { value: f.name }, `${f.name} (${f.kind})`)));
    catalogue();
    fillSpec();
    fillSamples();
  } catch (e) {
    status.textContent = `The formats cannot be loaded: ${e.message}`;
  }
}

select.addEventListener('change', () => {
  fillSpec();
  fillSamples();
});
document.getElementById('sample').addEventListener('click', fillSamples);
document.getElementById('key-button').addEventListener('click', () => askForKey());
form.addEventListener('submit', preview);
load();
