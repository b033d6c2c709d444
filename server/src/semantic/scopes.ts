// Scopes: which function owns a node, and whether that is async context.
import type { Node } from '../trees';

export type ScopeNode = Node; // function_definition, lambda, class_definition or module

const SCOPE_TYPES = new Set(['function_definition', 'lambda', 'class_definition']);

export function isAsyncDef(fn: Node): boolean {
  return fn.type === 'function_definition' && fn.firstChild?.type === 'async';
}

/**
 * The innermost function, lambda or class whose body holds the node, or the module.
 * Parameter defaults, decorators and annotations belong to the outer scope.
 */
export function owningScope(node: Node): ScopeNode {
  const cached = scopeCache.get(node);
  if (cached) return cached;
  const scope = findOwningScope(node);
  // Only a scope inside the node's own statement outlives an edit elsewhere (units are reused).
  if (scope.unit !== null && scope.unit === node.unit) scopeCache.set(node, scope);
  return scope;
}

const scopeCache = new WeakMap<Node, ScopeNode>();

function findOwningScope(node: Node): ScopeNode {
  let child = node;
  let parent = node.parent;
  while (parent) {
    if (SCOPE_TYPES.has(parent.type)) {
      const body = parent.childForFieldName('body');
      if (body && body.id === child.id) return parent;
    }
    child = parent;
    parent = parent.parent;
  }
  return child;
}

/** "Async context": the innermost enclosing function is an `async def`. */
export function inAsyncContext(node: Node): boolean {
  return isAsyncDef(owningScope(node));
}

/** The innermost enclosing `def` (sync or async), skipping nothing; undefined at module level. */
export function enclosingFunction(node: Node): Node | undefined {
  let scope = owningScope(node);
  while (scope.type !== 'module' && scope.parent) {
    if (scope.type === 'function_definition') return scope;
    if (scope.type === 'lambda' || scope.type === 'class_definition') return undefined;
    scope = owningScope(scope);
  }
  return undefined;
}

export function functionName(fn: Node): string {
  return fn.childForFieldName('name')?.text ?? '<lambda>';
}

/** The class that a method belongs to, when `fn` is defined directly in a class body. */
export function methodClass(fn: Node): Node | undefined {
  const scope = owningScope(fn);
  return scope.type === 'class_definition' ? scope : undefined;
}
