let csrf = document.cookie.split('; ').find((c) => c.startsWith('quell_csrf='))?.split('=')[1];
export const setCsrf = (t) => { csrf = t; };

/** A problem+json error as a person reads it: the detail, then each field error as "where: what". */
function problemText(data, fallback) {
  const detail = data?.detail ?? fallback;
  const lines = (data?.errors ?? []).map((e) => `${e.pointer === '/' ? 'the request' : e.pointer.replace(/^\//, '').replace(/\//g, ' › ')}: ${e.message}`);
  return lines.length && !lines.every((l) => detail.includes(l.split(': ')[1])) ? `${detail}\n${lines.join('\n')}` : detail;
}

/** fetch against /api with JSON in and out, the CSRF header on unsafe methods, and problem+json turned into errors. */
export async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  const init = { method, credentials: 'same-origin', headers: { ...headers } };
  if (method !== 'GET' && csrf) init.headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) {
    if (typeof body === 'string') init.body = body;
    else { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
  }
  const res = await fetch(`/api${path}`, init);
  const type = res.headers.get('content-type') ?? '';
  const data = raw && res.ok ? await res.text() : type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw Object.assign(new Error(problemText(data, res.statusText)), { status: res.status, problem: data });
  return data;
}

/** Uploads a body with progress (fetch has no upload progress): resolves with the parsed JSON answer. */
export function upload(path, file, contentType, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}`);
    xhr.setRequestHeader('Content-Type', contentType);
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(Object.assign(new Error(problemText(data, xhr.statusText)), { status: xhr.status, problem: data }));
    };
    xhr.onerror = () => reject(new Error('the upload failed: the server could not be reached'));
    xhr.send(file);
  });
}

// Bidi overrides, isolates, zero-width and other invisible controls: shown as ⟨U+202E⟩ so a crafted name cannot
// reorder or hide what an analyst reads.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
export const visible = (s) => String(s).replace(INVISIBLE, (c) => `⟨U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);

/** A tiny element builder: h('a', { href: '#/x', onclick }, 'text', child…). Text is always set as text, never HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : visible(c));
  return el;
}

export const pill = (status) => h('span', { class: `pill ${status}` }, status);
export const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
export const table = (head, rows, attrs = {}) => h('table', attrs, h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows));

/** Says something in the page's live region, so screen readers announce it, and shows it where the user is. */
export function announce(text, kind = 'ok', where = null) {
  const live = document.getElementById('live');
  if (live) { live.textContent = ''; live.textContent = text; }
  if (where) { where.className = `note ${kind}`; where.textContent = text; }
}

export function setTitle(...parts) { document.title = visible([...parts.filter(Boolean), 'Quell'].join(' · ')); }

export function downloadText(name, text, type = 'text/plain') {
  const a = h('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a); a.click(); a.remove();
}

export function formValues(form) {
  return Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]));
}

/** A modal confirmation; resolves true only when the user confirms. */
export function confirmDialog(message, confirmLabel = 'Confirm') {
  return new Promise((resolve) => {
    const dlg = h('dialog', { class: 'confirm', 'aria-label': 'Confirm' }, h('p', {}, message),
      h('form', { method: 'dialog', class: 'toolbar' }, h('button', { value: 'yes', class: 'primary' }, confirmLabel), h('button', { value: 'no' }, 'Cancel')));
    dlg.addEventListener('close', () => { resolve(dlg.returnValue === 'yes'); dlg.remove(); });
    document.body.append(dlg);
    dlg.showModal();
  });
}
