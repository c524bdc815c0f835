import { api, h, announce, confirmDialog } from './core.js';

const pct = (x) => `${(x * 100).toFixed(0)} %`;

/** The keys an entries suggestion adds, the first few shown, the rest counted. */
const entriesOf = (s) => h('div', {}, `${s.entries.length} key(s) for watchlist `, h('code', {}, s.list.alias), ': ',
  ...s.entries.slice(0, 5).flatMap((e, i) => [i ? ', ' : '', h('code', {}, e.searchKey)]), s.entries.length > 5 ? ` and ${s.entries.length - 5} more` : '');

/** The suggestions panel beside the queue of one hunt: mined on opening (it reads every hit of the hunt). */
export function suggestionsPanel(huntId, me) {
  const list = h('div', { 'aria-live': 'polite' });
  const note = h('p', { class: 'note', role: 'status' });
  const panel = h('details', { class: 'suggestions' }, h('summary', {}, 'Suggested exclusions for this hunt'), note, list);
  const load = async () => {
    list.replaceChildren(h('p', { class: 'muted' }, 'Mining the verdicts…'));
    const page = await api(`/suggestions?huntId=${encodeURIComponent(huntId)}`);
    note.textContent = `From ${page.verdicts.benign} benign and ${page.verdicts.malicious} malicious verdicts (${page.unlabelled} hits without one), in ${page.computedMs} ms. `
      + 'None holds for a hit with a malicious verdict.';
    list.replaceChildren(page.items.length ? h('ul', {}, page.items.map((s) => h('li', { class: `suggestion ${s.source} ${s.kind}` },
      s.kind === 'entries' ? entriesOf(s) : h('code', {}, s.expression), h('div', {}, s.reason),
      h('div', { class: 'muted' }, `benign covered ${s.benign.count} (${pct(s.benign.share)}) · would also hide ${s.unlabelled} hit(s) without a verdict · malicious ${s.malicious}`
        + ` · expires ${s.expiresAt.slice(0, 10)}`),
      s.examples.length ? h('div', { class: 'muted' }, 'examples: ', ...s.examples.flatMap((id, i) => [i ? ', ' : '', h('a', { href: `#/hit/${id}` }, `hit ${i + 1}`)])) : null,
      h('div', { class: 'toolbar' },
        me.role === 'admin' ? h('button', { type: 'button', class: 'primary', onclick: async () => {
          const entries = s.kind === 'entries';
          const question = entries ? `Add ${s.entries.length} key(s) to watchlist ${s.list.alias}? They hide ${s.benign.count + s.unlabelled} hit(s) now.`
            : `Create a suppress rule "${s.expression}"? It hides ${s.benign.count + s.unlabelled} hit(s) now.`;
          if (!(await confirmDialog(question, entries ? 'Add entries' : 'Create rule'))) return;
          try {
            const r = await api(`/suggestions/${s.id}/accept`, { method: 'POST', body: { huntId } });
            announce(entries ? `${r.entries.length} entr${r.entries.length === 1 ? 'y' : 'ies'} in ${s.list.alias}; ${r.reevaluated} hit(s) changed status`
              : `rule created: ${r.rule.name}; ${r.rule.reevaluation.changed} hit(s) changed status`, 'ok', note);
            await load();
          } catch (err) { announce(err.message, 'error', note); }
        } }, s.kind === 'entries' ? 'Add to list' : 'Accept as rule') : null,
        me.role !== 'viewer' ? h('button', { type: 'button', onclick: async () => {
          try { await api(`/suggestions/${s.id}/dismiss`, { method: 'POST', body: { huntId } }); announce('dismissed: it will not be suggested again', 'ok', note); await load(); } catch (err) { announce(err.message, 'error', note); }
        } }, 'Dismiss') : null)))) : h('p', { class: 'muted' }, 'Nothing to suggest: record more verdicts, or everything benign is already excluded.'));
  };
  panel.addEventListener('toggle', () => { if (panel.open) load().catch((err) => announce(err.message, 'error', note)); });
  return panel;
}
