import { RE2JS } from 're2js';
import { FilterError, leaves, type Expr, type Literal } from './ast.js';
import { resolveField, suggestField, type ResolvedField } from './catalog.js';
import IPCIDRModule from 'ip-cidr';
import { parseBlock } from './ip.js';

// ip-cidr is CommonJS; its class arrives wrapped under ESM.
const IPCIDR = ((IPCIDRModule as unknown as { default?: unknown }).default ?? IPCIDRModule) as
  { isValidCIDR(v: string): boolean; isValidAddress(v: string): boolean };

/** Valid for ip-cidr and for Quell's own range arithmetic: both must agree before a value is accepted. */
function validIpValue(v: string): boolean {
  const s = v.trim();
  return (s.includes('/') ? IPCIDR.isValidCIDR(s) : IPCIDR.isValidAddress(s)) && parseBlock(s) !== null;
}

const CIDR_LIKE = /^\s*[0-9a-fA-F:.]+\/\d+\s*$/;
const INT = /^-?\d+$/;

function checkValue(f: ResolvedField, written: string, op: string, v: Literal): FilterError | null {
  const at = (code: string, msg: string) => new FilterError(code, msg, v.range.offset, v.range.length);
  if (op === 'matches') {
    try { RE2JS.compile(v.value, RE2JS.CASE_INSENSITIVE); return null; } catch (e) {
      return at('invalid-regex', `the regular expression does not compile: ${(e as Error).message}`);
    }
  }
  const equality = op === '==' || op === '!=' || op === 'in';
  if (!equality) return null;
  if (f.type === 'ip') {
    if (!validIpValue(v.value)) return at('invalid-ip', `\`${v.value}\` is not a valid IPv4 or IPv6 address or CIDR block`);
    return null;
  }
  if (CIDR_LIKE.test(v.value) && parseBlock(v.value)) {
    return at('cidr-on-non-ip', `\`${v.value}\` is a CIDR block, but ${written} is a ${f.type} field; CIDR matching works on destination.ip and source.ip`);
  }
  if (f.type === 'int' && !INT.test(v.value.trim())) return at('not-an-integer', `${written} is a whole number; \`${v.value}\` is not`);
  if (f.type === 'date' && Number.isNaN(Date.parse(v.value))) return at('not-a-date', `${written} is a date; \`${v.value}\` is not a date`);
  return null;
}

export interface CheckResult { errors: FilterError[]; fields: Map<string, ResolvedField> }

/** Resolves every field and checks every value against its field's type; collects all errors, not just the first. */
export function checkExpression(e: Expr): CheckResult {
  const errors: FilterError[] = [];
  const fields = new Map<string, ResolvedField>();
  for (const leaf of leaves(e)) {
    const f = resolveField(leaf.field.name);
    if (!f) {
      const s = suggestField(leaf.field.name);
      errors.push(new FilterError('unknown-field', `unknown field \`${leaf.field.name}\`${s ? ` — did you mean \`${s}\`?` : ''}`,
        leaf.field.range.offset, leaf.field.range.length));
      continue;
    }
    fields.set(leaf.field.name, f);
    if (leaf.kind === 'compare') {
      const err = checkValue(f, leaf.field.name, leaf.op, leaf.value);
      if (err) errors.push(err);
    } else if (leaf.kind === 'in') {
      for (const v of leaf.values) {
        const err = checkValue(f, leaf.field.name, 'in', v);
        if (err) errors.push(err);
      }
    }
  }
  return { errors, fields };
}
