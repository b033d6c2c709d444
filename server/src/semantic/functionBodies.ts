// Looking inside one function body: its own nodes (not those of nested defs, lambdas or
// classes), and whether calling it can give back something callable.
import type { Node } from '../trees';
import type { ModuleIndex } from './module';
import { isAsyncDef, owningScope } from './scopes';

const NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);

/** Nodes of the given types in the function's own body, skipping nested defs, lambdas and classes. */
export function ownNodes(fn: Node, ...types: string[]): Node[] {
  const body = fn.childForFieldName('body');
  if (!body) return [];
  const wanted = new Set(types);
  const found: Node[] = [];
  const visit = (node: Node): void => {
    if (wanted.has(node.type)) found.push(node);
    if (NESTED_SCOPES.has(node.type)) return;
    for (const child of node.namedChildren) if (child) visit(child);
  };
  if (wanted.has(body.type)) found.push(body);
  for (const child of body.namedChildren) if (child) visit(child);
  return found;
}

/** A `def` whose body yields: calling it makes a generator. */
export function isGeneratorFunction(fn: Node): boolean {
  return fn.type === 'function_definition' && ownNodes(fn, 'yield').length > 0;
}

/** Expressions whose value is never callable. */
const PLAIN_VALUES = new Set([
  'none', 'true', 'false', 'integer', 'float', 'string', 'concatenated_string', 'list', 'tuple',
  'dictionary', 'set', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension',
  'generator_expression', 'binary_operator', 'unary_operator', 'comparison_operator', 'not_operator',
]);

/** Builtins that never return a callable. */
const PLAIN_BUILTINS = new Set([
  'len', 'str', 'int', 'float', 'bool', 'list', 'dict', 'set', 'tuple', 'sorted', 'sum', 'min', 'max',
  'abs', 'round', 'repr', 'format', 'print', 'input', 'open', 'range', 'enumerate', 'zip', 'any', 'all',
]);

/** False when the expression is certainly not callable; true when it may be. */
function mayBeCallable(module: ModuleIndex, expr: Node, fn: Node, depth: number): boolean {
  if (depth > 4) return true;
  if (PLAIN_VALUES.has(expr.type)) return false;
  switch (expr.type) {
    case 'parenthesized_expression':
      return expr.namedChild(0) ? mayBeCallable(module, expr.namedChild(0)!, fn, depth + 1) : false;
    case 'conditional_expression':
    case 'boolean_operator':
      return expr.namedChildren.some((c) => !!c && mayBeCallable(module, c, fn, depth + 1));
    case 'call': {
      const callee = expr.childForFieldName('function');
      return !(callee?.type === 'identifier' && PLAIN_BUILTINS.has(callee.text) && !module.lookup(callee.text, callee));
    }
    case 'identifier': {
      const found = module.lookup(expr.text, expr);
      if (!found || found.scope.id !== fn.id) return true;
      return found.bindings.some((b) => {
        if (b.how === 'augassign' || b.how === 'for') return false;
        if (b.how === 'assign') return !b.value || mayBeCallable(module, b.value, fn, depth + 1);
        return true;
      });
    }
    default:
      return true;
  }
}

/**
 * True when calling the def or lambda certainly gives back something that cannot be called:
 * nothing (`None`), plain data, a generator (a `def` that yields) or a coroutine (`async def`).
 */
export function resultIsNotCallable(module: ModuleIndex, fn: Node): boolean {
  // It reads the function's own statement and the outline: kept across edits.
  return module.kept('resultIsNotCallable', fn, () => computeNotCallable(module, fn));
}

function computeNotCallable(module: ModuleIndex, fn: Node): boolean {
  if (fn.type === 'lambda') {
    const body = fn.childForFieldName('body');
    return !!body && !mayBeCallable(module, body, fn, 0);
  }
  if (isAsyncDef(fn) || isGeneratorFunction(fn)) return true;
  for (const ret of ownNodes(fn, 'return_statement')) {
    const value = ret.namedChildren.find((c) => c?.type !== 'comment');
    if (value && mayBeCallable(module, value, fn, 0)) return false;
  }
  return true;
}

/** The scope that owns the node is this function (not a nested def, lambda or class). */
export function ownedBy(node: Node, fn: Node): boolean {
  return owningScope(node).id === fn.id;
}
