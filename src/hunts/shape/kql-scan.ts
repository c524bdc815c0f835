// A small lexical pass over KQL: which characters are code at nesting depth 0, outside strings and comments.
// Enough to find statements, pipes and the `by` clause without a full parser, and robust on queries that do not parse.

export interface Scan {
  /** The text with string contents and comments replaced by spaces (same length, same offsets). */
  code: string;
  /** Bracket depth at each offset. */
  depth: Int32Array;
}

export function scanKql(text: string): Scan {
  const code = text.split('');
  const depth = new Int32Array(text.length + 1);
  let d = 0;
  let i = 0;
  const blank = (from: number, to: number) => { for (let k = from; k < to; k++) if (code[k] !== '\n') code[k] = ' '; };
  while (i < text.length) {
    depth[i] = d;
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      for (let k = i; k < stop; k++) depth[k] = d;
      i = stop;
      continue;
    }
    if (c === '`' && text.startsWith('```', i)) {
      const end = text.indexOf('```', i + 3);
      const stop = end < 0 ? text.length : end + 3;
      blank(i + 1, stop - 1);
      for (let k = i; k < stop; k++) depth[k] = d;
      i = stop;
      continue;
    }
    const verbatim = (c === '@' && (text[i + 1] === '"' || text[i + 1] === "'"));
    if (c === '"' || c === "'" || verbatim) {
      const q = verbatim ? text[i + 1]! : c;
      let k = i + (verbatim ? 2 : 1);
      while (k < text.length) {
        if (!verbatim && text[k] === '\\') { k += 2; continue; }
        if (text[k] === q) { if (verbatim && text[k + 1] === q) { k += 2; continue; } break; }
        if (text[k] === '\n' && !verbatim) break;
        k++;
      }
      const stop = Math.min(k + 1, text.length);
      blank(i + (verbatim ? 2 : 1), stop - 1);
      for (let m = i; m < stop; m++) depth[m] = d;
      i = stop;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') d++;
    else if (c === ')' || c === ']' || c === '}') { d = Math.max(0, d - 1); depth[i] = d; }
    i++;
  }
  depth[text.length] = d;
  return { code: code.join(''), depth };
}

/** Offsets of `ch` at depth 0 in code between from and to. */
export function topLevel(scan: Scan, ch: string, from = 0, to = scan.code.length): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) if (scan.code[i] === ch && scan.depth[i] === 0) out.push(i);
  return out;
}
