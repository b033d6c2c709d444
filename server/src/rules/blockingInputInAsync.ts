import { defineRule } from './rule';
import { hasAsyncDef, blockedFunction, calleeText, toThreadFix } from '../semantic/toThread';

export default defineRule({
  code: 'PCC105',
  name: 'blocking-input-in-async',
  severity: 'warning',
  summary: '`input()` inside `async def` stalls the event loop until the user presses Enter.',
  fixable: true,
  local: true,
  requires: ['async', 'input'],
  docs: `
    ## What it does
    Flags calls to the built-in \`input()\` inside an \`async def\`. A local function or
    parameter named \`input\` is not the built-in and is not flagged, nor is \`input()\` in a
    nested plain \`def\` or \`lambda\`, or handed to a worker thread
    (\`await asyncio.to_thread(input, "> ")\`).

    ## Why is this bad?
    \`input()\` waits for a whole line from standard input on the calling thread. Inside a
    coroutine that is the event loop's thread, so every other task (a heartbeat, a download,
    a server's other clients) stops until the user presses Enter, which may be never.

    ## Example
    \`\`\`python
    import asyncio


    async def ticker():
        for i in range(3):
            print("tick", i)  # does not tick while input() waits
            await asyncio.sleep(0.1)


    async def main():
        task = asyncio.create_task(ticker())
        try:
            name = input("Your name: ")
        except EOFError:  # no terminal attached
            name = "stranger"
        await task
        print("hello", name)


    asyncio.run(main())
    \`\`\`

    ## Use instead
    \`\`\`python
    import asyncio


    async def ticker():
        for i in range(3):
            print("tick", i)  # keeps ticking while the user types
            await asyncio.sleep(0.1)


    async def main():
        task = asyncio.create_task(ticker())
        try:
            name = await asyncio.to_thread(input, "Your name: ")
        except EOFError:  # no terminal attached
            name = "stranger"
        await task
        print("hello", name)


    asyncio.run(main())
    \`\`\`

    ## Fix safety
    The fix rewrites \`input(prompt)\` as \`await asyncio.to_thread(input, prompt)\`
    (\`await trio.to_thread.run_sync(input, prompt)\` or the anyio equivalent in a trio or anyio
    module). It is unsafe: other tasks now run while the user types, and their output can
    interleave with the prompt. A thread blocked in \`input()\` cannot be interrupted: if the
    coroutine is cancelled, the thread keeps waiting for a line, and \`asyncio.run()\` may wait
    for that thread before the program exits. The fix adds \`import asyncio\` when the module lacks it.

    ## References
    - [asyncio.to_thread](https://docs.python.org/3/library/asyncio-task.html#asyncio.to_thread)
    - [input](https://docs.python.org/3/library/functions.html#input)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!hasAsyncDef(module)) return;
    for (const { call } of module.calls('builtins.input')) {
      const fn = blockedFunction(module, call);
      if (!fn) continue;
      ctx.report(call, `Blocking \`${calleeText(call)}()\` in async function \`${fn}\` stalls the event loop until a line is typed`, toThreadFix(module, call));
    }
  },
});
