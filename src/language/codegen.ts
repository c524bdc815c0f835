// The evaluator's test() on prepared hits, as one generated JavaScript function per rule. A tree of closures shares
// its code, and so V8's call feedback, between every node of every rule: each node is an indirect call that is not
// inlined. A function of its own per rule evaluates and / or / not in straight-line code, each leaf comparing a
// prepared form (PreparedHit.text / ip / value, inlined) with the rule's values.
//
// What becomes code is built from the checked tree only: slot numbers, operator negation as `!`, and names of the
// constants array. No text of the rule becomes code: literal values, matchers and address sets are passed in as
// constants. Where code cannot be generated (a runtime that forbids it, or a rule too large for the engine to optimise
// anyway) there is no generated test and the evaluator keeps its closure tree.
import { checkedLeaves, type Checked, type CheckedLeaf, type Comparison } from './check.js';
import type { Tri } from './evaluate.js';
import { IpSet, type Ip } from './ip.js';
import { absent, reader, type HitView } from './hit.js';
import { equalsLower, type Matcher } from './operators.js';
import { slotOf, type Form, type PreparedHit } from './prepared.js';

export type PreparedTest = (p: PreparedHit) => Tri;

/** Rules with more clauses than this keep the closure tree: V8 does not optimise very large functions anyway. */
export const MAX_GENERATED_LEAVES = 256;

/**
 * Multi-valued fields: a comparison holds if it holds for any present element, a negation if none does; a list with
 * no present element is unknown. Prepared text and address lists hold present elements only; value lists do not.
 */
function anyElement(v: readonly unknown[], match: Matcher, negated: boolean): Tri {
  let present = false;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === undefined || x === null || x === '' || (Array.isArray(x) && x.length === 0)) continue;
    if (match(x)) return !negated;
    present = true;
  }
  return present ? negated : null;
}

export function matcherOf(c: Comparison): Matcher {
  switch (c.family) {
    case 'equality': return c.op.match(c.operand);
    case 'text': return c.op.match(c.value);
    case 'regex': return c.op.match(c.value);
  }
}

/** The test of one folded string for a text comparison (`==` … `not in` on text, contains, startswith, endswith). */
function foldedMatcher(c: Comparison): ((t: string) => boolean) | null {
  if (c.family === 'text') return c.op.matchFolded(c.value);
  if (c.family !== 'equality' || c.operand.type !== 'text') return null;
  const values = c.operand.values;
  if (values.length === 1) { const lit = values[0].lower; return (t) => t === lit; }
  const set = new Set(values.map((v) => v.lower));
  return (t) => set.has(t);
}

const ipMatcher = (set: IpSet): Matcher => (a) => (typeof a === 'number' ? a >= 0 && set.has4(a) : set.has(a as Ip));

/** The prepared form a leaf compares. */
function formOf(x: CheckedLeaf): Form {
  if (x.kind === 'exists') return 'value';
  if (x.family === 'equality' && x.operand.type === 'ip') return 'ip';
  return foldedMatcher(x) ? 'text' : 'value';
}

/** The forms a rule reads, by slot: what prepareHit(hit, rules) computes up front. */
export type Reads = readonly { slot: number; form: Form }[];

export function readsOf(expr: Checked): Reads {
  const seen = new Set<string>();
  const reads: { slot: number; form: Form }[] = [];
  for (const leaf of checkedLeaves(expr)) {
    const slot = slotOf(leaf.field.resolved), form = formOf(leaf);
    if (!seen.has(`${slot} ${form}`)) { seen.add(`${slot} ${form}`); reads.push({ slot, form }); }
  }
  return reads;
}

/** What a generated test takes: a hit as it is, or a prepared one. */
type Input = 'raw' | 'prepared';

class Emitter {
  readonly consts: unknown[] = [];
  readonly lines: string[] = [];
  private temps = 0;

  constructor(private readonly input: Input) {}

  private constant(x: unknown): string {
    this.consts.push(x);
    return `c${this.consts.length - 1}`;
  }

  private temp(): string {
    return `r${this.temps++}`;
  }

  get tempNames(): string[] {
    return Array.from({ length: this.temps }, (_, i) => `r${i}`);
  }

  /**
   * The leaf's field: on a prepared hit its form by slot (`h.text(3)`); on a hit the value itself, read with the
   * catalog's name as a constant key (JSON.stringify quotes it as an inert string literal), so that V8 caches the
   * lookup per clause instead of once for all fields.
   */
  private read(x: CheckedLeaf): string {
    const f = x.field.resolved;
    if (this.input === 'prepared') return `h.${formOf(x)}(${slotOf(f)})`;
    if (f.aliases?.length) return `${this.constant(reader(f))}(h)`;
    return f.kind === 'canonical' ? `h.fields[${JSON.stringify(f.name)}]` : `h.raw?.[${JSON.stringify(f.name)}]`;
  }

  /** Emits the statements computing `x` and returns the name of the variable that holds its Tri. */
  emit(x: Checked): string {
    const out = this.temp();
    switch (x.kind) {
      case 'and': case 'or': {
        // Short-circuit as three-valued logic allows: false decides an and, true an or; unknown does not.
        const a = this.emit(x.left);
        const [decides, other] = x.kind === 'and' ? ['false', 'true'] : ['true', 'false'];
        this.lines.push(`if (${a} === ${decides}) ${out} = ${decides}; else {`);
        const b = this.emit(x.right);
        this.lines.push(`${out} = ${b} === ${decides} ? ${decides} : ${a} === null || ${b} === null ? null : ${other}; }`);
        return out;
      }
      case 'not': {
        const a = this.emit(x.operand);
        this.lines.push(`${out} = ${a} === null ? null : !${a};`);
        return out;
      }
      case 'exists':
        this.lines.push(this.input === 'prepared' ? `${out} = ${this.read(x)} !== null;` : `${out} = EXISTS(${this.read(x)});`);
        return out;
      case 'compare':
        this.lines.push(...(this.input === 'prepared' ? this.comparePrepared(x, out) : this.compareRaw(x, out)));
        return out;
    }
  }

  /** A comparison on a hit as it is: absent is unknown, a list goes through anyElement, a scalar is tested inline. */
  private compareRaw(c: Comparison, out: string): string[] {
    const not = c.op.negated ? '!' : '';
    const m = this.constant(matcherOf(c));
    let one = `${m}(v)`;
    if (c.family === 'equality' && c.operand.type === 'ip') {
      one = `(typeof v === 'string' && ${this.constant(new IpSet(c.operand.values.map((v) => v.block)))}.hasText(v))`;
    } else if (c.family === 'equality' && c.operand.type === 'text' && c.operand.values.length === 1) {
      one = `(typeof v === 'string' ? EQ(v, ${this.constant(c.operand.values[0].lower)}) : ${m}(v))`;
    }
    return [
      `v = ${this.read(c)};`,
      `if (v === undefined || v === null || v === '') ${out} = null;`,
      `else if (Array.isArray(v)) ${out} = ANY(v, ${m}, ${c.op.negated});`,
      `else ${out} = ${not}${one};`,
    ];
  }

  /** A comparison over the prepared form it compares: the scalar case inline, a list through anyElement. */
  private comparePrepared(c: Comparison, out: string): string[] {
    const not = c.op.negated ? '!' : '';
    const neg = String(c.op.negated);
    if (c.family === 'equality' && c.operand.type === 'ip') {
      const ips = new IpSet(c.operand.values.map((v) => v.block));
      const set = this.constant(ips);
      return [
        `v = ${this.read(c)};`,
        `if (v === null) ${out} = null;`,
        `else if (typeof v === 'number') ${out} = ${not}(v >= 0 && ${set}.has4(v));`,
        `else if (Array.isArray(v)) ${out} = ANY(v, ${this.constant(ipMatcher(ips))}, ${neg});`,
        `else ${out} = ${not}${set}.has(v);`,
      ];
    }
    const folded = foldedMatcher(c);
    if (folded) {
      // One text value: compare the folded strings right here, the commonest clause of all.
      const lit = c.family === 'equality' && c.operand.type === 'text' && c.operand.values.length === 1 ? c.operand.values[0].lower : null;
      const one = lit !== null ? `v === ${this.constant(lit)}` : `${this.constant(folded)}(v)`;
      return [
        `v = ${this.read(c)};`,
        `if (v === null) ${out} = null;`,
        `else if (typeof v === 'string') ${out} = ${not}(${one});`,
        `else ${out} = ANY(v, ${this.constant(folded)}, ${neg});`,
      ];
    }
    const m = this.constant(matcherOf(c));
    return [
      `v = ${this.read(c)};`,
      `if (v === null) ${out} = null;`,
      `else if (Array.isArray(v)) ${out} = ANY(v, ${m}, ${neg});`,
      `else ${out} = ${not}${m}(v);`,
    ];
  }
}

const presentElement = (x: unknown) => !absent(x);
/** exists(f) on a hit as it is: present, and for a list at least one present element. */
const exists = (v: unknown) => !absent(v) && (!Array.isArray(v) || v.some(presentElement));

/** Whether the tree has more than `max` leaves; a loop, not recursion, as a long chain of `or` is a deep tree. */
function moreLeavesThan(expr: Checked, max: number): boolean {
  const todo = [expr];
  let leaves = 0;
  while (todo.length) {
    const x = todo.pop()!;
    if (x.kind === 'and' || x.kind === 'or') todo.push(x.left, x.right);
    else if (x.kind === 'not') todo.push(x.operand);
    else if (++leaves > max) return true;
  }
  return false;
}

export type RawTest = (h: HitView) => Tri;

/** The rule's tests, for hits as they are and for prepared hits, or null when none can be generated. */
export function generateTests(expr: Checked): { raw: RawTest; prepared: PreparedTest } | null {
  if (moreLeavesThan(expr, MAX_GENERATED_LEAVES)) return null;
  try {
    return { raw: generate(expr, 'raw') as RawTest, prepared: generate(expr, 'prepared') as PreparedTest };
  } catch {
    return null; // e.g. node --disallow-code-generation-from-strings
  }
}

function generate(expr: Checked, input: Input): (h: never) => Tri {
  const e = new Emitter(input);
  const result = e.emit(expr);
  const consts = e.consts.map((_, i) => `c${i} = C[${i}]`);
  const source = [
    consts.length ? `const ${consts.join(', ')};` : '',
    'return function test(h) {',
    `let v, ${e.tempNames.join(', ')};`,
    ...e.lines,
    `return ${result};`,
    '};',
  ].join('\n');
  return new Function('C', 'ANY', 'EQ', 'EXISTS', source)(e.consts, anyElement, equalsLower, exists);
}
