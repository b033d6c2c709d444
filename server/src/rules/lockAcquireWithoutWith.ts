import { defineRule, type Fix } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { KIND, kindNoun, lastNames } from '../semantic/kinds';
import { enclosingFunction, functionName } from '../semantic/scopes';
import { compact, followingStatements, methodCall, methodCallsOn, nextStatement } from '../semantic/statements';
import { eol, indentRows, indentUnit, insertLines, lineIndent, lineText, replaceNode, stringContinuationRows } from '../fixes/edits';

/** Functions whose job is to hold a lock past their return, like `__enter__`. */
const HANDOFF_FUNCTIONS = /^(__a?enter__|_*acquire\w*|_*lock)$/;

function isReleaseOf(stmt: Node | undefined, lock: string): boolean {
  if (stmt?.type !== 'expression_statement') return false;
  const call = stmt.namedChild(0);
  const m = call?.type === 'call' ? methodCall(call) : undefined;
  return m?.method === 'release' && compact(m.object) === lock;
}

/** A `try` whose `finally` releases the lock. */
function releasesInFinally(stmt: Node | undefined, lock: string): boolean {
  if (stmt?.type !== 'try_statement') return false;
  const fin = stmt.namedChildren.find((c) => c?.type === 'finally_clause');
  return !!fin && methodCallsOn(fin, lock, 'release').length > 0;
}

/** `acquire()` as the first statement of a `try` whose `finally` releases. */
function firstInGuardedTry(stmt: Node, lock: string): boolean {
  const block = stmt.parent;
  const tryStmt = block?.parent;
  return tryStmt?.type === 'try_statement' && tryStmt.childForFieldName('body')?.id === block!.id
    && block!.namedChildren.find((c) => c?.type !== 'comment')?.id === stmt.id && releasesInFinally(tryStmt, lock);
}

/** `acquire()` ... `release()` in one block becomes `with lock:` over the statements between. */
function withFix(module: ModuleIndex, stmt: Node, release: Node, between: Node[], lock: string): Fix | undefined {
  if (between.some((s) => methodCallsOn(s, lock, 'release').length > 0)) return undefined;
  const rows = [stmt, ...between, release].map((s) => s.startPosition.row);
  if (new Set(rows).size !== rows.length) return undefined; // statements share a line (`a; b`)
  const indent = lineIndent(module, stmt.startPosition.row);
  const unit = indentUnit(module);
  const nl = eol(module);
  const releaseRow = release.startPosition.row;
  if (lineText(module, releaseRow).trim() !== release.text.trim()) return undefined; // a comment rides on it
  const edits = [replaceNode(stmt, `with ${lock}:`)];
  const deleteRelease = { range: { start: { line: releaseRow, character: 0 }, end: { line: releaseRow + 1, character: 0 } }, newText: '' };
  if (between.length === 0) {
    edits.push({ ...deleteRelease, newText: `${indent}${unit}pass${nl}` });
  } else {
    const skip = new Set<number>();
    for (const s of between) for (const row of stringContinuationRows(s)) skip.add(row);
    edits.push(...indentRows(module, stmt.startPosition.row + 1, releaseRow - 1, unit, skip), deleteRelease);
  }
  return { title: `Rewrite as \`with ${lock}:\``, safe: true, edits };
}

/** No release anywhere: wrap the rest of the block in `try/finally` that releases. */
function tryFinallyFix(module: ModuleIndex, stmt: Node, rest: Node[], lock: string): Fix | undefined {
  if (rest.length === 0 || stmt.endPosition.row === rest[0].startPosition.row) return undefined;
  const indent = lineIndent(module, stmt.startPosition.row);
  const unit = indentUnit(module);
  const nl = eol(module);
  const first = rest[0].startPosition.row;
  const last = rest[rest.length - 1].endPosition.row;
  const skip = new Set<number>();
  for (const s of rest) for (const row of stringContinuationRows(s)) skip.add(row);
  return {
    title: `Release \`${lock}\` in \`try/finally\``,
    safe: false,
    edits: [
      insertLines(first, `${indent}try:${nl}`),
      ...indentRows(module, first, last, unit, skip),
      insertLines(last + 1, `${indent}finally:${nl}${indent}${unit}${lock}.release()${nl}`),
    ],
  };
}

export default defineRule({
  code: 'PCC301',
  name: 'lock-acquire-without-with',
  severity: 'warning',
  summary: '`lock.acquire()` without `with` or `try/finally`: the lock stays held if the code raises.',
  fixable: true,
  // `.acquire()` on a lock: the method's name, and the name of the lock's constructor.
  requires: [['threading', 'multiprocessing', '_thread'], 'acquire', lastNames(KIND.syncLock)],
  docs: `
    ## What it does
    Flags \`acquire()\` on a \`threading\` or \`multiprocessing\` lock or semaphore whose result
    is discarded and that is not immediately followed by a \`try:\` whose \`finally:\`
    releases it. \`acquire(blocking=False)\` or \`acquire(timeout=...)\` checked in an \`if\`,
    methods such as \`__enter__\` whose job is to hold the lock, and locks used as signals (acquired
    in a function that never releases them, and released by other code such as another thread's
    function) are left alone.

    ## Why is this bad?
    If anything between \`acquire()\` and \`release()\` raises or returns early, \`release()\` never
    runs and the lock stays held: the next thread that asks for it waits forever. \`with lock:\`
    releases the lock on every way out of the block.

    ## Example
    \`\`\`python
    import threading

    lock = threading.Lock()
    counter = 0


    def increment():
        global counter
        lock.acquire()
        counter += 1  # if this raised, the lock would never be released
        lock.release()


    increment()
    print(counter)
    \`\`\`

    ## Use instead
    \`\`\`python
    import threading

    lock = threading.Lock()
    counter = 0


    def increment():
        global counter
        with lock:
            counter += 1


    increment()
    print(counter)
    \`\`\`

    ## Fix safety
    When \`acquire()\` and \`release()\` stand in the same block, the fix rewrites the pair as
    \`with lock:\` over the statements between them. This is safe: on the normal path the lock is
    held over exactly the same statements, and on an exception it is now released. When the
    block has no \`release()\`, the fix wraps the rest of the block in \`try/finally\` that
    releases the lock; that is unsafe, because the lock was previously held past the block.

    ## References
    - [Using locks in the with statement](https://docs.python.org/3/library/threading.html#with-locks)
    - [threading.Lock.acquire](https://docs.python.org/3/library/threading.html#threading.Lock.acquire)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('threading') && !module.importsModule('multiprocessing') && !module.importsModule('_thread')) return;
    for (const { call } of module.allCalls()) {
      const m = methodCall(call);
      if (m?.method !== 'acquire' || call.parent?.type !== 'expression_statement') continue;
      const kind = module.kindOf(m.object);
      if (!kind || !KIND.syncLock.has(kind)) continue;
      const fn = enclosingFunction(call);
      if (fn && HANDOFF_FUNCTIONS.test(functionName(fn))) continue;
      const lock = compact(m.object);
      const stmt = call.parent;
      if (releasesInFinally(nextStatement(stmt), lock) || firstInGuardedTry(stmt, lock)) continue;
      // A lock this function never releases, released by other code (another thread's function),
      // is a signal handed over on purpose, not a forgotten release.
      const ownReleases = methodCallsOn(fn ?? module.root, lock, 'release').filter((c) => enclosingFunction(c) === fn);
      if (ownReleases.length === 0 && methodCallsOn(module.root, lock, 'release').length > 0) continue;
      const rest = followingStatements(stmt);
      const releaseAt = rest.findIndex((s) => isReleaseOf(s, lock));
      const hasArgs = (call.childForFieldName('arguments')?.namedChildCount ?? 0) > 0;
      let fix: Fix | undefined;
      if (releaseAt >= 0 && !hasArgs) fix = withFix(module, stmt, rest[releaseAt], rest.slice(0, releaseAt), lock);
      else if (releaseAt < 0 && ownReleases.length === 0) fix = tryFinallyFix(module, stmt, rest, lock);
      ctx.report(call, `${kindNoun(kind)} \`${lock}\` is acquired without \`with\`: it stays held if the code before \`release()\` raises`, fix);
    }
  },
});
