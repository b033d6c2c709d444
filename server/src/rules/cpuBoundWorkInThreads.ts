import { defineRule, type Fix } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { owningScope } from '../semantic/scopes';
import { keywordArgument, methodCall } from '../semantic/statements';
import { functionOf, workerFunctions, workerHandoffs, type Handoff } from '../semantic/workerTargets';
import { lastNames } from '../semantic/kinds';
import { isCpuBound } from '../semantic/pureComputation';
import { isFreeThreaded } from '../coaching/gil';
import { addImports, replaceNode } from '../fixes/edits';
import { constructorKind } from '../semantic/constructors';

const THREAD_POOL = 'concurrent.futures.ThreadPoolExecutor';
const RECEIVERS = new Set(['threading.Thread', THREAD_POOL, 'multiprocessing.pool.ThreadPool']);
const MAIN_GUARD = /^__name__\s*==\s*(['"])__main__\1$|^(['"])__main__\2\s*==\s*__name__$/;

/** Under `if __name__ == "__main__":`. */
export function underMainGuard(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'if_statement' && MAIN_GUARD.test(p.childForFieldName('condition')?.text.trim() ?? '')) return true;
  }
  return false;
}

/** The `ThreadPoolExecutor(...)` call that made the executor a handoff goes to, when bound once to a name. */
function executorConstructor(module: ModuleIndex, h: Handoff): { ctor: Node; name: Node } | undefined {
  const object = methodCall(h.call)?.object;
  if (object?.type !== 'identifier') return undefined;
  const found = module.lookup(object.text, object);
  const binding = found?.bindings.length === 1 ? found.bindings[0] : undefined;
  const ctor = binding && (binding.how === 'assign' || binding.how === 'with') ? binding.value : undefined;
  if (ctor?.type !== 'call' || constructorKind(module, ctor) !== THREAD_POOL) return undefined;
  return { ctor, name: object };
}

/** Every callable handed to the executor is a module-level function, so a process can unpickle it. */
function allPicklable(module: ModuleIndex, name: Node): boolean {
  const scope = module.lookup(name.text, name)?.scope;
  return workerHandoffs(module).every((h) => {
    const object = methodCall(h.call)?.object;
    if (object?.type !== 'identifier' || object.text !== name.text || module.lookup(object.text, object)?.scope.id !== scope?.id) return true;
    const fn = h.callable.type === 'identifier' ? functionOf(module, h.callable) : undefined;
    return fn?.type === 'function_definition' && owningScope(fn).type === 'module';
  });
}

/** `ThreadPoolExecutor` → `ProcessPoolExecutor`, adding the import when the module needs it. */
function processPoolFix(module: ModuleIndex, h: Handoff): Fix | undefined {
  if (h.receiver !== THREAD_POOL) return undefined;
  const found = executorConstructor(module, h);
  if (!found || keywordArgument(found.ctor, 'thread_name_prefix') || !allPicklable(module, found.name)) return undefined;
  if (owningScope(found.ctor).type === 'module' && !underMainGuard(found.ctor)) return undefined;
  const callee = found.ctor.childForFieldName('function')!;
  const title = 'Use `ProcessPoolExecutor`';
  if (callee.type === 'attribute') {
    return { title, safe: false, edits: [replaceNode(callee.childForFieldName('attribute')!, 'ProcessPoolExecutor')] };
  }
  const imported = module.imports.find((i) => i.qualified === 'concurrent.futures.ProcessPoolExecutor' && i.node.type === 'import_from_statement');
  if (imported) return { title, safe: false, edits: [replaceNode(callee, imported.local)] };
  return {
    title,
    safe: false,
    edits: [replaceNode(callee, 'ProcessPoolExecutor'), ...addImports(module, ['from concurrent.futures import ProcessPoolExecutor'])],
  };
}

export default defineRule({
  code: 'PCC207',
  name: 'cpu-bound-work-in-threads',
  severity: 'info',
  summary: 'Pure-Python computation spread over threads: under the GIL it does not run in parallel.',
  fixable: true,
  // Only handoffs to these receivers are reported: one of their names.
  requires: [['threading', '_thread', 'multiprocessing', 'concurrent', 'asyncio', 'run_in_executor'], lastNames(RECEIVERS)],
  docs: `
    ## What it does
    A coaching hint. It looks at functions of the module handed to several threads at once: a
    \`threading.Thread\` target created in a loop or comprehension, a function submitted to a
    \`ThreadPoolExecutor\` (or \`multiprocessing.pool.ThreadPool\`) in a loop or with
    \`map\`, or one handed over in more than one place. It reports the function when its body
    is pure-Python computation, which here means exactly:

    - it has a loop or comprehension that does arithmetic (\`+\`, \`*\`, \`%\`, \`+=\`, ...), and
    - every call in it is to a computing builtin (\`range\`, \`len\`, \`sum\`, \`divmod\`, ...),
      to \`math\`, \`cmath\`, \`operator\`, \`fractions\` or \`decimal\`, to a list/dict/set method
      of its own local values, or to another function of the module that passes the same test;
    - it has no \`with\`, \`await\`, \`yield\`, \`global\`, nested function or class.

    Any other call, such as \`open\`, \`print\`, \`socket\`, \`requests\`, \`time.sleep\`, a queue's
    \`get\`/\`put\`, a lock, or a C library like \`hashlib\`, \`zlib\` or NumPy that may release the
    GIL, keeps the rule quiet. It is also quiet when the settings say the Python in use is a
    free-threaded build (3.13 or later).

    ## Why is this bad?
    In the default CPython build the global interpreter lock (GIL) lets only one thread run
    Python bytecode at a time. Threads help when they wait (for the network, disks, sleeps),
    because waiting releases the GIL; pure-Python computation does not wait, so the threads
    take turns and the total time is no better than a plain loop, often a little worse. Processes
    (\`ProcessPoolExecutor\`) each have their own interpreter and GIL and do run in parallel.

    Python 3.13 added an optional free-threaded build (PEP 703, \`python3.13t\`) without the
    GIL, experimental in 3.13 and officially supported, but still optional, from 3.14 (PEP 779).
    There such threads do run in parallel, provided every extension module imported supports
    it (otherwise the GIL is enabled again). When you use that build, set
    \`concurrencyCoach.freeThreaded\` to \`true\` and \`concurrencyCoach.pythonVersion\` (or
    \`requires-python\` in \`pyproject.toml\`) to 3.13 or later, and this rule stays quiet.

    ## Example
    \`\`\`python
    from concurrent.futures import ThreadPoolExecutor


    def count_primes(limit):
        found = 0
        for n in range(2, limit):
            if all(n % d for d in range(2, int(n ** 0.5) + 1)):
                found += 1
        return found


    def main():
        with ThreadPoolExecutor() as pool:
            print(sum(pool.map(count_primes, [20_000] * 4)))


    if __name__ == "__main__":
        main()
    \`\`\`

    ## Use instead
    \`\`\`python
    from concurrent.futures import ProcessPoolExecutor


    def count_primes(limit):
        found = 0
        for n in range(2, limit):
            if all(n % d for d in range(2, int(n ** 0.5) + 1)):
                found += 1
        return found


    def main():
        with ProcessPoolExecutor() as pool:
            print(sum(pool.map(count_primes, [20_000] * 4)))


    if __name__ == "__main__":
        main()
    \`\`\`

    ## Fix safety
    Unsafe: the fix replaces \`ThreadPoolExecutor\` with \`ProcessPoolExecutor\` (adding
    \`from concurrent.futures import ProcessPoolExecutor\` when needed). Arguments and results
    must now be picklable, each worker process takes time to start, and changes the function
    makes to shared objects are no longer seen by the caller. It is offered only when the
    executor is bound once to a name, created inside a function or under
    \`if __name__ == "__main__":\`, has no \`thread_name_prefix\`, and every function handed to
    it is a module-level function. No fix is offered for \`threading.Thread\`.

    ## References
    - [Global interpreter lock (glossary)](https://docs.python.org/3/glossary.html#term-global-interpreter-lock)
    - [ProcessPoolExecutor](https://docs.python.org/3/library/concurrent.futures.html#processpoolexecutor)
    - [Python support for free threading](https://docs.python.org/3/howto/free-threading-python.html)
  `,
  check(ctx) {
    const { module } = ctx;
    if (isFreeThreaded(ctx.options.python)) return;
    for (const worker of workerFunctions(module, 'thread')) {
      const threaded = worker.handoffs.filter((h) => RECEIVERS.has(h.receiver));
      const fanning = threaded.filter((h) => h.fanOut);
      if ((fanning.length === 0 && threaded.length < 2) || !isCpuBound(module, worker.fn)) continue;
      const name = worker.fn.childForFieldName('name')?.text ?? 'the function';
      // Report where the work fans out; when it fans out nowhere, every site runs beside the others.
      const sites = fanning.length > 0 ? fanning : threaded;
      for (const h of sites) {
        ctx.report(h.callable, `\`${name}\` is pure-Python computation: in threads it runs one at a time under the GIL and does not speed up`,
          processPoolFix(module, h));
      }
    }
  },
});
