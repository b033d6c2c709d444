import { defineRule, type Fix } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { functionName, inAsyncContext, owningScope } from '../semantic/scopes';
import {
  alwaysRaises, cancellationCatcher, caughtAlias, earlyExits, exceptClauses, handlerBody, type EarlyExit,
} from '../semantic/cancellation';
import { eol, indentUnit, lineIndent, lineText, moduleReference, replaceNode } from '../fixes/edits';
import { ownNodes } from '../semantic/asyncBodies';
import { compact, methodCall } from '../semantic/statements';
import { versionAtLeast } from '../pythonVersion';

/** A handler that inspects the cancellation itself has decided what to do with it. */
const DELIBERATE = /\b(CancelledError|Cancelled|get_cancelled_exc_class)\b|\.(cancelling|uncancel)\s*\(/;

const JUMPS = new Map<string, EarlyExit['kind']>([['return_statement', 'return'], ['break_statement', 'break'], ['continue_statement', 'continue']]);

/** The first clause of a try that catches cancellation: later clauses never see it. */
function firstCatcher(module: ModuleIndex, tryStmt: Node): { clause: Node; catcher: Node } | undefined {
  for (const clause of exceptClauses(tryStmt)) {
    const catcher = cancellationCatcher(module, clause);
    if (catcher) return { clause, catcher };
  }
  return undefined;
}

/** Appends lines at the end of the handler (or puts them in place of a lone `pass`). */
function appendToHandler(module: ModuleIndex, body: Node, lines: string[], title: string): Fix | undefined {
  const statements = body.namedChildren.filter((s): s is Node => s !== null && s.type !== 'comment');
  const last = statements[statements.length - 1];
  if (!last || /^(return|break|continue)_statement$/.test(last.type)) return undefined;
  const nl = eol(module);
  if (body.startPosition.row === body.parent!.startPosition.row) {
    // `except CancelledError: log()` on one line: a simple statement can join it.
    if (lines.length !== 1) return undefined;
    return { title, safe: false, edits: [{ range: { start: rangeEnd(last), end: rangeEnd(last) }, newText: `; ${lines[0]}` }] };
  }
  const indent = lineIndent(module, body.startPosition.row);
  if (statements.length === 1 && last.type === 'pass_statement') {
    return { title, safe: false, edits: [replaceNode(last, lines.join(nl + indent))] };
  }
  const row = last.endPosition.row;
  const end = { line: row, character: lineText(module, row).length };
  return { title, safe: false, edits: [{ range: { start: end, end }, newText: lines.map((l) => nl + indent + l).join('') }] };
}

/**
 * `task.cancel()` then `try: await task / except CancelledError:` — the idiom for stopping a task.
 * Returns the awaited task as written, when the function cancels what the try body awaits.
 */
function awaitedCancelledTask(tryStmt: Node, fn: Node): string | undefined {
  const body = tryStmt.childForFieldName('body');
  if (!body) return undefined;
  const awaited = new Set(ownNodes(body, ['await']).filter((a) => a.isNamed).map((a) => a.namedChild(0))
    .filter((o): o is Node => o !== null && (o.type === 'identifier' || o.type === 'attribute')).map(compact));
  if (awaited.size === 0) return undefined;
  for (const attr of ownNodes(fn, ['attribute'])) {
    const object = attr.childForFieldName('object');
    if (attr.childForFieldName('attribute')?.text === 'cancel' && object && awaited.has(compact(object))) return compact(object);
  }
  return undefined;
}

/**
 * The handler keeps the exception instead of dropping it: hands it to a future
 * (`waiter.set_exception(...)`), returns it or stores it as a value
 * (`return Error(exc)`, `self.error = exc`, `errors[i] = exc`).
 */
function keepsException(body: Node, alias: string | undefined): boolean {
  if (ownNodes(body, ['call']).some((call) => methodCall(call)?.method === 'set_exception')) return true;
  if (!alias) return false;
  // The value is the exception itself, or wraps it directly: `exc`, `Error(exc)`, `("error", exc)`.
  const elements = (node: Node) => (node.type === 'call' ? node.childForFieldName('arguments')?.namedChildren ?? [] : node.namedChildren);
  const mentions = (node: Node | null) => !!node && (node.text === alias
    || (['call', 'tuple', 'list', 'parenthesized_expression'].includes(node.type) && elements(node).some((e) => e?.text === alias)));
  return ownNodes(body, ['return_statement', 'assignment']).some((n) => mentions(n.type === 'assignment' ? n.childForFieldName('right') : n.namedChild(0)));
}

function rangeEnd(node: Node) {
  return { line: node.endPosition.row, character: node.endPosition.column };
}

function caughtWords(catcher: Node, clause: Node): string {
  return catcher.id === clause.firstChild?.id ? 'bare `except:`' : `\`except ${catcher.text.replace(/\s+/g, '')}\``;
}

function exitMessage(exit: EarlyExit, what: string, fn: string): string {
  switch (exit.kind) {
    case 'return':
      return `${what} in async function \`${fn}\` returns instead of re-raising: the cancellation is swallowed`;
    case 'other-exception':
      return `${what} in async function \`${fn}\` raises a different exception: the cancellation turns into an error`;
    default:
      return `${what} in async function \`${fn}\` leaves with \`${exit.kind}\` instead of re-raising: the cancellation is swallowed`;
  }
}

export default defineRule({
  code: 'PCC115',
  name: 'cancellation-swallowed',
  severity: 'warning',
  summary: 'An `except` in `async def` that catches cancellation and does not re-raise it.',
  fixable: true,
  local: true,
  requires: ['async', 'try', 'except'],
  docs: `
    ## What it does
    Flags, inside an \`async def\`, an \`except\` clause that catches cancellation —
    \`asyncio.CancelledError\`, \`trio.Cancelled\`, \`anyio.get_cancelled_exc_class()\`,
    \`BaseException\` or a bare \`except:\` — and does not re-raise it on every path: it falls off
    the end, returns, leaves a loop with \`break\`/\`continue\`, or raises a different exception.

    Only the first clause of a \`try\` that catches cancellation counts: once
    \`except asyncio.CancelledError: raise\` comes first, a later \`except BaseException:\` never
    sees it. Handlers that look at the cancellation themselves (\`isinstance(e, CancelledError)\`,
    \`task.cancelling()\`, \`task.uncancel()\`) have made a deliberate choice and are left alone.
    \`except Exception\` does not catch \`CancelledError\` (since Python 3.8) and is not flagged.
    Also left alone: handlers in \`__aexit__\`, whose job is to decide what happens to the
    exception, and handlers that keep the caught exception rather than drop it: they hand it to
    a future (\`waiter.set_exception(e)\`), return it or store it as a value
    (\`return Error(e)\`, \`self.error = e\`). Logging it does not count as keeping it.

    Stopping a task with \`task.cancel()\` and then \`try: await task\` /
    \`except asyncio.CancelledError: pass\` is a common idiom, and it is flagged with its own
    message: the handler cannot tell the child's cancellation from a cancellation of the current
    task, so if the current task is cancelled while it waits, that cancellation is lost too.

    ## Why is this bad?
    Cancellation is how \`task.cancel()\`, \`asyncio.timeout()\`, \`wait_for()\`, \`TaskGroup\` and
    shutdown stop a task: they raise \`CancelledError\` inside it and wait for it to come back
    out. A handler that swallows it makes the task carry on as if nothing happened: timeouts do
    not fire, a \`TaskGroup\` waits for a task that ignores it, and the program hangs on exit.
    Converting it into another exception breaks the same machinery, which checks for
    \`CancelledError\` specifically. Clean up in \`finally:\`, or re-raise after cleaning up.

    ## Example
    \`\`\`python
    import asyncio


    async def worker():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            print("cleaning up")  # ...and the task goes on as if not cancelled
        return "finished anyway"


    async def main():
        task = asyncio.create_task(worker())
        await asyncio.sleep(0.01)
        task.cancel()
        print(await task)  # prints "finished anyway"


    asyncio.run(main())
    \`\`\`

    ## Use instead
    \`\`\`python
    import asyncio


    async def worker():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            print("cleaning up")
            raise
        return "finished"


    async def main():
        task = asyncio.create_task(worker())
        await asyncio.sleep(0.01)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            print("worker cancelled")
            if asyncio.current_task().cancelling():
                raise


    asyncio.run(main())
    \`\`\`

    ## Fix safety
    The fix adds \`raise\` at the end of the handler (or puts it in place of a lone \`pass\`). It
    is unsafe: the cancellation now propagates, so the code after the \`try\` no longer runs
    when the task is cancelled, and callers see the task as cancelled. For the idiom of awaiting
    a task the function just cancelled, the fix adds
    \`if asyncio.current_task().cancelling(): raise\` instead (Python 3.11+), which re-raises only
    when the current task itself is being cancelled; it is unsafe for the same reason. There is
    no fix when the handler ends in \`return\`, \`break\` or \`continue\`, or raises another
    exception.

    ## References
    - [Task cancellation](https://docs.python.org/3/library/asyncio-task.html#task-cancellation)
    - [asyncio.CancelledError](https://docs.python.org/3/library/asyncio-exceptions.html#asyncio.CancelledError)
    - [Task.cancelling and uncancel](https://docs.python.org/3/library/asyncio-task.html#asyncio.Task.cancelling)
  `,
  check(ctx) {
    const { module } = ctx;
    for (const tryStmt of module.of('try_statement')) {
      if (!inAsyncContext(tryStmt)) continue;
      const found = firstCatcher(module, tryStmt);
      const body = found && handlerBody(found.clause);
      if (!found || !body || DELIBERATE.test(body.text)) continue;
      const what = caughtWords(found.catcher, found.clause);
      const scope = owningScope(tryStmt);
      const fn = functionName(scope);
      if (fn === '__aexit__' || keepsException(body, caughtAlias(found.clause))) continue;
      if (!alwaysRaises(body)) {
        const last = body.namedChildren.filter((s): s is Node => s !== null && s.type !== 'comment').pop();
        const jump = last && JUMPS.get(last.type);
        const task = awaitedCancelledTask(tryStmt, scope);
        if (last && jump) {
          ctx.report(last, exitMessage({ node: last, kind: jump }, what, fn));
        } else if (task) {
          const ref = moduleReference(module, 'asyncio');
          const fix = versionAtLeast(ctx.options.python.version, '3.11')
            ? appendToHandler(module, body, [`if ${ref.name}.current_task().cancelling():`, `${indentUnit(module)}raise`], 'Re-raise when this task itself is being cancelled')
            : undefined;
          if (fix) fix.edits.push(...ref.edits);
          ctx.report(found.catcher, `${what} around awaiting cancelled \`${task}\` in async function \`${fn}\` also swallows a cancellation of \`${fn}\` itself`, fix);
        } else {
          ctx.report(found.catcher, `${what} in async function \`${fn}\` does not re-raise: the cancellation is swallowed`, appendToHandler(module, body, ['raise'], 'Re-raise the cancellation at the end of the handler'));
        }
        continue;
      }
      const exit = earlyExits(body, caughtAlias(found.clause))[0];
      if (exit) ctx.report(exit.node, exitMessage(exit, what, fn));
    }
  },
});
