// Quell's web UI: one module, served by Quell itself (CSP script-src 'self'); no framework, nothing from the internet.
import { api, h, setCsrf } from './ui/core.js';
import { queueView, hitView } from './ui/hits.js';
import { rulesView, ruleEditor } from './ui/rules.js';
import { huntsView, listsView, listView, usersView, auditView } from './ui/admin.js';

const $ = (id) => document.getElementById(id);
let me = null;

const routes = [
  [/^#\/queue$/, () => queueView()],
  [/^#\/hit\/(.+)$/, (id) => hitView(id)],
  [/^#\/hunts$/, () => huntsView(me)],
  [/^#\/rules$/, () => rulesView(me)],
  [/^#\/rules\/(new|[\w-]+)$/, (id) => ruleEditor(id, me)],
  [/^#\/lists$/, () => listsView(me)],
  [/^#\/lists\/(.+)$/, (id) => listView(id, me)],
  [/^#\/users$/, () => usersView()],
  [/^#\/audit$/, () => auditView()],
];

async function render() {
  const hash = location.hash || '#/queue';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', hash.startsWith(a.getAttribute('href')));
  const view = $('view');
  for (const [re, make] of routes) {
    const m = re.exec(hash);
    if (!m) continue;
    try { view.replaceChildren(h('p', {}, 'Loading…')); view.replaceChildren(await make(...m.slice(1))); } catch (err) {
      if (err.status === 401) return showSignIn();
      view.replaceChildren(h('p', { class: 'error' }, err.message));
    }
    return;
  }
  location.hash = '#/queue';
}

function showSignIn() {
  $('signin').hidden = false; $('nav').hidden = true; $('view').replaceChildren();
}

async function start() {
  try {
    // Any cheap authenticated call tells whether the session is alive; the role decides what the nav shows.
    me = await api('/session/me');
  } catch { return showSignIn(); }
  $('signin').hidden = true; $('nav').hidden = false;
  $('who').textContent = `${me.username} (${me.role})`;
  for (const a of document.querySelectorAll('[data-role="admin"]')) a.hidden = me.role !== 'admin';
  await render();
}

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  try {
    const r = await api('/session', { method: 'POST', body: { username: form.get('username'), password: form.get('password') } });
    setCsrf(r.csrfToken);
    $('login-error').textContent = '';
    await start();
  } catch (err) { $('login-error').textContent = err.message; }
});

window.addEventListener('hashchange', () => { if (me) render(); });
api('/health').then((s) => { $('status').textContent = `v${s.version} · db ${s.db}`; }).catch(() => { $('status').textContent = 'unreachable'; });
start();
