import { defineRule, type Fix } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { owningScope } from '../semantic/scopes';
import { compact, statementOf } from '../semantic/statements';
import { handoffWords, insideLoop, workerFunctions, type WorkerFunction } from '../semantic/workerTargets';
import { ownNodes } from '../semantic/functionBodies';
import { firstBlockingCall } from '../semantic/blockingCalls';
import { eol, indentRows, indentUnit, insertLines, lineIndent, lineText, stringContinuationRows } from '../fixes/edits';

/** Kinds that give mutual exclusion with `with`: not semaphores, which may admit several threads. */
const MUTEXES = new Set([
  'threading.Lock', 'threading.RLock', 'threading.Condition', '_thread.allocate_lock', '_thread.RLock',
  'multiprocessing.Lock', 'multiprocessing.RLock', 'multiprocessing.Condition',
]);
const LOCKISH = /lock|mutex|cond|sem/i;

interface Write {
  statement: Node;
  /** What is updated, as written: `counter`, `self.total`, `stats["hits"]`. */
  target: Node;
  /** Identity of the shared state, to match writes in different functions. */
  key: string;
}

/** The name at the root of `a`, `a.b`, `a[b].c`. */
function rootName(node: Node): Node | undefined {
  let current: Node | null = node;
  while (current && (current.type === 'attribute' || current.type === 'subscript')) {
    current = current.type === 'attribute' ? current.childForFieldName('object') : current.childForFieldName('value');
  }
  return current?.type === 'identifier' ? current : undefined;
}

/** The shared state a target names, seen from `fn`: a global/nonlocal name, or state reached through one, or `self`. */
function sharedKey(module: ModuleIndex, target: Node, fn: Node, worker: WorkerFunction): string | undefined {
  const root = rootName(target);
  if (!root) return undefined;
  const found = module.lookup(root.text, root);
  if (target.type === 'identifier') {
    const declared = module.bindings(fn).get(root.text)?.find((b) => b.how === 'global');
    if (!declared) return undefined;
    return declared.node.type === 'nonlocal_statement' ? `${owningScope(fn).id}:${root.text}` : `module:${root.text}`;
  }
  if (root.text === 'self' && found?.scope.id === fn.id) {
    // `self.x` of a Thread subclass's run() is that thread's own state.
    if (worker.handoffs.length === 0) return undefined;
    const cls = module.classOfSelf(root);
    return cls ? `${cls.id}:self.${target.text.replace(/\s+/g, '').split(/[.[]/)[1]}` : undefined;
  }
  if (!found) return undefined;
  if (found.scope.id === fn.id) return undefined;
  return `${found.scope.type === 'module' ? 'module' : found.scope.id}:${root.text}`;
}

/** Read-modify-writes of shared state in the function's own body. */
function sharedWrites(module: ModuleIndex, worker: WorkerFunction): Write[] {
  const fn = worker.fn;
  const writes: Write[] = [];
  for (const node of ownNodes(fn, 'augmented_assignment', 'assignment')) {
    const target = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!target || !right || !['identifier', 'attribute', 'subscript'].includes(target.type)) continue;
    if (node.type === 'assignment') {
      // `x = x + 1`, `d[k] = d.get(k, 0) + 1`: the new value reads what it replaces.
      const container = target.type === 'subscript' ? target.childForFieldName('value') : target;
      const read = container ? compact(container) : undefined;
      const reads = [right, ...right.descendantsOfType(['identifier', 'attribute', 'subscript']).filter((n): n is Node => !!n)];
      if (!read || !reads.some((n) => compact(n) === read)) continue;
    }
    const key = sharedKey(module, target, fn, worker);
    if (key) writes.push({ statement: statementOf(node), target, key });
  }
  return writes;
}

/** Inside `with <lock>:` within the function, or after the function acquired something. */
function holdsLock(module: ModuleIndex, node: Node, fn: Node): boolean {
  for (let p = node.parent; p && p.id !== fn.id; p = p.parent) {
    if (p.type !== 'with_statement') continue;
    for (const item of p.descendantsOfType('with_item')) {
      const value = item?.childForFieldName('value');
      const expr = value?.type === 'as_pattern' ? value.namedChild(0) : value;
      if (!expr) continue;
      const kind = module.kindOf(expr);
      if ((kind && MUTEXES.has(kind)) || LOCKISH.test(expr.text)) return true;
    }
  }
  return ownNodes(fn, 'call').some((c) => c.startIndex < node.startIndex && /\.\s*acquire$/.test(c.childForFieldName('function')?.text ?? ''));
}

/** A decorator that takes a lock for the whole function (`@synchronized`, `@with_lock`). */
function lockingDecorator(fn: Node): boolean {
  const parent = fn.parent;
  return parent?.type === 'decorated_definition'
    && parent.namedChildren.some((d) => d?.type === 'decorator' && /lock|synchron/i.test(d.text));
}

/** Mutex locks reachable from the function: module and enclosing-function names, and `self.x` of its class. */
function locksInScope(module: ModuleIndex, fn: Node): string[] {
  const locks = new Set<string>();
  for (let scope = owningScope(fn); ; scope = owningScope(scope)) {
    if (scope.type !== 'class_definition') {
      for (const [name, bindings] of module.bindings(scope)) {
        if (bindings.some((b) => b.how === 'assign' && b.value && MUTEXES.has(module.kindOf(b.value) ?? ''))) locks.add(name);
      }
    }
    if (scope.type === 'module') break;
  }
  const params = fn.childForFieldName('parameters')?.namedChildren ?? [];
  const cls = owningScope(fn);
  if (cls.type === 'class_definition' && params[0]?.text === 'self') {
    for (const assign of module.of('assignment')) {
      const left = assign.childForFieldName('left');
      const right = assign.childForFieldName('right');
      if (left?.type !== 'attribute' || compact(left.childForFieldName('object')!) !== 'self' || !right) continue;
      const self = left.childForFieldName('object')!;
      if (module.classOfSelf(self)?.id === cls.id && MUTEXES.has(module.kindOf(right) ?? '')) locks.add(compact(left));
    }
  }
  // A name the function binds itself shadows the outer lock.
  return [...locks].filter((l) => l.includes('.') || !module.bindings(fn).get(l)?.some((b) => b.how !== 'global'));
}

/** The one lock to take: the only lock in scope, or for `self.x` state the only lock on `self`. */
function chooseLock(locks: string[], target: Node): string | undefined {
  if (locks.length === 1) return locks[0];
  const own = locks.filter((l) => l.startsWith('self.'));
  return compact(target).startsWith('self.') && own.length === 1 ? own[0] : undefined;
}

/** `with lock:` over the statements first..last of one block. */
function withLockFix(module: ModuleIndex, statement: Node, last: Node, lock: string): Fix | undefined {
  const row = statement.startPosition.row;
  const indent = lineIndent(module, row);
  if (lineText(module, row).slice(0, statement.startPosition.column).trim() !== '') return undefined;
  const prev = statement.previousNamedSibling;
  if (prev && prev.type !== 'comment' && prev.endPosition.row === row) return undefined;
  const next = last.nextNamedSibling;
  if (next && next.type !== 'comment' && next.startPosition.row === last.endPosition.row) return undefined;
  const skip = new Set<number>();
  for (let s: Node | null = statement; s; s = s.id === last.id ? null : s.nextNamedSibling) for (const r of stringContinuationRows(s)) skip.add(r);
  return {
    title: `Wrap in \`with ${lock}:\``,
    safe: false,
    edits: [
      insertLines(row, `${indent}with ${lock}:${eol(module)}`),
      ...indentRows(module, row, last.endPosition.row, indentUnit(module), skip),
    ],
  };
}

/** The run of statements flagged with the same lock, next to each other in one block, that holds `statement`. */
function runAround(statement: Node, lockOf: Map<number, string | undefined>): { first: Node; last: Node } {
  const lock = lockOf.get(statement.id);
  const step = (s: Node, forward: boolean): Node | undefined => {
    let n = forward ? s.nextNamedSibling : s.previousNamedSibling;
    while (n?.type === 'comment') n = forward ? n.nextNamedSibling : n.previousNamedSibling;
    return n && lockOf.has(n.id) && lockOf.get(n.id) === lock ? n : undefined;
  };
  let first = statement;
  let last = statement;
  for (let p = step(first, false); p; p = step(p, false)) first = p;
  for (let n = step(last, true); n; n = step(n, true)) last = n;
  return { first, last };
}

/** Instances of a Thread subclass made in a loop: its `run()` runs in several threads at once. */
function subclassFanOut(module: ModuleIndex, run: Node): boolean {
  const cls = owningScope(run);
  const name = cls.type === 'class_definition' ? cls.childForFieldName('name')?.text : undefined;
  return !!name && module.allCalls().some(({ call, callee }) =>
    callee.type === 'identifier' && callee.text === name && insideLoop(call)
    && module.lookup(name, callee)?.bindings.some((b) => b.node.id === cls.id));
}

export default defineRule({
  code: 'PCC208',
  name: 'unsynchronized-shared-state',
  severity: 'warning',
  summary: 'A thread target updates shared state with a read-modify-write and no lock.',
  fixable: true,
  requires: [['threading', '_thread', 'multiprocessing', 'concurrent', 'asyncio', 'run_in_executor'], handoffWords('thread')],
  docs: `
    ## What it does
    A coaching heuristic. It looks at functions of the module that run in threads: a
    \`threading.Thread\` target, a function submitted to a \`ThreadPoolExecutor\` or
    \`ThreadPool\`, passed to \`asyncio.to_thread\` or \`loop.run_in_executor\`, or the
    \`run()\` of a Thread subclass. It reports a read-modify-write of shared state in such a
    function's own body:

    - an augmented assignment (\`counter += 1\`, \`self.total += n\`, \`stats[k] += 1\`), or
    - an assignment whose value reads the target (\`counter = counter + 1\`,
      \`d[k] = d.get(k, 0) + 1\`),

    where the state is shared: a name declared \`global\` or \`nonlocal\`, an item or
    attribute of a module-level or enclosing-function name, or \`self.x\` in a method handed
    to threads (not in a Thread subclass's own \`run()\`, where \`self\` is that thread).

    It reports only when several threads may run the update at once: the function is handed
    over in a loop or comprehension, with \`map\`, or in more than one place, or another
    thread function updates the same state. It stays quiet when the statement is inside
    \`with <lock>:\` (a \`threading\` lock, or any name that looks like a lock), after the
    function called \`acquire()\`, or in a function decorated with something like
    \`@synchronized\`. It also stays quiet on a function that does I/O or waits anywhere in its
    own body: a call to \`open\`, \`print\`, \`input\`, \`time.sleep\`, anything from
    \`socket\`, \`requests\`, \`httpx\`, \`urllib\`, \`http\`, \`subprocess\`, \`os\`,
    \`shutil\` or \`logging\`, a queue's \`get\`/\`put\`/\`task_done\`/\`join\`, a file,
    socket or logger method (\`read\`, \`write\`, \`recv\`, \`send\`, \`info\`, ...), or any
    \`wait()\`. Such workers often coordinate through those calls, so the rule keeps to the
    clear cases; their shared counters still need a lock and are worth a look by hand. A plain
    store (\`done = True\`) is not reported: one store cannot lose another thread's update.

    ## Why is this bad?
    \`counter += 1\` is three steps: read \`counter\`, add one, store it. Python does not
    promise that another thread cannot run between the read and the store; if it does and
    stores its own result, one update is lost. With the GIL the switch is rare, so the bug
    shows up once in a while; on the free-threaded build of Python 3.13 and later (no GIL),
    threads really run at the same time and updates are lost routinely. Built-in \`dict\` and
    \`list\` stay internally consistent there, but a read-modify-write still needs a lock.

    ## Example
    \`\`\`python
    import threading

    counter = 0
    lock = threading.Lock()


    def work():
        global counter
        for _ in range(10_000):
            counter += 1  # read, add, store: not atomic


    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(counter)
    \`\`\`

    ## Use instead
    \`\`\`python
    import threading

    counter = 0
    lock = threading.Lock()


    def work():
        global counter
        for _ in range(10_000):
            with lock:
                counter += 1


    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(counter)
    \`\`\`

    ## Fix safety
    Unsafe: the fix wraps the statement in \`with <lock>:\` when exactly one mutex (\`Lock\`,
    \`RLock\`, \`Condition\`) is in scope: a module-level or enclosing-function name, or a
    \`self.x\` lock of the method's class. Taking a lock changes timing, and code elsewhere that
    updates the same state must take the same lock for the protection to be complete.

    ## References
    - [threading.Lock](https://docs.python.org/3/library/threading.html#lock-objects)
    - [Python support for free threading](https://docs.python.org/3/howto/free-threading-python.html)
  `,
  check(ctx) {
    const { module } = ctx;
    const workers = workerFunctions(module, 'thread')
      .filter((w) => w.fn.type === 'function_definition' && !lockingDecorator(w.fn) && !firstBlockingCall(module, w.fn));
    const all = workers.map((w) => ({ worker: w, writes: sharedWrites(module, w) }));
    const writersByKey = new Map<string, Set<number>>();
    for (const { worker, writes } of all) {
      for (const w of writes) writersByKey.set(w.key, (writersByKey.get(w.key) ?? new Set()).add(worker.fn.id));
    }
    for (const { worker, writes } of all) {
      const concurrent = worker.fanOut || (worker.handoffs.length === 0 && subclassFanOut(module, worker.fn));
      const reported = writes.filter((w) => (concurrent || (writersByKey.get(w.key)?.size ?? 0) >= 2) && !holdsLock(module, w.statement, worker.fn));
      const locks = reported.length > 0 ? locksInScope(module, worker.fn) : [];
      const lockOf = new Map(reported.map((w) => [w.statement.id, chooseLock(locks, w.target)]));
      const name = worker.fn.childForFieldName('name')?.text ?? 'the thread function';
      for (const write of reported) {
        const text = write.statement.text.length <= 40 && !write.statement.text.includes('\n') ? write.statement.text : compact(write.target);
        const lock = lockOf.get(write.statement.id);
        const run = runAround(write.statement, lockOf);
        ctx.report(write.statement, `\`${text}\` in thread function \`${name}\` updates shared \`${compact(write.target)}\` without a lock: concurrent updates can be lost`,
          lock ? withLockFix(module, run.first, run.last, lock) : undefined);
      }
    }
  },
});
