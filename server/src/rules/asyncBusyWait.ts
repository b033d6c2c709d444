import { defineRule } from './rule';
import { lastNames } from '../semantic/kinds';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { functionName, inAsyncContext, owningScope } from '../semantic/scopes';
import { rangeOf } from '../text/positions';

/** Async sleeps and checkpoints: awaiting one only passes time. */
const SLEEPS = new Map([
  ['asyncio.sleep', 'asyncio'], ['trio.sleep', 'trio'], ['trio.sleep_until', 'trio'],
  ['trio.lowlevel.checkpoint', 'trio'], ['anyio.sleep', 'anyio'], ['anyio.sleep_until', 'anyio'],
  ['anyio.lowlevel.checkpoint', 'anyio'],
]);

/** The library of `await <sleep>(...)` as a statement, or undefined. */
function sleepLibrary(module: ModuleIndex, stmt: Node): string | undefined {
  if (stmt.type !== 'expression_statement') return undefined;
  const awaited = stmt.namedChild(0);
  const call = awaited?.type === 'await' ? awaited.namedChild(0) : undefined;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : undefined;
  const qualified = callee ? module.resolve(callee) : undefined;
  return qualified ? SLEEPS.get(qualified) : undefined;
}

/** The library a loop's body sleeps with, when sleeping is all the body does. */
function onlySleeps(module: ModuleIndex, loop: Node): string | undefined {
  const body = loop.childForFieldName('body');
  const statements = (body?.namedChildren ?? []).filter((s): s is Node => s !== null && s.type !== 'comment' && s.type !== 'pass_statement');
  const libraries = statements.map((s) => sleepLibrary(module, s));
  return libraries.length > 0 && libraries.every((l) => l !== undefined && l === libraries[0]) ? libraries[0] : undefined;
}

function shortText(node: Node): string {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export default defineRule({
  code: 'PCC114',
  name: 'async-busy-wait',
  severity: 'info',
  summary: 'A `while` loop in `async def` that only sleeps: polling where an `Event` would wake the task.',
  fixable: false,
  local: true,
  // A `while` loop whose body awaits a sleep of one of the libraries.
  requires: ['async', ['asyncio', 'trio', 'anyio'], 'while', 'await', lastNames(SLEEPS.keys())],
  docs: `
    ## What it does
    Flags a \`while\` loop in an \`async def\` whose body does nothing but sleep
    (\`await asyncio.sleep(...)\`, \`trio.sleep\`, \`trio.sleep_until\`, \`anyio.sleep\`,
    \`anyio.sleep_until\`, or a \`lowlevel.checkpoint()\`), waiting for its condition to change.
    A loop that does other work between sleeps is not flagged.

    ## Why is this bad?
    Polling trades latency against wasted work: the task notices the change only when it next
    wakes up, so a long interval makes the program slow to react, and a short one wakes the
    task over and over for nothing. An \`asyncio.Event\` (or \`trio.Event\` / \`anyio.Event\`)
    suspends the task until another task calls \`set()\`, and wakes it at once. To wait forever
    (\`while True:\` with only a sleep), await something that never completes, such as
    \`server.serve_forever()\` or an \`Event\` that is set on shutdown.

    ## Example
    \`\`\`python
    import asyncio

    done = False


    async def worker():
        global done
        await asyncio.sleep(0.01)
        done = True


    async def main():
        task = asyncio.create_task(worker())
        while not done:
            await asyncio.sleep(0.1)  # reacts up to 0.1 s late
        await task


    asyncio.run(main())
    \`\`\`

    ## Use instead
    \`\`\`python
    import asyncio


    async def worker(done):
        await asyncio.sleep(0.01)
        done.set()


    async def main():
        done = asyncio.Event()
        task = asyncio.create_task(worker(done))
        await done.wait()  # wakes as soon as the worker calls set()
        await task


    asyncio.run(main())
    \`\`\`

    ## References
    - [asyncio.Event](https://docs.python.org/3/library/asyncio-sync.html#asyncio.Event)
    - [trio.Event](https://trio.readthedocs.io/en/stable/reference-core.html#trio.Event)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('asyncio') && !module.importsModule('trio') && !module.importsModule('anyio')) return;
    for (const loop of module.of('while_statement')) {
      const library = onlySleeps(module, loop);
      if (!library || !inAsyncContext(loop)) continue;
      const condition = loop.childForFieldName('condition');
      if (!condition) continue;
      const fn = functionName(owningScope(loop));
      const header = `while ${shortText(condition)}:`;
      const message = condition.type === 'true'
        ? `Loop \`${header}\` in async function \`${fn}\` only sleeps: await \`${library}.Event().wait()\` (or the server's \`serve_forever()\`) instead of waking up periodically`
        : `Loop \`${header}\` in async function \`${fn}\` polls with a sleep: wait on an event (\`${library}.Event\`) that is set when the condition changes`;
      ctx.report({ start: rangeOf(loop).start, end: rangeOf(condition).end }, message);
    }
  },
});
