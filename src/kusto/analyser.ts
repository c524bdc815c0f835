import { createRequire } from 'node:module';
import { KNOWN_TABLES, type ColumnType, type TableColumn } from './tables.js';

export type { ColumnType, TableColumn };

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

/** Columns of every table Quell knows (Defender XDR and Sentinel, src/kusto/tables.ts), by table name. */
export const DEFENDER_TABLES: Readonly<Record<string, readonly TableColumn[]>> = KNOWN_TABLES;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
let kusto: Any;
let globals: Any;

export function language(): Any {
  if (!kusto) {
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    kusto = (globalThis as Any).Kusto.Language;
  }
  return kusto;
}

/** A global state that knows the Defender tables and Sentinel's `_GetWatchlist` function. */
export function defenderGlobals(): Any {
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

// An unknown table or function (a workspace parser, a custom _CL table) is a name the analyser was not told about, not
// a broken query: a warning. So is an unknown column once the query reads such a table, since that table's columns are
// unknown too. Everything else the analyser reports (syntax, a misspelt column of a known table, a type error) stays
// an error, so a truly broken query stands out.
const UNKNOWN_SOURCE = 'KS204';
const UNKNOWN_NAME = 'KS142';
const UNKNOWN_FUNCTION = /does not refer to any known function/;

function collect(text: string, diagnostics: Any): KqlDiagnostic[] {
  const out: KqlDiagnostic[] = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    out.push({
      code: String(d.Code), severity: String(d.Severity), message: String(d.Message),
      start: d.Start, length: d.Length, ...lineAndColumn(text, d.Start),
    });
  }
  const unknownSource = out.some((d) => d.code === UNKNOWN_SOURCE || UNKNOWN_FUNCTION.test(d.message));
  return out.map((d) => (d.code === UNKNOWN_SOURCE || UNKNOWN_FUNCTION.test(d.message) || (unknownSource && d.code === UNKNOWN_NAME)
    ? { ...d, severity: 'Warning' } : d));
}

/** Parses and analyses a query against the known tables and `_GetWatchlist`: Microsoft's `KustoCode`. */
export function analysedCode(text: string): Any {
  return language().KustoCode.ParseAndAnalyze(text, defenderGlobals());
}

/** Syntax, names and types, against the known tables and `_GetWatchlist`. */
export function analyseKql(text: string): KqlDiagnostic[] {
  return collect(text, analysedCode(text).GetDiagnostics());
}

/** The diagnostics of an already analysed `KustoCode`. */
export const diagnosticsOf = (text: string, code: Any): KqlDiagnostic[] => collect(text, code.GetDiagnostics());

/** Syntax only. */
export function parseKqlSyntax(text: string): KqlDiagnostic[] {
  return collect(text, language().KustoCode.Parse(text).GetDiagnostics());
}
