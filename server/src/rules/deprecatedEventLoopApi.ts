import { defineRule, type Fix } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { functionName, inAsyncContext, owningScope } from '../semantic/scopes';
import { keywordArgument } from '../semantic/statements';
import { moduleReference, replaceNode } from '../fixes/edits';
import { runsOnlyBelow } from '../semantic/versionGuards';

/** asyncio functions and classes whose `loop` parameter was removed in Python 3.10. */
const LOOP_REMOVED = new Set([
  'sleep', 'gather', 'shield', 'wait_for', 'wait', 'as_completed', 'Queue', 'LifoQueue', 'PriorityQueue',
  'Lock', 'Event', 'Condition', 'Semaphore', 'BoundedSemaphore', 'open_connection', 'start_server',
  'open_unix_connection', 'start_unix_server', 'create_subprocess_exec', 'create_subprocess_shell',
]);

/** The policy system: deprecated in Python 3.14, to be removed in 3.16. */
const POLICY = new Set([
  'get_event_loop_policy', 'set_event_loop_policy', 'AbstractEventLoopPolicy', 'DefaultEventLoopPolicy',
  'WindowsSelectorEventLoopPolicy', 'WindowsProactorEventLoopPolicy',
]);

/** Child watchers: deprecated in Python 3.12, removed in 3.14. */
const CHILD_WATCHERS = new Set([
  'get_child_watcher', 'set_child_watcher', 'AbstractChildWatcher', 'SafeChildWatcher', 'FastChildWatcher',
  'MultiLoopChildWatcher', 'ThreadedChildWatcher', 'PidfdChildWatcher',
]);

const MENTIONS = /get_event_loop|coroutine|\bloop\s*=|EventLoopPolicy|_event_loop_policy|ChildWatcher|_child_watcher/;

/** The asyncio name a qualified name stands for (`asyncio.events.get_event_loop` → `get_event_loop`). */
function asyncioName(qualified: string | undefined): string | undefined {
  const match = qualified ? /^asyncio(?:\.(?:events|unix_events|windows_events|coroutines|tasks|locks|queues|streams|subprocess))?\.(\w+)$/.exec(qualified) : null;
  return match?.[1];
}

function shown(node: Node): string {
  return node.text.replace(/\s+/g, '');
}

/** A name that several imports bind to different things (`try: from asyncio import a` / `except: ... as a`). */
function ambiguous(module: ModuleIndex, local: string): boolean {
  return new Set(module.imports.filter((imp) => imp.local === local).map((imp) => imp.qualified)).size > 1;
}

/** `get_event_loop()` becomes `get_running_loop()`, keeping the module's alias. */
function runningLoopFix(module: ModuleIndex, callee: Node): Fix {
  const title = 'Replace with `get_running_loop()`';
  const attribute = callee.type === 'attribute' ? callee.childForFieldName('attribute') : null;
  if (attribute) return { title, safe: true, edits: [replaceNode(attribute, 'get_running_loop')] };
  const ref = moduleReference(module, 'asyncio');
  return { title, safe: true, edits: [replaceNode(callee, `${ref.name}.get_running_loop`), ...ref.edits] };
}

const DEPRECATED_NAMES = new Set([...POLICY, ...CHILD_WATCHERS, 'coroutine', 'iscoroutinefunction']);

/** Names and attributes that refer to a deprecated asyncio name, outside imports. */
function references(module: ModuleIndex): { node: Node; name: string }[] {
  // Local names bound by `from asyncio import X [as Y]` for a deprecated X: only those can refer to one.
  const imported = new Set(module.imports.filter((imp) => DEPRECATED_NAMES.has(asyncioName(imp.qualified) ?? '')).map((imp) => imp.local));
  const found: { node: Node; name: string }[] = [];
  for (const node of module.descendantsOfType(['attribute', 'identifier'])) {
    const parent = node.parent;
    if (node.type === 'identifier') {
      if (!imported.has(node.text)) continue;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === node.id) continue;
      if (parent?.type === 'dotted_name' || parent?.type === 'aliased_import' || parent?.type === 'keyword_argument') continue;
    } else if (!DEPRECATED_NAMES.has(node.childForFieldName('attribute')?.text ?? '')) {
      continue;
    }
    const name = asyncioName(module.resolve(node));
    if (name && DEPRECATED_NAMES.has(name)) found.push({ node, name });
  }
  return found;
}

export default defineRule({
  code: 'PCC117',
  name: 'deprecated-event-loop-api',
  severity: 'info',
  summary: 'Deprecated or removed asyncio loop APIs: `get_event_loop()`, `@asyncio.coroutine`, `loop=`, policies, child watchers.',
  fixable: true,
  local: true,
  // `get_event_loop()`, a `loop=` argument, or a deprecated name (see `references`).
  requires: ['asyncio', ['get_event_loop', 'loop', ...DEPRECATED_NAMES]],
  docs: `
    ## What it does
    Flags asyncio APIs from before \`asyncio.run()\` that are deprecated or gone:

    - \`asyncio.get_event_loop()\` inside an \`async def\` (use \`asyncio.get_running_loop()\`) or
      at module level, where no loop runs yet;
    - the \`@asyncio.coroutine\` decorator, removed in Python 3.11;
    - a \`loop=\` argument to \`asyncio.sleep\`, \`gather\`, \`wait_for\`, \`wait\`, \`shield\`,
      \`as_completed\`, the queues and locks, \`open_connection\`, \`start_server\` and
      \`create_subprocess_exec/shell\`, removed in Python 3.10;
    - the event loop policy system (\`get_event_loop_policy\`, \`set_event_loop_policy\`,
      \`AbstractEventLoopPolicy\`, \`DefaultEventLoopPolicy\`, \`WindowsSelectorEventLoopPolicy\`,
      \`WindowsProactorEventLoopPolicy\`), deprecated in Python 3.14 for removal in 3.16, and
      \`asyncio.iscoroutinefunction\`, deprecated in 3.14;
    - child watchers (\`get_child_watcher\`, \`set_child_watcher\`, \`*ChildWatcher\`), deprecated
      in Python 3.12 and removed in 3.14.

    \`get_event_loop()\` in a plain function is not flagged: it may be called from a callback
    while a loop runs, where it behaves like \`get_running_loop()\`.

    ## Why is this bad?
    Inside a coroutine, \`get_running_loop()\` says what is meant and cannot silently create or
    return some other loop. Outside a running loop, \`get_event_loop()\` has warned since Python
    3.12 when no loop was set, and raises \`RuntimeError\` from Python 3.14. The removed APIs
    raise \`AttributeError\` or \`TypeError\` on current Python; the deprecated ones warn and will
    stop working. \`asyncio.run()\` and \`asyncio.Runner\` (with \`loop_factory=\` to pick a loop
    implementation) replace loop management and policies.

    ## Example
    \`\`\`python
    import asyncio


    async def main():
        loop = asyncio.get_event_loop()
        return await loop.run_in_executor(None, sum, [1, 2, 3])


    print(asyncio.run(main()))
    \`\`\`

    ## Use instead
    \`\`\`python
    import asyncio


    async def main():
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, sum, [1, 2, 3])


    print(asyncio.run(main()))
    \`\`\`

    ## Fix safety
    Inside an \`async def\`, \`get_event_loop()\` becomes \`get_running_loop()\`. This is safe:
    while a coroutine runs, both return the running loop. The other findings have no fix.

    ## References
    - [asyncio.get_running_loop](https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.get_running_loop)
    - [asyncio.get_event_loop](https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.get_event_loop)
    - [Policies (deprecated)](https://docs.python.org/3/library/asyncio-policy.html)
    - [What's New in Python 3.14: deprecations](https://docs.python.org/3/whatsnew/3.14.html#deprecated)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('asyncio') || !MENTIONS.test(module.text)) return;
    // Code that only runs before the change (`if sys.version_info < (3, 11):`) is left alone.
    const guarded = (node: Node, minor: number) => (runsOnlyBelow(node) ?? Infinity) <= minor;
    for (const { call, callee, qualified } of module.allCalls()) {
      if (callee.type === 'identifier' && ambiguous(module, callee.text)) continue;
      const name = asyncioName(qualified);
      if (name === 'get_event_loop' && (call.childForFieldName('arguments')?.namedChildCount ?? 0) === 0) {
        if (inAsyncContext(call)) {
          ctx.report(call, `\`${shown(callee)}()\` in async function \`${functionName(owningScope(call))}\` is the legacy way to get the loop: \`get_running_loop()\` returns the running one directly`, runningLoopFix(module, callee));
        } else if (owningScope(call).type === 'module') {
          ctx.report(call, `\`${shown(callee)}()\` at module level warns when no loop is set and raises RuntimeError from Python 3.14: use \`asyncio.run()\` or \`asyncio.new_event_loop()\``);
        }
      }
      if (name && LOOP_REMOVED.has(name)) {
        const loop = keywordArgument(call, 'loop');
        if (loop && !guarded(call, 10)) ctx.report(loop.parent!, `\`loop=\` argument to \`${shown(callee)}()\` was removed in Python 3.10 (TypeError): asyncio uses the running loop`);
      }
    }
    for (const { node, name } of references(module)) {
      const what = node.type === 'identifier' && node.text !== name ? `\`${shown(node)}\` (\`asyncio.${name}\`)` : `\`${shown(node)}\``;
      if (node.type === 'identifier' && ambiguous(module, node.text)) continue;
      if (name === 'coroutine' && node.parent?.type === 'decorator') {
        if (guarded(node, 11)) continue;
        ctx.report(node.parent, `\`@${shown(node)}\` was removed in Python 3.11 (AttributeError): write \`async def\` and \`await\` instead of \`yield from\``);
      } else if (POLICY.has(name)) {
        if (guarded(node, 14)) continue;
        ctx.report(node, `${what} is deprecated since Python 3.14 (removal in 3.16): pass \`loop_factory=\` to \`asyncio.run()\` or \`asyncio.Runner\` instead of using policies`);
      } else if (CHILD_WATCHERS.has(name)) {
        if (guarded(node, 12)) continue;
        ctx.report(node, `${what} was deprecated in Python 3.12 and removed in 3.14: the event loop watches child processes itself`);
      } else if (name === 'iscoroutinefunction') {
        if (guarded(node, 14)) continue;
        ctx.report(node, `${what} is deprecated since Python 3.14 (removal in 3.16): use \`inspect.iscoroutinefunction\``);
      }
    }
  },
});
