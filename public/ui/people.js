import { api, h, table, when, formValues, announce, setTitle, confirmDialog } from './core.js';

const ROLES = ['viewer', 'analyst', 'admin'];

export async function usersView() {
  const { items } = await api('/users');
  setTitle('Users');
  const note = h('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const form = h('form', { class: 'toolbar' }, h('label', {}, 'User ', h('input', { name: 'username', required: true })),
    h('label', {}, 'Role ', h('select', { name: 'role' }, ROLES.map((r) => h('option', { value: r }, r)))),
    h('label', {}, 'Password ', h('input', { name: 'password', type: 'password', minlength: 12 })), h('button', { class: 'primary' }, 'Create'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    try { await api('/users', { method: 'POST', body: { username: v.username, role: v.role, ...(v.password ? { password: v.password } : {}) } }); location.reload(); } catch (err) { announce(err.message, 'error', note); }
  });
  const tokenBox = h('div');
  const showTokens = async (u) => {
    const { items: list } = await api(`/users/${u.id}/tokens`);
    tokenBox.replaceChildren(h('h3', {}, `Tokens of ${u.username}`), table(['Name', 'Prefix', 'Created', 'Expires', 'Revoked', ''], list.map((t) => h('tr', {},
      h('td', {}, t.name), h('td', {}, h('code', {}, t.prefix)), h('td', {}, when(t.createdAt)), h('td', {}, when(t.expiresAt)), h('td', {}, when(t.revokedAt)),
      h('td', {}, t.revokedAt ? null : h('button', { type: 'button', onclick: async () => {
        if (!(await confirmDialog(`Revoke token ${t.prefix}… of ${u.username}? Anything using it stops working.`, 'Revoke'))) return;
        try { await api(`/tokens/${t.id}`, { method: 'DELETE' }); announce(`revoked ${t.prefix}…`, 'ok', note); await showTokens(u); } catch (err) { announce(err.message, 'error', note); }
      } }, 'Revoke'))))));
  };
  const token = async (u) => {
    try { const t = await api(`/users/${u.id}/tokens`, { method: 'POST', body: { name: 'ui' } }); announce(`New token for ${u.username} (shown once): ${t.token}`, 'ok', note); await showTokens(u); } catch (err) { announce(err.message, 'error', note); }
  };
  const role = (u) => {
    const sel = h('select', { 'aria-label': `Role of ${u.username}` }, ROLES.map((r) => h('option', { value: r, selected: r === u.role }, r)));
    sel.addEventListener('change', async () => {
      try { await api(`/users/${u.id}`, { method: 'PUT', body: { role: sel.value } }); announce(`${u.username} is now ${sel.value}`, 'ok', note); u.role = sel.value; } catch (err) { sel.value = u.role; announce(err.message, 'error', note); }
    });
    return sel;
  };
  return h('div', {}, h('h2', {}, 'Users'), note, table(['User', 'Role', 'Created', ''], items.map((u) => h('tr', {},
    h('td', {}, u.username), h('td', {}, role(u)), h('td', {}, `${when(u.createdAt)} by ${u.createdBy}`),
    h('td', {}, h('button', { type: 'button', onclick: () => token(u) }, 'New API token'), h('button', { type: 'button', onclick: () => showTokens(u).catch((err) => announce(err.message, 'error', note)) }, 'Tokens')))),
  { 'aria-label': 'Users' }), form, tokenBox);
}

export async function auditView(search = '') {
  setTitle('Audit');
  const p = new URLSearchParams(search);
  const f = Object.fromEntries(['action', 'actor', 'entityType', 'entityId', 'since', 'until'].map((k) => [k, p.get(k) ?? '']));
  const form = h('form', { class: 'toolbar filters', role: 'search' },
    ['action', 'actor', 'entityType', 'entityId'].map((k) => h('label', {}, `${k} `, h('input', { name: k, value: f[k], size: 12, placeholder: k === 'action' ? 'e.g. rule.' : '' }))),
    h('label', {}, 'From ', h('input', { type: 'datetime-local', name: 'since', value: f.since })), h('label', {}, 'To ', h('input', { type: 'datetime-local', name: 'until', value: f.until })),
    h('button', { class: 'primary' }, 'Filter'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/audit?${new URLSearchParams(Object.entries(formValues(form)).filter(([, v]) => v))}`;
  });
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'Older events');
  let cursor = null;
  const load = async () => {
    const q = Object.fromEntries(Object.entries(f).filter(([, v]) => v).map(([k, v]) => [k, k === 'since' || k === 'until' ? new Date(v).toISOString() : v]));
    const page = await api(`/audit?${new URLSearchParams({ ...q, limit: '100', ...(cursor ? { cursor } : {}) })}`);
    body.append(...page.items.map((e) => h('tr', {}, h('td', {}, when(e.at)), h('td', {}, e.actor), h('td', {}, e.action), h('td', {}, `${e.entityType} ${e.entityId}`),
      h('td', {}, h('details', {}, h('summary', {}, 'show'), h('pre', {}, JSON.stringify({ before: e.before, after: e.after }, null, 2)))))));
    cursor = page.nextCursor; more.hidden = !cursor;
  };
  more.addEventListener('click', () => load());
  await load();
  return h('div', {}, h('h2', {}, 'Audit'), form, table(['When', 'Who', 'Action', 'Entity', 'Before / after'], body, { 'aria-label': 'Audit events' }), more);
}
