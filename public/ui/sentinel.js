import { api, h, table, when, announce, formValues } from './core.js';

const runRow = (r) => h('tr', {}, h('td', {}, when(r.startedAt)), h('td', {}, h('span', { class: `pill ${r.status === 'failed' ? 'open' : r.status === 'running' ? 'flagged' : ''}` }, r.status)),
  h('td', {}, r.trigger), h('td', {}, `${r.rows ?? '—'} rows · ${r.inserted ?? 0} new · ${r.merged ?? 0} merged · ${r.rejected ?? 0} rejected`),
  h('td', { class: r.truncated ? 'warn' : '' }, r.truncated ? `truncated: ${r.truncationNote ?? ''}` : ''), h('td', { class: 'error' }, r.error ?? ''),
  h('td', {}, `attempt${r.attempts === 1 ? '' : 's'} ${r.attempts}`));

/** A hunt's scheduled runs from Sentinel: the schedule, the latest runs, and "run now" with its progress. */
export function runsPanel(hunt, me) {
  const note = h('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const body = h('tbody');
  const info = h('p', { class: 'muted' });
  const refresh = async () => {
    const [schedule, runs] = await Promise.all([api(`/hunts/${hunt.id}/schedule`).catch(() => null), api(`/hunts/${hunt.id}/runs?limit=10`)]);
    info.textContent = schedule ? `Runs every ${schedule.intervalMinutes} min over the last ${schedule.lookbackMinutes} min through ${schedule.api}`
      + ` (connection ${schedule.connectionId}); next run ${when(schedule.nextRunAt)}${schedule.enabled ? '' : ' — disabled'}` : 'No schedule: runs come from uploads only.';
    body.replaceChildren(...runs.items.map(runRow));
    return runs.items[0];
  };
  const runNow = async () => {
    try {
      const run = await api(`/hunts/${hunt.id}/runs`, { method: 'POST' });
      announce(`run started (${run.id})`, 'ok', note);
      // Progress: poll until the run is no longer running.
      for (let i = 0; i < 600; i++) {
        const latest = await refresh();
        if (!latest || latest.id !== run.id || latest.status !== 'running') {
          announce(latest ? `run ${latest.status}: ${latest.rows ?? 0} rows, ${latest.inserted ?? 0} new${latest.truncated ? ' (truncated)' : ''}` : 'run finished', latest?.status === 'failed' ? 'error' : 'ok', note);
          return;
        }
        note.textContent = `running… (${i + 1} s)`;
        await new Promise((r) => setTimeout(r, 1000));
      }
    } catch (err) { announce(err.message, 'error', note); }
  };
  const panel = h('details', { class: 'runs' }, h('summary', {}, 'Runs from Sentinel'), info,
    me.role === 'admin' ? h('button', { type: 'button', onclick: runNow }, 'Run now') : null, note,
    table(['Started', 'Status', 'Trigger', 'Rows', 'Truncated', 'Error', 'Attempts'], body, { 'aria-label': `Runs of ${hunt.name}` }));
  panel.addEventListener('toggle', () => { if (panel.open) refresh().catch((err) => announce(err.message, 'error', note)); });
  return panel;
}

/** A list's watchlist sync: targets, a dry run showing the diff, the sync itself, and the month's change budget. */
export function syncPanel(list, me) {
  const note = h('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const out = h('div');
  const show = (r) => out.replaceChildren(...r.results.map((x) => h('div', {}, h('strong', {}, `${x.connectionName} (${x.workspaceName}): ${x.status}`),
    h('p', {}, `create ${x.counts.create}, update ${x.counts.update}, delete ${x.counts.delete}, unchanged ${x.counts.unchanged}; watchlist ${x.watchlist}`
      + `; budget ${x.budget.used.toLocaleString()} of ${x.budget.limit.toLocaleString()} changes used in ${x.budget.month}`),
    x.error ? h('p', { class: 'error' }, x.error) : null)));
  const sync = (dryRun) => async () => {
    try { const r = await api(`/suppression-lists/${list.id}/sync`, { method: 'POST', body: { dryRun } }); show(r); announce(dryRun ? 'dry run: nothing was changed in Sentinel' : `sync ${r.status}`, r.status === 'failed' ? 'error' : 'ok', note); } catch (err) { announce(err.message, 'error', note); }
  };
  const targets = h('div');
  const loadTargets = async () => {
    const [t, conns] = await Promise.all([api(`/suppression-lists/${list.id}/targets`), me.role === 'admin' ? api('/connections').catch(() => ({ items: [] })) : { items: [] }]);
    const form = h('form', { class: 'toolbar' }, conns.items.map((c) => h('label', {}, h('input', { type: 'checkbox', name: c.id, checked: t.targets.some((x) => x.connectionId === c.id) }), ` ${c.name}`)),
      conns.items.length ? h('button', {}, 'Save targets') : h('span', { class: 'muted' }, 'No Sentinel connection yet (admins add them through the API; see README, Connect to Sentinel).'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try { await api(`/suppression-lists/${list.id}/targets`, { method: 'PUT', body: { connectionIds: Object.keys(formValues(form)) } }); announce('targets saved', 'ok', note); } catch (err) { announce(err.message, 'error', note); }
    });
    targets.replaceChildren(h('p', {}, t.targets.length ? `Synced to ${t.targets.map((x) => `${x.connectionName} (${x.workspaceName})`).join(', ')}` : 'Not synced to any workspace.'),
      me.role === 'admin' ? form : null);
  };
  const panel = h('details', { class: 'sync' }, h('summary', {}, 'Sentinel watchlist sync'), targets,
    me.role === 'admin' ? h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: sync(true) }, 'Dry run'), h('button', { type: 'button', class: 'primary', onclick: sync(false) }, 'Sync now')) : null,
    note, out);
  panel.addEventListener('toggle', () => { if (panel.open) loadTargets().catch((err) => announce(err.message, 'error', note)); });
  return panel;
}
