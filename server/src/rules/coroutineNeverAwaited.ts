import { defineRule, type Fix, type Related } from './rule';
import { awaitableCall, insideExpectBlock } from '../semantic/coroutines';
import { inAsyncContext, owningScope } from '../semantic/scopes';
import { insertBefore } from '../fixes/edits';
import { oneLine } from '../semantic/toThread';
import { rangeOf } from '../text/positions';

export default defineRule({
  code: 'PCC110',
  name: 'coroutine-never-awaited',
  severity: 'warning',
  summary: 'A coroutine function called as a statement without `await`: its body never runs.',
  fixable: true,
  local: true,
  requires: [['async', 'asyncio']],
  docs: `
    ## What it does
    Flags a statement that calls a coroutine function and drops the result without \`await\`:
    an \`async def\` of the same module (also \`self.method()\` and \`cls.method()\` inside its
    class, inherited methods, and \`obj.method()\` on an instance of a class defined in the
    module), asyncio's coroutine functions (\`asyncio.sleep\`, \`wait_for\`, \`wait\`, \`to_thread\`,
    \`open_connection\`, \`start_server\`, \`create_subprocess_exec\`/\`shell\`), \`asyncio.gather\`
    and \`asyncio.shield\`, and the coroutine methods of asyncio objects the module binds:
    \`get\`/\`put\`/\`join\` of an \`asyncio.Queue\`, \`acquire\` of a \`Lock\` or \`Semaphore\`,
    \`wait\` of an \`Event\` or \`Condition\`, \`drain\` of a \`StreamWriter\`, \`wait\`/\`communicate\`
    of an asyncio subprocess, the \`sock_*\` methods of a running loop.

    Only a bare call statement is flagged. A call whose result is assigned, returned, passed on
    (\`asyncio.create_task(fetch())\`) or awaited later is not. Async generators and \`async def\`
    functions behind other decorators (which may return something else) are skipped, and so
    are calls a test expects to fail or warn (inside \`with self.assertRaises(...)\`,
    \`assertWarns\`, \`pytest.raises\` or \`pytest.warns\`).

    The severity is **warning** inside functions and **error** at module level, where no
    event loop is running and the coroutine can never run.

    ## Why is this bad?
    Calling an \`async def\` function only creates a coroutine object; nothing in its body runs
    until something awaits it or wraps it in a task. Dropped on the floor, it is garbage
    collected with a \`RuntimeWarning: coroutine '...' was never awaited\`, and the work silently
    does not happen: the sleep does not pause, the message is not sent, the lock is not taken.
    \`asyncio.gather()\` and \`asyncio.shield()\` do schedule their children, but nothing waits for
    them and their exceptions are never seen.

    ## Example
    \`\`\`python
    import asyncio


    async def save(log, item):
        await asyncio.sleep(0)
        log.append(item)


    async def main():
        log = []
        save(log, "first")  # creates a coroutine and drops it
        await asyncio.sleep(0.01)
        print(log)  # []


    asyncio.run(main())
    \`\`\`

    ## Use instead
    \`\`\`python
    import asyncio


    async def save(log, item):
        await asyncio.sleep(0)
        log.append(item)


    async def main():
        log = []
        await save(log, "first")
        print(log)  # ['first']


    asyncio.run(main())
    \`\`\`

    To run it in the background instead, keep the task: \`task = asyncio.create_task(save(log, "first"))\`.

    ## Fix safety
    Inside an \`async def\` (and at the top level of a notebook cell) the fix inserts \`await \`
    before the call. Outside async context there is no fix: the caller itself would have to
    become \`async def\`.

    The fix is unsafe, although it is almost always what was meant: it changes what the
    program does on purpose. Code that never ran now runs: its side effects happen, its
    exceptions propagate into the caller, and the caller now waits until it finishes. For
    \`asyncio.gather()\` and \`asyncio.shield()\`, whose children already ran in the background,
    the caller now waits for them and sees their errors. Check each one rather than applying
    it in bulk.

    ## References
    - [Coroutines and tasks](https://docs.python.org/3/library/asyncio-task.html#coroutines)
    - [Developing with asyncio: detect never-awaited coroutines](https://docs.python.org/3/library/asyncio-dev.html#detect-never-awaited-coroutines)
  `,
  check(ctx) {
    const { module, options } = ctx;
    for (const stmt of module.of('expression_statement')) {
      const call = stmt.namedChild(0);
      if (call?.type !== 'call' || stmt.namedChildCount !== 1) continue;
      const awaitable = awaitableCall(module, call);
      if (!awaitable || insideExpectBlock(module, call)) continue;
      const callee = oneLine(call.childForFieldName('function')!.text);
      const atModule = owningScope(call).type === 'module';
      const canAwait = inAsyncContext(call) || (atModule && options.notebook);
      const fix: Fix | undefined = canAwait ? { title: 'Insert `await`', safe: false, edits: [insertBefore(call, 'await ')] } : undefined;
      const related: Related[] = [];
      const name = awaitable.def?.childForFieldName('name');
      if (awaitable.def && name) related.push({ range: rangeOf(name), message: `\`${name.text}\` is defined with \`async def\` here` });
      const message = awaitable.kind === 'coroutine'
        ? `\`${callee}()\` creates a coroutine that is never awaited: its body never runs`
        : `\`${callee}()\` returns an awaitable that is never awaited: nothing waits for it and its errors are lost`;
      ctx.report(call, message, fix, related.length ? related : undefined, atModule && !options.notebook ? 'error' : undefined);
    }
  },
});
