import { api, h, table, when, setTitle } from './core.js';

const NS = 'http://www.w3.org/2000/svg';
const s = (tag, attrs = {}, ...kids) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of kids) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
};
const STATUS = [['suppressed', 'var(--muted)'], ['flagged', 'var(--warn)'], ['open', 'var(--bad)']];

/** Hits over time, stacked by status: inline SVG, nothing loaded from anywhere. */
function stackedDays(days) {
  const W = 720, H = 180, pad = 24;
  const max = Math.max(1, ...days.map((d) => d.open + d.flagged + d.suppressed));
  const bw = (W - pad) / Math.max(1, days.length);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H + 30}`, role: 'img', 'aria-label': `Hits per day by status over ${days.length} days`, class: 'chart' });
  days.forEach((d, i) => {
    let y = H;
    for (const [k, color] of STATUS) {
      const hgt = (d[k] / max) * (H - 10);
      if (hgt > 0) svg.append(s('rect', { x: pad + i * bw + 1, y: y - hgt, width: Math.max(1, bw - 2), height: hgt, fill: color }, s('title', {}, `${d.day}: ${d[k]} ${k}`)));
      y -= hgt;
    }
    if (i % Math.ceil(days.length / 7) === 0) svg.append(s('text', { x: pad + i * bw, y: H + 16, 'font-size': 11 }, d.day.slice(5)));
  });
  svg.append(s('text', { x: 0, y: 12, 'font-size': 11 }, String(max)));
  return h('figure', {}, svg, h('figcaption', {}, STATUS.map(([k, c]) => h('span', { class: 'legend', style: `--c:${c}` }, k))));
}

/** Horizontal bars with their numbers; also a readable list for screen readers. */
function bars(label, rows) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return h('ul', { class: 'bars', 'aria-label': label }, rows.map((r) => h('li', {}, h('span', { class: 'bar-label' }, r.label),
    h('span', { class: 'bar', style: `width:${Math.round((r.value / max) * 100)}%` }), h('span', { class: 'bar-value' }, r.value.toLocaleString()))));
}

export async function overviewView(search = '') {
  const days = Number(new URLSearchParams(search).get('days') ?? 14);
  const o = await api(`/overview?days=${days}`);
  setTitle('Overview');
  const pick = h('select', { 'aria-label': 'Days', onchange: (e) => { location.hash = `#/overview?days=${e.target.value}`; } },
    [7, 14, 30, 90].map((d) => h('option', { value: d, selected: d === o.days }, `last ${d} days`)));
  return h('div', { class: 'overview' }, h('h2', {}, 'Overview ', pick),
    h('section', {}, h('h3', {}, 'Hits by status'), stackedDays(o.hitsByDay)),
    h('div', { class: 'cols' },
      h('section', {}, h('h3', {}, 'Open queue age'), bars('Open queue by age', o.queueAge.map((q) => ({ label: q.bucket, value: q.count })))),
      h('section', {}, h('h3', {}, 'Top rules by suppressed hits'), o.topRules.length
        ? bars('Rules by suppressed hits', o.topRules.map((r) => ({ label: r.name, value: r.suppressed }))) : h('p', { class: 'muted' }, 'No rule suppresses anything yet.')),
      h('section', {}, h('h3', {}, 'Verdicts per analyst'), o.verdictsByAnalyst.length
        ? table(['Analyst', 'Benign', 'Malicious'], o.verdictsByAnalyst.map((v) => h('tr', {}, h('td', {}, v.analyst), h('td', {}, v.benign), h('td', {}, v.malicious))))
        : h('p', { class: 'muted' }, 'No verdicts in this period.'))),
    h('section', {}, h('h3', {}, 'List entries expiring within 14 days'), o.expiringEntries.length
      ? table(['List', 'Key', 'Expires'], o.expiringEntries.map((e) => h('tr', {}, h('td', {}, h('a', { href: `#/lists/${e.listId}` }, e.alias)),
        h('td', {}, h('code', {}, e.searchKey)), h('td', {}, when(e.expiresAt)))))
      : h('p', { class: 'muted' }, 'Nothing expires soon.')));
}
