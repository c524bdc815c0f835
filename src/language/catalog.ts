/**
 * What the language needs to know about fields, and nothing more: the language is table-agnostic, and a catalog
 * (Quell's is `src/fields/catalog.ts`) says which names exist, what type each has and where it can be present.
 */

/** The value types the language compares by. `string[]` is multi-valued: a comparison holds if it holds for any element. */
export type FieldType = 'string' | 'string[]' | 'ip' | 'int' | 'date';

export interface ResolvedField {
  /** `canonical`: read from `hit.fields[name]`; `raw`: read from `hit.raw[name]` (then `aliases`, in order). */
  readonly kind: 'canonical' | 'raw';
  /** The name as the catalog spells it (field names are case-insensitive in rules). */
  readonly name: string;
  readonly type: FieldType;
  /** Raw keys that stand in when `name` is absent from the row (Sentinel's `TimeGenerated` for `Timestamp`). */
  readonly aliases?: readonly string[];
}

export interface FieldCatalog {
  /** The field a name written in a rule refers to, or null when there is none. */
  resolve(written: string): ResolvedField | null;
  /** The closest known name, for "did you mean", or null when nothing is close. */
  suggest(written: string): string | null;
  /** Whether rows of a table can carry the field (lint: a comparison the scope's tables never satisfy). */
  presentIn(field: ResolvedField, table: string): boolean;
}
