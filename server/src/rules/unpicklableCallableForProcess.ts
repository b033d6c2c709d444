import { defineRule, type RuleContext } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { KIND, lastNames } from '../semantic/kinds';
import { keywordArgument, methodCall } from '../semantic/statements';
import {
  firstArgument, PROCESS_POOL_KINDS, shortKind, underMainGuard, unparenthesize, usesFork, creatingCalls, setsForkStartMethod,
} from '../semantic/processes';
import { constructorKind } from '../semantic/constructors';

/** Pool methods whose first argument is the function sent to the workers. */
const POOL_METHODS = new Set(['map', 'map_async', 'imap', 'imap_unordered', 'apply', 'apply_async', 'starmap', 'starmap_async']);
const EXECUTOR_METHODS = new Set(['submit', 'map']);
const PROCESS_EXECUTOR = 'concurrent.futures.ProcessPoolExecutor';

interface Problem {
  /** What the callable is, for the message: "lambda", "nested function `work`". */
  what: string;
  /** Pickling fails only when the child is not forked: a function defined under the main guard. */
  spawnOnly: boolean;
}

/** Why a callable cannot be pickled by reference, if it cannot. */
function unpicklable(module: ModuleIndex, expr: Node): Problem | undefined {
  const node = unparenthesize(expr);
  if (node.type === 'lambda') return { what: 'lambda', spawnOnly: false };
  if (node.type === 'call') {
    // functools.partial(f, ...) pickles f by reference too.
    const callee = node.childForFieldName('function');
    const arg = firstArgument(node, 'func');
    return callee && module.resolve(callee) === 'functools.partial' && arg ? unpicklable(module, arg) : undefined;
  }
  if (node.type !== 'identifier') return undefined;
  const found = module.lookup(node.text, node);
  if (!found || found.bindings.length !== 1) return undefined;
  const [binding] = found.bindings;
  const local = found.scope.type !== 'module';
  if (binding.how === 'def' || binding.how === 'class') {
    const noun = binding.how === 'def' ? 'function' : 'class';
    if (local) return { what: `${binding.how === 'def' ? 'nested' : 'local'} ${noun} \`${node.text}\``, spawnOnly: false };
    if (underMainGuard(binding.node)) return { what: `${noun} \`${node.text}\` defined under \`if __name__ == "__main__":\``, spawnOnly: true };
    return undefined;
  }
  if (binding.how === 'assign' && binding.value && unparenthesize(binding.value).type === 'lambda') {
    return { what: `lambda \`${node.text}\``, spawnOnly: false };
  }
  return undefined;
}

/** How the callable reaches the other process: as a task, an initializer, or a `Process` target. */
type Role = 'task' | 'initializer' | 'target';

const HOW: Record<Role, string> = {
  task: 'every task is pickled to reach a worker process',
  initializer: 'the initializer is pickled to reach each worker process',
  target: 'under the spawn and forkserver start methods the target is pickled to reach the child',
};

function report(ctx: RuleContext, arg: Node, problem: Problem, where: string, role: Role): void {
  const what = `${problem.what[0].toUpperCase()}${problem.what.slice(1)}`;
  if (problem.spawnOnly) {
    ctx.report(arg, `${what} is passed to ${where}, but spawned and forkserver children import the module without running the guard, so they cannot unpickle it`);
  } else {
    ctx.report(arg, `${what} passed to ${where} cannot be pickled, and ${HOW[role]}`);
  }
}

/** `Process(target=...)`: pickled only when the process is not forked. */
function checkProcess(ctx: RuleContext, call: Node): void {
  const target = keywordArgument(call, 'target');
  const problem = target && unpicklable(ctx.module, target);
  if (!problem || usesFork(ctx.module, call)) return;
  const callee = call.childForFieldName('function')!.text;
  report(ctx, target!, problem, `\`${callee}(target=...)\``, 'target');
}

/** `initializer=` of a process pool or executor is pickled like the tasks. */
function checkInitializer(ctx: RuleContext, call: Node): void {
  const init = keywordArgument(call, 'initializer');
  const problem = init && unpicklable(ctx.module, init);
  if (!problem || (problem.spawnOnly && usesFork(ctx.module, call))) return;
  const callee = call.childForFieldName('function')!.text;
  report(ctx, init!, problem, `\`${callee}(initializer=...)\``, 'initializer');
}

/** `pool.map(f, ...)`, `executor.submit(f, ...)`, `loop.run_in_executor(executor, f)`. */
function checkTask(ctx: RuleContext, call: Node): void {
  const { module } = ctx;
  const m = methodCall(call);
  // Only these methods take a task: any other call is left before its object's kind is worked out.
  if (!m || !(POOL_METHODS.has(m.method) || EXECUTOR_METHODS.has(m.method) || m.method === 'run_in_executor')) return;
  let fn: Node | undefined;
  let pool: Node = m.object;
  const kind = module.kindOf(m.object);
  if (kind && PROCESS_POOL_KINDS.has(kind) && POOL_METHODS.has(m.method)) fn = firstArgument(call, 'func');
  else if (kind === PROCESS_EXECUTOR && EXECUTOR_METHODS.has(m.method)) fn = firstArgument(call, 'fn');
  else if (m.method === 'run_in_executor') {
    const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment') ?? [];
    if (args.length < 2 || module.kindOf(args[0]!) !== PROCESS_EXECUTOR) return;
    pool = args[0]!;
    fn = args[1]!;
  }
  const problem = fn && unpicklable(module, fn);
  if (!problem) return;
  if (problem.spawnOnly && creatingCalls(module, pool).some((c) => usesFork(module, c))) return;
  const poolKind = module.kindOf(pool)!;
  const where = m.method === 'run_in_executor' ? `\`${m.object.text}.run_in_executor()\` with a ${shortKind(poolKind)}` : `\`${m.object.text}.${m.method}()\``;
  report(ctx, fn!, problem, where, 'task');
}

export default defineRule({
  code: 'PCC402',
  name: 'unpicklable-callable-for-process',
  severity: 'error',
  summary: 'A lambda, nested function or local class is sent to another process, which needs it pickled.',
  fixable: false,
  local: true,
  // `set_start_method('fork')` anywhere in the module changes what every process needs.
  localKey: (module) => String(setsForkStartMethod(module)),
  // What pickles the callable: a Process, a process pool or a ProcessPoolExecutor.
  requires: [['multiprocessing', 'concurrent'], lastNames([...KIND.process, ...PROCESS_POOL_KINDS, PROCESS_EXECUTOR])],
  docs: `
    ## What it does
    Flags a \`lambda\`, a nested function or a class defined inside a function when it is passed
    to another process: as \`target=\` of a \`multiprocessing.Process\`, as the function of
    \`Pool.map/map_async/imap/imap_unordered/apply/apply_async/starmap/starmap_async\`, of
    \`ProcessPoolExecutor.submit/map\` or of \`loop.run_in_executor()\` with a process pool,
    or as \`initializer=\` of a pool. A name bound to a lambda, and \`functools.partial()\` of
    any of these, count too. So does a function defined under \`if __name__ == "__main__":\`,
    which a spawned child cannot see. Methods (\`self.work\`) and module-level functions are fine.
    \`ThreadPool\` and \`ThreadPoolExecutor\` share memory and pickle nothing.

    ## Why is this bad?
    Another process cannot share the parent's memory, so the callable travels by \`pickle\`, and
    pickle stores a function or class as a reference, "module name + qualified name", for the
    child to import. A lambda, a nested function or a local class has no such importable name,
    and the call fails with \`PicklingError\` or \`AttributeError: Can't pickle local object\`.

    Pools and executors pickle every task, whatever the start method. A \`Process\` target is
    pickled only under the *spawn* and *forkserver* start methods: *spawn* is the default on
    Windows and macOS, *forkserver* on Linux from Python 3.14. With *fork* chosen explicitly
    (\`get_context("fork")\`), a \`Process\` target is not flagged.

    ## Example
    \`\`\`python
    from concurrent.futures import ProcessPoolExecutor


    def main():
        def square(x):  # nested: pickle cannot find it by name
            return x * x

        with ProcessPoolExecutor(2) as pool:
            print(list(pool.map(square, range(5))))


    if __name__ == "__main__":
        main()
    \`\`\`

    ## Use instead
    Define the function at module level; pass extra values as arguments or with
    \`functools.partial\` of a module-level function:

    \`\`\`python
    from concurrent.futures import ProcessPoolExecutor


    def square(x):
        return x * x


    def main():
        with ProcessPoolExecutor(2) as pool:
            print(list(pool.map(square, range(5))))


    if __name__ == "__main__":
        main()
    \`\`\`

    ## References
    - [pickle: what can be pickled and unpickled](https://docs.python.org/3/library/pickle.html#what-can-be-pickled-and-unpickled)
    - [multiprocessing programming guidelines](https://docs.python.org/3/library/multiprocessing.html#programming-guidelines)
    - [ProcessPoolExecutor](https://docs.python.org/3/library/concurrent.futures.html#processpoolexecutor)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('multiprocessing') && !module.importsModule('concurrent')) return;
    for (const { call } of module.allCalls()) {
      const kind = constructorKind(module, call);
      if (kind && KIND.process.has(kind)) checkProcess(ctx, call);
      else if (kind && (PROCESS_POOL_KINDS.has(kind) || kind === PROCESS_EXECUTOR)) checkInitializer(ctx, call);
      else checkTask(ctx, call);
    }
  },
});
