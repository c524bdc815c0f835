import { api, h, table, when, formValues, downloadText } from './core.js';

export async function huntsView(me) {
  const { items } = await api('/hunts');
  const note = h('p', { class: 'error' });
  const doc = h('textarea', { rows: 8, placeholder: 'Sentinel hunting-query YAML, JSON, or an enriched rule page' });
  const imp = me.role === 'admin' ? h('form', {}, h('h3', {}, 'Import a hunt'), doc, h('button', {}, 'Import')) : null;
  imp?.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await api('/hunts', { method: 'POST', body: doc.value, headers: { 'Content-Type': 'text/plain' } });
      note.textContent = `${r.created ? 'imported' : r.changed ? `updated to version ${r.version}` : 'unchanged'}: ${r.name}${r.warnings.length ? ` — ${r.warnings.length} query warning(s)` : ''}`;
    } catch (err) { note.textContent = err.message; }
  });
  const tuned = h('div');
  const showTuned = async (id) => {
    const t = await api(`/hunts/${id}/tuned-query`);
    tuned.replaceChildren(h('h3', {}, 'Tuned query'), t.addedDiagnostics.length ? h('p', { class: 'error' }, 'the tuned query adds diagnostics') : h('p', { class: 'ok' }, 'analysed: adds no diagnostic'),
      h('pre', {}, t.kql), h('button', { type: 'button', onclick: () => downloadText(`${id}.kql`, t.kql) }, 'Download'));
  };
  return h('div', {}, h('h2', {}, 'Hunts'),
    table(['Hunt', 'Table', 'Group keys', 'Open', 'Flagged', 'Suppressed', 'Query warnings', 'Scenarios', ''], items.map((x) => h('tr', {},
      h('td', {}, x.name, h('br'), h('small', {}, `${x.id} · v${x.version}`)), h('td', {}, x.table ?? '—'), h('td', {}, x.groupKeys.join(', ')),
      h('td', {}, x.counts.open), h('td', {}, x.counts.flagged), h('td', {}, x.counts.suppressed),
      h('td', { class: 'warn' }, x.warnings.map((w) => h('div', {}, `line ${w.line}:${w.column} ${w.message}`))),
      h('td', {}, x.scenarios.map((s) => h('div', {}, s.title, ' — ', h('code', {}, s.filterText)))),
      h('td', {}, h('button', { type: 'button', onclick: () => showTuned(x.id).catch((err) => { note.textContent = err.message; }) }, 'Tuned query'))))),
    tuned, imp, note);
}

export async function listsView(me) {
  const [{ items }, { items: hunts }] = await Promise.all([api('/suppression-lists'), api('/hunts')]);
  const note = h('p', { class: 'error' });
  const form = me.role === 'admin' ? h('form', {}, h('h3', {}, 'New list'),
    h('label', {}, 'Alias ', h('input', { name: 'alias', required: true })), h('label', {}, 'Display name ', h('input', { name: 'displayName', required: true })),
    h('label', {}, 'Hunt ', h('select', { name: 'hunt' }, hunts.map((x) => h('option', { value: x.id }, x.name)))),
    h('label', {}, h('input', { type: 'checkbox', name: 'requireApproval' }), ' analyst entries need approval'), h('button', {}, 'Create')) : null;
  form?.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    try { await api('/suppression-lists', { method: 'POST', body: { alias: v.alias, displayName: v.displayName, hunts: [v.hunt], requireApproval: !!v.requireApproval } }); location.reload(); } catch (err) { note.textContent = err.message; }
  });
  return h('div', {}, h('h2', {}, 'Suppression lists'),
    table(['Alias', 'Display name', 'Key columns', 'Active', 'Pending', 'Expired', 'Revoked'], items.map((l) => h('tr', {},
      h('td', {}, h('a', { href: `#/lists/${l.id}` }, l.alias)), h('td', {}, l.displayName), h('td', {}, l.keyColumns.join(' | ')),
      h('td', {}, l.counts.active), h('td', {}, l.counts.pending), h('td', {}, l.counts.expired), h('td', {}, l.counts.revoked)))), form, note);
}

export async function listView(id, me) {
  const [l, { items }] = await Promise.all([api(`/suppression-lists/${id}`), api(`/suppression-lists/${id}/entries`)]);
  const note = h('p', { class: 'error' });
  const act = (fn) => async () => { try { await fn(); location.reload(); } catch (err) { note.textContent = err.message; } };
  const exportAs = (format, ext) => async () => {
    try { downloadText(`${l.alias}.${ext}`, await api(`/suppression-lists/${id}/export?format=${format}`, { raw: true })); } catch (err) { note.textContent = err.message; }
  };
  const add = h('form', { class: 'toolbar' }, l.keyColumns.map((c) => h('label', {}, `${c} `, h('input', { name: c, required: true }))),
    h('label', {}, 'Reason ', h('input', { name: 'reason', required: true })), h('button', {}, 'Add entry'));
  add.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(add);
    act(() => api(`/suppression-lists/${id}/entries`, { method: 'POST', body: { values: Object.fromEntries(l.keyColumns.map((c) => [c, v[c]])), reason: v.reason } }))();
  });
  return h('div', {}, h('h2', {}, `${l.displayName} (${l.alias})`), h('p', {}, l.description),
    h('div', { class: 'toolbar' }, 'Export: ', [['csv', 'csv'], ['watchlist-json', 'watchlist.json'], ['arm', 'arm.json'], ['kql', 'kql']]
      .map(([f, ext]) => h('button', { type: 'button', onclick: exportAs(f, ext) }, f))),
    table(['SearchKey', 'Status', 'Reason', 'Added', 'Expires', ''], items.map((e) => h('tr', {},
      h('td', {}, h('code', {}, e.searchKey)), h('td', {}, e.status), h('td', {}, e.reason), h('td', {}, `${e.addedBy} ${when(e.addedAt)}`), h('td', {}, when(e.expiresAt)),
      h('td', {}, me.role === 'admin' && e.status === 'pending' ? h('button', { type: 'button', onclick: act(() => api(`/suppression-lists/${id}/entries/${e.id}/approve`, { method: 'POST' })) }, 'Approve') : null,
        me.role === 'admin' && ['active', 'pending'].includes(e.status) ? h('button', { type: 'button', onclick: act(() => api(`/suppression-lists/${id}/entries/${e.id}?reason=${encodeURIComponent('revoked in the UI')}`, { method: 'DELETE' })) }, 'Revoke') : null)))),
    me.role !== 'viewer' ? add : null, note);
}

export async function usersView() {
  const { items } = await api('/users');
  const note = h('p', {});
  const form = h('form', { class: 'toolbar' }, h('label', {}, 'User ', h('input', { name: 'username', required: true })),
    h('label', {}, 'Role ', h('select', { name: 'role' }, ['viewer', 'analyst', 'admin'].map((r) => h('option', { value: r }, r)))),
    h('label', {}, 'Password ', h('input', { name: 'password', type: 'password', minlength: 12 })), h('button', {}, 'Create'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    try { await api('/users', { method: 'POST', body: { username: v.username, role: v.role, ...(v.password ? { password: v.password } : {}) } }); location.reload(); } catch (err) { note.textContent = err.message; }
  });
  const token = async (u) => {
    try { const t = await api(`/users/${u.id}/tokens`, { method: 'POST', body: { name: 'ui' } }); note.textContent = `New token for ${u.username} (shown once): ${t.token}`; } catch (err) { note.textContent = err.message; }
  };
  return h('div', {}, h('h2', {}, 'Users'), table(['User', 'Role', 'Created', ''], items.map((u) => h('tr', {},
    h('td', {}, u.username), h('td', {}, u.role), h('td', {}, `${when(u.createdAt)} by ${u.createdBy}`), h('td', {}, h('button', { type: 'button', onclick: () => token(u) }, 'New API token'))))), form, note);
}

export async function auditView() {
  const { items } = await api('/audit?limit=200');
  return h('div', {}, h('h2', {}, 'Audit'), table(['When', 'Who', 'Action', 'Entity', 'After'], items.map((e) => h('tr', {},
    h('td', {}, when(e.at)), h('td', {}, e.actor), h('td', {}, e.action), h('td', {}, `${e.entityType} ${e.entityId}`),
    h('td', {}, h('details', {}, h('summary', {}, 'show'), h('pre', {}, JSON.stringify({ before: e.before, after: e.after }, null, 2))))))));
}
