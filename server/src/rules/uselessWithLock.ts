import { defineRule } from './rule';
import type { Node } from '../trees';
import { KIND, kindNoun, lastNames } from '../semantic/kinds';
import { shownCall, unparenthesize } from '../semantic/processes';
import { constructorKind } from '../semantic/constructors';

/** Lock kinds that a fresh `with X():` makes useless; asyncio ones count under `async with`. */
const ASYNC_LOCKS = new Set(['asyncio.Lock', 'asyncio.Semaphore', 'asyncio.BoundedSemaphore', 'asyncio.Condition']);
const CONDITIONS = new Set(['threading.Condition', 'multiprocessing.Condition', 'asyncio.Condition']);

/** The expression of a `with` item, without `as name` and parentheses. */
function itemExpression(item: Node): Node | undefined {
  let value = item.childForFieldName('value') ?? item.namedChild(0);
  if (value?.type === 'as_pattern') value = value.namedChild(0);
  return value ? unparenthesize(value) : undefined;
}

/** The statement's own `with` items (children of its children), in order; not those of the `with` statements in its body. */
function ownItems(stmt: Node): Node[] {
  const items: Node[] = [];
  for (const child of stmt.children) for (const item of child.children) if (item.type === 'with_item') items.push(item);
  return items;
}

export default defineRule({
  code: 'PCC302',
  name: 'useless-with-lock',
  severity: 'error',
  summary: '`with threading.Lock():` makes a new lock on every entry, so it excludes nothing.',
  fixable: false,
  local: true,
  // A `with` statement whose item calls a lock's constructor: the keyword, and the constructor's name.
  requires: [['threading', 'multiprocessing', 'asyncio', '_thread'], 'with', lastNames([...KIND.syncLock, ...ASYNC_LOCKS])],
  docs: `
    ## What it does
    Flags a \`with\` statement whose item creates the lock on the spot:
    \`with threading.Lock():\`, and likewise \`RLock\`, \`Semaphore\`, \`BoundedSemaphore\` and
    \`Condition\` from \`threading\` and \`multiprocessing\` (also through an alias, a
    \`from\` import or a \`multiprocessing.get_context()\` context), and \`async with\` on a new
    \`asyncio.Lock()\`, \`Semaphore()\`, \`BoundedSemaphore()\` or \`Condition()\`. A
    \`Condition(lock)\` built around an existing lock is left alone: entering it takes that lock.

    ## Why is this bad?
    Every time the \`with\` line runs, it makes a brand-new lock that no other thread has ever
    seen, acquires it at once and throws it away at the end of the block. Two threads running
    the block hold two different locks, so both go in together: the block is not protected at
    all, though it looks as if it were. The lock has to exist before the threads do, shared by
    all of them.

    ## Example
    \`\`\`python
    import threading

    counter = 0


    def increment():
        global counter
        for _ in range(100_000):
            with threading.Lock():  # a new lock each time: no exclusion
                counter += 1


    threads = [threading.Thread(target=increment) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(counter)
    \`\`\`

    ## Use instead
    Create the lock once, at module level (or in \`__init__\` as \`self._lock\` for state that
    belongs to an instance), and use that one lock everywhere the state is touched:

    \`\`\`python
    import threading

    counter = 0
    counter_lock = threading.Lock()


    def increment():
        global counter
        for _ in range(100_000):
            with counter_lock:
                counter += 1


    threads = [threading.Thread(target=increment) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(counter)  # 400000
    \`\`\`

    ## References
    - [Using locks in the with statement](https://docs.python.org/3/library/threading.html#with-locks)
    - [threading.Lock](https://docs.python.org/3/library/threading.html#lock-objects)
    - [asyncio synchronization primitives](https://docs.python.org/3/library/asyncio-sync.html)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!['threading', 'multiprocessing', 'asyncio', '_thread'].some((m) => module.importsModule(m))) return;
    for (const stmt of module.of('with_statement')) {
      const isAsync = stmt.firstChild?.type === 'async';
      for (const item of ownItems(stmt)) {
        const expr = itemExpression(item);
        if (expr?.type !== 'call') continue;
        const kind = constructorKind(module, expr);
        if (!kind || !(isAsync ? ASYNC_LOCKS : KIND.syncLock).has(kind)) continue;
        const args = expr.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment') ?? [];
        // `Condition(lock)` takes that lock on entry: useless only when the lock is new too.
        if (CONDITIONS.has(kind) && args.length > 0 && !(args[0]?.type === 'call' && KIND.syncLock.has(constructorKind(module, args[0]) ?? ''))) continue;
        const noun = kindNoun(kind);
        const who = isAsync ? 'task' : kind.startsWith('multiprocessing.') ? 'process' : 'thread';
        ctx.report(expr, `\`${isAsync ? 'async with' : 'with'} ${shownCall(expr)}\` creates a new ${noun} on every entry: no other ${who} can ever hold it, so it protects nothing`);
      }
    }
  },
});
