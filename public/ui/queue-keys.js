export const SHORTCUTS = [
  ['j / k', 'next / previous hit'], ['Shift+j / Shift+k', 'extend the selection down / up'], ['x', 'select or unselect the hit'],
  ['Shift+click', 'select the range from the last selected hit'], ['Enter / o', 'open the hit'],
  ['b', 'benign verdict for the selection (or the hit)'], ['m', 'malicious verdict for the selection (or the hit)'],
  ['/', 'search'], ['?', 'show these shortcuts'],
];

const typing = (t) => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName) || t.closest('dialog[open]'));

/**
 * Keyboard triage over the queue's rows. One listener on the document, removed when the queue leaves the page.
 * The focused row carries `aria-current` and real focus, so screen readers follow it.
 */
export function keyboard({ body, onOpen, onVerdict, onSelect, search }) {
  let current = null, anchor = null, help = () => {};
  const rows = () => [...body.children];
  const box = (tr) => tr.querySelector('input[type=checkbox]');
  function focus(tr) {
    if (current) current.removeAttribute('aria-current');
    current = tr ?? null;
    if (!current) return;
    current.setAttribute('aria-current', 'true');
    current.focus({ preventScroll: true });
    current.scrollIntoView({ block: 'nearest' });
  }
  const move = (step, extend) => {
    const all = rows();
    if (!all.length) return;
    const i = current ? all.indexOf(current) : -1;
    const next = all[Math.max(0, Math.min(all.length - 1, i + step))];
    if (extend) {
      anchor ??= current ?? next;
      selectRange(anchor, next);
    }
    focus(next);
  };
  function selectRange(a, b) {
    const all = rows();
    const [from, to] = [all.indexOf(a), all.indexOf(b)].sort((x, y) => x - y);
    for (let k = from; k <= to; k++) box(all[k]).checked = true;
    onSelect();
  }
  const onKey = (e) => {
    if (!body.isConnected) { document.removeEventListener('keydown', onKey); return; }
    if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key;
    if (k === 'j' || k === 'J') { move(1, e.shiftKey); } else if (k === 'k' || k === 'K') { move(-1, e.shiftKey); }
    else if (k === 'x' && current) { box(current).checked = !box(current).checked; anchor = current; onSelect(); }
    else if ((k === 'Enter' || k === 'o') && current) onOpen(current);
    else if (k === 'b') onVerdict('benign');
    else if (k === 'm') onVerdict('malicious');
    else if (k === '/') search()?.focus();
    else if (k === '?') help();
    else return;
    e.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  body.addEventListener('click', (e) => {
    const tr = e.target.closest('tr');
    if (!tr) return;
    if (e.target.matches('input[type=checkbox]')) {
      if (e.shiftKey && anchor && anchor !== tr) selectRange(anchor, tr);
      anchor = tr;
    }
    focus(tr);
  });
  return {
    focus,
    focused: () => (current?.isConnected ? current : null),
    /** The row to focus once `ids` leave: the first row after the last of them, else the one before. */
    nextAfter(ids) {
      const all = rows();
      const idx = all.map((tr, i) => (ids.includes(tr.dataset.id) ? i : -1)).filter((i) => i >= 0);
      if (!idx.length) return current;
      const after = all.slice(Math.max(...idx) + 1).find((tr) => !ids.includes(tr.dataset.id));
      return after ?? all.slice(0, Math.min(...idx)).reverse().find((tr) => !ids.includes(tr.dataset.id)) ?? null;
    },
    onHelp(fn) { help = fn; },
  };
}
