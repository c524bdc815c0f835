import { createRequire } from 'node:module';
import defenderTables from './defender-tables.json' with { type: 'json' };

// Microsoft's Kusto.Language compiled to JavaScript (Bridge.NET). Loading it defines a global
// `Kusto`; it is loaded lazily because it costs about a second on first use.
const require = createRequire(import.meta.url);

export interface KqlDiagnostic {
  code: string;
  severity: string;
  message: string;
  /** 0-based offset into the query text, and length in characters. */
  start: number;
  length: number;
  /** 1-based line and column of `start`. */
  line: number;
  column: number;
}

export type ColumnType = 'datetime' | 'string' | 'int' | 'long' | 'bool' | 'dynamic' | 'real';
export interface TableColumn { name: string; type: ColumnType }

/** Columns of the Defender XDR advanced-hunting tables Quell knows, by table name. */
export const DEFENDER_TABLES: Readonly<Record<string, readonly TableColumn[]>> =
  defenderTables.tables as Record<string, TableColumn[]>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
let kusto: Any;
let globals: Any;

function language(): Any {
  if (!kusto) {
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    kusto = (globalThis as Any).Kusto.Language;
  }
  return kusto;
}

/** A global state that knows the Defender tables and Sentinel's `_GetWatchlist` function. */
function defenderGlobals(): Any {
  if (globals) return globals;
  const K = language();
  const System = (globalThis as Any).System;
  const symbols = new (System.Collections.Generic.List$1(K.Symbols.Symbol)).ctor();
  for (const [name, columns] of Object.entries(DEFENDER_TABLES)) {
    const schema = `(${columns.map((c) => `${c.name}:${c.type}`).join(', ')})`;
    symbols.add(K.Symbols.TableSymbol.From(schema).WithName(name));
  }
  symbols.add(new K.Symbols.FunctionSymbol.$ctor16(
    '_GetWatchlist', '(watchlistAlias:string)', '{ datatable(SearchKey:string)[] }'));
  globals = K.GlobalState.Default.WithDatabase(new K.Symbols.DatabaseSymbol.$ctor1('db', symbols));
  return globals;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') { line++; lineStart = i + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}

function collect(text: string, diagnostics: Any): KqlDiagnostic[] {
  const out: KqlDiagnostic[] = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    out.push({
      code: String(d.Code), severity: String(d.Severity), message: String(d.Message),
      start: d.Start, length: d.Length, ...lineAndColumn(text, d.Start),
    });
  }
  return out;
}

/** Syntax, names and types, against the Defender tables and `_GetWatchlist`. */
export function analyseKql(text: string): KqlDiagnostic[] {
  const K = language();
  return collect(text, K.KustoCode.ParseAndAnalyze(text, defenderGlobals()).GetDiagnostics());
}

/** Syntax only. */
export function parseKqlSyntax(text: string): KqlDiagnostic[] {
  return collect(text, language().KustoCode.Parse(text).GetDiagnostics());
}
