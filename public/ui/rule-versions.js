import { h, when, table, confirmDialog } from './core.js';

const FIELDS = [
  ['name', 'Name'], ['expression', 'Expression'], ['scope', 'Scope'], ['action', 'Action'], ['enabled', 'Enabled'], ['expiresAt', 'Expires'],
  ['description', 'Description'], ['owner', 'Owner'], ['justification', 'Justification'], ['retired', 'Retired'],
];
const show = (v) => (v === null || v === undefined || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Line-level diff of two texts (longest common subsequence): each line kept, removed (-) or added (+). */
function lineDiff(a, b) {
  const x = a.split('\n'), y = b.split('\n');
  const dp = Array.from({ length: x.length + 1 }, () => new Array(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) dp[i][j] = x[i] === y[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out = [];
  let i = 0, j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) { out.push([' ', x[i]]); i++; j++; } else if (j < y.length && (i >= x.length || dp[i][j + 1] >= dp[i + 1][j])) { out.push(['+', y[j]]); j++; } else { out.push(['-', x[i]]); i++; }
  }
  return out;
}

/** Two versions side by side, every field, changed ones marked; the expression also as a line diff. */
function diff(a, b) {
  const rows = FIELDS.map(([k, label]) => {
    const changed = show(a[k]) !== show(b[k]);
    return h('tr', { class: changed ? 'changed' : '' }, h('th', { scope: 'row' }, label, changed ? ' •' : ''), h('td', {}, h('code', {}, show(a[k]))), h('td', {}, h('code', {}, show(b[k]))));
  });
  const lines = lineDiff(a.expression, b.expression);
  return h('div', { class: 'diff' }, table(['Field', `v${a.version} · ${a.updatedBy} · ${when(a.updatedAt)}`, `v${b.version} · ${b.updatedBy} · ${when(b.updatedAt)}`], rows,
    { 'aria-label': `Differences between version ${a.version} and ${b.version}` }),
  lines.some(([m]) => m !== ' ') ? h('pre', { class: 'line-diff', 'aria-label': 'Expression changes' }, lines.map(([m, t]) => h('div', { class: m === '+' ? 'add' : m === '-' ? 'del' : '' }, `${m} ${t}`))) : null);
}

/** The rule's history: compare any two versions, restore an old one as a new version (admins). */
export function versionsPanel(versions, { admin, current, restore }) {
  const pick = (name, selectedIndex) => h('select', { 'aria-label': name },
    versions.map((v, i) => h('option', { value: String(i), selected: i === selectedIndex }, `v${v.version} · ${when(v.updatedAt)}`)));
  const left = pick('Compare version', Math.min(1, versions.length - 1)), right = pick('with version', 0);
  const out = h('div');
  const render = () => {
    const a = versions[Number(left.value)], b = versions[Number(right.value)];
    if (a && b) out.replaceChildren(diff(a, b));
  };
  left.addEventListener('change', render); right.addEventListener('change', render);
  render();
  return h('section', { 'aria-label': 'History' }, h('h3', {}, 'History'),
    table(['Version', 'When', 'Who', 'Enabled', 'Expression', ''], versions.map((v) => h('tr', {},
      h('td', {}, v.version), h('td', {}, when(v.updatedAt)), h('td', {}, v.updatedBy), h('td', {}, v.enabled ? 'yes' : 'no'), h('td', {}, h('code', {}, v.expression)),
      h('td', {}, admin && v.version !== current.version ? h('button', { type: 'button', onclick: async () => {
        if (await confirmDialog(`Restore version ${v.version} as a new version ${current.version + 1}?`, 'Restore')) restore(v);
      } }, `Restore v${v.version}`) : null)))),
    versions.length > 1 ? [h('div', { class: 'toolbar' }, 'Compare ', left, ' with ', right), out] : null);
}
