// Calls to the gateway's API: the API key (asked for on a 401, kept in localStorage), problem
// details as errors, and Server-Sent Events read with fetch() so that the key can be sent
// (EventSource cannot send headers).

import { announce } from './dom.js';

const KEY_STORAGE = 'mapreduce.apiKey';

/** A problem detail (RFC 9457) the API answered, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function apiKey() {
  return localStorage.getItem(KEY_STORAGE) || '';
}

let asking = null;

/** Asks for an API key in the page's key dialog; resolves true when one was given. */
export function askForKey(message) {
  if (asking) {
    return asking;
  }
  const dialog = document.getElementById('key-dialog');
  const form = dialog.querySelector('form');
  const input = dialog.querySelector('input');
  dialog.querySelector('[data-key-message]').textContent =
    message || 'The gateway wants an API key (X-API-Key).';
  input.value = apiKey();
  asking = new Promise((resolve) => {
    const done = (given) => {
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('close', onClose);
      asking = null;
      resolve(given);
    };
    const onSubmit = (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (key) {
        localStorage.setItem(KEY_STORAGE, key);
      } else {
        localStorage.removeItem(KEY_STORAGE);
      }
      dialog.close('given');
    };
    const onClose = () => done(dialog.returnValue === 'given');
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', onClose);
    dialog.querySelector('[data-key-cancel]').onclick = () => dialog.close('');
  });
  dialog.returnValue = '';
  dialog.showModal();
  input.focus();
  return asking;
}

function headers(accept, extra = {}) {
  const h = { Accept: accept, ...extra };
  const key = apiKey();
  if (key) {
    h['X-API-Key'] = key;
  }
  return h;
}

async function problemOf(response) {
  try {
    const body = await response.json();
    return typeof body === 'object' && body ? body : { title: response.statusText };
  } catch {
    return { title: response.statusText || `HTTP ${response.status}` };
  }
}

/** fetch() with the key; a 401 asks for a key and tries again. */
async function send(path, options, accept) {
  for (;;) {
    let response;
    try {
      response = await fetch(path, { ...options, headers: headers(accept, options.headers) });
    } catch (e) {
      if (e.name === 'AbortError') {
        throw e;
      }
      throw new ApiError(0, { title: 'The gateway cannot be reached', detail: String(e.message || e) });
    }
    if (response.status === 401) {
      const problem = await problemOf(response);
      if (await askForKey(problem.detail)) {
        continue;
      }
    }
    return response;
  }
}

/** A JSON call: the parsed answer (null for 204), or an ApiError. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const options = { method, signal, headers: {} };
  if (body !== undefined) {
    options.body = JSON.stringify(body);
    options.headers['Content-Type'] = 'application/json';
  }
  const response = await send(path, options, 'application/json');
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return response.status === 204 ? null : response.json();
}

/**
 * Follows an event stream: onEvent(name, data) for each event (data parsed as JSON). When the
 * stream ends, reconnects after a pause while shouldReconnect() says so (with a growing pause after
 * failures); a 4xx other than 401 stops it and goes to onError. Returns a function that stops it.
 */
export function follow(path, { onEvent, onOpen, onError, onState, shouldReconnect = () => true }) {
  const controller = new AbortController();
  let pause = 1000;
  const report = (state) => onState && onState(state);
  (async () => {
    while (!controller.signal.aborted) {
      let failed = false;
      try {
        const response = await send(path, { signal: controller.signal }, 'text/event-stream');
        if (!response.ok) {
          const error = new ApiError(response.status, await problemOf(response));
          if (response.status >= 400 && response.status < 500 && response.status !== 429) {
            report('stopped');
            if (onError) onError(error);
            return;
          }
          throw error;
        }
        report('live');
        pause = 1000;
        if (onOpen) onOpen();
        await readEvents(response.body, onEvent);
      } catch (e) {
        if (controller.signal.aborted) {
          return;
        }
        failed = true;
        if (onError && e instanceof ApiError && e.status !== 0) onError(e);
      }
      if (controller.signal.aborted || !shouldReconnect()) {
        report('ended');
        return;
      }
      report('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, pause));
      if (failed) {
        pause = Math.min(pause * 2, 15000);
      }
    }
  })();
  return () => controller.abort();
}

/** Reads text/event-stream framing: event:, data:, comments and blank-line dispatch. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let name = 'message';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let end;
    while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
      if (buffer[end] === '\r' && end === buffer.length - 1) {
        break; // a \r\n split between two chunks
      }
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (data.length) {
          const text = data.join('\n');
          let parsed;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
          onEvent(name, parsed);
        }
        name = 'message';
        data = [];
      } else if (line.startsWith(':')) {
        // a comment (keep-alive)
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) {
          value = value.slice(1);
        }
        if (field === 'event') {
          name = value;
        } else if (field === 'data') {
          data.push(value);
        }
      }
    }
  }
}

/** A GET whose body is kept as a Blob (a CSV download, say), or an ApiError. */
export async function apiBlob(path, accept) {
  const response = await send(path, { method: 'GET', headers: {} }, accept);
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return response.blob();
}

/**
 * Submits a job from a form: its button disabled meanwhile, progress said in the status region, and the job's
 * page opened once it exists; a problem detail goes to showErrors, any other failure to the status region.
 */
export async function submitJob(request, { button, status, showErrors, failure }) {
  button.disabled = true;
  announce(status, 'Submitting…');
  try {
    const job = await api('/api/jobs', { method: 'POST', body: request });
    announce(status, `Job ${job.jobId} submitted.`, 'success');
    window.location.assign(`job.html?id=${encodeURIComponent(job.jobId)}`);
  } catch (e) {
    if (e instanceof ApiError) {
      showErrors(e.problem);
    } else {
      announce(status, `${failure}: ${e.message}`, 'error');
    }
  } finally {
    button.disabled = false;
  }
}
