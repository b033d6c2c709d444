import { defineRule, type Fix } from './rule';
import { lastNames } from '../semantic/kinds';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { definitionOf, functionName, inAsyncContext, methodClass, owningScope } from '../semantic/scopes';
import { methodCall } from '../semantic/statements';
import { insideTryCatching } from '../semantic/cancellation';
import { awaitReplacing } from '../semantic/awaitText';
import { replaceNode } from '../fixes/edits';

/** Functions that start an event loop and run a coroutine (or an async function) to completion. */
const RUNNERS = new Set(['asyncio.run', 'trio.run', 'anyio.run']);
/** Loop methods that run the loop in the calling thread. */
const LOOP_METHODS = new Set(['run_until_complete', 'run_forever']);

function positionalArguments(call: Node): Node[] | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment') ?? [];
  return args.every((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat') ? args : undefined;
}

/** `runner.run(...)` where `runner` was bound by `asyncio.Runner()` (assignment or `with ... as`). */
function isRunnerRun(module: ModuleIndex, call: Node): boolean {
  const m = methodCall(call);
  if (m?.method !== 'run' || m.object.type !== 'identifier') return false;
  const found = module.lookup(m.object.text, m.object);
  return !!found?.bindings.some((b) => {
    const value = b.value?.type === 'call' ? b.value.childForFieldName('function') : undefined;
    return value !== undefined && value !== null && module.resolve(value) === 'asyncio.Runner';
  });
}

/** `self.run_forever()` in a class that defines `run_forever` itself is that class's own method. */
function ownMethod(call: Node, method: string): boolean {
  const m = methodCall(call);
  if (m?.object.type !== 'identifier' || m.object.text !== 'self') return false;
  const fn = owningScope(call);
  const cls = fn.type === 'function_definition' ? methodClass(fn) : undefined;
  const body = cls?.childForFieldName('body');
  return !!body?.namedChildren.some((stmt) => {
    const def = definitionOf(stmt);
    return def?.type === 'function_definition' && def.childForFieldName('name')?.text === method;
  });
}

/** The coroutine that the call runs, written as the `await` that replaces it. */
function awaitFix(module: ModuleIndex, call: Node, qualified: string | undefined, shown: string): Fix | undefined {
  const args = positionalArguments(call);
  if (!args || args.length === 0) return undefined;
  let operand: { text: string; type: string };
  if (qualified === 'trio.run' || qualified === 'anyio.run') {
    const fn = args[0];
    if (fn.type !== 'identifier' && fn.type !== 'attribute') return undefined;
    operand = { text: `${fn.text}(${args.slice(1).map((a) => a.text).join(', ')})`, type: 'call' };
  } else {
    if (args.length !== 1) return undefined;
    operand = { text: args[0].text, type: args[0].type };
  }
  return {
    title: `Replace \`${shown}(...)\` with \`await\``,
    safe: !insideTryCatching(module, call, ['builtins.RuntimeError']),
    edits: [replaceNode(call, awaitReplacing(call, operand.text, operand.type))],
  };
}

export default defineRule({
  code: 'PCC112',
  name: 'event-loop-started-inside-coroutine',
  severity: 'error',
  summary: '`asyncio.run()` or `loop.run_until_complete()` inside `async def`: the loop is already running.',
  fixable: true,
  local: true,
  // `asyncio.run()`, `runner.run()` or a loop method.
  requires: ['async', [...lastNames(RUNNERS), ...LOOP_METHODS]],
  docs: `
    ## What it does
    Flags code inside an \`async def\` that tries to start an event loop in the same thread:
    \`asyncio.run(...)\`, \`loop.run_until_complete(...)\`, \`loop.run_forever()\`,
    \`asyncio.Runner().run(...)\`, and \`trio.run(...)\` / \`anyio.run(...)\`.

    A call inside a nested plain \`def\` or a \`lambda\` is not flagged: that function may run in
    another thread (for example through \`asyncio.to_thread\`), where starting a loop is fine.
    Modules that import \`nest_asyncio\`, which patches asyncio to allow nested loops, are skipped.

    ## Why is this bad?
    An \`async def\` only runs while an event loop drives it, and a thread runs one loop at a time.
    Starting another one from inside a coroutine raises \`RuntimeError\` ("asyncio.run() cannot be
    called from a running event loop", "This event loop is already running"), and the coroutine
    object that was passed in is never awaited. Inside a coroutine, run other coroutines with
    \`await\`, or concurrently with \`asyncio.TaskGroup\` / \`asyncio.gather\`.

    ## Example
    \`\`\`python
    import asyncio


    async def fetch():
        await asyncio.sleep(0.01)
        return 42


    async def main():
        return asyncio.run(fetch())  # RuntimeError: a loop is already running


    print(asyncio.run(main()))
    \`\`\`

    ## Use instead
    \`\`\`python
    import asyncio


    async def fetch():
        await asyncio.sleep(0.01)
        return 42


    async def main():
        return await fetch()


    print(asyncio.run(main()))
    \`\`\`

    ## Fix safety
    The fix replaces \`asyncio.run(coro)\` and \`loop.run_until_complete(coro)\` by \`await coro\`
    (and \`trio.run(fn, *args)\` by \`await fn(*args)\`) when the call has exactly the coroutine as
    its argument. The code as written always raises, so there is no working behaviour to keep:
    the fix is safe. It is unsafe when the call sits in a \`try\` that catches \`RuntimeError\` (or
    everything), because that code may rely on the error. \`run_forever()\` has no fix.

    ## References
    - [asyncio.run](https://docs.python.org/3/library/asyncio-runner.html#asyncio.run)
    - [loop.run_until_complete](https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.run_until_complete)
    - [Coroutines and tasks](https://docs.python.org/3/library/asyncio-task.html#coroutines)
  `,
  check(ctx) {
    const { module } = ctx;
    if (module.importsModule('nest_asyncio')) return;
    for (const { call, callee, qualified } of module.allCalls()) {
      const method = methodCall(call)?.method;
      const isRunner = qualified !== undefined && RUNNERS.has(qualified);
      const isLoopMethod = !isRunner && method !== undefined && LOOP_METHODS.has(method) && !ownMethod(call, method);
      const isRunnerObject = !isRunner && !isLoopMethod && isRunnerRun(module, call);
      if (!isRunner && !isLoopMethod && !isRunnerObject) continue;
      if (!inAsyncContext(call)) continue;
      const fn = functionName(owningScope(call));
      const shown = callee.text.replace(/\s+/g, '');
      const fix = method === 'run_forever' ? undefined : awaitFix(module, call, qualified, shown);
      ctx.report(call, `\`${shown}()\` in async function \`${fn}\` raises RuntimeError: this thread's event loop is already running`, fix);
    }
  },
});
