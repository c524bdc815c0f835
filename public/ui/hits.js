import { api, h, pill, when, table, formValues } from './core.js';

const CLASSIFICATIONS = {
  malicious: [['TruePositive', 'SuspiciousActivity'], ['Undetermined', '']],
  benign: [['BenignPositive', 'SuspiciousButExpected'], ['FalsePositive', 'IncorrectAlertLogic'], ['FalsePositive', 'InaccurateData'], ['Undetermined', '']],
};

function verdictFields(lists) {
  const choice = h('select', { name: 'choice' });
  const fill = (v) => choice.replaceChildren(...CLASSIFICATIONS[v].map(([c, r]) => h('option', { value: `${c}|${r}` }, r ? `${c} · ${r}` : c)));
  const verdict = h('select', { name: 'verdict', onchange: (e) => fill(e.target.value) },
    h('option', { value: 'benign' }, 'benign'), h('option', { value: 'malicious' }, 'malicious'));
  fill('benign');
  return [h('label', {}, 'Verdict ', verdict), h('label', {}, 'Classification ', choice),
    h('label', {}, 'Comment ', h('input', { name: 'comment', size: 40, required: true })),
    lists.length ? h('label', {}, 'Suppress key in ', h('select', { name: 'listId' }, h('option', { value: '' }, '— no list —'),
      lists.map((l) => h('option', { value: l.id }, l.alias)))) : null];
}

function decision(v) {
  const [classification, reason] = v.choice.split('|');
  return { verdict: v.verdict, classification, ...(reason ? { classificationReason: reason } : {}), comment: v.comment,
    ...(v.listId && v.verdict === 'benign' ? { suppress: { listId: v.listId } } : {}) };
}

export async function queueView() {
  const [{ items: hunts }, { items: lists }] = await Promise.all([api('/hunts'), api('/suppression-lists')]);
  const filters = h('form', { class: 'toolbar' },
    h('label', {}, 'Hunt ', h('select', { name: 'huntId' }, h('option', { value: '' }, 'all'), hunts.map((x) => h('option', { value: x.id }, x.name)))),
    h('label', {}, 'Status ', h('select', { name: 'status' }, ['', 'open', 'flagged', 'suppressed'].map((s) => h('option', { value: s }, s || 'open queue')))),
    h('label', {}, 'Verdict ', h('select', { name: 'verdict' }, ['', 'none', 'benign', 'malicious'].map((s) => h('option', { value: s }, s || 'any')))),
    h('label', {}, 'Device ', h('input', { name: 'device', size: 14, placeholder: 'name or prefix*' })),
    h('label', {}, 'Text ', h('input', { name: 'q', size: 14 })),
    h('button', {}, 'Filter'));
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'More');
  const note = h('p', { class: 'error' });
  let cursor = null, query = {};
  const load = async (reset) => {
    if (reset) { body.replaceChildren(); cursor = null; }
    const params = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}), limit: '50' });
    const page = await api(`/hits?${params}`);
    body.append(...page.items.map((x) => h('tr', {},
      h('td', {}, h('input', { type: 'checkbox', value: x.id })), h('td', {}, pill(x.status)),
      h('td', {}, h('a', { href: `#/hit/${x.id}` }, x.fields['host.name'] ?? x.key.join(' · '))),
      h('td', {}, x.key.join(' · ')), h('td', {}, x.verdict ? x.verdict.verdict : '—'), h('td', {}, x.count), h('td', {}, when(x.lastSeen)))));
    cursor = page.nextCursor; more.hidden = !cursor;
  };
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(filters);
    query = Object.fromEntries(Object.entries(v).filter(([, x]) => x));
    if (!v.status) query.queue = 'true';
    load(true).catch((err) => { note.textContent = err.message; });
  });
  more.addEventListener('click', () => load(false));
  const bulk = h('form', { class: 'toolbar' }, h('strong', {}, 'Selected: '), verdictFields(lists), h('button', {}, 'Record verdict'));
  bulk.addEventListener('submit', async (e) => {
    e.preventDefault();
    const ids = [...body.querySelectorAll('input:checked')].map((c) => c.value);
    if (!ids.length) { note.textContent = 'select hits first'; return; }
    try {
      const r = await api('/verdicts/bulk', { method: 'POST', body: { ids, ...decision(formValues(bulk)) } });
      note.textContent = `recorded ${r.count} verdict(s)`; await load(true);
    } catch (err) { note.textContent = err.message; }
  });
  query = { queue: 'true' };
  await load(true);
  return h('div', {}, h('h2', {}, 'Queue'), filters,
    table(['', 'Status', 'Host', 'Key', 'Verdict', 'Count', 'Last seen'], body), more, bulk, note);
}

export async function hitView(id) {
  const [x, { items: lists }] = await Promise.all([api(`/hits/${id}`), api('/suppression-lists')]);
  const note = h('p', { class: 'error' });
  const form = h('form', { class: 'toolbar' }, verdictFields(lists.filter((l) => l.hunts.includes(x.huntId))), h('button', {}, 'Record verdict'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try { await api(`/hits/${id}/verdicts`, { method: 'POST', body: { ...decision(formValues(form)), hitVersion: x.version } }); location.reload(); } catch (err) {
      note.textContent = err.status === 409 ? `${err.message} — reload to see the latest.` : err.message;
    }
  });
  return h('div', {},
    h('h2', {}, 'Hit ', pill(x.status), ' ', x.key.join(' · ')),
    h('p', {}, `Seen ${when(x.firstSeen)} – ${when(x.lastSeen)}, count ${x.count}, version ${x.version}`),
    h('h3', {}, 'Why'), x.matches.length ? h('ul', {}, x.matches.map((m) => h('li', {},
      m.ruleId ? [h('a', { href: `#/rules/${m.ruleId}` }, `rule v${m.ruleVersion} (${m.action})`), m.overridden ? ' — kept visible: malicious verdict' : '',
        h('ul', {}, (m.explanation ?? []).map((line) => h('li', {}, h('code', {}, line))))]
        : [h('a', { href: `#/lists/${m.listId}` }, 'suppression list entry'), ` ${m.searchKey}`]))) : h('p', {}, 'No rule or list entry holds: this hit is in the open queue.'),
    h('h3', {}, 'Verdict'), form, note,
    x.verdicts.length ? table(['When', 'Who', 'Verdict', 'Classification', 'Comment'], x.verdicts.map((v) => h('tr', {},
      h('td', {}, when(v.createdAt)), h('td', {}, v.createdBy), h('td', {}, v.verdict), h('td', {}, [v.classification, v.classificationReason].filter(Boolean).join(' · ')), h('td', {}, v.comment)))) : null,
    h('h3', {}, 'Fields'), table(['Field', 'Value'], Object.entries(x.fields).map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, Array.isArray(v) ? v.join(', ') : String(v))))),
    h('h3', {}, 'Raw row'), h('pre', {}, JSON.stringify(x.raw, null, 2)));
}
