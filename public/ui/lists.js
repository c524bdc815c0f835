import { api, h, table, when, formValues, downloadText, announce, setTitle } from './core.js';
import { syncPanel } from './sentinel.js';

export async function listsView(me) {
  const [{ items }, { items: hunts }] = await Promise.all([api('/suppression-lists'), api('/hunts')]);
  setTitle('Suppression lists');
  const note = h('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const form = me.role === 'admin' ? h('form', {}, h('h3', {}, 'New list'),
    h('label', {}, 'Alias ', h('input', { name: 'alias', required: true })), h('label', {}, 'Display name ', h('input', { name: 'displayName', required: true })),
    h('label', {}, 'Hunt ', h('select', { name: 'hunt' }, hunts.map((x) => h('option', { value: x.id }, x.name)))),
    h('label', {}, h('input', { type: 'checkbox', name: 'requireApproval' }), ' analyst entries need approval'), h('button', { class: 'primary' }, 'Create')) : null;
  form?.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    try { await api('/suppression-lists', { method: 'POST', body: { alias: v.alias, displayName: v.displayName, hunts: [v.hunt], requireApproval: !!v.requireApproval } }); location.reload(); } catch (err) { announce(err.message, 'error', note); }
  });
  return h('div', {}, h('h2', {}, 'Suppression lists'),
    table(['Alias', 'Display name', 'Key columns', 'Active', 'Pending', 'Expired', 'Revoked'], items.map((l) => h('tr', {},
      h('td', {}, h('a', { href: `#/lists/${l.id}` }, l.alias)), h('td', {}, l.displayName), h('td', {}, l.keyColumns.join(' | ')),
      h('td', {}, l.counts.active), h('td', {}, l.counts.pending), h('td', {}, l.counts.expired), h('td', {}, l.counts.revoked)))), form, note);
}

export async function listView(id, me) {
  const l = await api(`/suppression-lists/${id}`);
  setTitle(l.alias);
  const admin = me.role === 'admin';
  const note = h('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const body = h('tbody');
  const refresh = async () => {
    const { items } = await api(`/suppression-lists/${id}/entries`);
    body.replaceChildren(...items.map((e) => h('tr', { 'data-entry': e.id },
      h('td', {}, admin && e.status === 'pending' ? h('input', { type: 'checkbox', value: e.id, 'aria-label': `Select pending entry ${e.searchKey}` }) : null),
      h('td', {}, h('code', {}, e.searchKey)), h('td', {}, h('span', { class: `pill ${e.status}` }, e.status)), h('td', {}, e.reason),
      h('td', {}, `${e.addedBy} ${when(e.addedAt)}`), h('td', {}, when(e.expiresAt)),
      h('td', {}, admin && e.status === 'pending' ? h('button', { type: 'button', onclick: () => act(() => api(`/suppression-lists/${id}/entries/${e.id}/approve`, { method: 'POST' }), 'approved 1 entry') }, 'Approve') : null,
        admin && ['active', 'pending'].includes(e.status) ? h('button', { type: 'button', onclick: () => act(() => api(`/suppression-lists/${id}/entries/${e.id}?reason=${encodeURIComponent('revoked in the UI')}`, { method: 'DELETE' }), 'revoked 1 entry') }, 'Revoke') : null))));
    approveMany.hidden = !body.querySelector('input[type=checkbox]');
  };
  const act = async (fn, done) => { try { const r = await fn(); await refresh(); announce(`${done}${r?.reevaluated ? `; ${r.reevaluated} hit(s) changed status` : ''}`, 'ok', note); } catch (err) { announce(err.message, 'error', note); } };
  const approveMany = h('button', { type: 'button', hidden: true, onclick: () => {
    const ids = [...body.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.value);
    if (!ids.length) { announce('select pending entries first', 'warn', note); return; }
    act(() => api(`/suppression-lists/${id}/entries/approve`, { method: 'POST', body: { ids } }), `approved ${ids.length} entr${ids.length === 1 ? 'y' : 'ies'}`);
  } }, 'Approve selected');
  const exportAs = (format, ext) => async () => {
    try {
      downloadText(`${l.alias}.${ext}`, await api(`/suppression-lists/${id}/export?format=${format}`, { raw: true }));
      announce(`exported ${l.alias}.${ext}`, 'ok', note);
    } catch (err) { announce(err.message, 'error', note); }
  };
  const add = h('form', { class: 'toolbar' }, l.keyColumns.map((c) => h('label', {}, `${c} `, h('input', { name: c, required: true }))),
    h('label', {}, 'Reason ', h('input', { name: 'reason', required: true })), h('button', {}, 'Add entry'));
  add.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(add);
    act(() => api(`/suppression-lists/${id}/entries`, { method: 'POST', body: { values: Object.fromEntries(l.keyColumns.map((c) => [c, v[c]])), reason: v.reason } }), 'entry added');
  });
  await refresh();
  return h('div', {}, h('h2', {}, `${l.displayName} (${l.alias})`), h('p', {}, l.description),
    h('div', { class: 'toolbar' }, 'Export: ', [['csv', 'csv'], ['watchlist-json', 'watchlist.json'], ['arm', 'arm.json'], ['kql', 'kql']]
      .map(([f, ext]) => h('button', { type: 'button', onclick: exportAs(f, ext) }, f))),
    syncPanel(l, me), note, h('div', { class: 'toolbar' }, approveMany),
    table(['', 'SearchKey', 'Status', 'Reason', 'Added', 'Expires', ''], body, { 'aria-label': 'Entries' }),
    me.role !== 'viewer' ? add : null);
}
