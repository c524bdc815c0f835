import { api, h, table, announce, setTitle, downloadText, upload } from './core.js';
import { runsPanel } from './sentinel.js';

const SEVERITY = { Error: 'error', Warning: 'warn', Suggestion: 'muted', Information: 'muted' };
const severityOf = (w) => SEVERITY[w.severity] ?? 'warn';

/** Query diagnostics, errors first: a truly broken query must stand out from the informational ones. */
function warnings(list) {
  const sorted = [...list].sort((a, b) => (severityOf(a) === 'error' ? 0 : 1) - (severityOf(b) === 'error' ? 0 : 1));
  return sorted.map((w) => h('div', { class: severityOf(w) }, h('strong', {}, `${w.severity} `), `line ${w.line}:${w.column} ${w.message}`));
}

/** Upload of a results file for one hunt: file picker or drag-and-drop, with a progress bar and the ingest result. */
function uploader(hunt) {
  const bar = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': `Upload progress for ${hunt.name}` });
  const note = h('span', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const typeOf = (f) => (/\.csv$/i.test(f.name) ? 'text/csv' : /\.(ndjson|jsonl)$/i.test(f.name) ? 'application/x-ndjson' : 'application/json');
  const send = async (file) => {
    bar.hidden = false; bar.value = 0;
    try {
      const r = await upload(`/hunts/${hunt.id}/hits`, file, typeOf(file), (p) => { bar.value = p; });
      announce(`${file.name}: ${r.received} rows, ${r.inserted} new, ${r.merged} merged, ${r.rejected.length} rejected; `
        + `${r.open} open, ${r.flagged} flagged, ${r.suppressed} suppressed`, r.rejected.length ? 'warn' : 'ok', note);
    } catch (err) { announce(`${file.name}: ${err.message}`, 'error', note); } finally { bar.hidden = true; }
  };
  const picker = h('input', { type: 'file', accept: '.json,.csv,.ndjson,.jsonl', 'aria-label': `Upload hits for ${hunt.name}`, onchange: (e) => { if (e.target.files[0]) send(e.target.files[0]); } });
  const zone = h('div', { class: 'dropzone', 'data-hunt': hunt.id }, 'Drop a results file here (JSON, NDJSON, CSV) or ', picker, bar, note);
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => { e.preventDefault(); zone.classList.remove('over'); if (e.dataTransfer.files[0]) send(e.dataTransfer.files[0]); });
  return zone;
}

export async function huntsView(me) {
  setTitle('Hunts');
  const body = h('tbody');
  const tuned = h('div');
  const note = h('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const showTuned = async (id) => {
    const t = await api(`/hunts/${id}/tuned-query`);
    tuned.replaceChildren(h('h3', {}, 'Tuned query'), t.addedDiagnostics.length ? h('p', { class: 'error' }, 'the tuned query adds diagnostics') : h('p', { class: 'ok' }, 'analysed: adds no diagnostic'),
      h('pre', {}, t.kql), h('button', { type: 'button', onclick: () => downloadText(`${id}.kql`, t.kql) }, 'Download'));
  };
  const refresh = async () => {
    const { items } = await api('/hunts');
    body.replaceChildren(...items.map((x) => h('tr', {},
      h('td', {}, x.name, h('br'), h('small', {}, `${x.id} · v${x.version}`)), h('td', {}, x.table ?? '—'), h('td', {}, x.groupKeys.join(', ')),
      h('td', {}, x.counts.open), h('td', {}, x.counts.flagged), h('td', {}, x.counts.suppressed),
      h('td', {}, warnings(x.warnings)),
      h('td', {}, x.scenarios.map((s) => h('div', {}, s.title, ' — ', h('code', {}, s.filterText)))),
      h('td', {}, h('button', { type: 'button', onclick: () => showTuned(x.id).catch((err) => announce(err.message, 'error', note)) }, 'Tuned query'),
        me.role !== 'viewer' ? uploader(x) : null, runsPanel(x, me)))));
  };
  await refresh();
  const doc = h('textarea', { rows: 8, placeholder: 'Sentinel hunting-query YAML, JSON, or an enriched rule page', 'aria-label': 'Hunt document' });
  const imp = me.role === 'admin' ? h('form', {}, h('h3', {}, 'Import a hunt'), doc, h('button', { class: 'primary' }, 'Import')) : null;
  imp?.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await api('/hunts', { method: 'POST', body: doc.value, headers: { 'Content-Type': 'text/plain' } });
      await refresh();
      const errors = r.warnings.filter((w) => severityOf(w) === 'error').length;
      announce(`${r.created ? 'imported' : r.changed ? `updated to version ${r.version}` : 'unchanged'}: ${r.name}`
        + (r.warnings.length ? ` — ${r.warnings.length} query diagnostic(s)${errors ? `, ${errors} error(s): the query is broken` : ''}` : ''), errors ? 'warn' : 'ok', note);
    } catch (err) { announce(err.message, 'error', note); }
  });
  return h('div', {}, h('h2', {}, 'Hunts'),
    table(['Hunt', 'Table', 'Group keys', 'Open', 'Flagged', 'Suppressed', 'Query diagnostics', 'Scenarios', ''], body, { 'aria-label': 'Hunts' }),
    note, tuned, imp);
}
