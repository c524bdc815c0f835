import { api, h, pill, when, table, formValues, announce, setTitle } from './core.js';
import { verdictFields, decision, outcome } from './verdict-form.js';

const verdictBadge = (v) => (v ? h('span', { class: `pill verdict ${v.verdict}` }, `${v.verdict} · ${v.classification}`) : h('span', { class: 'pill' }, 'no verdict'));

function why(x) {
  if (!x.matches.length) return h('p', {}, 'No rule or list entry holds: this hit is in the open queue.');
  return h('ul', {}, x.matches.map((m) => h('li', {}, m.ruleId
    ? [h('a', { href: `#/rules/${m.ruleId}` }, m.ruleName ?? m.ruleId), ` (${m.action}, v${m.ruleVersion})`,
      m.overridden ? h('strong', { class: 'warn' }, ' — kept visible: malicious verdict') : '',
      h('ul', {}, (m.explanation ?? []).map((line) => h('li', {}, h('code', {}, line))))]
    : [h('a', { href: `#/lists/${m.listId}` }, `list ${m.listAlias ?? m.listId}`), ' entry ', h('code', {}, m.searchKey),
      m.overridden ? h('strong', { class: 'warn' }, ' — kept visible: malicious verdict') : ''])));
}

/** For a hit no rule suppresses: each rule in scope and the clause that kept it from holding. */
function nearMisses(x) {
  if (!x.nearMisses?.length) return null;
  return [h('h3', {}, 'Near misses'), h('p', { class: 'muted' }, 'Rules in scope that do not hold for this hit, clause by clause.'),
    h('ul', {}, x.nearMisses.map((n) => h('li', {}, h('a', { href: `#/rules/${n.ruleId}` }, n.ruleName), ` (${n.action}) is ${n.result}`,
      h('ul', {}, n.clauses.map((c) => h('li', {}, h('code', { class: /is false|unknown|missing/.test(c) ? 'miss' : '' }, c)))))))];
}

export async function hitView(id) {
  const [x, { items: lists }] = await Promise.all([api(`/hits/${id}`), api('/suppression-lists')]);
  const device = x.fields['host.name'] ?? x.key.join(' · ');
  setTitle(`Hit ${device}`);
  const badge = h('span', {}, verdictBadge(x.verdict));
  const statusPill = h('span', {}, pill(x.status));
  const note = h('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const history = h('div');
  const showHistory = (verdicts) => history.replaceChildren(verdicts.length ? table(['When', 'Who', 'Verdict', 'Classification', 'Comment'], verdicts.map((v) => h('tr', {},
    h('td', {}, when(v.createdAt)), h('td', {}, v.createdBy), h('td', {}, v.verdict), h('td', {}, [v.classification, v.classificationReason].filter(Boolean).join(' · ')),
    h('td', {}, v.comment))), { 'aria-label': 'Verdict history' }) : h('p', { class: 'muted' }, 'No verdict yet.'));
  showHistory(x.verdicts);
  let version = x.version;
  const form = h('form', { class: 'toolbar' }, verdictFields(lists.filter((l) => l.hunts.includes(x.huntId)), x.verdict?.verdict), h('button', { class: 'primary' }, 'Record verdict'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await api(`/hits/${id}/verdicts`, { method: 'POST', body: { ...decision(formValues(form)), hitVersion: version } });
      // Show the new verdict at once, then refresh the rest (status, history) from the server.
      const fresh = await api(`/hits/${id}`);
      version = fresh.version;
      badge.replaceChildren(verdictBadge(fresh.verdict));
      statusPill.replaceChildren(pill(fresh.status));
      showHistory(fresh.verdicts);
      announce(outcome(r), r.revokedEntries.length ? 'warn' : 'ok', note);
    } catch (err) {
      announce(err.status === 409 ? `${err.message} — reload to see the latest.` : err.message, 'error', note);
    }
  });
  return h('div', {},
    h('p', {}, h('a', { href: '#/queue', onclick: (e) => { if (window.history.length > 1) { e.preventDefault(); window.history.back(); } } }, '← back to the queue')),
    h('h2', {}, 'Hit ', statusPill, ' ', badge, ' ', device),
    h('p', {}, `Seen ${when(x.firstSeen)} – ${when(x.lastSeen)} · count ${x.count} over ${x.observations.length} observation(s) · version ${x.version}`,
      x.reportIds.length ? ` · report ids ${x.reportIds.join(', ')}` : ''),
    h('h3', {}, 'Why'), why(x), nearMisses(x),
    h('h3', {}, 'Verdict'), form, note, history,
    h('h3', {}, 'Fields'), table(['Field', 'Value'], Object.entries(x.fields).map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k),
      h('td', {}, Array.isArray(v) ? v.join(', ') : String(v)))), { 'aria-label': 'Canonical fields' }),
    h('h3', {}, `Observations (${x.observations.length})`),
    h('p', { class: 'muted' }, 'Every distinct row merged into this hit; its count is the largest any of them reported.'),
    table(['', 'First seen', 'Last seen', 'Count', 'Report ids', 'Row'], x.observations.map((o) => h('tr', {},
      h('td', {}, o.shown ? h('strong', {}, 'shown') : ''), h('td', {}, when(o.firstSeen)), h('td', {}, when(o.lastSeen)), h('td', {}, String(o.count)),
      h('td', {}, o.reportIds.join(', ')), h('td', {}, h('details', { open: o.shown && x.observations.length === 1 }, h('summary', {}, 'raw row'),
        h('pre', {}, JSON.stringify(o.raw, null, 2)))))), { 'aria-label': 'Observations' }));
}
