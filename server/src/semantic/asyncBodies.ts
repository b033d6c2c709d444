// What a function body does itself (not its nested functions), and where `await` is legal.
import type { Node } from '../trees';
import { isAsyncDef } from './scopes';

/** Node types whose body is a scope of its own: their body is not part of the enclosing function. */
const NESTED_SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);

/**
 * Nodes of the given types inside `root` that belong to it, not to a nested `def`, `class` or
 * `lambda` body. Parameter defaults, decorators and base classes of nested definitions are
 * evaluated by the enclosing function, so they count.
 */
export function ownNodes(root: Node, types: readonly string[]): Node[] {
  const wanted = new Set(types);
  const found: Node[] = [];
  // An explicit stack, in document order: 10,000 nested parentheses must not overflow the call stack.
  const stack: Node[] = [root.childForFieldName('body') ?? root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (wanted.has(node.type)) found.push(node);
    const bodyId = NESTED_SCOPES.has(node.type) && node.id !== root.id ? node.childForFieldName('body')?.id : undefined;
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i];
      if (child && child.id !== bodyId) stack.push(child);
    }
  }
  return found;
}

/** The `async` keyword of an `async with`, `async for` or an `async for` comprehension clause. */
export function asyncKeyword(node: Node): Node | undefined {
  const first = node.firstChild;
  return first?.type === 'async' ? first : undefined;
}

/**
 * `await`, `async with`, `async for` and `async for` clauses that need the function itself to be
 * async: not those of nested functions, nor those inside a generator expression, which makes
 * the generator expression async instead.
 */
export function ownAsyncFeatures(fn: Node): Node[] {
  return ownNodes(fn, ['await', 'with_statement', 'for_statement', 'for_in_clause'])
    .filter((n) => (n.type === 'await' ? n.isNamed : asyncKeyword(n) !== undefined) && asyncPlace(n).owner.id === fn.id);
}

/** A generator function: `yield` or `yield from` in its own body. */
export function ownYields(fn: Node): Node[] {
  return ownNodes(fn, ['yield']);
}

export function isYieldFrom(yieldNode: Node): boolean {
  return yieldNode.children.some((c) => c?.type === 'from');
}

function isDocstring(stmt: Node): boolean {
  return stmt.type === 'expression_statement' && stmt.namedChildCount === 1
    && (stmt.namedChild(0)?.type === 'string' || stmt.namedChild(0)?.type === 'concatenated_string');
}

/** `raise NotImplementedError` or `raise NotImplementedError(...)`. */
function raisesNotImplemented(stmt: Node): boolean {
  if (stmt.type !== 'raise_statement') return false;
  const value = stmt.namedChild(0);
  const name = value?.type === 'call' ? value.childForFieldName('function') : value;
  return name?.text === 'NotImplementedError';
}

/** A body with only a docstring, `...`, `pass` or `raise NotImplementedError`: a stub or an interface. */
export function isStubBody(fn: Node): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return true;
  return body.namedChildren.every((stmt) => {
    if (!stmt || stmt.type === 'comment' || stmt.type === 'pass_statement' || isDocstring(stmt)) return true;
    if (stmt.type === 'expression_statement' && stmt.namedChild(0)?.type === 'ellipsis') return true;
    return raisesNotImplemented(stmt);
  });
}

export interface AsyncPlace {
  /** Whether `await` and `async with/for` are legal here. */
  allowed: boolean;
  /** What decides it: the function, lambda or class whose body holds the node, or the module. */
  owner: Node;
  /** The comprehension (list, set or dict) that holds the node inside `owner`, if any. */
  comprehension?: Node;
}

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension']);

function within(node: Node, container: Node | null): boolean {
  return !!container && node.startIndex >= container.startIndex && node.endIndex <= container.endIndex;
}

/**
 * Where `await` at this node is decided, following Python's rules: an `async def` allows it; a
 * generator expression allows it anywhere (it becomes an async generator), except in its first
 * iterable, which the enclosing scope evaluates; list, set and dict comprehensions run in the
 * enclosing function; a plain `def`, a `lambda`, a class body and the module do not allow it.
 */
export function asyncPlace(node: Node): AsyncPlace {
  let comprehension: Node | undefined;
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'generator_expression') {
      const firstClause = parent.namedChildren.find((c) => c?.type === 'for_in_clause');
      const inFirstIterable = child.id === firstClause?.id && child.id !== node.id && within(node, firstClause.childForFieldName('right'));
      if (!inFirstIterable) return { allowed: true, owner: parent };
      continue;
    }
    if (COMPREHENSIONS.has(parent.type)) {
      comprehension ??= parent;
      continue;
    }
    if (NESTED_SCOPES.has(parent.type) && parent.childForFieldName('body')?.id === child.id) {
      return { allowed: isAsyncDef(parent), owner: parent, comprehension };
    }
  }
  return { allowed: false, owner: child, comprehension };
}
