// Scopes: which function owns a node, and whether that is async context.
import type { Node } from '../trees';

export type ScopeNode = Node; // function_definition, lambda, class_definition or module

const SCOPE_TYPES = new Set(['function_definition', 'lambda', 'class_definition']);

/** The definition a statement holds: under a decorated one's decorators, the function or class; else the statement itself. */
export function definitionOf(stmt: Node): Node | null {
  return stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
}

export function isAsyncDef(fn: Node): boolean {
  return fn.type === 'function_definition' && fn.firstChild?.type === 'async';
}

/**
 * The innermost function, lambda or class whose body holds the node, or the module.
 * Parameter defaults, decorators and annotations belong to the outer scope.
 */
export function owningScope(node: Node): ScopeNode {
  const known = cachedScope(node);
  if (known) return known;
  // Walk up until a scope whose body holds the path, or an ancestor whose scope is known: a node
  // that is not a scope's body has its parent's scope. Every node passed on the way is cached, so
  // deep nesting costs one walk, not one per node.
  const path: Node[] = [];
  let child = node;
  let parent = node.parent;
  let scope: ScopeNode | undefined;
  while (parent) {
    path.push(child);
    if (SCOPE_TYPES.has(parent.type) && parent.childForFieldName('body')?.id === child.id) {
      scope = parent;
      break;
    }
    scope = cachedScope(parent);
    if (scope) break;
    child = parent;
    parent = parent.parent;
  }
  if (!scope) {
    scope = child; // the root
    path.push(child);
  }
  for (const n of path) remember(n, scope);
  return scope;
}

/**
 * Scopes are kept with each statement (its `Unit`), which is reused across edits while the nodes
 * around it are not: a scope inside the statement holds as long as the statement, the one outside
 * it only while the statement still hangs where it did (see `Unit.outerScope`).
 */
function cachedScope(node: Node): ScopeNode | undefined {
  const unit = node.unit;
  const scope = unit?.scopes?.get(node);
  if (scope !== null) return scope;
  const outer = unit!.outerScope;
  const around = unit!.root.parent;
  if (!outer || !around) return undefined;
  if (outer.anchor === around) return outer.scope;
  // A top-level statement whose nodes the module owned: the module is new after every edit, but
  // the statement still hangs from it, and owns nothing more than before.
  return outer.scope.parent === null && around.parent === null ? around : undefined;
}

function remember(node: Node, scope: ScopeNode): void {
  const unit = node.unit;
  if (!unit) return; // the root
  if (scope.unit === unit) {
    (unit.scopes ??= new Map()).set(node, scope);
    return;
  }
  const anchor = unit.root.parent;
  if (!anchor) return; // a statement root without a parent
  unit.outerScope = { anchor, scope };
  (unit.scopes ??= new Map()).set(node, null);
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
