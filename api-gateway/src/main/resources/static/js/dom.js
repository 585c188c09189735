// Building the DOM without innerHTML: every string given becomes a text node.

/** Creates an element: attrs sets attributes (class, aria-*, …) or properties (on…, value);
 * children are nodes or strings (as text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'style' && typeof value === 'object') {
      Object.assign(node.style, value);
    } else if (name in node && !name.includes('-') && name !== 'list') {
      node[name] = value;
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the node's children. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

export const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
export const STATUSES = ['PENDING', 'RUNNING', 'MAP_COMPLETED', 'REDUCE_RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];

/** A status as a badge: its text is the status itself. */
export function badge(status) {
  return el('span', { class: `badge status-${String(status).toLowerCase()}` }, status);
}

/** A progress bar (0-100) with its value as text for everyone. */
export function progressBar(percent, label) {
  const value = Math.max(0, Math.min(100, Number(percent) || 0));
  return el(
    'div',
    { class: 'progress' },
    el('progress', { max: 100, value, 'aria-label': label }),
    el('span', { class: 'progress-text' }, `${formatPercent(value)}`),
  );
}

export function formatPercent(value) {
  return `${Math.floor(value * 10) / 10}%`;
}

export function formatTime(iso) {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(Number(ms))) {
    return '—';
  }
  const n = Number(ms);
  if (n < 1000) {
    return `${Math.round(n)} ms`;
  }
  if (n < 60000) {
    return `${(n / 1000).toFixed(1)} s`;
  }
  const minutes = Math.floor(n / 60000);
  const seconds = Math.round((n % 60000) / 1000);
  if (minutes < 60) {
    return `${minutes} min ${seconds} s`;
  }
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatNumber(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString();
}

export function formatBytes(n) {
  if (n === null || n === undefined) {
    return '—';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Number(n);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** How long a job has run: its durationMs, or since it was created while it runs. */
export function jobDuration(job) {
  if (job.durationMs !== null && job.durationMs !== undefined) {
    return job.durationMs;
  }
  if (!FINAL.has(job.status) && job.createdAt) {
    return Date.now() - new Date(job.startedAt || job.createdAt).getTime();
  }
  return null;
}

/** Shows a message in a live region. */
export function announce(region, text, kind = 'info') {
  region.className = `notice notice-${kind}`;
  region.textContent = text;
  region.hidden = !text;
}
