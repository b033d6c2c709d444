import { defineRule } from './rule';
import type { Node } from '../trees';
import { functionName, isAsyncDef, methodClass } from '../semantic/scopes';
import { isStubBody, ownAsyncFeatures, ownYields } from '../semantic/asyncBodies';

/** A class with a base other than `object` (or a metaclass): its methods may implement an interface. */
function hasBases(cls: Node): boolean {
  const bases = cls.childForFieldName('superclasses');
  return (bases?.namedChildren ?? []).some((b) => b !== null && b.type !== 'comment' && b.text !== 'object');
}

/** Why the function is left alone, if it is. */
function exempt(fn: Node): boolean {
  if (fn.parent?.type === 'decorated_definition') return true; // framework handlers, overloads, abstract methods
  if (/^__\w+__$/.test(functionName(fn))) return true; // protocol methods such as __aenter__ must be async
  const cls = methodClass(fn);
  if (cls && hasBases(cls)) return true; // may override an async method of the base
  return isStubBody(fn) || ownYields(fn).length > 0;
}

export default defineRule({
  code: 'PCC118',
  name: 'async-without-await',
  severity: 'info',
  summary: 'An `async def` that never awaits, nor uses `async for` or `async with`.',
  fixable: false,
  local: true,
  requires: ['async'],
  docs: `
    ## What it does
    Flags an \`async def\` whose own body (not counting nested functions) contains no \`await\`,
    no \`async for\`, no \`async with\` and no asynchronous comprehension. An \`await\` inside a
    generator expression does not count: it makes the generator expression asynchronous, not the
    function.

    Left alone, because \`async\` is required or meaningful there:

    - decorated functions (web framework handlers, \`@pytest.fixture\`, \`@overload\`,
      \`@abstractmethod\`, ...), which are often called by code that expects a coroutine;
    - methods of a class that has a base other than \`object\` (or a metaclass): they may
      override an async method, and the signature must stay async;
    - special methods such as \`__aenter__\` and \`__aexit__\`, which the protocol requires to be
      async;
    - stubs whose body is only a docstring, \`...\`, \`pass\` or \`raise NotImplementedError\`;
    - async generators (functions with \`yield\`): \`async def\` is what makes them usable with
      \`async for\`.

    Methods of classes without bases are checked, like functions.

    ## Why is this bad?
    An \`async def\` that never suspends runs from start to end in one step, so \`async\` buys
    nothing, yet every caller must \`await\` it and it cannot be called from plain code. It often
    means an \`await\` is missing (\`return fetch()\` instead of \`return await fetch()\`), or that a
    blocking call is hiding in a coroutine.

    ## Example
    \`\`\`python
    import asyncio


    async def total(values):
        return sum(values)


    async def main():
        await asyncio.sleep(0.01)  # real asynchronous work
        print(await total([1, 2, 3]))


    asyncio.run(main())
    \`\`\`

    ## Use instead
    \`\`\`python
    import asyncio


    def total(values):
        return sum(values)


    async def main():
        await asyncio.sleep(0.01)  # real asynchronous work
        print(total([1, 2, 3]))


    asyncio.run(main())
    \`\`\`

    ## References
    - [Coroutines and tasks](https://docs.python.org/3/library/asyncio-task.html#coroutines)
    - [Coroutine function definition](https://docs.python.org/3/reference/compound_stmts.html#coroutine-function-definition)
  `,
  check(ctx) {
    const { module } = ctx;
    for (const fn of module.of('function_definition')) {
      if (!isAsyncDef(fn) || exempt(fn) || ownAsyncFeatures(fn).length > 0) continue;
      const name = fn.childForFieldName('name');
      if (!name) continue;
      const cls = methodClass(fn);
      const what = cls ? `Async method \`${cls.childForFieldName('name')?.text}.${name.text}\`` : `Async function \`${name.text}\``;
      ctx.report(name, `${what} never awaits, nor uses \`async for\` or \`async with\`: it could be a plain \`def\``);
    }
  },
});
