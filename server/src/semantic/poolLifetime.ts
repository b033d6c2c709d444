// How a pool bound to a local name ends: shut down, used in `with`, handed to other code, or never.
import type { Node } from '../trees';
import type { ModuleIndex } from './module';
import { targetNames } from './bindings';
import { usesInScope } from './statements';

/** Methods (called or only referenced, like `atexit.register(pool.shutdown)`) that end a pool. */
const ENDING_METHODS = new Set(['shutdown', 'close', 'terminate', 'join', '__exit__']);

/** Builtins that look at an object without keeping it. */
const HARMLESS_CALLS = new Set(['print', 'len', 'repr', 'str', 'id', 'type', 'isinstance', 'bool']);

/** Places a name can stand in without the object escaping or being ended. */
const HARMLESS_PARENTS = new Set(['comparison_operator', 'boolean_operator', 'not_operator', 'if_statement', 'while_statement', 'delete_statement', 'expression_statement']);

export type PoolFate = 'ended' | 'escapes' | 'leaks';

/** What happens to the pool bound to `name` in `scope`: judged from every use of the name there. */
export function poolFate(module: ModuleIndex, scope: Node, name: string): PoolFate {
  let fate: PoolFate = 'leaks';
  for (const use of usesInScope(module, scope, name)) {
    const parent = use.parent;
    if (!parent) continue;
    if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === use.id) {
      if (ENDING_METHODS.has(parent.childForFieldName('attribute')?.text ?? '')) return 'ended';
      continue;
    }
    if (parent.type === 'with_item' || (parent.type === 'as_pattern' && parent.parent?.type === 'with_item' && parent.namedChild(0)?.id === use.id)) return 'ended';
    if ((parent.type === 'assignment' || parent.type === 'augmented_assignment') && parent.childForFieldName('left')?.id === use.id) continue;
    if (parent.type === 'pattern_list' || parent.type === 'global_statement' || parent.type === 'nonlocal_statement') continue;
    if (HARMLESS_PARENTS.has(parent.type)) continue;
    if (parent.type === 'argument_list') {
      const callee = parent.parent?.childForFieldName('function');
      if (callee?.type === 'identifier' && HARMLESS_CALLS.has(callee.text)) continue;
    }
    fate = 'escapes';
  }
  return fate;
}

/** Names a statement binds, and objects it mutates through a method (`results.append(...)`). */
function touchedNames(stmt: Node): string[] {
  const names: string[] = [];
  for (const node of stmt.descendantsOfType(['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'as_pattern_target', 'named_expression', 'call'])) {
    if (!node) continue;
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
      if (object?.type === 'identifier') names.push(object.text);
      continue;
    }
    const target = node.type === 'as_pattern_target' ? node.namedChild(0) : node.childForFieldName(node.type === 'named_expression' ? 'name' : 'left');
    for (const id of target ? targetNames(target) : []) names.push(id.text);
  }
  return names;
}

/**
 * How many of the following statements must stay inside `with pool:`: up to the last one that
 * uses the pool or anything made from it (results, futures, lists they were put in).
 */
export function poolRegionLength(following: Node[], name: string): number {
  const tainted = new Set([name]);
  let length = 0;
  following.forEach((stmt, i) => {
    const ids = stmt.descendantsOfType('identifier');
    if (!ids.some((id) => id && tainted.has(id.text))) return;
    length = i + 1;
    for (const touched of touchedNames(stmt)) tainted.add(touched);
  });
  return length;
}
