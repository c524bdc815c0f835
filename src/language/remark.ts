import type { FieldCatalog } from './catalog.js';
import { checkRule } from './check.js';
import { parseRule } from './parser.js';

/**
 * A documented filter may end in prose: `… == "msiexec.exe" (if the tool is deployed via MSI)`. When the text does not
 * check but does once a final parenthesised group is removed, and that group is not an expression, the group is a remark.
 */
export function splitTrailingRemark(text: string, catalog: FieldCatalog): { expression: string; remark?: string } {
  const trimmed = text.trim();
  if (checkRule(trimmed, catalog).ok || !trimmed.endsWith(')')) return { expression: trimmed };
  let depth = 0, quote: string | null = null, open = -1;
  for (let i = trimmed.length - 1; i >= 0; i--) {
    const c = trimmed[i];
    if (quote) { if (c === quote && trimmed[i - 1] !== '\\') quote = null; continue; }
    if (c === '"' || c === "'") { quote = c; continue; }
    if (c === ')') depth++;
    else if (c === '(' && --depth === 0) { open = i; break; }
  }
  if (open <= 0) return { expression: trimmed };
  const expression = trimmed.slice(0, open).trim();
  const remark = trimmed.slice(open + 1, -1).trim();
  if (parseRule(remark).ok) return { expression: trimmed };
  return checkRule(expression, catalog).ok ? { expression, remark } : { expression: trimmed };
}
