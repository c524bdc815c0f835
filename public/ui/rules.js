import { api, h, table, when, formValues } from './core.js';

export async function rulesView(me) {
  const { items } = await api('/rules');
  return h('div', {}, h('h2', {}, 'Exclusion rules'), me.role === 'admin' ? h('p', {}, h('a', { href: '#/rules/new' }, 'New rule')) : null,
    table(['Name', 'Action', 'Enabled', 'Scope', 'Expression', 'Warnings', 'Version'], items.map((r) => h('tr', {},
      h('td', {}, h('a', { href: `#/rules/${r.id}` }, r.name)), h('td', {}, r.action), h('td', {}, r.enabled ? (r.expired ? 'expired' : 'yes') : 'no'),
      h('td', {}, r.scope.allHunts ? 'all hunts' : `${r.scope.hunts.length} hunt(s)`), h('td', {}, h('code', {}, r.expression)),
      h('td', { class: 'warn' }, r.warnings.map((w) => w.code).join(', ')), h('td', {}, r.version)))));
}

/** The caret line under an expression: `^^^` at each error's offset and length. */
function caret(text, errors) {
  return errors.map((e) => h('div', {}, h('div', { class: 'caret' }, `${' '.repeat(e.offset)}${'^'.repeat(Math.max(1, e.length))}`),
    h('div', { class: 'error' }, `${e.code}: ${e.message}`)));
}

export async function ruleEditor(id, me) {
  const isNew = id === 'new';
  const [{ items: hunts }, rule] = await Promise.all([api('/hunts'), isNew ? null : api(`/rules/${id}`)]);
  const r = rule ?? { name: '', description: '', expression: '', scope: { hunts: [] }, action: 'suppress', enabled: true, expiresAt: null, justification: '' };
  const admin = me.role === 'admin';
  const expr = h('textarea', { name: 'expression', rows: 4, value: r.expression, spellcheck: 'false' });
  const check = h('div');
  const scopeSel = h('select', { name: 'hunts', multiple: true, size: Math.min(6, hunts.length) },
    hunts.map((x) => h('option', { value: x.id, selected: r.scope.allHunts || r.scope.hunts?.includes(x.id) }, x.name)));
  const form = h('form', {},
    h('label', {}, 'Name ', h('input', { name: 'name', value: r.name, size: 50, required: true })),
    h('label', {}, 'Action ', h('select', { name: 'action' }, ['suppress', 'flag'].map((a) => h('option', { value: a, selected: r.action === a }, a)))),
    h('label', {}, h('input', { type: 'checkbox', name: 'enabled', checked: r.enabled }), ' enabled'),
    h('label', {}, 'Expires ', h('input', { type: 'datetime-local', name: 'expiresAt', value: r.expiresAt ? r.expiresAt.slice(0, 16) : '' })),
    h('fieldset', {}, h('legend', {}, 'Scope'), h('label', {}, h('input', { type: 'checkbox', name: 'allHunts', checked: !!r.scope.allHunts }), ' all hunts'), scopeSel),
    h('div', {}, 'Expression', expr), check,
    h('label', {}, 'Description ', h('input', { name: 'description', value: r.description, size: 80 })),
    h('label', {}, 'Justification ', h('input', { name: 'justification', value: r.justification, size: 80 })),
    h('label', {}, h('input', { type: 'checkbox', name: 'force' }), ' force past malicious-verdict hits (needs a justification; audited)'),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: () => backtest() }, 'Backtest'), admin ? h('button', {}, isNew ? 'Create' : `Save (editing v${r.version})`) : null));
  const out = h('div');
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
  const backtest = async () => {
    try {
      const b = await api('/rules/backtest', { method: 'POST', body: { expression: expr.value, scope: scope(), action: formValues(form).action, ...(isNew ? {} : { ruleId: id }) } });
      const list = (title, part) => [h('h4', {}, `${title}: ${part.count}${part.malicious ? ` (${part.malicious} malicious!)` : ''}`),
        h('ul', {}, part.items.map((x) => h('li', {}, h('a', { href: `#/hit/${x.id}` }, x.deviceName ?? x.id), ` ${x.from} → ${x.to}`, x.verdict ? ` · ${x.verdict}` : '')))];
      out.replaceChildren(h('h3', {}, `Backtest over ${b.examined} hits`), ...list('Would suppress', b.wouldSuppress), ...list('Would release', b.wouldRelease),
        ...list('Would flag', b.wouldFlag), ...list('Malicious hits it matches (kept visible)', b.maliciousMatched));
    } catch (err) { out.replaceChildren(h('p', { class: 'error' }, err.message)); }
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const body = { name: v.name, description: v.description, expression: expr.value, scope: scope(), action: v.action, enabled: !!v.enabled,
      expiresAt: v.expiresAt ? new Date(v.expiresAt).toISOString() : null, justification: v.justification, force: !!v.force };
    try {
      const saved = await api(isNew ? '/rules' : `/rules/${id}`, { method: isNew ? 'POST' : 'PUT', body, headers: isNew ? {} : { 'If-Match': String(r.version) } });
      location.hash = `#/rules/${saved.id}`;
      if (!isNew) location.reload();
    } catch (err) { out.replaceChildren(h('p', { class: 'error' }, err.message)); }
  });
  if (r.expression) validate().catch(() => {});
  const history = isNew ? null : (await api(`/rules/${id}/versions`)).items;
  return h('div', {}, h('h2', {}, isNew ? 'New rule' : `Rule: ${r.name}`), form, out,
    history ? [h('h3', {}, 'History'), table(['Version', 'When', 'Who', 'Enabled', 'Expression'], history.map((v) => h('tr', {},
      h('td', {}, v.version), h('td', {}, when(v.updatedAt)), h('td', {}, v.updatedBy), h('td', {}, v.enabled ? 'yes' : 'no'), h('td', {}, h('code', {}, v.expression)))))] : null);
}
