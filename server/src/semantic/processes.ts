// Process and pool knowledge shared by the PCC4xx rules: pool kinds, start methods, main guards.
import type { Node } from '../trees';
import type { ModuleIndex } from './module';
import { keywordArgument } from './statements';

/** Pools of workers, thread or process: they own workers until shut down. */
export const POOL_KINDS = new Set([
  'multiprocessing.Pool', 'multiprocessing.pool.Pool', 'multiprocessing.pool.ThreadPool',
  'concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ProcessPoolExecutor',
  'concurrent.futures.InterpreterPoolExecutor',
]);

/** `concurrent.futures` executors: `submit()` returns a Future, `map()` a lazy iterator. */
export const EXECUTOR_KINDS = new Set([
  'concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ProcessPoolExecutor',
  'concurrent.futures.InterpreterPoolExecutor',
]);

/** `multiprocessing` process pools (not `ThreadPool`). */
export const PROCESS_POOL_KINDS = new Set(['multiprocessing.Pool', 'multiprocessing.pool.Pool']);

/** Objects whose creation starts child processes right away. */
export const SPAWNING_CONSTRUCTORS = new Set([
  'multiprocessing.Pool', 'multiprocessing.pool.Pool', 'concurrent.futures.ProcessPoolExecutor', 'multiprocessing.Manager',
]);

/** Short name of a kind for messages: `ThreadPoolExecutor`, `Pool`. */
export function shortKind(kind: string): string {
  return kind.split('.').pop() ?? kind;
}

/** The expression itself, without redundant parentheses. */
export function unparenthesize(node: Node): Node {
  let current = node;
  while (current.type === 'parenthesized_expression' && current.namedChildCount === 1) current = current.namedChild(0)!;
  return current;
}

/** A string literal's value when it has no interpolation (`"fork"` → fork). */
export function stringValue(node: Node | undefined | null): string | undefined {
  if (node?.type !== 'string') return undefined;
  const parts = node.namedChildren.filter((c) => c?.type === 'string_content' || c?.type === 'interpolation');
  if (parts.some((p) => p?.type === 'interpolation')) return undefined;
  return parts.map((p) => p!.text).join('');
}

/** `if __name__ == "__main__":` (either operand order, either quote). */
export function isMainGuard(stmt: Node): boolean {
  if (stmt.type !== 'if_statement') return false;
  const cond = stmt.childForFieldName('condition');
  if (cond?.type !== 'comparison_operator' || cond.namedChildCount !== 2) return false;
  if (!cond.children.some((c) => c?.type === '==')) return false;
  const [a, b] = [cond.namedChild(0)!, cond.namedChild(1)!];
  const isName = (n: Node) => n.type === 'identifier' && n.text === '__name__';
  return (isName(a) && stringValue(b) === '__main__') || (isName(b) && stringValue(a) === '__main__');
}

/** True when the node runs only in the main process: inside the body of a main guard. */
export function underMainGuard(node: Node): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'if_statement' && isMainGuard(parent) && parent.childForFieldName('consequence')?.id === child.id) return true;
  }
  return false;
}

/** The first positional argument of a call, or the keyword argument `name=`. */
export function firstArgument(call: Node, keyword?: string): Node | undefined {
  const args = call.childForFieldName('arguments');
  const first = args?.namedChildren.find((a) => a?.type !== 'comment');
  if (first && first.type !== 'keyword_argument' && first.type !== 'list_splat' && first.type !== 'dictionary_splat') return first;
  return keyword ? keywordArgument(call, keyword) : undefined;
}

/** The call nodes an expression was created by: the call itself, or the values its name was bound to. */
export function creatingCalls(module: ModuleIndex, expr: Node): Node[] {
  const node = unparenthesize(expr);
  if (node.type === 'call') return [node];
  if (node.type !== 'identifier') return [];
  const found = module.lookup(node.text, node);
  return (found?.bindings ?? []).flatMap((b) => ((b.how === 'assign' || b.how === 'with') && b.value ? creatingCalls(module, b.value) : []));
}

/** `multiprocessing.get_context("fork")`, directly or through a name bound to it. */
export function isForkContext(module: ModuleIndex, expr: Node | undefined): boolean {
  if (!expr) return false;
  const calls = creatingCalls(module, expr);
  return calls.length > 0 && calls.every((call) => {
    const callee = call.childForFieldName('function');
    return !!callee && module.resolve(callee) === 'multiprocessing.get_context' && stringValue(firstArgument(call, 'method')) === 'fork';
  });
}

/** The module selects fork for everything: `multiprocessing.set_start_method("fork")`. */
export function setsForkStartMethod(module: ModuleIndex): boolean {
  let sets = module.memo.get('setsForkStartMethod') as boolean | undefined;
  if (sets === undefined) {
    sets = module.everyCall().some(({ call, qualified }) => qualified === 'multiprocessing.set_start_method' && stringValue(firstArgument(call, 'method')) === 'fork');
    module.memo.set('setsForkStartMethod', sets);
  }
  return sets;
}

/**
 * A constructor call (`ctx.Pool(...)`, `ProcessPoolExecutor(mp_context=ctx)`) that uses the fork
 * start method explicitly, or a module that sets it for everything.
 */
export function usesFork(module: ModuleIndex, constructor: Node): boolean {
  if (setsForkStartMethod(module)) return true;
  const callee = constructor.childForFieldName('function');
  if (callee?.type === 'attribute' && isForkContext(module, callee.childForFieldName('object') ?? undefined)) return true;
  return isForkContext(module, keywordArgument(constructor, 'mp_context') ?? keywordArgument(constructor, 'context'));
}

/** A call as the user wrote it, for messages: `mp.Pool(4)`, or `mp.Pool(...)` when long. */
export function shownCall(call: Node): string {
  const text = call.text.replace(/\s*\n\s*/g, ' ');
  if (text.length <= 40) return text;
  const callee = call.childForFieldName('function');
  return `${callee ? callee.text : text.slice(0, 30)}(...)`;
}
