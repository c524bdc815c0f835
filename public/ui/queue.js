import { api, h, pill, when, announce, setTitle, confirmDialog, formValues } from './core.js';
import { verdictFields, decision, outcome } from './verdict-form.js';
import { keyboard, SHORTCUTS } from './queue-keys.js';
import { suggestionsPanel } from './suggestions.js';

const PAGE = 100;
const FILTER_KEYS = ['huntId', 'status', 'verdict', 'devicePrefix', 'q', 'since', 'until', 'ruleId'];

/** The queue's state lives in the URL (#/queue?…): links, Back and Forward keep the filter. */
export function queueState(search) {
  const p = new URLSearchParams(search);
  const filter = Object.fromEntries(FILTER_KEYS.map((k) => [k, p.get(k) ?? '']).filter(([, v]) => v));
  return { filter, sort: p.get('sort') ?? 'lastSeen', order: p.get('order') === 'asc' ? 'asc' : 'desc' };
}
const hashFor = (s) => `#/queue?${new URLSearchParams({ ...s.filter, ...(s.sort !== 'lastSeen' ? { sort: s.sort } : {}), ...(s.order !== 'desc' ? { order: s.order } : {}) })}`;

/** GET /hits parameters: no status means the open queue (open or flagged, no verdict); `all` means every hit. */
function apiQuery(s) {
  const { status, since, until, ...rest } = s.filter;
  const q = { ...rest, sort: s.sort, order: s.order };
  if (!status) q.queue = 'true'; else if (status !== 'all') q.status = status;
  if (since) q.since = new Date(since).toISOString();
  if (until) q.until = new Date(until).toISOString();
  return q;
}

const dest = (f) => f['destination.domain'] ?? f['destination.ip'] ?? '';
const COLUMNS = [
  ['Status', 'status', (x) => pill(x.status)],
  ['Device', 'device', (x) => h('a', { href: `#/hit/${x.id}`, tabindex: '-1' }, x.fields['host.name'] ?? x.key.join(' · '))],
  ['Process', 'process', (x) => x.fields['process.name'] ?? ''],
  ['Parent', 'parent', (x) => x.fields['process.parent.name'] ?? ''],
  ['User', 'user', (x) => x.fields['user.name'] ?? ''],
  ['Destination', 'destination', (x) => dest(x.fields)],
  ['First seen', 'firstSeen', (x) => when(x.firstSeen)],
  ['Last seen', 'lastSeen', (x) => when(x.lastSeen)],
  ['Count', 'count', (x) => String(x.count)],
  ['Rules', null, (x) => (x.ruleNames ?? []).join(', ')],
  ['Verdict', 'verdict', (x) => x.verdict?.verdict ?? '—'],
];

export async function queueView(search = '', me = { role: 'viewer' }) {
  const state = queueState(search);
  const [{ items: hunts }, { items: lists }, saved] = await Promise.all([api('/hunts'), api('/suppression-lists'),
    api('/saved-filters').catch(() => ({ items: [] }))]);
  setTitle('Queue');
  const f = state.filter;
  const input = (name, label, attrs = {}) => h('label', {}, `${label} `, h('input', { name, value: f[name] ?? '', 'aria-label': label, ...attrs }));
  const filters = h('form', { class: 'toolbar filters', role: 'search' },
    h('label', {}, 'Hunt ', h('select', { name: 'huntId', 'aria-label': 'Hunt' }, h('option', { value: '' }, 'all hunts'),
      hunts.map((x) => h('option', { value: x.id, selected: f.huntId === x.id }, x.name.replace(/^Remote Management and Monitoring tool - /, ''))))),
    h('label', {}, 'Status ', h('select', { name: 'status', 'aria-label': 'Status' }, [['', 'open queue'], ['open', 'open'], ['flagged', 'flagged'],
      ['suppressed', 'suppressed'], ['all', 'all']].map(([v, t]) => h('option', { value: v, selected: (f.status ?? '') === v }, t)))),
    h('label', {}, 'Verdict ', h('select', { name: 'verdict', 'aria-label': 'Verdict filter' }, ['', 'none', 'benign', 'malicious']
      .map((v) => h('option', { value: v, selected: (f.verdict ?? '') === v }, v || 'any')))),
    input('devicePrefix', 'Device starts with', { size: 12 }),
    input('q', 'Search', { size: 16, id: 'queue-search', placeholder: 'text in the row  ( / )' }),
    input('since', 'From', { type: 'datetime-local' }), input('until', 'To', { type: 'datetime-local' }),
    h('button', { class: 'primary' }, 'Filter'));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(filters);
    location.hash = hashFor({ ...state, filter: Object.fromEntries(Object.entries(v).filter(([, x]) => x)) });
  });

  const savedSel = h('select', { 'aria-label': 'Saved filters' }, h('option', { value: '' }, 'saved filters…'),
    saved.items.map((s) => h('option', { value: s.id }, s.name)));
  savedSel.addEventListener('change', () => {
    const s = saved.items.find((x) => x.id === savedSel.value);
    if (s) location.hash = hashFor(stateOf(s.query));
  });
  const savedNote = h('span', { class: 'note', role: 'status' });
  const saveBtn = h('button', { type: 'button', onclick: async () => {
    const name = prompt('Name this filter');
    if (!name) return;
    try {
      await api('/saved-filters', { method: 'POST', body: { name, query: { ...filterOf(state), sort: state.sort, order: state.order } } });
      announce(`saved filter "${name}"`, 'ok', savedNote);
    } catch (err) { announce(err.message, 'error', savedNote); }
  } }, 'Save filter');

  const status = h('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const head = h('tr', {}, h('th', { scope: 'col' }, h('input', { type: 'checkbox', 'aria-label': 'Select all hits on this page', class: 'select-page' })),
    COLUMNS.map(([label, sort]) => h('th', { scope: 'col', ...(sort && state.sort === sort ? { 'aria-sort': state.order === 'asc' ? 'ascending' : 'descending' } : {}) },
      sort ? h('button', { type: 'button', class: 'sort', onclick: () => {
        location.hash = hashFor({ ...state, sort, order: state.sort === sort && state.order === 'desc' ? 'asc' : 'desc' });
      } }, label, state.sort === sort ? (state.order === 'asc' ? ' ▲' : ' ▼') : '') : label)));
  const body = h('tbody');
  const grid = h('table', { class: 'queue', 'aria-label': 'Hits', 'aria-rowcount': '-1' }, h('thead', {}, head), body);
  const sentinel = h('div', { class: 'sentinel' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  let cursor = null, total = 0, loading = false;

  const row = (x) => {
    const box = h('input', { type: 'checkbox', value: x.id, 'aria-label': `Select hit on ${x.fields['host.name'] ?? x.key.join(' ')}` });
    const tr = h('tr', { 'data-id': x.id, tabindex: '-1' }, h('td', {}, box), COLUMNS.map(([, , cell]) => h('td', {}, cell(x))));
    tr.hit = x;
    return tr;
  };
  const load = async () => {
    if (loading) return;
    loading = true;
    try {
      const page = await api(`/hits?${new URLSearchParams({ ...apiQuery(state), limit: String(PAGE), ...(cursor ? { cursor } : {}) })}`);
      body.append(...page.items.map(row));
      cursor = page.nextCursor; total = page.total ?? total;
      more.hidden = !cursor;
      const shown = body.children.length;
      status.textContent = page.emptyReason ? `No hits: ${page.emptyReason}`
        : `${total.toLocaleString()} hit${total === 1 ? '' : 's'} match${total === 1 ? 'es' : ''}; showing ${shown.toLocaleString()}`;
      status.className = page.emptyReason ? 'note warn' : 'note';
    } finally { loading = false; }
  };
  more.addEventListener('click', () => load());
  new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting) && cursor) load(); }).observe(sentinel);

  const bulkNote = h('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const selected = () => [...body.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.value);
  const allMatching = h('button', { type: 'button', hidden: true }, '');
  let wholeFilter = false;
  const refreshBulk = () => {
    const n = selected().length;
    const pageAll = n > 0 && n === body.children.length;
    allMatching.hidden = !pageAll || total <= n;
    allMatching.textContent = wholeFilter ? `All ${total.toLocaleString()} matching this filter are selected (undo)` : `Select all ${total.toLocaleString()} matching this filter`;
    bulkCount.textContent = wholeFilter ? `${total.toLocaleString()} selected (the whole filter)` : `${n} selected`;
  };
  const bulkCount = h('strong', {}, '0 selected');
  allMatching.addEventListener('click', () => { wholeFilter = !wholeFilter; refreshBulk(); });
  head.querySelector('.select-page').addEventListener('change', (e) => {
    for (const c of body.querySelectorAll('input[type=checkbox]')) c.checked = e.target.checked;
    wholeFilter = false; refreshBulk();
  });
  body.addEventListener('change', () => { wholeFilter = false; refreshBulk(); });

  const dialog = h('dialog', { class: 'verdict', 'aria-label': 'Record verdict' });
  /** Opens the verdict form for the selection, or the focused hit; after it, the queue moves on without a reload. */
  const openVerdict = (verdict) => {
    const ids = wholeFilter ? null : selected();
    const focused = keys.focused();
    const targets = ids && ids.length ? ids : focused ? [focused.dataset.id] : [];
    if (!wholeFilter && !targets.length) { announce('select hits, or move to one with j/k, first', 'warn', bulkNote); return; }
    const count = wholeFilter ? total : targets.length;
    const form = h('form', { method: 'dialog', class: 'stack' }, h('h3', {}, `Verdict for ${count.toLocaleString()} hit${count === 1 ? '' : 's'}`),
      verdictFields(lists, verdict), h('div', { class: 'toolbar' }, h('button', { class: 'primary', value: 'save' }, 'Record verdict'),
        h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const d = decision(formValues(form));
      if (count > 1 && !(await confirmDialog(`Record "${d.verdict}" (${d.classification}) for ${count.toLocaleString()} hits?`, `Record for ${count.toLocaleString()}`))) return;
      dialog.close();
      try {
        const r = count === 1 && !wholeFilter
          ? await api(`/hits/${targets[0]}/verdicts`, { method: 'POST', body: { ...d, hitVersion: body.querySelector(`tr[data-id="${targets[0]}"]`).hit.version } })
          : await api('/verdicts/bulk', { method: 'POST', body: { ...d, ...(wholeFilter ? { filter: filterOf(state) } : { ids: targets }) } });
        announce(outcome(r, count), r.revokedEntries?.length ? 'warn' : 'ok', bulkNote);
        afterVerdict(wholeFilter ? [...body.children].map((tr) => tr.dataset.id) : targets, d.verdict);
      } catch (err) { announce(err.message, 'error', bulkNote); }
    });
    dialog.replaceChildren(form);
    dialog.showModal();
    form.querySelector('input[name=comment]').focus();
  };
  /** Hits that got a verdict leave the open queue; elsewhere their verdict cell changes. Focus goes to the next hit. */
  const afterVerdict = (ids, verdict) => {
    const next = keys.nextAfter(ids);
    for (const id of ids) {
      const tr = body.querySelector(`tr[data-id="${id}"]`);
      if (!tr) continue;
      if (!state.filter.status) tr.remove(); else { tr.lastChild.textContent = verdict; tr.querySelector('input').checked = false; }
    }
    if (!state.filter.status) { total = Math.max(0, total - ids.length); status.textContent = `${total.toLocaleString()} hits match; showing ${body.children.length}`; }
    wholeFilter = false; refreshBulk();
    keys.focus(next ?? body.firstElementChild);
    if (cursor && body.children.length < PAGE / 2) load();
  };
  const keys = keyboard({ body, onOpen: (tr) => { location.hash = `#/hit/${tr.dataset.id}`; }, onVerdict: openVerdict, onSelect: refreshBulk,
    search: () => filters.querySelector('#queue-search') });
  const bulk = h('div', { class: 'toolbar bulk', role: 'region', 'aria-label': 'Bulk actions' }, bulkCount, allMatching,
    h('button', { type: 'button', onclick: () => openVerdict('benign') }, 'Benign… (b)'),
    h('button', { type: 'button', onclick: () => openVerdict('malicious') }, 'Malicious… (m)'), bulkNote);

  await load();
  refreshBulk();
  keys.focus(body.firstElementChild);
  const help = h('details', { class: 'shortcuts' }, h('summary', {}, 'Keyboard shortcuts (?)'),
    h('dl', {}, SHORTCUTS.map(([k, d]) => [h('dt', {}, h('kbd', {}, k)), h('dd', {}, d)])));
  keys.onHelp(() => { help.open = !help.open; });
  return h('div', { class: 'queue-view' }, h('h2', {}, 'Queue'), filters, h('div', { class: 'toolbar' }, savedSel, saveBtn, savedNote),
    state.filter.huntId ? suggestionsPanel(state.filter.huntId, me) : null, status, bulk, grid, sentinel, more, dialog, help);
}

/** A saved filter (GET /hits parameters) back as the queue's URL state; times shown in the browser's zone. */
function stateOf(q) {
  const local = (iso) => { const d = new Date(iso); return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16); };
  const filter = {};
  for (const k of ['huntId', 'verdict', 'devicePrefix', 'q', 'ruleId']) if (q[k]) filter[k] = q[k];
  if (q.since) filter.since = local(q.since);
  if (q.until) filter.until = local(q.until);
  if (!q.queue) filter.status = q.status ?? 'all';
  return { filter, sort: q.sort ?? 'lastSeen', order: q.order ?? 'desc' };
}

/** The filter part of the state as POST /verdicts/bulk takes it (the same selection GET /hits lists). */
function filterOf(state) {
  const { sort: _s, order: _o, ...q } = apiQuery(state);
  return Object.fromEntries(Object.entries(q).map(([k, v]) => [k, v === 'true' ? true : v]));
}
