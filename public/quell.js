// The UI's only script: served from Quell itself (CSP script-src 'self'), no assets from the internet.
const $ = (id) => document.getElementById(id);
let csrf = document.cookie.split('; ').find((c) => c.startsWith('quell_csrf='))?.split('=')[1];

async function api(path, init = {}) {
  const headers = { ...(init.headers ?? {}), ...(csrf ? { 'X-CSRF-Token': csrf } : {}) };
  const res = await fetch(`/api${path}`, { ...init, headers, credentials: 'same-origin' });
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw Object.assign(new Error(body.detail ?? res.statusText), { status: res.status });
  return body;
}

function cell(text) { const td = document.createElement('td'); td.textContent = text; return td; }

async function showHunts() {
  const { items } = await api('/hunts');
  $('signin').hidden = true; $('hunts').hidden = false;
  $('hunt-rows').replaceChildren(...items.map((h) => {
    const tr = document.createElement('tr');
    tr.append(cell(h.name), cell(h.table ?? '—'), cell(h.groupKeys.join(', ')), cell(h.counts.open), cell(h.counts.flagged),
      cell(h.counts.suppressed), cell(h.warnings.length ? `${h.warnings.length}: ${h.warnings[0].message}` : ''));
    return tr;
  }));
}

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  try {
    const r = await api('/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: form.get('username'), password: form.get('password') }) });
    csrf = r.csrfToken;
    await showHunts();
  } catch (err) { $('login-error').textContent = err.message; }
});

api('/health').then((h) => { $('status').textContent = `v${h.version} · db ${h.db}`; }).catch(() => { $('status').textContent = 'unreachable'; });
showHunts().catch(() => {});
