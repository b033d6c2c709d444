import { defineRule } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { keywordArgument, methodCall, usesInScope } from '../semantic/statements';
import { EXECUTOR_KINDS, firstArgument, PROCESS_POOL_KINDS, shortKind } from '../semantic/processes';
import { lastNames } from '../semantic/kinds';

/** `multiprocessing.Pool` methods whose result object is the only way to see a worker's exception. */
const POOL_ASYNC_METHODS = new Set(['apply_async', 'map_async', 'starmap_async']);
const THREAD_POOL = 'multiprocessing.pool.ThreadPool';

/** A name bound to the call's result that is never read afterwards. */
function boundButUnused(module: ModuleIndex, call: Node): string | undefined {
  const assign = call.parent;
  if (assign?.type !== 'assignment' || assign.childForFieldName('right')?.id !== call.id) return undefined;
  const left = assign.childForFieldName('left');
  if (left?.type !== 'identifier' || left.text === '_') return undefined;
  const found = module.lookup(left.text, left);
  if (!found || found.scope.type === 'module' || found.scope.type === 'class_definition') return undefined;
  const reads = usesInScope(module, found.scope, left.text).filter((id) => {
    const parent = id.parent;
    return !((parent?.type === 'assignment' || parent?.type === 'augmented_assignment') && parent.childForFieldName('left')?.id === id.id);
  });
  return reads.length === 0 ? left.text : undefined;
}

/** The function the task runs, as written, for the message. */
function taskName(call: Node): string {
  const fn = firstArgument(call, 'fn') ?? firstArgument(call, 'func');
  return fn && fn.type !== 'lambda' && fn.text.length <= 40 && !fn.text.includes('\n') ? `\`${fn.text}\`` : 'the task';
}

export default defineRule({
  code: 'PCC404',
  name: 'future-exception-never-checked',
  severity: 'warning',
  summary: 'The future of `executor.submit()` or the iterator of `executor.map()` is dropped: worker exceptions vanish.',
  fixable: false,
  local: true,
  // A task method on an executor or pool: the method's name, and the name of the pool's constructor.
  requires: [['concurrent', 'multiprocessing'], ['submit', 'map', ...POOL_ASYNC_METHODS], lastNames([...EXECUTOR_KINDS, ...PROCESS_POOL_KINDS, THREAD_POOL])],
  docs: `
    ## What it does
    Flags \`executor.submit(...)\` used as a statement, so the \`Future\` it returns is dropped,
    and \`executor.map(...)\` whose result is dropped or bound to a name that is never read, on a
    \`ThreadPoolExecutor\` or \`ProcessPoolExecutor\` (also through \`with ... as executor\`,
    aliases and \`self.executor\`). The \`multiprocessing.Pool\` equivalents are flagged the same
    way: \`apply_async\`, \`map_async\` and \`starmap_async\` as a statement without an
    \`error_callback=\`.

    ## Why is this bad?
    An exception raised in a worker is not printed anywhere: it is stored in the future (or the
    \`AsyncResult\`) and raised again only when someone asks for the result. A future that nobody
    keeps is never asked, so the error disappears without a trace and the program goes on as if
    the work had been done. \`executor.map()\` is lazy about errors in the same way: they surface
    while iterating its result, and an iterator that is never consumed never raises.

    ## Example
    \`\`\`python
    from concurrent.futures import ThreadPoolExecutor


    def save(item):
        if item == 2:
            raise ValueError(f"cannot save {item}")
        print("saved", item)


    with ThreadPoolExecutor(2) as executor:
        for item in range(4):
            executor.submit(save, item)  # the ValueError is never seen
    print("all saved?")
    \`\`\`

    ## Use instead
    Keep the futures and collect their results (or check \`future.exception()\`, or attach a
    callback with \`add_done_callback\`):

    \`\`\`python
    from concurrent.futures import ThreadPoolExecutor, as_completed


    def save(item):
        if item == 2:
            raise ValueError(f"cannot save {item}")
        print("saved", item)


    with ThreadPoolExecutor(2) as executor:
        futures = [executor.submit(save, item) for item in range(4)]
        for future in as_completed(futures):
            try:
                future.result()
            except ValueError as error:
                print("failed:", error)
    \`\`\`

    ## References
    - [Executor.submit](https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.Executor.submit)
    - [Executor.map](https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.Executor.map)
    - [Future.result](https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.Future.result)
    - [Pool.apply_async](https://docs.python.org/3/library/multiprocessing.html#multiprocessing.pool.Pool.apply_async)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('concurrent') && !module.importsModule('multiprocessing')) return;
    for (const { call } of module.allCalls()) {
      const m = methodCall(call);
      if (!m || !['submit', 'map', ...POOL_ASYNC_METHODS].includes(m.method)) continue;
      const kind = module.kindOf(m.object);
      if (!kind) continue;
      const dropped = call.parent?.type === 'expression_statement';
      const shown = `${m.object.text}.${m.method}()`;
      if (EXECUTOR_KINDS.has(kind) && m.method === 'submit' && dropped) {
        ctx.report(call, `The future of \`${shown}\` is dropped: an exception raised in ${taskName(call)} is silently lost`);
      } else if (EXECUTOR_KINDS.has(kind) && m.method === 'map') {
        const unused = dropped ? undefined : boundButUnused(module, call);
        if (dropped) ctx.report(call, `The result of \`${shown}\` is never iterated: an exception raised in ${taskName(call)} is silently lost`);
        else if (unused) ctx.report(call, `\`${unused}\`, the result of \`${shown}\`, is never iterated: an exception raised in ${taskName(call)} is silently lost`);
      } else if ((PROCESS_POOL_KINDS.has(kind) || kind === THREAD_POOL) && POOL_ASYNC_METHODS.has(m.method) && dropped) {
        if (keywordArgument(call, 'error_callback')) continue;
        ctx.report(call, `The result of \`${shown}\` on a ${shortKind(kind)} is dropped and there is no \`error_callback=\`: an exception raised in ${taskName(call)} is silently lost`);
      }
    }
  },
});
