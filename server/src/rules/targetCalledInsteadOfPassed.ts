import { defineRule, type Fix } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { KIND, kindNoun } from '../semantic/kinds';
import { keywordArgument } from '../semantic/statements';
import { functionOf, handoffWords, methodOf, workerHandoffs, type Handoff } from '../semantic/workerTargets';
import { isGeneratorFunction, resultIsNotCallable } from '../semantic/functionBodies';
import { isAsyncDef } from '../semantic/scopes';
import { moduleReference, replaceNode } from '../fixes/edits';

/** Library calls that never return a callable: passing their result as a target is always wrong. */
const PLAIN_CALLS = new Set([
  'builtins.print', 'builtins.input', 'builtins.open', 'time.sleep', 'os.system', 'os.remove', 'os.makedirs',
  'subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output',
  'shutil.copy', 'shutil.copyfile', 'shutil.rmtree', 'urllib.request.urlopen',
  'requests.get', 'requests.post', 'requests.put', 'requests.delete', 'requests.request',
]);

/** A class defined here without bases and without `__call__`: its instances cannot be called. */
function plainClass(module: ModuleIndex, callee: Node): boolean {
  if (callee.type !== 'identifier') return false;
  const found = module.lookup(callee.text, callee);
  const cls = found?.bindings.length === 1 && found.bindings[0].how === 'class' ? found.bindings[0].node : undefined;
  if (!cls) return false;
  const bases = cls.childForFieldName('superclasses')?.namedChildren.filter((b) => b && b.text !== 'object') ?? [];
  return bases.length === 0 && !methodOf(cls, '__call__');
}

/** What calling gives back, when it certainly cannot be called; only `plain` results get a fix. */
type NotCallable = 'plain' | 'generator' | 'coroutine' | 'instance';

export function callResultNotCallable(module: ModuleIndex, call: Node): NotCallable | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const qualified = module.resolve(callee);
  if (qualified) return PLAIN_CALLS.has(qualified) ? 'plain' : undefined;
  const fn = functionOf(module, callee);
  if (fn) {
    if (!resultIsNotCallable(module, fn)) return undefined;
    if (isAsyncDef(fn)) return 'coroutine';
    return isGeneratorFunction(fn) ? 'generator' : 'plain';
  }
  return plainClass(module, callee) ? 'instance' : undefined;
}

interface SplitArguments {
  list: Node;
  positional: Node[];
  /** `k=v` and `**kw`. */
  keywords: Node[];
  hasComments: boolean;
}

function splitArguments(call: Node): SplitArguments | undefined {
  const list = call.childForFieldName('arguments');
  if (list?.type !== 'argument_list') return undefined;
  const positional: Node[] = [];
  const keywords: Node[] = [];
  let hasComments = false;
  for (const arg of list.namedChildren) {
    if (!arg) continue;
    if (arg.type === 'comment') hasComments = true;
    else if (arg.type === 'keyword_argument' || arg.type === 'dictionary_splat') keywords.push(arg);
    else positional.push(arg);
  }
  return { list, positional, keywords, hasComments };
}

/** The positional arguments as a tuple; the argument list's own text when it holds nothing else. */
function tupleText(args: SplitArguments): string {
  const { list, positional, keywords } = args;
  if (keywords.length === 0) {
    const text = list.text;
    if (positional.length !== 1) return text;
    const last = positional[0];
    const next = last.nextSibling;
    if (next?.type === ',') return text;
    const cut = last.endIndex - list.startIndex;
    return `${text.slice(0, cut)},${text.slice(cut)}`;
  }
  const items = positional.map((p) => p.text);
  return `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
}

function dictText(keywords: Node[]): string {
  const items = keywords.map((k) => (k.type === 'dictionary_splat' ? k.text : `"${k.childForFieldName('name')!.text}": ${k.childForFieldName('value')!.text}`));
  return `{${items.join(', ')}}`;
}

/** The text inside the argument list's parentheses, verbatim. */
function innerText(list: Node): string {
  return list.text.slice(1, -1);
}

function spreadText(callee: string, list: Node): string {
  const inner = innerText(list);
  if (inner.trim() === '') return callee;
  return /^\s/.test(inner) ? `${callee},${inner}` : `${callee}, ${inner}`;
}

/** Arguments of the handoff call other than the callable's slot. */
function otherArguments(h: Handoff): Node[] {
  return (h.call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment' && a.id !== h.callable.id && a.id !== h.callable.parent?.id);
}

function buildFix(module: ModuleIndex, h: Handoff, inner: Node, callee: Node): Fix | undefined {
  const args = splitArguments(inner);
  if (!args) return undefined;
  const name = callee.text;
  const title = `Pass \`${name}\` and its arguments separately`;
  const fix = (text: string, extra: Fix['edits'] = []): Fix => ({ title, safe: false, edits: [replaceNode(inner, text), ...extra] });
  const hasPositional = args.positional.length > 0;
  const hasKeywords = args.keywords.length > 0;
  if (KIND.worker.has(h.receiver)) {
    // Thread(target=f(a), ...) → Thread(target=f, args=(a,), kwargs={...})
    if (keywordArgument(h.call, 'args') || keywordArgument(h.call, 'kwargs')) return undefined;
    const slot = h.callable.parent?.type === 'keyword_argument' ? h.callable.parent : h.callable;
    const later = otherArguments(h).filter((a) => a.startIndex > slot.startIndex && a.type !== 'keyword_argument');
    if (later.length > 0 || (args.hasComments && hasKeywords)) return undefined;
    const parts = [name];
    if (hasPositional) parts.push(`args=${tupleText(args)}`);
    if (hasKeywords) parts.push(`kwargs=${dictText(args.keywords)}`);
    return fix(parts.join(', '));
  }
  const others = otherArguments(h);
  if (h.method === 'run_in_executor') {
    if (others.length !== 1) return undefined;
    if (!hasKeywords) return fix(spreadText(name, args.list));
    const partial = partialReference(module);
    return fix(`${partial.name}(${spreadText(name, args.list)})`, partial.edits);
  }
  if (others.length > 0) return undefined;
  if (h.method === 'submit' || h.receiver === 'asyncio.to_thread') return fix(spreadText(name, args.list));
  if (h.method === 'apply' || h.method === 'apply_async') {
    if (args.hasComments && hasKeywords) return undefined;
    const parts = [name];
    if (hasPositional || hasKeywords) parts.push(hasPositional ? tupleText(args) : '()');
    if (hasKeywords) parts.push(dictText(args.keywords));
    return fix(parts.join(', '));
  }
  return undefined;
}

function partialReference(module: ModuleIndex): { name: string; edits: Fix['edits'] } {
  for (const imp of module.imports) {
    if (imp.qualified === 'functools.partial' && imp.node.type === 'import_from_statement') return { name: imp.local, edits: [] };
  }
  const ref = moduleReference(module, 'functools');
  return { name: `${ref.name}.partial`, edits: ref.edits };
}

/** Who receives the callable, in words. */
function receiverNoun(h: Handoff): string {
  if (KIND.worker.has(h.receiver)) return `the ${kindNoun(h.receiver)}`;
  if (h.receiver === 'asyncio.to_thread') return '`asyncio.to_thread`';
  if (h.method === 'run_in_executor') return '`run_in_executor`';
  if (h.receiver.endsWith('Executor')) return 'the executor';
  return 'the pool';
}

export default defineRule({
  code: 'PCC202',
  name: 'target-called-instead-of-passed',
  severity: 'error',
  summary: 'A worker is given the result of calling a function instead of the function itself.',
  fixable: true,
  requires: [['threading', '_thread', 'multiprocessing', 'concurrent', 'asyncio', 'run_in_executor'], handoffWords()],
  docs: `
    ## What it does
    Flags a function that is called where a thread, process, executor or pool expects the
    function itself: \`Thread(target=f(x))\`, \`Process(target=f(x))\`, \`Timer(1, f(x))\`,
    \`executor.submit(f(x))\`, \`executor.map(f(x), items)\`, \`pool.apply_async(f(x))\`,
    \`loop.run_in_executor(None, f(x))\` and \`asyncio.to_thread(f(x))\`.

    It reports only calls whose result certainly cannot be called: a function of this module
    that returns nothing or plain data, a generator function, an \`async def\`, a class of this
    module without \`__call__\`, or a library call such as \`print\` or \`time.sleep\`. A factory
    that returns a function (\`target=make_handler(cfg)\`) and \`functools.partial(f, x)\` are fine.

    ## Why is this bad?
    \`f(x)\` runs at once, in the calling thread, before the worker even exists. The program
    waits for it, and then hands its return value (usually \`None\`) to the worker. A
    \`Thread\` with \`target=None\` does nothing; an executor or \`to_thread\` fails with
    \`TypeError: 'NoneType' object is not callable\`. The work ran, but sequentially.

    ## Example
    \`\`\`python
    import threading

    results = []


    def work(n, scale=1):
        results.append(n * scale)


    t = threading.Thread(target=work(3, scale=2))  # runs work() now, here
    t.start()
    t.join()
    print(results)
    \`\`\`

    ## Use instead
    \`\`\`python
    import threading

    results = []


    def work(n, scale=1):
        results.append(n * scale)


    t = threading.Thread(target=work, args=(3,), kwargs={"scale": 2})
    t.start()
    t.join()
    print(results)
    \`\`\`

    For executors and \`asyncio.to_thread\` the arguments follow the function:
    \`executor.submit(work, 3, scale=2)\`, \`await asyncio.to_thread(work, 3, scale=2)\`.

    ## Fix safety
    Unsafe: the function now runs in the worker instead of the caller, so its exceptions and
    return value no longer reach the calling code and the timing changes. The fix passes the
    function and moves its arguments to where the worker takes them: \`args=(...)\` and
    \`kwargs={...}\` for \`Thread\`, \`Process\` and \`Timer\`; after the function for
    \`submit\` and \`to_thread\`; \`(args,)\` and \`{kwargs}\` for \`apply\`/\`apply_async\`;
    for \`run_in_executor\`, which takes no keyword arguments, \`functools.partial\` (adding the
    import). No fix is offered for \`map\`, when the worker call already has \`args=\`, or
    when the called function is an \`async def\`, a generator function or a class: what was
    meant is not clear from the code.

    ## References
    - [threading.Thread](https://docs.python.org/3/library/threading.html#threading.Thread)
    - [Executor.submit](https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.Executor.submit)
    - [asyncio.to_thread](https://docs.python.org/3/library/asyncio-task.html#asyncio.to_thread)
  `,
  check(ctx) {
    const { module } = ctx;
    for (const h of workerHandoffs(module)) {
      const inner = h.callable;
      if (inner.type !== 'call') continue;
      const callee = inner.childForFieldName('function');
      const result = callee && callResultNotCallable(module, inner);
      if (!callee || !result) continue;
      const name = callee.text;
      const receiver = receiverNoun(h);
      const message = result === 'coroutine' ? `\`${name}(...)\` only creates a coroutine here: ${receiver} gets that coroutine object instead of \`${name}\``
        : result === 'generator' ? `\`${name}(...)\` only creates a generator here: ${receiver} gets that generator instead of \`${name}\``
          : result === 'instance' ? `\`${name}(...)\` creates a \`${name}\` object here, which cannot be called: ${receiver} gets it instead of a function`
            : `\`${name}(...)\` runs now, in the calling thread: ${receiver} gets its return value instead of \`${name}\``;
      ctx.report(inner, message, result === 'plain' ? buildFix(module, h, inner, callee) : undefined);
    }
  },
});
