import { h } from './core.js';

export const CLASSIFICATIONS = {
  malicious: [['TruePositive', 'SuspiciousActivity'], ['Undetermined', '']],
  benign: [['BenignPositive', 'SuspiciousButExpected'], ['FalsePositive', 'IncorrectAlertLogic'], ['FalsePositive', 'InaccurateData'], ['Undetermined', '']],
};

// What the analyst chose last: the next verdict form starts from it (triage is a run of similar decisions).
const last = { verdict: 'benign', choice: 'BenignPositive|SuspiciousButExpected', comment: '', listId: '' };

/** The verdict, classification, comment and list fields, pre-filled from the last decision (or `verdict`). */
export function verdictFields(lists, verdict = last.verdict) {
  const choice = h('select', { name: 'choice', 'aria-label': 'Classification' });
  const fill = (v) => {
    choice.replaceChildren(...CLASSIFICATIONS[v].map(([c, r]) => h('option', { value: `${c}|${r}` }, r ? `${c} · ${r}` : c)));
    if ([...choice.options].some((o) => o.value === last.choice)) choice.value = last.choice;
  };
  const select = h('select', { name: 'verdict', 'aria-label': 'Verdict', onchange: (e) => fill(e.target.value) },
    h('option', { value: 'benign' }, 'benign'), h('option', { value: 'malicious' }, 'malicious'));
  select.value = verdict;
  fill(verdict);
  const listSel = lists.length ? h('select', { name: 'listId', 'aria-label': 'Suppression list' }, h('option', { value: '' }, '— no list —'),
    lists.map((l) => h('option', { value: l.id, selected: l.id === last.listId }, l.alias))) : null;
  return [h('label', {}, 'Verdict ', select), h('label', {}, 'Classification ', choice),
    h('label', {}, 'Comment ', h('input', { name: 'comment', size: 40, required: true, value: last.comment, 'aria-label': 'Comment' })),
    listSel ? h('label', {}, 'Suppress key in ', listSel) : null];
}

/** The API body for the form's values; remembers them for the next form. */
export function decision(v) {
  Object.assign(last, { verdict: v.verdict, choice: v.choice, comment: v.comment, listId: v.listId ?? '' });
  const [classification, reason] = v.choice.split('|');
  return { verdict: v.verdict, classification, ...(reason ? { classificationReason: reason } : {}), comment: v.comment,
    ...(v.listId && v.verdict === 'benign' ? { suppress: { listId: v.listId } } : {}) };
}

/** What a recorded verdict did beyond the verdict itself, in words (revoked entries re-open hits: say so loudly). */
export function outcome(r, count = 1) {
  const parts = [`recorded ${count} verdict${count === 1 ? '' : 's'}`];
  if (r.entry || r.entriesAdded) parts.push(r.entry ? `key added to the list (${r.entry.status})` : `${r.entriesAdded} key(s) added to the list`);
  if (r.revokedEntries?.length) parts.push(`${r.revokedEntries.length} list entr${r.revokedEntries.length === 1 ? 'y' : 'ies'} with this key revoked — the hits they suppressed are back in the queue`);
  if (r.reevaluated) parts.push(`${r.reevaluated} hit(s) re-evaluated`);
  return parts.join('; ');
}
