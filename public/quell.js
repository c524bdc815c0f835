// Quell's web UI: plain ES modules served by Quell itself (CSP script-src 'self'); no framework, nothing from the internet.
import { api, h, setCsrf, setTitle } from './ui/core.js';
import { queueView } from './ui/queue.js';
import { hitView } from './ui/hit.js';
import { rulesView, ruleEditor } from './ui/rules.js';
import { huntsView } from './ui/hunts.js';
import { listsView, listView } from './ui/lists.js';
import { usersView, auditView } from './ui/people.js';
import { overviewView } from './ui/overview.js';

const $ = (id) => document.getElementById(id);
let me = null;

// Each route: a pattern over the hash's path, and the view; the hash's query string (?…) is the view's state.
const routes = [
  [/^#\/queue$/, (q) => queueView(q, me)],
  [/^#\/hit\/([^/]+)$/, (q, id) => hitView(id)],
  [/^#\/overview$/, (q) => overviewView(q)],
  [/^#\/hunts$/, () => huntsView(me)],
  [/^#\/rules$/, () => rulesView(me)],
  [/^#\/rules\/(new|[\w-]+)$/, (q, id) => ruleEditor(id, me)],
  [/^#\/lists$/, () => listsView(me)],
  [/^#\/lists\/([^/]+)$/, (q, id) => listView(id, me)],
  [/^#\/users$/, () => usersView()],
  [/^#\/audit$/, (q) => auditView(q)],
];

async function render() {
  const [path, query = ''] = (location.hash || '#/queue').split('?');
  for (const a of document.querySelectorAll('nav a')) {
    const on = path.startsWith(a.getAttribute('href'));
    a.classList.toggle('active', on);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const view = $('view');
  for (const [re, make] of routes) {
    const m = re.exec(path);
    if (!m) continue;
    view.setAttribute('aria-busy', 'true');
    try { view.replaceChildren(await make(query, ...m.slice(1))); } catch (err) {
      if (err.status === 401) return showSignIn();
      view.replaceChildren(h('p', { class: 'error', role: 'alert' }, err.message));
    } finally { view.removeAttribute('aria-busy'); }
    return;
  }
  location.hash = '#/queue';
}

function showSignIn() {
  me = null;
  setTitle('Sign in');
  $('signin').hidden = false; $('nav').hidden = true; $('signout').hidden = true; $('who').textContent = ''; $('view').replaceChildren();
}

async function start() {
  try {
    // Any cheap authenticated call tells whether the session is alive; the role decides what the nav shows.
    me = await api('/session/me');
  } catch { return showSignIn(); }
  $('signin').hidden = true; $('nav').hidden = false; $('signout').hidden = false;
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

$('signout').addEventListener('click', async () => {
  try { await api('/session', { method: 'DELETE' }); } finally { showSignIn(); }
});

window.addEventListener('hashchange', () => { if (me) render(); });
api('/health').then((s) => { $('status').textContent = `v${s.version} · db ${s.db}`; }).catch(() => { $('status').textContent = 'unreachable'; });
start();
