import { defineRule } from './rule';
import { inAsyncContext, owningScope, functionName } from '../semantic/scopes';
import { moduleReference, replaceNode } from '../fixes/edits';
import type { ModuleIndex } from '../semantic/module';

/** The async library the module works with: its sleep is what the fix uses. */
export function asyncLibrary(module: ModuleIndex): 'asyncio' | 'trio' | 'anyio' {
  if (module.importsModule('asyncio')) return 'asyncio';
  if (module.importsModule('trio')) return 'trio';
  if (module.importsModule('anyio')) return 'anyio';
  return 'asyncio';
}

export default defineRule({
  code: 'PCC101',
  name: 'blocking-sleep-in-async',
  severity: 'warning',
  summary: '`time.sleep()` inside `async def` blocks the event loop.',
  fixable: true,
  local: true,
  requires: ['time', 'async', 'sleep'],
  docs: `
    ## What it does
    Flags calls to \`time.sleep()\` inside an \`async def\`, however the function was imported
    (\`import time as t\`, \`from time import sleep\`, \`from time import sleep as nap\`).

    ## Why is this bad?
    An event loop runs one coroutine at a time, on one thread. \`time.sleep()\` suspends that
    thread, so no other task, callback or I/O completion runs until it returns: every
    connection your program serves stalls for the whole pause. \`await asyncio.sleep()\`
    suspends only the current coroutine and hands control back to the loop.

    A call inside a nested plain \`def\` or a \`lambda\` is not flagged: it runs wherever that
    function is called, for example in a thread through \`asyncio.to_thread\`.

    ## Example
    \`\`\`python
    import asyncio
    import time


    async def poll(n):
        for _ in range(n):
            time.sleep(0.01)  # every other task waits too
        return n


    print(asyncio.run(poll(3)))
    \`\`\`

    ## Use instead
    \`\`\`python
    import asyncio


    async def poll(n):
        for _ in range(n):
            await asyncio.sleep(0.01)  # other tasks run meanwhile
        return n


    print(asyncio.run(poll(3)))
    \`\`\`

    In a module that uses trio or anyio, the fix writes \`await trio.sleep(...)\` or
    \`await anyio.sleep(...)\`.

    ## Fix safety
    Unsafe: the fix changes when other tasks run. During the pause, other coroutines now make
    progress and may change state that the sleeping coroutine reads afterwards. The fix adds
    \`import asyncio\` when the module lacks it.

    ## References
    - [asyncio.sleep](https://docs.python.org/3/library/asyncio-task.html#asyncio.sleep)
    - [Developing with asyncio: blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('time')) return;
    for (const { call, callee } of module.calls('time.sleep')) {
      if (!inAsyncContext(call)) continue;
      const fn = functionName(owningScope(call));
      const library = asyncLibrary(module);
      const ref = moduleReference(module, library);
      const awaited = call.parent?.type === 'await';
      ctx.report(call, `Blocking \`${callee.text}()\` in async function \`${fn}\` stalls the event loop`, {
        title: `Replace with \`await ${library}.sleep(...)\``,
        safe: false,
        edits: [replaceNode(callee, `${awaited ? '' : 'await '}${ref.name}.sleep`), ...ref.edits],
      });
    }
  },
});
