import { defineRule, type Fix } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { KIND, lastNames } from '../semantic/kinds';
import { definitionOf, inAsyncContext, owningScope } from '../semantic/scopes';
import { asyncKeyword } from '../semantic/asyncBodies';
import { insideTryCatching } from '../semantic/cancellation';
import { insertBefore } from '../fixes/edits';

/** asyncio primitives that are async context managers only. */
const ASYNC_ONLY = new Set(['asyncio.Lock', 'asyncio.Semaphore', 'asyncio.BoundedSemaphore', 'asyncio.Condition', 'asyncio.Barrier']);

type Needs = 'async with' | 'with';

interface Mismatch {
  expr: Node;
  needs: Needs;
  /** How the message names the object: "asyncio.Lock `lock`", "`@asynccontextmanager` `session()`". */
  described: string;
  /** A thread lock in async code: `with` works but blocks the loop while it waits. */
  blocking: boolean;
}

function withItems(stmt: Node): Node[] {
  const clause = stmt.namedChildren.find((c) => c?.type === 'with_clause');
  return (clause?.namedChildren ?? []).filter((c): c is Node => c?.type === 'with_item');
}

function itemExpression(item: Node): Node | undefined {
  const value = item.childForFieldName('value') ?? undefined;
  return value?.type === 'as_pattern' ? value.namedChild(0) ?? undefined : value;
}

/** The `def` a call's callee names: a function of the module, or a method of `self`'s class. */
function calledDefinition(module: ModuleIndex, call: Node): Node | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type === 'identifier') {
    return module.lookup(callee.text, callee)?.bindings.find((b) => b.how === 'def')?.node;
  }
  const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
  const name = callee?.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || object.text !== 'self' || !name) return undefined;
  const cls = module.classOfSelf(object);
  return cls ? module.bindings(cls).get(name)?.find((b) => b.how === 'def')?.node : undefined;
}

/** `sync` / `async` for a function decorated with `@contextmanager` / `@asynccontextmanager`. */
function managerKind(module: ModuleIndex, def: Node): 'sync' | 'async' | undefined {
  const decorated = def.parent?.type === 'decorated_definition' ? def.parent : undefined;
  for (const decorator of decorated?.namedChildren ?? []) {
    if (decorator?.type !== 'decorator') continue;
    const expr = decorator.namedChild(0);
    const qualified = expr ? module.resolve(expr) : undefined;
    if (qualified === 'contextlib.contextmanager') return 'sync';
    if (qualified === 'contextlib.asynccontextmanager') return 'async';
  }
  return undefined;
}

/** Methods a class body defines itself. */
function ownMethods(cls: Node): Set<string> {
  const names = new Set<string>();
  for (const stmt of cls.childForFieldName('body')?.namedChildren ?? []) {
    const def = definitionOf(stmt);
    const name = def?.type === 'function_definition' ? def.childForFieldName('name')?.text : undefined;
    if (name) names.add(name);
  }
  return names;
}

/** The class of the module that an expression instantiates: `Session()`, or a name bound to it. */
function instantiatedClass(module: ModuleIndex, expr: Node): Node | undefined {
  let call: Node | undefined = expr.type === 'call' ? expr : undefined;
  if (expr.type === 'identifier') {
    const values = module.lookup(expr.text, expr)?.bindings.map((b) => (b.how === 'assign' ? b.value : undefined)) ?? [];
    call = values.length === 1 && values[0]?.type === 'call' ? values[0] : undefined;
  }
  const callee = call?.childForFieldName('function');
  if (callee?.type !== 'identifier') return undefined;
  return module.lookup(callee.text, callee)?.bindings.find((b) => b.how === 'class')?.node;
}

/** `async` for a base-less class with only `__aenter__`, `sync` for one with only `__enter__`. */
function classProtocol(cls: Node): 'sync' | 'async' | undefined {
  if ((cls.childForFieldName('superclasses')?.namedChildCount ?? 0) > 0) return undefined; // a base may add the other protocol
  const methods = ownMethods(cls);
  if (methods.has('__aenter__') && !methods.has('__enter__')) return 'async';
  if (methods.has('__enter__') && !methods.has('__aenter__')) return 'sync';
  return undefined;
}

function mismatch(module: ModuleIndex, expr: Node, isAsync: boolean): Mismatch | undefined {
  const kind = module.kindOf(expr);
  const shown = expr.text.replace(/\s+/g, '');
  if (!isAsync && kind && ASYNC_ONLY.has(kind)) return { expr, needs: 'async with', described: `${kind} \`${shown}\``, blocking: false };
  if (isAsync && kind && KIND.syncLock.has(kind)) return { expr, needs: 'with', described: `${kind} \`${shown}\``, blocking: true };
  const cls = instantiatedClass(module, expr);
  const protocol = cls && classProtocol(cls);
  const className = cls?.childForFieldName('name')?.text;
  if (!isAsync && protocol === 'async') return { expr, needs: 'async with', described: `\`${shown}\` (class \`${className}\` defines only \`__aenter__\`)`, blocking: false };
  if (isAsync && protocol === 'sync') return { expr, needs: 'with', described: `\`${shown}\` (class \`${className}\` defines only \`__enter__\`)`, blocking: false };
  if (expr.type !== 'call') return undefined;
  const def = calledDefinition(module, expr);
  const manager = def && managerKind(module, def);
  const call = `\`${(expr.childForFieldName('function')?.text ?? '').replace(/\s+/g, '')}()\``;
  if (!isAsync && manager === 'async') return { expr, needs: 'async with', described: `${call}, an \`@asynccontextmanager\`,`, blocking: false };
  if (isAsync && manager === 'sync') return { expr, needs: 'with', described: `${call}, a \`@contextmanager\`,`, blocking: false };
  return undefined;
}

/** Switches the statement between `with` and `async with` when every item wants the switch. */
function switchFix(module: ModuleIndex, stmt: Node, found: Mismatch[], items: Node[]): Fix | undefined {
  if (found.length !== items.length || found.some((m) => m.needs !== found[0].needs)) return undefined;
  const safe = !insideTryCatching(module, stmt, ['builtins.TypeError', 'builtins.AttributeError']);
  if (found[0].needs === 'async with') {
    if (!inAsyncContext(stmt)) return undefined;
    const withKeyword = stmt.children.find((c) => c?.type === 'with');
    return withKeyword ? { title: 'Use `async with`', safe, edits: [insertBefore(withKeyword, 'async ')] } : undefined;
  }
  const keyword = asyncKeyword(stmt)!;
  const withKeyword = keyword.nextSibling;
  if (!withKeyword) return undefined;
  const range = { start: { line: keyword.startPosition.row, character: keyword.startPosition.column }, end: { line: withKeyword.startPosition.row, character: withKeyword.startPosition.column } };
  return { title: 'Use a plain `with`', safe: safe && !found.some((m) => m.blocking), edits: [{ range, newText: '' }] };
}

export default defineRule({
  code: 'PCC116',
  name: 'lock-kind-mismatch',
  severity: 'error',
  summary: '`with` on an asyncio lock, or `async with` on a threading lock: TypeError.',
  fixable: true,
  local: true,
  // A `with` statement on a lock (by its constructor's name), on a class that defines one protocol, or on a decorated manager.
  requires: [
    ['async', 'asyncio', '__aenter__', 'asynccontextmanager'],
    'with',
    [...lastNames([...ASYNC_ONLY, ...KIND.syncLock, 'contextlib.contextmanager', 'contextlib.asynccontextmanager']), '__aenter__', '__enter__'],
  ],
  docs: `
    ## What it does
    Flags a context manager used with the wrong kind of \`with\`:

    - plain \`with\` on an \`asyncio.Lock\`, \`Semaphore\`, \`BoundedSemaphore\`, \`Condition\` or
      \`Barrier\`, or on a call to a function decorated with \`@contextlib.asynccontextmanager\`;
    - \`async with\` on a \`threading\` or \`multiprocessing\` lock, semaphore or condition, or on
      a call to a function decorated with \`@contextlib.contextmanager\`;
    - either kind on an instance of a class of the module (without base classes) that defines
      only the other protocol: \`__aenter__\` but no \`__enter__\`, or the reverse.

    The object's kind comes from how its name was bound in the module (\`lock = asyncio.Lock()\`,
    \`self._lock = threading.Lock()\`, imports with aliases), so unknown objects are not flagged.

    ## Why is this bad?
    asyncio primitives only implement the asynchronous protocol (\`__aenter__\`/\`__aexit__\`),
    because acquiring them may have to wait for another task; thread locks only implement the
    synchronous one. The wrong kind of \`with\` raises \`TypeError\` ("object does not support the
    context manager protocol") the first time the line runs.

    ## Example
    \`\`\`python
    import asyncio

    lock = asyncio.Lock()
    count = 0


    async def bump():
        global count
        with lock:  # TypeError: 'Lock' object does not support the context manager protocol
            count += 1


    asyncio.run(bump())
    \`\`\`

    ## Use instead
    \`\`\`python
    import asyncio

    lock = asyncio.Lock()
    count = 0


    async def bump():
        global count
        async with lock:
            count += 1


    asyncio.run(bump())
    \`\`\`

    ## Fix safety
    The fix switches the statement between \`with\` and \`async with\` when all of its items want
    the same switch, and only adds \`async\` inside an \`async def\`. The code as written always
    raises, so adding \`async\` is safe. Turning \`async with\` on a thread lock into \`with\` is
    unsafe: the code now runs, but waiting for a thread lock blocks the whole event loop; an
    \`asyncio.Lock\` is usually what was meant. Both are unsafe inside a \`try\` that catches
    \`TypeError\`, which may rely on the error.

    ## References
    - [asyncio synchronization primitives](https://docs.python.org/3/library/asyncio-sync.html)
    - [The async with statement](https://docs.python.org/3/reference/compound_stmts.html#async-with)
    - [contextlib.asynccontextmanager](https://docs.python.org/3/library/contextlib.html#contextlib.asynccontextmanager)
  `,
  check(ctx) {
    const { module } = ctx;
    for (const stmt of module.of('with_statement')) {
      const isAsync = asyncKeyword(stmt) !== undefined;
      const items = withItems(stmt);
      const found = items.flatMap((item) => {
        const expr = itemExpression(item);
        const m = expr && mismatch(module, expr, isAsync);
        return m ? [m] : [];
      });
      if (found.length === 0) continue;
      const fix = switchFix(module, stmt, found, items);
      for (const m of found) {
        const used = isAsync ? '`async with`' : '`with`';
        const reason = m.needs === 'async with' ? 'it needs `async with`' : 'it supports only a plain `with`';
        const where = m.needs === 'async with' && !inAsyncContext(stmt) && owningScope(stmt).type !== 'module' ? ' (and the function must be `async def`)' : '';
        ctx.report(m.expr, `${used} on ${m.described} raises TypeError: ${reason}${where}`, fix);
      }
    }
  },
});
