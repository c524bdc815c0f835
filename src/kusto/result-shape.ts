// What a query really returns, read from Microsoft's analyser instead of a lexical scan: the result columns (named by
// Kusto's own rules: `tostring(OS)` is `OS`, `count()` is `count_`), the source tables behind `let` bindings and
// `union`s, and the final summarize's `by` columns as they survive to the result.
import { analysedCode, diagnosticsOf, language, type KqlDiagnostic } from './analyser.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface ResultColumn { name: string; type: string }

export interface ResultShape {
  /** Columns of the query's result, in order; empty when the query does not analyse to a table. */
  columns: ResultColumn[];
  /** Source tables of the result rows, through `let`, `materialize`, user functions and `union`, in order. */
  tables: string[];
  /**
   * The final summarize's `by` columns as named in the result, minus those a later operator removes; null when the
   * query has no summarize or a later operator (join, union, mv-expand) makes a row something else than a group.
   */
  groupKeys: string[] | null;
  diagnostics: KqlDiagnostic[];
}

// Operators after the final summarize that change what one result row is: a row is no longer one group.
const IDENTITY_CHANGING = new Set(['JoinOperator', 'UnionOperator', 'MvExpandOperator', 'MvApplyOperator', 'ForkOperator', 'FacetOperator']);

function kindName(node: Any): string {
  const K = language();
  return String((globalThis as Any).System.Enum.toString(K.Syntax.SyntaxKind, node.Kind));
}

const children = (node: Any): Any[] => {
  const out: Any[] = [];
  for (let i = 0; i < node.ChildCount; i++) { const c = node.GetChild(i); if (c) out.push(c); }
  return out;
};

const columnsOf = (type: Any): Any[] => {
  const out: Any[] = [];
  const cols = type?.Columns;
  if (!cols) return out;
  for (let i = 0; i < cols.Count; i++) out.push(cols.getItem(i));
  return out;
};

const listItems = (list: Any): Any[] => {
  const out: Any[] = [];
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) { const e = list.getItem(i); out.push(e?.Element ?? e); }
  return out;
};

/** Every `let` in the query (nested ones in function bodies too), by the symbol it declares. */
function letDeclarations(root: Any): Map<Any, Any> {
  const decls = new Map<Any, Any>();
  const walk = (n: Any) => {
    if (kindName(n) === 'LetStatement') {
      const sym = n.Name?.ReferencedSymbol;
      if (sym) decls.set(sym, n.Expression);
    }
    for (const c of children(n)) walk(c);
  };
  walk(root);
  return decls;
}

/** The expression a function declaration or a `let` value stands for: a function body's result expression. */
function valueOf(expr: Any): Any {
  if (expr && kindName(expr) === 'FunctionDeclaration') return expr.Body?.Expression ?? null;
  return expr;
}

/** The result expression of the query: its last statement that is an expression. */
function mainExpression(code: Any): Any {
  let last: Any = null;
  for (const stmt of listItems(code.Syntax?.Statements)) if (stmt && kindName(stmt) === 'ExpressionStatement') last = stmt.Expression;
  return last;
}

interface Walk { decls: Map<Any, Any>; seen: Set<Any> }

/** The source tables of a tabular expression: the left end of its pipes, through lets, functions and unions. */
function sourceTables(expr: Any, w: Walk, out: string[]): void {
  if (!expr || w.seen.has(expr)) return;
  w.seen.add(expr);
  const kind = kindName(expr);
  const add = (t: string) => { if (!out.includes(t)) out.push(t); };
  if (kind === 'PipeExpression') {
    sourceTables(expr.Expression, w, out);
    if (kindName(expr.Operator) === 'UnionOperator') for (const e of listItems(expr.Operator.Expressions)) sourceTables(e, w, out);
    return;
  }
  if (kind === 'UnionOperator') { for (const e of listItems(expr.Expressions)) sourceTables(e, w, out); return; }
  if (kind === 'ParenthesizedExpression') { sourceTables(expr.Expression, w, out); return; }
  if (kind === 'MaterializeExpression' || kind === 'ToScalarExpression' || kind === 'ToTableExpression') { sourceTables(expr.Expression, w, out); return; }
  if (kind === 'NameReference' || kind === 'BracketedName') {
    const sym = expr.ReferencedSymbol;
    const decl = sym ? w.decls.get(sym) : undefined;
    if (decl) { sourceTables(valueOf(decl), w, out); return; }
    if (sym && String(sym.constructor?.$$name ?? '').endsWith('TableSymbol')) { add(String(sym.Name)); return; }
    // A name the analyser does not know (a custom table, a workspace parser) is still the query's source by name.
    if (!sym) add(String(expr.SimpleName ?? expr.ToString?.() ?? '').trim());
    return;
  }
  if (kind === 'FunctionCallExpression') {
    const sym = expr.Name?.ReferencedSymbol;
    const decl = sym ? w.decls.get(sym) : undefined;
    if (decl) { sourceTables(valueOf(decl), w, out); return; }
    const name = String(expr.Name?.SimpleName ?? '');
    if (name === 'table') {
      const arg = listItems(expr.ArgumentList?.Expressions)[0];
      const literal = arg && kindName(arg) === 'StringLiteralExpression' ? String(arg.LiteralValue ?? '') : '';
      if (literal) add(literal);
      return;
    }
    // materialize(...), view-like calls: the tabular arguments are the source.
    for (const a of listItems(expr.ArgumentList?.Expressions)) if (a?.ResultType && columnsOf(a.ResultType).length) sourceTables(a, w, out);
  }
}

/** The pipe operators of an expression from its source on, expanding a source that is a single `let` variable. */
function operatorChain(expr: Any, w: Walk, depth = 0): Any[] {
  const ops: Any[] = [];
  let p = expr;
  while (p && kindName(p) === 'PipeExpression') { ops.unshift(p.Operator); p = p.Expression; }
  if (p && depth < 20 && (kindName(p) === 'ParenthesizedExpression' || kindName(p) === 'MaterializeExpression')) {
    return [...operatorChain(p.Expression, w, depth + 1), ...ops];
  }
  if (p && depth < 20 && (kindName(p) === 'NameReference' || kindName(p) === 'FunctionCallExpression')) {
    const sym = kindName(p) === 'NameReference' ? p.ReferencedSymbol : p.Name?.ReferencedSymbol;
    const decl = sym ? w.decls.get(sym) : undefined;
    if (decl) return [...operatorChain(valueOf(decl), w, depth + 1), ...ops];
  }
  return ops;
}

/** The column a key becomes after one operator: the same symbol, a `New = Key` rename, or a column of its name. */
function follow(key: { sym: Any; name: string }, op: Any): { sym: Any; name: string } | null {
  const after = columnsOf(op.ResultType);
  const same = after.find((c) => c === key.sym);
  if (same) return { sym: same, name: String(same.Name) };
  const kind = kindName(op);
  if (kind === 'ProjectRenameOperator' || kind === 'ProjectOperator' || kind === 'ExtendOperator') {
    for (const e of listItems(op.Expressions)) {
      if (e && kindName(e) === 'SimpleNamedExpression' && e.Expression?.ReferencedSymbol === key.sym) {
        const name = String(e.Name?.SimpleName ?? '');
        const col = after.find((c) => String(c.Name) === name);
        if (col) return { sym: col, name };
      }
    }
  }
  // A key that an operator recomputes under its own name (`extend DeviceName = tolower(DeviceName)`) is still there.
  if (kind === 'ProjectAwayOperator') return null;
  const byName = after.find((c) => String(c.Name) === key.name);
  return byName ? { sym: byName, name: key.name } : null;
}

function groupKeysOf(ops: Any[]): string[] | null {
  let at = -1;
  for (let i = ops.length - 1; i >= 0; i--) if (kindName(ops[i]) === 'SummarizeOperator') { at = i; break; }
  if (at < 0) return null;
  const summarize = ops[at];
  const byCount = listItems(summarize.ByClause?.Expressions).length;
  let keys: ({ sym: Any; name: string } | null)[] = columnsOf(summarize.ResultType).slice(0, byCount).map((c) => ({ sym: c, name: String(c.Name) }));
  for (const op of ops.slice(at + 1)) {
    if (IDENTITY_CHANGING.has(kindName(op))) return null;
    keys = keys.map((k) => (k ? follow(k, op) : null));
  }
  return keys.filter((k): k is { sym: Any; name: string } => k !== null).map((k) => k.name)
    .filter((n, i, all) => all.indexOf(n) === i);
}

/** The result shape of a query as Microsoft's analyser sees it (see ResultShape). */
export function resultShape(query: string): ResultShape {
  const code = analysedCode(query);
  const diagnostics = diagnosticsOf(query, code);
  const columns = columnsOf(code.ResultType).map((c) => ({ name: String(c.Name), type: String(c.Type?.Name ?? 'dynamic') }));
  const main = mainExpression(code);
  if (!main) return { columns, tables: [], groupKeys: null, diagnostics };
  const w: Walk = { decls: letDeclarations(code.Syntax), seen: new Set() };
  const tables: string[] = [];
  sourceTables(main, w, tables);
  w.seen.clear();
  return { columns, tables: tables.filter(Boolean), groupKeys: groupKeysOf(operatorChain(main, w)), diagnostics };
}
