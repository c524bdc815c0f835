let csrf = document.cookie.split('; ').find((c) => c.startsWith('quell_csrf='))?.split('=')[1];
export const setCsrf = (t) => { csrf = t; };

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
  if (!res.ok) {
    const detail = data?.detail ?? res.statusText;
    const fields = (data?.errors ?? []).map((e) => `${e.pointer} ${e.message}`).join('\n');
    throw Object.assign(new Error(fields && !detail.includes(fields) ? `${detail}\n${fields}` : detail), { status: res.status, problem: data });
  }
  return data;
}

/** A tiny element builder: h('a', { href: '#/x', onclick }, 'text', child…). Text is always set as text, never HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export const pill = (status) => h('span', { class: `pill ${status}` }, status);
export const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
export const table = (head, rows) => h('table', {}, h('thead', {}, h('tr', {}, head.map((c) => h('th', {}, c)))), h('tbody', {}, rows));

export function downloadText(name, text, type = 'text/plain') {
  const a = h('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a); a.click(); a.remove();
}

export function formValues(form) {
  return Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]));
}
