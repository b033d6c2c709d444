// Which locks are held where: nested `with` blocks and `acquire()` ... `release()` pairs.
import type { Node } from '../trees';
import type { Unit } from '../syntax/node';
import type { ModuleIndex } from './module';
import { KIND } from './kinds';
import { compact, methodCall } from './statements';
import { owningScope } from './scopes';
import { unparenthesize } from './processes';

/** One lock as the module names it: a module-level name, `self.x` of a class, or a local. */
export interface LockRef {
  /** Identity across functions: `module:lock`, `class:12:_lock`, `local:40:lock`. */
  key: string;
  /** As written at this place: `self._lock`. */
  text: string;
}

/** A blocking acquisition of a lock while others are held. */
export interface Acquisition {
  lock: LockRef;
  /** The node to point at: the `with` item's expression or the `acquire()` call. */
  node: Node;
  /** Locks held at that moment, outermost first. */
  held: LockRef[];
}

const STOP = new Set(['function_definition', 'lambda', 'class_definition', 'module']);

/** The lock an expression refers to, when it is a known thread or process lock. */
export function lockRef(module: ModuleIndex, expr: Node): LockRef | undefined {
  const node = unparenthesize(expr);
  const kind = module.kindOf(node);
  if (!kind || !KIND.syncLock.has(kind)) return undefined;
  const text = compact(node);
  if (node.type === 'identifier') {
    const found = module.lookup(node.text, node);
    if (!found || found.scope.type === 'module') return { key: `module:${node.text}`, text };
    return { key: `local:${scopeKey(module, found.scope)}:${node.text}`, text };
  }
  if (node.type === 'attribute') {
    const object = node.childForFieldName('object');
    const cls = object ? module.classOfSelf(object) : undefined;
    const attr = node.childForFieldName('attribute')?.text;
    if (cls && attr) return { key: `class:${scopeKey(module, cls)}:${attr}`, text };
  }
  return undefined;
}

/**
 * A scope's part of a lock's key. A top-level class is named by its rank among them, which holds
 * across edits while the outline does (its node is new whenever one of its methods changes); any
 * other scope lies in one statement, and its node lives as long as the statement.
 */
function scopeKey(module: ModuleIndex, scope: Node): string {
  const rank = module.topLevelClasses().get(scope);
  return rank === undefined ? String(scope.id) : `top${rank}`;
}

/** `lock.acquire()` (or `acquire(True)`) as a statement: blocks until it gets the lock. */
function blockingAcquire(module: ModuleIndex, stmt: Node): { lock: LockRef; call: Node } | undefined {
  return lockStatement(module, stmt, 'acquire');
}

function lockStatement(module: ModuleIndex, stmt: Node, method: string): { lock: LockRef; call: Node } | undefined {
  if (stmt.type !== 'expression_statement') return undefined;
  const call = stmt.namedChild(0);
  if (call?.type !== 'call') return undefined;
  const m = methodCall(call);
  if (m?.method !== method) return undefined;
  if (method === 'acquire') {
    const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment') ?? [];
    const blocking = args.every((a) => a?.type === 'true' || (a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'blocking' && a.childForFieldName('value')?.type === 'true'));
    if (!blocking) return undefined;
  }
  const lock = lockRef(module, m.object);
  return lock ? { lock, call } : undefined;
}

/** The `with` items of a statement, in order, as expressions. */
function withItems(stmt: Node): Node[] {
  const clause = stmt.namedChildren.find((c) => c?.type === 'with_clause');
  return (clause?.namedChildren ?? []).flatMap((item) => {
    if (item?.type !== 'with_item') return [];
    let value = item.childForFieldName('value') ?? item.namedChild(0);
    if (value?.type === 'as_pattern') value = value.namedChild(0);
    return value ? [value] : [];
  });
}

/** Keys of the locks a statement releases: `lock.release()`, or a `try` whose `finally` does. */
function releasedBy(module: ModuleIndex, stmt: Node): string[] {
  const direct = lockStatement(module, stmt, 'release');
  if (direct) return [direct.lock.key];
  if (stmt.type !== 'try_statement') return [];
  const fin = stmt.namedChildren.find((c) => c?.type === 'finally_clause');
  const block = fin?.namedChildren.find((c) => c?.type === 'block');
  return (block?.namedChildren ?? []).flatMap((s) => (s ? releasedBy(module, s) : []));
}

/**
 * Locks held at a node: enclosing `with` blocks, and earlier `acquire()` statements of the same
 * block whose `release()` comes later in that block. An acquire without a release there is a
 * signal handed to another thread, not a critical section.
 */
export function heldAt(module: ModuleIndex, node: Node): LockRef[] {
  const held: LockRef[] = [];
  for (let child = node, parent = node.parent; parent && !STOP.has(child.type); child = parent, parent = parent.parent) {
    if (parent.type === 'block' || parent.type === 'module') {
      const found: LockRef[] = [];
      const releasedBefore = new Set<string>();
      // The earlier named siblings, nearest first (by index: a sibling step searches the parent's children).
      const siblings = parent.children;
      const at = siblings.indexOf(child);
      for (let i = at - 1; i >= 0; i--) {
        const prev = siblings[i];
        if (!prev.isNamed) continue;
        for (const key of releasedBy(module, prev)) releasedBefore.add(key);
        const acquire = blockingAcquire(module, prev);
        if (acquire && !releasedBefore.has(acquire.lock.key) && releasedAfter(module, siblings, at, acquire.lock.key)) found.unshift(acquire.lock);
      }
      held.unshift(...found);
    }
    if (parent.type === 'with_statement' && parent.childForFieldName('body')?.id === child.id) {
      held.unshift(...withItems(parent).flatMap((e) => lockRef(module, e) ?? []));
    }
    if (parent.type === 'module') break;
  }
  return held;
}

/** The statement `siblings[at]` itself or a later named one of its block releases the lock. */
function releasedAfter(module: ModuleIndex, siblings: readonly Node[], at: number, key: string): boolean {
  for (let i = at; i < siblings.length; i++) {
    const next = siblings[i];
    if (i > at && !next.isNamed) continue;
    if (releasedBy(module, next).includes(key)) return true;
  }
  return false;
}

/**
 * Every blocking acquisition in the module that happens while another lock is held. Each
 * statement's are found from its own text and the outline (keys name scopes stably: `scopeKey`),
 * so they are kept across edits.
 */
export function nestedAcquisitions(module: ModuleIndex): Acquisition[] {
  const own = (unit: Unit, type: string) => unit.ownIndex().get(type) ?? [];
  return module.keptPerUnit(
    'acquisitions',
    (unit) => acquisitionsIn(module, own(unit, 'with_statement'), own(unit, 'expression_statement')),
    () => acquisitionsIn(module, module.everyOf('with_statement'), module.everyOf('expression_statement')),
  ).flat();
}

function acquisitionsIn(module: ModuleIndex, withStatements: readonly Node[], expressionStatements: readonly Node[]): Acquisition[] {
  const result: Acquisition[] = [];
  for (const stmt of withStatements) {
    if (stmt.firstChild?.type === 'async') continue;
    const items = withItems(stmt);
    const locks = items.map((item) => lockRef(module, item));
    // Only a lock taken here can be nested in another: without one, what is held around does not matter.
    if (!locks.some((lock) => lock)) continue;
    const outer = heldAt(module, stmt);
    const before: LockRef[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const lock = locks[i];
      if (!lock) continue;
      const held = unique([...outer, ...before]).filter((h) => h.key !== lock.key);
      if (held.length) result.push({ lock, node: unparenthesize(item), held });
      before.push(lock);
    }
  }
  for (const stmt of expressionStatements) {
    const acquire = blockingAcquire(module, stmt);
    if (!acquire) continue;
    const held = unique(heldAt(module, stmt)).filter((h) => h.key !== acquire.lock.key);
    if (held.length) result.push({ lock: acquire.lock, node: acquire.call, held });
  }
  return result.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

function unique(locks: LockRef[]): LockRef[] {
  const seen = new Set<string>();
  return locks.filter((l) => !seen.has(l.key) && !!seen.add(l.key));
}

/** The function a node belongs to, for messages: `transfer`, or `module-level code`. */
export function placeName(node: Node): string {
  for (let scope = owningScope(node); ; scope = owningScope(scope)) {
    if (scope.type === 'module') return 'module-level code';
    if (scope.type === 'function_definition') return `\`${scope.childForFieldName('name')?.text ?? '?'}\``;
  }
}
