// The task timeline: one row per task, one bar per attempt on a shared time axis, coloured by the
// attempt's status. Speculative backups are marked; an attempt that runs (or ran) over twice the
// median of its phase's successful attempts is a straggler.

import { el, FINAL, formatDuration, replace } from './dom.js';

const NICE_STEPS = [100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000,
  900000, 1800000, 3600000];

function time(iso) {
  return iso ? new Date(iso).getTime() : null;
}

function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Each attempt with its start, end and whether it straggles. */
function layout(job, tasks, now) {
  const medians = {};
  for (const type of ['MAP', 'REDUCE']) {
    const done = tasks.filter((t) => t.type === type)
      .flatMap((t) => t.attempts || [])
      .filter((a) => a.status === 'SUCCEEDED' && a.startedAt && a.finishedAt)
      .map((a) => time(a.finishedAt) - time(a.startedAt));
    medians[type] = done.length >= 2 ? median(done) : null;
  }
  const ended = FINAL.has(job.status);
  const jobEnd = time(job.completedAt);
  let start = time(job.startedAt) ?? time(job.createdAt) ?? now;
  let end = ended && jobEnd ? jobEnd : now;
  const rows = tasks.map((task) => ({
    task,
    bars: (task.attempts || []).map((a) => {
      const live = a.status === 'RUNNING' || a.status === 'QUEUED';
      const from = time(a.startedAt) ?? time(a.queuedAt);
      const to = time(a.finishedAt) ?? (live && !ended ? now : (jobEnd ?? now));
      const ran = a.startedAt ? to - time(a.startedAt) : null;
      const med = medians[task.type];
      const straggler = ran !== null && med !== null && ran > 2 * med && ran > 1000
        && (a.status === 'RUNNING' || a.status === 'SUCCEEDED' || a.status === 'KILLED' || a.status === 'SUPERSEDED');
      if (from !== null) start = Math.min(start, from);
      if (to !== null) end = Math.max(end, to);
      return { attempt: a, from, to, ran, straggler };
    }).filter((b) => b.from !== null),
  }));
  return { rows, start, end: Math.max(end, start + 1000), medians };
}

function ticks(start, end) {
  const span = end - start;
  const step = NICE_STEPS.find((s) => span / s <= 8) || NICE_STEPS[NICE_STEPS.length - 1];
  const list = [];
  for (let t = 0; t <= span; t += step) list.push(t);
  return list;
}

function axisLabel(ms) {
  return ms < 60000 ? `${ms / 1000} s` : `${Math.round(ms / 6000) / 10} min`;
}

/** Renders the timeline of {@code tasks} into {@code container}, and a one-line summary. */
export function renderTimeline(container, summary, job, tasks) {
  const now = Date.now();
  const { rows, start, end } = layout(job, tasks, now);
  const span = end - start;
  const pct = (t) => `${((t - start) / span) * 100}%`;
  const compact = rows.length > 40;
  container.classList.toggle('compact', compact);

  const axis = el('div', { class: 'axis', 'aria-hidden': 'true' },
    el('span', { class: 'row-label' }),
    el('div', { class: 'track' }, ...ticks(start, end).map((t) =>
      el('span', { class: t / span > 0.92 ? 'tick tick-end' : 'tick', style: { left: pct(start + t) } }, axisLabel(t)))));

  let stragglers = 0;
  let speculative = 0;
  let running = 0;
  const body = rows.map(({ task, bars }, i) => {
    const label = `${task.type === 'MAP' ? 'map' : 'reduce'} ${task.index}`;
    const showLabel = !compact || task.index % 10 === 0;
    return el('div', { class: `row ${task.type === 'MAP' ? 'map' : 'reduce'}${i > 0 && rows[i - 1].task.type !== task.type ? ' phase-start' : ''}`, 'data-task': label },
      el('span', { class: 'row-label', 'aria-hidden': showLabel ? null : 'true' }, showLabel ? label : ''),
      el('div', { class: 'track' }, ...bars.map((b) => {
        const a = b.attempt;
        if (b.straggler) stragglers++;
        if (a.speculative) speculative++;
        if (a.status === 'RUNNING') running++;
        const took = b.ran === null ? 'not started' : formatDuration(b.ran);
        const text = `${label}, attempt ${a.attempt}${a.speculative ? ' (speculative backup)' : ''}: ${a.status}`
          + ` on ${a.workerId || 'no worker yet'}, ${took}${b.straggler ? ', straggler' : ''}${a.error ? ` — ${a.error}` : ''}`;
        return el('span', {
          class: `attempt status-${a.status.toLowerCase()}${a.speculative ? ' speculative' : ''}${b.straggler ? ' straggler' : ''}`,
          style: { left: pct(b.from), width: `max(3px, ${((b.to - b.from) / span) * 100}%)` },
          title: text,
          role: 'img',
          'aria-label': text,
          'data-status': a.status,
        }, compact ? '' : `${a.speculative ? '⇉ ' : ''}${a.workerId || '…'}`);
      })));
  });
  replace(container, axis, ...body);
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(tasks.length, 'task'), `${plural(running, 'attempt')} running`];
  if (speculative) parts.push(`${speculative} speculative`);
  if (stragglers) parts.push(`${stragglers} straggling`);
  summary.textContent = `${parts.join(' · ')} · ${axisLabel(Math.round(span / 100) * 100)} shown`;
}
