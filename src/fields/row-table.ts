import { DEFENDER_TABLES } from '../kusto/analyser.js';
import { normaliseRow, type NormaliseError } from './normalise.js';

const KNOWN = new Set(Object.keys(DEFENDER_TABLES));

/** Columns that exactly one of `tables` has: a row carrying them came from that table. Cached per table set. */
const MARKERS = new Map<string, ReadonlyMap<string, string>>();
function markersOf(tables: readonly string[]): ReadonlyMap<string, string> {
  const id = tables.join('\u0000');
  let markers = MARKERS.get(id);
  if (!markers) {
    const seen = new Map<string, string[]>();
    for (const table of tables) for (const c of DEFENDER_TABLES[table] ?? []) seen.set(c.name, [...(seen.get(c.name) ?? []), table]);
    markers = new Map([...seen].filter(([, ts]) => ts.length === 1).map(([column, [table]]) => [column, table!]));
    MARKERS.set(id, markers);
  }
  return markers;
}
const ALL_TABLES = Object.keys(DEFENDER_TABLES);

// Log Analytics adds `Type` (the source table) to union results; `union withsource=…` names it as asked, and these
// are the names hunting queries use for it.
const SOURCE_COLUMNS = ['Type', 'TableName', 'SourceTable', 'Table', '$table'] as const;

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * The table of a row whose hunt does not name one (a `union`, a `let`-bound source): the source column if the row
 * has one, else the table whose own columns the row carries. Ambiguous or unknown rows get null: no canonical
 * fields, though rules on raw columns still apply.
 */
export function inferTable(raw: Readonly<Record<string, unknown>>, candidates: readonly string[] = []): string | null {
  // A union hunt's own tables are the likely sources: a column unique among them decides, even when some other
  // known table has it too.
  const known = candidates.filter((t) => KNOWN.has(t));
  for (const c of SOURCE_COLUMNS) {
    const v = raw[c];
    if (typeof v === 'string' && KNOWN.has(v) && (!known.length || known.includes(v))) return v;
  }
  const markers = markersOf(known.length > 1 ? known : ALL_TABLES);
  const votes = new Map<string, number>();
  for (const [column, value] of Object.entries(raw)) {
    const table = markers.get(column);
    if (table && present(value)) votes.set(table, (votes.get(table) ?? 0) + 1);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  if (!ranked.length || (ranked.length > 1 && ranked[0]![1] === ranked[1]![1])) return null;
  return ranked[0]![0];
}

/**
 * The table a hit's row comes from: the table the row itself names (a streaming record's category), else the hunt's
 * table when it is a known one, else what the row's columns say. Every path that needs canonical fields asks this.
 */
export function rowTable(huntTable: string | null, ownTable: string | null | undefined, raw: Readonly<Record<string, unknown>>,
  huntTables: readonly string[] = []): string | null {
  if (ownTable) return ownTable;
  if (huntTable && KNOWN.has(huntTable)) return huntTable;
  return inferTable(raw, huntTables);
}

/**
 * The canonical fields of a hit (SPEC §3): one function of (hunt table, row table, raw row), used by ingest,
 * re-evaluation, listing, backtest and the rail, so a suppression never depends on which path last touched a hit.
 * `only`: just these fields (see normaliseRow), for a caller that reads no others.
 */
export function canonicalFields(huntTable: string | null, ownTable: string | null | undefined, raw: Readonly<Record<string, unknown>>,
  huntTables: readonly string[] = [], only?: ReadonlySet<string>):
  { table: string | null; fields: Record<string, unknown>; errors: NormaliseError[] } {
  const table = rowTable(huntTable, ownTable, raw, huntTables);
  if (table === null) return { table, fields: {}, errors: [] };
  return { table, ...normaliseRow(table, raw, only) };
}
