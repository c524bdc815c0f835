import { api, h, table, when, formValues, announce, setTitle, confirmDialog } from './core.js';
import { versionsPanel } from './rule-versions.js';

export async function rulesView(me) {
  const { items } = await api('/rules');
  setTitle('Rules');
  return h('div', {}, h('h2', {}, 'Exclusion rules'), me.role === 'admin' ? h('p', {}, h('a', { href: '#/rules/new' }, 'New rule')) : null,
    table(['Name', 'Action', 'Enabled', 'Scope', 'Expression', 'Warnings', 'Version'], items.map((r) => h('tr', {},
      h('td', {}, h('a', { href: `#/rules/${r.id}` }, r.name)), h('td', {}, r.action), h('td', {}, r.enabled ? (r.expired ? 'expired' : 'yes') : 'no'),
      h('td', {}, r.scope.allHunts ? 'all hunts' : `${r.scope.hunts.length} hunt(s)`), h('td', {}, h('code', {}, r.expression)),
      h('td', { class: 'warn' }, r.warnings.map((w) => w.code).join(', ')), h('td', {}, r.version)))));
}

/** Each error under its own line of the expression, the caret under the right character (multi-line expressions too). */
function caret(text, errors) {
  const lines = text.split(/\r?\n/);
  return errors.map((e) => {
    const line = e.line ?? 1, column = e.column ?? e.offset + 1;
    const src = lines[line - 1] ?? '';
    const width = Math.max(1, Math.min(e.length, src.length - column + 1));
    return h('div', { class: 'expr-error' }, lines.length > 1 ? h('div', { class: 'muted' }, `line ${line}, column ${column}`) : null,
      h('pre', { class: 'caret-src' }, src), h('div', { class: 'caret', 'aria-hidden': 'true' }, `${' '.repeat(column - 1)}${'^'.repeat(width)}`),
      h('div', { class: 'error' }, e.message));
  });
}

export async function ruleEditor(id, me) {
  const isNew = id === 'new';
  const [{ items: hunts }, rule] = await Promise.all([api('/hunts'), isNew ? null : api(`/rules/${id}`)]);
  const r = rule ?? { name: '', description: '', expression: '', scope: { hunts: [] }, action: 'suppress', enabled: true, expiresAt: null, justification: '' };
  setTitle(isNew ? 'New rule' : `Rule ${r.name}`);
  const admin = me.role === 'admin';
  const expr = h('textarea', { name: 'expression', rows: 4, value: r.expression, spellcheck: 'false', 'aria-label': 'Expression', 'aria-describedby': 'expr-check' });
  const check = h('div', { id: 'expr-check', 'aria-live': 'polite' });
  const scopeSel = h('select', { name: 'hunts', multiple: true, size: Math.min(6, hunts.length), 'aria-label': 'Hunts in scope' },
    hunts.map((x) => h('option', { value: x.id, selected: r.scope.allHunts || r.scope.hunts?.includes(x.id) }, x.name)));
  const form = h('form', {},
    h('label', {}, 'Name ', h('input', { name: 'name', value: r.name, size: 50, required: true })),
    h('label', {}, 'Action ', h('select', { name: 'action' }, ['suppress', 'flag'].map((a) => h('option', { value: a, selected: r.action === a }, a)))),
    h('label', {}, h('input', { type: 'checkbox', name: 'enabled', checked: r.enabled }), ' enabled'),
    h('label', {}, 'Expires ', h('input', { type: 'datetime-local', name: 'expiresAt', value: r.expiresAt ? r.expiresAt.slice(0, 16) : '' })),
    h('fieldset', {}, h('legend', {}, 'Scope'), h('label', {}, h('input', { type: 'checkbox', name: 'allHunts', checked: !!r.scope.allHunts }), ' all hunts'), scopeSel),
    h('label', { class: 'block' }, 'Expression', expr), check,
    h('label', {}, 'Description ', h('input', { name: 'description', value: r.description, size: 80 })),
    h('label', {}, 'Justification ', h('input', { name: 'justification', value: r.justification, size: 80 })),
    h('label', {}, h('input', { type: 'checkbox', name: 'force' }),
      ' save even though it matches hits with a malicious verdict (needs a justification; audited). Quell keeps those hits visible, but the tuned KQL for Sentinel will exclude them.'),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: () => backtest(50) }, 'Backtest'),
      admin ? h('button', { class: 'primary' }, isNew ? 'Create' : `Save (editing v${r.version})`) : null,
      admin && !isNew && !r.retired ? h('button', { type: 'button', class: 'danger', onclick: () => retire() }, 'Retire') : null));
  const out = h('div', { 'aria-live': 'polite' });
  const scope = () => {
    const v = formValues(form);
    return v.allHunts ? { allHunts: true } : { hunts: [...scopeSel.selectedOptions].map((o) => o.value) };
  };
  let timer;
  const validate = async () => {
    const s = scope();
    const v = await api('/rules/validate', { method: 'POST', body: { expression: expr.value, ...(s.allHunts || s.hunts.length ? { scope: s } : {}) } });
    check.replaceChildren(...(v.ok ? [h('p', { class: 'ok' }, `valid · fields: ${v.fields.map((f) => f.resolved).join(', ')}`)] : caret(expr.value, v.errors)),
      ...v.warnings.map((w) => h('p', { class: 'warn' }, `${w.code}: ${w.message}`)),
      ...Object.entries(v.kql ?? {}).map(([t, k]) => h('details', {}, h('summary', {}, `KQL for ${t}`), h('pre', {}, typeof k === 'string' ? k : `not compilable: ${k.notCompilable}`))));
  };
  expr.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => validate().catch(() => {}), 250); });
  const backtest = async (limit) => {
    try {
      const b = await api('/rules/backtest', { method: 'POST', body: { expression: expr.value, scope: scope(), action: formValues(form).action, limit, ...(isNew ? {} : { ruleId: id }) } });
      const list = (title, part) => [h('h4', {}, `${title}: ${part.count}${part.malicious ? ` (${part.malicious} malicious!)` : ''}`,
        part.count > part.items.length ? h('span', { class: 'muted' }, ` — showing ${part.items.length} of ${part.count}`) : ''),
      h('ul', {}, part.items.map((x) => h('li', {}, h('a', { href: `#/hit/${x.id}` }, x.deviceName ?? x.id), ` ${x.from} → ${x.to}`, x.verdict ? ` · ${x.verdict}` : '')))];
      const parts = [b.wouldSuppress, b.wouldRelease, b.wouldFlag, b.maliciousMatched];
      const truncated = parts.some((p) => p.count > p.items.length);
      out.replaceChildren(h('h3', {}, `Backtest over ${b.examined} hits`), ...list('Would suppress', b.wouldSuppress), ...list('Would release', b.wouldRelease),
        ...list('Would flag', b.wouldFlag), ...list('Malicious hits it matches (kept visible)', b.maliciousMatched),
        truncated && limit < 500 ? h('button', { type: 'button', onclick: () => backtest(500) }, 'Show up to 500 of each') : null);
    } catch (err) { out.replaceChildren(h('p', { class: 'error' }, err.message)); }
  };
  const refused = (err) => {
    const hits = err.problem?.maliciousHits ?? [];
    return h('div', { class: 'error', role: 'alert' }, h('p', {}, err.message),
      hits.length ? h('ul', {}, hits.map((x) => h('li', {}, h('a', { href: `#/hit/${x.id}` }, `hit ${x.id}`)))) : null);
  };
  const save = async (body, version) => {
    const saved = await api(version ? `/rules/${id}` : '/rules', { method: version ? 'PUT' : 'POST', body, headers: version ? { 'If-Match': String(version) } : {} });
    announce(`saved version ${saved.version}: ${saved.reevaluation.changed} hit(s) changed status`);
    location.hash = `#/rules/${saved.id}`;
    if (version) location.reload();
  };
  const retire = async () => {
    if (!(await confirmDialog(`Retire "${r.name}"? It stops applying now; its history stays readable.`, 'Retire'))) return;
    try { await api(`/rules/${id}`, { method: 'DELETE', headers: { 'If-Match': String(r.version) } }); location.reload(); } catch (err) { out.replaceChildren(refused(err)); }
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    // The owner is kept as it is: saving an edit does not make the editor the owner.
    const body = { name: v.name, description: v.description, expression: expr.value, scope: scope(), action: v.action, enabled: !!v.enabled,
      expiresAt: v.expiresAt ? new Date(v.expiresAt).toISOString() : null, justification: v.justification, force: !!v.force,
      ...(r.owner ? { owner: r.owner } : {}) };
    try { await save(body, isNew ? null : r.version); } catch (err) { out.replaceChildren(refused(err)); }
  });
  if (r.expression) validate().catch(() => {});
  const versions = isNew ? null : (await api(`/rules/${id}/versions`)).items;
  return h('div', {}, h('h2', {}, isNew ? 'New rule' : `Rule: ${r.name}`, r.retired ? h('span', { class: 'pill' }, ' retired') : ''), form, out,
    versions ? versionsPanel(versions, { admin, current: r, restore: (v) => save({ ...v, force: false }, r.version).catch((err) => out.replaceChildren(refused(err))) }) : null);
}
