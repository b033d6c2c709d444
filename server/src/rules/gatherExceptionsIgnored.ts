import { defineRule } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { functionName, owningScope } from '../semantic/scopes';
import { keywordArgument, methodCall, usesInScope } from '../semantic/statements';

/** Calls that pass the gather's result through: `wait_for(gather(...), t)`, `loop.run_until_complete(gather(...))`. */
const PASS_THROUGH = new Set(['asyncio.wait_for', 'asyncio.shield']);

/** The outermost expression that carries the gather's result, and the statement it ends in. */
function carrier(module: ModuleIndex, gather: Node): Node {
  let expr = gather;
  for (;;) {
    const parent = expr.parent;
    if (!parent) return expr;
    if (parent.type === 'await' || parent.type === 'parenthesized_expression') {
      expr = parent;
      continue;
    }
    if (parent.type === 'argument_list' && parent.namedChildren[0]?.id === expr.id && parent.parent?.type === 'call') {
      const outer = parent.parent;
      const callee = outer.childForFieldName('function');
      const qualified = callee ? module.resolve(callee) : undefined;
      if ((qualified && PASS_THROUGH.has(qualified)) || methodCall(outer)?.method === 'run_until_complete') {
        expr = outer;
        continue;
      }
    }
    return expr;
  }
}

/** Why the result is lost: thrown away, bound to `_`, or bound to a name nobody reads. */
function discarded(module: ModuleIndex, expr: Node): string | undefined {
  const parent = expr.parent;
  if (parent?.type === 'expression_statement') return 'is discarded';
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== expr.id) return undefined;
  const left = parent.childForFieldName('left');
  if (left?.type !== 'identifier') return undefined;
  if (/^_+$/.test(left.text)) return `is assigned to \`${left.text}\``;
  const scope = owningScope(parent);
  if (scope.type === 'module' || module.bindings(scope).get(left.text)?.some((b) => b.how === 'global')) return undefined;
  const reads = usesInScope(module, scope, left.text).filter((id) => !(id.parent?.type === 'assignment' && id.parent.childForFieldName('left')?.id === id.id));
  return reads.length === 0 ? `is stored in \`${left.text}\`, which is never read` : undefined;
}

export default defineRule({
  code: 'PCC119',
  name: 'gather-exceptions-ignored',
  severity: 'warning',
  summary: '`await asyncio.gather(..., return_exceptions=True)` whose result is discarded: errors vanish.',
  fixable: false,
  local: true,
  requires: ['asyncio', 'gather', 'return_exceptions'],
  docs: `
    ## What it does
    Flags \`asyncio.gather(..., return_exceptions=True)\` whose result nobody looks at: an
    \`await\` used as a statement, a result bound to \`_\` or to a local name that is never read.
    The gather may be wrapped in \`asyncio.wait_for\`, \`asyncio.shield\` or
    \`loop.run_until_complete\`.

    ## Why is this bad?
    With \`return_exceptions=True\`, \`gather\` does not raise when an awaitable fails: it puts the
    exception object in the result list, in place of that awaitable's value. If the list is
    thrown away, so are the errors: failed work looks exactly like finished work, with no
    traceback anywhere. Either inspect the results, or drop \`return_exceptions=True\` (or use
    \`asyncio.TaskGroup\`) so that failures propagate.

    ## Example
    \`\`\`python
    import asyncio


    async def job(n):
        if n == 2:
            raise ValueError(n)
        await asyncio.sleep(0.01)


    async def main():
        await asyncio.gather(job(1), job(2), return_exceptions=True)  # ValueError vanishes
        print("all done?")


    asyncio.run(main())
    \`\`\`

    ## Use instead
    \`\`\`python
    import asyncio


    async def job(n):
        if n == 2:
            raise ValueError(n)
        await asyncio.sleep(0.01)


    async def main():
        results = await asyncio.gather(job(1), job(2), return_exceptions=True)
        for n, result in enumerate(results, start=1):
            if isinstance(result, Exception):
                print(f"job {n} failed: {result!r}")


    asyncio.run(main())
    \`\`\`

    ## References
    - [asyncio.gather](https://docs.python.org/3/library/asyncio-task.html#asyncio.gather)
    - [asyncio.TaskGroup](https://docs.python.org/3/library/asyncio-task.html#task-groups)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('asyncio')) return;
    for (const { call, callee } of module.calls('asyncio.gather')) {
      if (keywordArgument(call, 'return_exceptions')?.type !== 'true') continue;
      const expr = carrier(module, call);
      if (expr.id === call.id && call.parent?.type === 'expression_statement') continue; // not awaited: coroutine-never-awaited
      const how = discarded(module, expr);
      if (!how) continue;
      const scope = owningScope(expr);
      const where = scope.type === 'module' ? 'at module level' : `in \`${functionName(scope)}\``;
      ctx.report(call, `Result of \`${callee.text.replace(/\s+/g, '')}(..., return_exceptions=True)\` ${how} ${where}: exceptions it returns are silently lost`);
    }
  },
});
