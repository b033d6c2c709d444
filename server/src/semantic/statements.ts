// Statement-level navigation shared by rules and fixes.
import type { Node } from '../trees';
import type { ModuleIndex } from './module';

const BLOCK_TYPES = new Set(['block', 'module']);

/** The statement that holds the node: the ancestor whose parent is a block or the module. */
export function statementOf(node: Node): Node {
  let current = node;
  while (current.parent && !BLOCK_TYPES.has(current.parent.type)) current = current.parent;
  return current;
}

/** The ancestor of `node` that is a direct child of `block`, if `node` is inside it. */
export function childOfBlock(node: Node, block: Node): Node | undefined {
  let current: Node | null = node;
  while (current && current.parent && current.parent.id !== block.id) current = current.parent;
  return current?.parent?.id === block.id ? current : undefined;
}

/** The next statement in the same block, skipping comments. */
export function nextStatement(stmt: Node): Node | undefined {
  let next = stmt.nextNamedSibling;
  while (next && next.type === 'comment') next = next.nextNamedSibling;
  return next ?? undefined;
}

/** Later statements of the same block, in order. */
export function followingStatements(stmt: Node): Node[] {
  const result: Node[] = [];
  for (let next = nextStatement(stmt); next; next = nextStatement(next)) result.push(next);
  return result;
}

/** Answers of `methodCall`, kept across edits: they read nothing outside the call. */
const methodCalls = new WeakMap<Node, { object: Node; method: string } | null>();

/** `obj.method(...)`: the object and method name of a call, when its callee is an attribute. */
export function methodCall(call: Node): { object: Node; method: string } | undefined {
  let found = methodCalls.get(call);
  if (found === undefined) {
    const callee = call.childForFieldName('function');
    const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
    const method = object ? callee!.childForFieldName('attribute')?.text : undefined;
    found = object && method ? { object, method } : null;
    methodCalls.set(call, found);
  }
  return found ?? undefined;
}

/** Source text with whitespace removed, to compare expressions like `self.lock` written two ways. */
export function compact(node: Node): string {
  return node.text.replace(/\s+/g, '');
}

/** Calls `<target>.<method>(...)` within a subtree, where target is written like `target`. */
export function methodCallsOn(root: Node, target: string, method: string): Node[] {
  return root.descendantsOfType('call').filter((call): call is Node => {
    const m = call ? methodCall(call) : undefined;
    return m !== undefined && m.method === method && compact(m.object) === target;
  });
}

/** The keyword argument `name=` of a call, if present. */
export function keywordArgument(call: Node, name: string): Node | undefined {
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (arg?.type === 'keyword_argument' && arg.childForFieldName('name')?.text === name) {
      return arg.childForFieldName('value') ?? undefined;
    }
  }
  return undefined;
}

/** Identifiers named `name` inside `scope` that refer to the binding in `scope`. */
export function usesInScope(module: ModuleIndex, scope: Node, name: string): Node[] {
  return scope.descendantsOfType('identifier').filter((id): id is Node => {
    if (!id || id.text !== name) return false;
    return module.lookup(name, id)?.scope.id === scope.id;
  });
}
