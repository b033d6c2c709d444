import { defineRule, type Fix } from './rule';
import type { Range } from 'vscode-languageserver-types';
import type { Node } from '../trees';
import { functionName } from '../semantic/scopes';
import { asyncKeyword, asyncPlace, isYieldFrom, ownNodes, ownYields, type AsyncPlace } from '../semantic/asyncBodies';
import { insertBefore } from '../fixes/edits';
import { rangeOf } from '../text/positions';

/** Dunder methods that Python calls synchronously: making them `async def` breaks their protocol. */
const SYNC_PROTOCOL = /^__(?!aenter__|aexit__|anext__|call__)\w+__$/;

/** What the node is, as the user wrote it. */
function feature(node: Node): string {
  if (node.type === 'await') return '`await`';
  if (node.type === 'with_statement') return '`async with`';
  if (node.type === 'for_statement') return '`async for`';
  return '`async for` in a comprehension';
}

/** The flagged span: the `await` expression, or `async with` / `async for` up to its keyword. */
function span(node: Node): Range {
  if (node.type === 'await') return rangeOf(node);
  const keyword = asyncKeyword(node)!;
  const next = keyword.nextSibling ?? keyword;
  return { start: rangeOf(keyword).start, end: rangeOf(next).end };
}

/** The message: what, where, and why it does not compile. */
function message(node: Node, place: AsyncPlace): string {
  const owner = place.owner;
  const what = feature(node);
  if (owner.type === 'function_definition') {
    const note = place.comprehension ? ': the comprehension runs in the enclosing function' : '';
    return `${what} in non-async function \`${functionName(owner)}\` is a SyntaxError${note}`;
  }
  if (owner.type === 'lambda') return `${what} in a \`lambda\` is a SyntaxError: a lambda cannot be async`;
  if (owner.type === 'class_definition') return `${what} in the body of class \`${owner.childForFieldName('name')?.text ?? ''}\` is a SyntaxError`;
  return `${what} at module level is a SyntaxError (top-level \`await\` works only in notebooks)`;
}

/** `def f` becomes `async def f`, unless the result would not compile or breaks a sync protocol. */
function makeAsync(fn: Node): Fix | undefined {
  const name = functionName(fn);
  if (SYNC_PROTOCOL.test(name)) return undefined;
  const yields = ownYields(fn);
  if (yields.some(isYieldFrom)) return undefined; // `yield from` is not allowed in `async def`
  if (yields.length > 0 && ownNodes(fn, ['return_statement']).some((r) => r.namedChildCount > 0)) return undefined; // async generators cannot return a value
  const def = fn.children.find((c) => c?.type === 'def');
  if (!def) return undefined;
  return { title: `Make \`${name}\` an \`async def\``, safe: false, edits: [insertBefore(def, 'async ')] };
}

export default defineRule({
  code: 'PCC113',
  name: 'await-outside-async',
  severity: 'error',
  summary: '`await`, `async with` or `async for` outside an `async def` is a SyntaxError.',
  fixable: true,
  local: true,
  requires: [['async', 'await']],
  docs: `
    ## What it does
    Flags \`await\`, \`async with\`, \`async for\` and asynchronous comprehensions
    (\`[x async for x in it]\`, \`[await f(x) for x in xs]\`) where Python does not allow them: in a
    plain \`def\`, in a \`lambda\`, in a class body, or at module level.

    Python's own rules decide: list, set and dict comprehensions run inside the enclosing
    function, so they need it to be \`async def\`; a generator expression with \`await\` or
    \`async for\` is an asynchronous generator and is allowed anywhere (except in its first
    iterable, which the enclosing scope evaluates). Top-level \`await\` in a notebook cell
    (Jupyter, VS Code notebooks) is allowed and not flagged; a class body in a notebook still is.

    ## Why is this bad?
    The module does not compile: Python raises \`SyntaxError\` before running any of it, so
    importing the module fails. A tree-sitter based editor parses the code happily, which is
    why this rule exists: the mistake otherwise only shows up when the code runs.

    ## Example
    \`\`\`python
    import asyncio


    async def fetch(n):
        await asyncio.sleep(0.01)
        return n


    def total():
        return await fetch(1) + await fetch(2)  # SyntaxError


    print(asyncio.run(total()))
    \`\`\`

    ## Use instead
    \`\`\`python
    import asyncio


    async def fetch(n):
        await asyncio.sleep(0.01)
        return n


    async def total():
        return await fetch(1) + await fetch(2)


    print(asyncio.run(total()))
    \`\`\`

    ## Fix safety
    The fix makes the enclosing function an \`async def\`. It is unsafe: every caller now gets a
    coroutine instead of a result and must \`await\` it (or run it with \`asyncio.run\`). The fix
    is not offered in a \`lambda\`, a class body or at module level, for methods that Python calls
    synchronously (\`__init__\`, \`__enter__\`, \`__iter__\`, ...), or for generators that use
    \`yield from\` or return a value, which \`async def\` does not allow.

    ## References
    - [The await expression](https://docs.python.org/3/reference/expressions.html#await)
    - [Coroutine function definition](https://docs.python.org/3/reference/compound_stmts.html#coroutine-function-definition)
    - [Asynchronous comprehensions (PEP 530)](https://peps.python.org/pep-0530/)
  `,
  check(ctx) {
    const { module } = ctx;
    const candidates = [
      ...module.of('await').filter((n) => n.isNamed),
      ...module.of('with_statement').filter((n) => asyncKeyword(n)),
      ...module.of('for_statement').filter((n) => asyncKeyword(n)),
      ...module.descendantsOfType(['for_in_clause']).filter((n) => asyncKeyword(n) !== undefined),
    ];
    for (const node of candidates) {
      const place = asyncPlace(node);
      if (place.allowed) continue;
      if (place.owner.type === 'module' && ctx.options.notebook) continue;
      const fix = place.owner.type === 'function_definition' ? makeAsync(place.owner) : undefined;
      ctx.report(span(node), message(node, place), fix);
    }
  },
});
