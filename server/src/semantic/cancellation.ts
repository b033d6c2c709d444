// Exception handlers and cancellation: which handlers catch it, and whether they let it go on.
import type { Node } from '../trees';
import type { ModuleIndex } from './module';
import { ownNodes } from './asyncBodies';

/** Exception classes that are (or contain) the cancellation of the async libraries. */
const CANCELLATION = new Set([
  'asyncio.CancelledError', 'asyncio.exceptions.CancelledError', 'trio.Cancelled', 'builtins.BaseException',
]);
const CANCELLATION_FACTORIES = new Set(['anyio.get_cancelled_exc_class']);

/** The exception expression of an `except` clause, undefined for a bare `except:`. */
export function caughtExpression(clause: Node): Node | undefined {
  const value = clause.namedChildren.find((c) => c !== null && c.type !== 'block' && c.type !== 'comment') ?? undefined;
  if (value?.type === 'as_pattern') return value.namedChild(0) ?? undefined;
  return value;
}

/** The name an `except ... as e` clause binds, if any. */
export function caughtAlias(clause: Node): string | undefined {
  const value = clause.namedChildren.find((c) => c?.type === 'as_pattern');
  return value?.childForFieldName('alias')?.text ?? value?.namedChildren.find((c) => c?.type === 'as_pattern_target')?.text;
}

/** The name of a class expression, resolving builtins like `BaseException` that the index does not know. */
function className(module: ModuleIndex, expr: Node): string | undefined {
  if (expr.type === 'identifier' && expr.text === 'BaseException' && !module.lookup('BaseException', expr)) return 'builtins.BaseException';
  if (expr.type === 'call') {
    const callee = expr.childForFieldName('function');
    const qualified = callee ? module.resolve(callee) : undefined;
    return qualified && CANCELLATION_FACTORIES.has(qualified) ? qualified : undefined;
  }
  return module.resolve(expr);
}

/**
 * The part of an `except` clause that catches cancellation: the class expression
 * (`asyncio.CancelledError`, `BaseException`, an element of a tuple), the `except` keyword of a
 * bare `except:`, or undefined when the clause lets cancellation through.
 */
export function cancellationCatcher(module: ModuleIndex, clause: Node): Node | undefined {
  const caught = caughtExpression(clause);
  if (!caught) return clause.firstChild ?? undefined;
  const candidates = caught.type === 'tuple' || caught.type === 'parenthesized_expression' ? caught.namedChildren : [caught];
  for (const expr of candidates) {
    if (!expr) continue;
    const name = className(module, expr);
    if (name && (CANCELLATION.has(name) || CANCELLATION_FACTORIES.has(name))) return expr;
  }
  return undefined;
}

/** The `except` clauses of a try statement, in order. */
export function exceptClauses(tryStmt: Node): Node[] {
  return tryStmt.namedChildren.filter((c): c is Node => c?.type === 'except_clause');
}

function block(node: Node, field: string): Node | undefined {
  return node.childForFieldName(field) ?? undefined;
}

function clauseBody(clause: Node): Node | undefined {
  return clause.namedChildren.find((c) => c?.type === 'block') ?? undefined;
}

function statements(body: Node | undefined): Node[] {
  return (body?.namedChildren ?? []).filter((s): s is Node => s !== null && s.type !== 'comment');
}

function hasOwnBreak(loop: Node): boolean {
  const body = block(loop, 'body');
  if (!body) return false;
  // A `break` belongs to the innermost loop; nested loops keep theirs.
  const breaks = ownNodes(body, ['break_statement']);
  return breaks.some((b) => {
    for (let p = b.parent; p; p = p.parent) {
      if (p.type === 'for_statement' || p.type === 'while_statement') return p.id === loop.id;
    }
    return false;
  });
}

function isTrueConstant(node: Node | null): boolean {
  return node?.type === 'true' || (node?.type === 'integer' && node.text !== '0');
}

/** True when every path through the statements ends in `raise` (or a call that always raises). */
export function alwaysRaises(body: Node | undefined): boolean {
  for (const stmt of statements(body)) {
    switch (stmt.type) {
      case 'raise_statement':
        return true;
      case 'return_statement':
      case 'break_statement':
      case 'continue_statement':
        return false;
      case 'expression_statement':
        if (/^(sys\.exit|os\._exit|os\.abort)\s*\(/.test(stmt.text)) return true;
        break;
      case 'if_statement': {
        const alternatives = stmt.namedChildren.filter((c): c is Node => c?.type === 'elif_clause' || c?.type === 'else_clause');
        const hasElse = alternatives.some((c) => c.type === 'else_clause');
        if (hasElse && alwaysRaises(block(stmt, 'consequence')) && alternatives.every((c) => alwaysRaises(block(c, 'consequence') ?? block(c, 'body')))) return true;
        break;
      }
      case 'try_statement': {
        const fin = stmt.namedChildren.find((c) => c?.type === 'finally_clause');
        if (fin && alwaysRaises(clauseBody(fin))) return true;
        const elseClause = stmt.namedChildren.find((c) => c?.type === 'else_clause');
        const mainRaises = alwaysRaises(block(stmt, 'body')) || (!!elseClause && alwaysRaises(block(elseClause, 'body')));
        if (mainRaises && exceptClauses(stmt).every((c) => alwaysRaises(clauseBody(c)))) return true;
        break;
      }
      case 'with_statement':
        if (alwaysRaises(block(stmt, 'body'))) return true;
        break;
      case 'while_statement': {
        if (hasOwnBreak(stmt)) break;
        // `while True:` without `break` never falls through to the end of the handler.
        if (isTrueConstant(stmt.childForFieldName('condition'))) return true;
        const elseClause = stmt.namedChildren.find((c) => c?.type === 'else_clause');
        if (elseClause && alwaysRaises(block(elseClause, 'body'))) return true;
        break;
      }
      case 'for_statement': {
        const elseClause = stmt.namedChildren.find((c) => c?.type === 'else_clause');
        if (elseClause && !hasOwnBreak(stmt) && alwaysRaises(block(elseClause, 'body'))) return true;
        break;
      }
      case 'match_statement': {
        const cases = statements(block(stmt, 'body')).filter((c) => c.type === 'case_clause');
        const wildcard = cases.some((c) => /^case\s+_\s*:/.test(c.text));
        if (wildcard && cases.every((c) => alwaysRaises(block(c, 'consequence') ?? clauseBody(c)))) return true;
        break;
      }
      default:
        break;
    }
  }
  return false;
}

export interface EarlyExit {
  node: Node;
  kind: 'return' | 'break' | 'continue' | 'other-exception';
}

/**
 * Ways out of a handler that drop the caught exception: `return`, `break`/`continue` of a loop
 * outside the handler, or `raise` of another exception (`raise X(...)`, `raise X from e`).
 */
export function earlyExits(handlerBody: Node, alias: string | undefined): EarlyExit[] {
  const exits: EarlyExit[] = [];
  for (const node of ownNodes(handlerBody, ['return_statement', 'break_statement', 'continue_statement', 'raise_statement'])) {
    if (node.type === 'return_statement') exits.push({ node, kind: 'return' });
    else if (node.type === 'raise_statement') {
      const value = node.namedChild(0);
      const reraise = !value || (alias !== undefined && value.type === 'identifier' && value.text === alias);
      if (!reraise && !insideNestedHandler(node, handlerBody)) exits.push({ node, kind: 'other-exception' });
    } else if (!loopInside(node, handlerBody)) {
      exits.push({ node, kind: node.type === 'break_statement' ? 'break' : 'continue' });
    }
  }
  return exits;
}

function loopInside(node: Node, container: Node): boolean {
  for (let p = node.parent; p && p.id !== container.id; p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'while_statement') return true;
  }
  return false;
}

/** A raise inside a nested `except` re-raises or replaces that inner exception, not ours. */
function insideNestedHandler(node: Node, container: Node): boolean {
  for (let p = node.parent; p && p.id !== container.id; p = p.parent) {
    if (p.type === 'except_clause') return true;
  }
  return false;
}

export function handlerBody(clause: Node): Node | undefined {
  return clauseBody(clause);
}

/** The qualified name of an exception class expression; builtins resolve to `builtins.X` unless shadowed. */
export function exceptionName(module: ModuleIndex, expr: Node): string | undefined {
  if (expr.type === 'identifier' && !module.lookup(expr.text, expr)) return module.resolve(expr) ?? `builtins.${expr.text}`;
  return module.resolve(expr);
}

const SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);

/**
 * True when the node runs in the body of a `try` of its own function whose handlers catch one of
 * the exceptions (`builtins.RuntimeError`), or everything (`except:`, `Exception`, `BaseException`).
 */
export function insideTryCatching(module: ModuleIndex, node: Node, names: readonly string[]): boolean {
  const wanted = new Set([...names, 'builtins.Exception', 'builtins.BaseException']);
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (SCOPES.has(parent.type) && parent.childForFieldName('body')?.id === child.id) return false;
    if (parent.type !== 'try_statement' || parent.childForFieldName('body')?.id !== child.id) continue;
    for (const clause of exceptClauses(parent)) {
      const caught = caughtExpression(clause);
      if (!caught) return true;
      const candidates = caught.type === 'tuple' || caught.type === 'parenthesized_expression' ? caught.namedChildren : [caught];
      if (candidates.some((c) => c !== null && wanted.has(exceptionName(module, c) ?? ''))) return true;
    }
  }
  return false;
}
