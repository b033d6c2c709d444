import { defineRule, type Fix } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { enclosingFunction, functionName } from '../semantic/scopes';
import { childOfBlock, followingStatements, methodCall, usesInScope } from '../semantic/statements';
import { POOL_KINDS, shortKind, shownCall } from '../semantic/processes';
import { poolFate, poolRegionLength } from '../semantic/poolLifetime';
import { indentRows, indentUnit, replaceNode, stringContinuationRows } from '../fixes/edits';
import { constructorKind } from '../semantic/constructors';
import { lastNames } from '../semantic/kinds';

const ENDING_METHODS = new Set(['shutdown', 'close', 'terminate', 'join', '__exit__', '__enter__']);

function workers(kind: string): string {
  return /Thread/.test(kind) ? 'worker threads' : kind.includes('Interpreter') ? 'worker interpreters' : 'worker processes';
}

/** `pool = Pool(...)` ... becomes `with Pool(...) as pool:` over the statements that need the pool. */
function withFix(module: ModuleIndex, scope: Node, assign: Node, name: string, ctor: Node): Fix | undefined {
  const stmt = assign.parent;
  const block = stmt?.parent;
  if (stmt?.type !== 'expression_statement' || stmt.namedChildCount !== 1 || block?.type !== 'block') return undefined;
  if (assign.childForFieldName('type')) return undefined;
  const found = module.lookup(name, assign);
  if (!found || found.bindings.length !== 1) return undefined;
  const following = followingStatements(stmt);
  const uses = usesInScope(module, scope, name).filter((u) => u.id !== assign.childForFieldName('left')?.id);
  if (uses.some((u) => u.startIndex < stmt.endIndex || !childOfBlock(u, block))) return undefined;
  const length = poolRegionLength(following, name);
  if (length === 0) return undefined;
  const region = following.slice(0, length);
  const rows = [stmt, ...region, ...following.slice(length, length + 1)];
  for (let i = 1; i < rows.length; i++) if (rows[i].startPosition.row <= rows[i - 1].endPosition.row) return undefined;
  const skip = new Set<number>();
  for (const s of region) for (const row of stringContinuationRows(s)) skip.add(row);
  const last = region[region.length - 1].endPosition.row;
  return {
    title: `Rewrite as \`with ... as ${name}:\``,
    safe: false,
    edits: [replaceNode(assign, `with ${ctor.text} as ${name}:`), ...indentRows(module, stmt.endPosition.row + 1, last, indentUnit(module), skip)],
  };
}

export default defineRule({
  code: 'PCC403',
  name: 'pool-never-shut-down',
  severity: 'warning',
  summary: 'A pool or executor bound to a local name is never shut down, nor used in `with`.',
  fixable: true,
  local: true,
  requires: [['multiprocessing', 'concurrent'], lastNames(POOL_KINDS)],
  docs: `
    ## What it does
    Flags a \`multiprocessing.Pool\`, \`multiprocessing.pool.ThreadPool\`,
    \`concurrent.futures.ThreadPoolExecutor\` or \`ProcessPoolExecutor\` created in a function
    and bound to a local name, when that function never uses it in \`with\`, never calls
    \`shutdown()\`, \`close()\`, \`terminate()\` or \`join()\` on it, and does not hand it to
    other code (return it, store it, pass it on). A pool created only to make one call,
    \`ThreadPoolExecutor().submit(...)\`, is flagged too. Module-level pools and pools stored
    on \`self\` are meant to live long and are left alone.

    ## Why is this bad?
    A pool owns worker threads or processes. Left open, they outlive the function that made
    them: every call of the function starts a fresh set, until the program runs out of threads,
    processes or file descriptors. Pending work is not waited for, exceptions stay unseen, and
    at exit the interpreter may hang joining executor threads, or kill \`Pool\` workers in the
    middle of a task. \`with\` shuts the pool down on every way out of the block.

    ## Example
    \`\`\`python
    from concurrent.futures import ThreadPoolExecutor


    def fetch_all(urls):
        executor = ThreadPoolExecutor(max_workers=4)
        return list(executor.map(len, urls))  # the four threads are never shut down


    print(fetch_all(["a", "bb", "ccc"]))
    \`\`\`

    ## Use instead
    \`\`\`python
    from concurrent.futures import ThreadPoolExecutor


    def fetch_all(urls):
        with ThreadPoolExecutor(max_workers=4) as executor:
            return list(executor.map(len, urls))


    print(fetch_all(["a", "bb", "ccc"]))
    \`\`\`

    Where a \`with\` block does not fit, call \`executor.shutdown()\` (or \`pool.close()\` and
    \`pool.join()\`) in a \`finally:\` block.

    ## Fix safety
    Unsafe: the pool is now shut down at the end of the \`with\` block, which changes timing.
    The fix turns \`pool = Pool(...)\` into \`with Pool(...) as pool:\` and indents the statements
    after it up to the last one that uses the pool or anything obtained from it (results,
    futures, lists they were collected in). Leaving an executor's \`with\` waits for pending
    work (\`shutdown(wait=True)\`); leaving a \`multiprocessing.Pool\`'s \`with\` calls
    \`terminate()\`, which stops work whose results were not yet collected inside the block.
    No fix is offered when the pool is used outside the block it was created in.

    ## References
    - [Executor.shutdown](https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.Executor.shutdown)
    - [multiprocessing.pool.Pool](https://docs.python.org/3/library/multiprocessing.html#multiprocessing.pool.Pool)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('multiprocessing') && !module.importsModule('concurrent')) return;
    for (const { call } of module.allCalls()) {
      const kind = constructorKind(module, call);
      if (!kind || !POOL_KINDS.has(kind)) continue;
      const fn = enclosingFunction(call);
      if (!fn) continue;
      const parent = call.parent;
      const noun = shortKind(kind);
      if (parent?.type === 'attribute' && parent.parent?.type === 'call' && parent.childForFieldName('object')?.id === call.id) {
        const m = methodCall(parent.parent);
        if (m && !ENDING_METHODS.has(m.method)) {
          ctx.report(call, `\`${shownCall(call)}\` is created for one \`${m.method}()\` call and never shut down: its ${workers(kind)} outlive \`${functionName(fn)}\``);
        }
        continue;
      }
      if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== call.id) continue;
      const left = parent.childForFieldName('left');
      if (left?.type !== 'identifier') continue;
      const found = module.lookup(left.text, left);
      if (!found || found.scope.id !== fn.id) continue;
      if (poolFate(module, fn, left.text) !== 'leaks') continue;
      ctx.report(
        call,
        `${noun} \`${left.text}\` is never shut down: its ${workers(kind)} outlive \`${functionName(fn)}\``,
        withFix(module, fn, parent, left.text, call),
      );
    }
  },
});
