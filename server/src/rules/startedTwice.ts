import { defineRule, type RuleContext } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { KIND, kindNoun, lastNames } from '../semantic/kinds';
import { owningScope } from '../semantic/scopes';
import { compact, methodCall } from '../semantic/statements';
import { rangeOf } from '../text/positions';

/** Statements and expressions that may skip what they contain. */
const CONDITIONAL = new Set([
  'if_statement', 'elif_clause', 'else_clause', 'try_statement', 'except_clause', 'finally_clause',
  'for_statement', 'while_statement', 'match_statement', 'case_clause', 'conditional_expression',
  'boolean_operator', 'lambda', 'list_comprehension', 'generator_expression', 'set_comprehension',
  'dictionary_comprehension',
]);
const JUMPS = new Set(['return_statement', 'raise_statement', 'break_statement', 'continue_statement']);
const BLOCKS = new Set(['block', 'module']);

/** The statement holding `node` that is a direct child of `block`. */
function holderIn(node: Node, block: Node): Node | undefined {
  let current: Node | null = node;
  while (current?.parent && current.parent.id !== block.id) current = current.parent;
  return current?.parent?.id === block.id ? current : undefined;
}

/** True when nothing between `node` and its ancestor `top` may skip it. */
function unconditionalUpTo(node: Node, top: Node): boolean {
  for (let p = node.parent; p && p.id !== top.id; p = p.parent) if (CONDITIONAL.has(p.type)) return false;
  return true;
}

/** Something between the two calls may make it a different object: a rebinding, `del`, or (for `self.x`) a call on `self`. */
function rebound(module: ModuleIndex, object: Node, scope: Node, from: number, to: number): boolean {
  const text = compact(object);
  const inRange = (n: Node) => n.startIndex >= from && n.startIndex < to;
  if (object.type === 'identifier') {
    const found = module.lookup(object.text, object);
    if (found?.bindings.some((b) => inRange(b.node))) return true;
  } else {
    for (const assign of [...module.of('assignment'), ...module.of('augmented_assignment')]) {
      const left = assign.childForFieldName('left');
      if (left && inRange(assign) && compact(left).split(',').includes(text)) return true;
    }
    const root = object.type === 'attribute' ? object.childForFieldName('object') : undefined;
    for (const { call } of module.allCalls()) {
      const m = methodCall(call);
      if (m && root && inRange(call) && compact(m.object) === compact(root)) return true;
    }
  }
  return scope.descendantsOfType('delete_statement').some((d) => !!d && inRange(d) && d.text.includes(object.text));
}

/** `a` certainly runs before `b` in the same scope: `a` is unconditional in a block whose later statement holds `b`. */
function sequential(a: Node, b: Node): boolean {
  for (let block: Node | null = a.parent; block; block = block.parent) {
    if (!BLOCKS.has(block.type)) continue;
    const holderB = holderIn(b, block);
    if (!holderB) continue;
    const holderA = holderIn(a, block)!;
    if (holderA.id === holderB.id || holderA.startIndex > holderB.startIndex) return false;
    if (!unconditionalUpTo(a, block)) return false;
    // An unconditional jump between them makes `b` unreachable from `a`.
    for (let s = holderA.nextNamedSibling; s && s.id !== holderB.id; s = s.nextNamedSibling) if (JUMPS.has(s.type)) return false;
    return true;
  }
  return false;
}

/** The loop that runs `call` on every pass: `for`, or `while True`, with no way out but the end. */
function repeatingLoop(call: Node, scope: Node): Node | undefined {
  let loop: Node | undefined;
  for (let p = call.parent; p && p.id !== scope.id; p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'while_statement') {
      loop = p;
      break;
    }
  }
  if (!loop) return undefined;
  if (loop.type === 'while_statement' && loop.childForFieldName('condition')?.type !== 'true') return undefined;
  const body = loop.childForFieldName('body');
  if (!body || !unconditionalUpTo(call, body)) return undefined;
  for (const type of JUMPS) {
    if (body.descendantsOfType(type).some((j) => !!j && owningScope(j).id === owningScope(call).id)) return undefined;
  }
  return loop;
}

function checkGroup(ctx: RuleContext, calls: Node[], object: (c: Node) => Node, noun: string): void {
  const { module } = ctx;
  const error = noun === 'Process' ? 'AssertionError' : 'RuntimeError';
  for (const call of calls) {
    const scope = owningScope(call);
    const loop = repeatingLoop(call, scope);
    if (loop && !rebound(module, object(call), scope, loop.startIndex, loop.endIndex)) {
      ctx.report(call, `${noun} \`${compact(object(call))}\` is started on every pass of the loop: the second \`start()\` raises ${error}`);
    }
  }
  for (let i = 1; i < calls.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [calls[j], calls[i]];
      if (!sequential(a, b) || rebound(module, object(b), owningScope(b), a.endIndex, b.startIndex)) continue;
      ctx.report(b, `${noun} \`${compact(object(b))}\` is started a second time: \`start()\` raises ${error} on a worker that was already started`, undefined,
        [{ range: rangeOf(a), message: 'first started here' }]);
      break;
    }
  }
}

export default defineRule({
  code: 'PCC205',
  name: 'started-twice',
  severity: 'error',
  summary: '`.start()` is called twice on the same Thread or Process.',
  fixable: false,
  // `.start()` on a worker: the method's name, and the name of the worker's constructor.
  requires: [['threading', 'multiprocessing'], 'start', lastNames(KIND.worker)],
  docs: `
    ## What it does
    Flags \`.start()\` on a \`threading.Thread\`, \`threading.Timer\` or
    \`multiprocessing.Process\` object (known from how the name or \`self.x\` was bound) when,
    in the same function, the same object was certainly started before with nothing rebinding
    the name in between: two \`start()\` calls in a row, or a \`start()\` inside a \`for\` loop
    (or \`while True\`) on a worker created before the loop, with no \`break\`, \`return\` or
    \`raise\` in the loop. Starts in different branches of an \`if\`/\`try\` are not flagged.

    ## Why is this bad?
    A thread or process can be started only once. The second \`start()\` raises
    \`RuntimeError: threads can only be started once\` (for a process:
    \`AssertionError: cannot start a process twice\`). To run the work again, create a new
    worker object.

    ## Example
    \`\`\`python
    import threading

    done = []


    def work(n):
        done.append(n)


    t = threading.Thread(target=work, args=(1,))
    for _ in range(3):
        t.start()  # the second pass raises RuntimeError
        t.join()
    print(done)
    \`\`\`

    ## Use instead
    \`\`\`python
    import threading

    done = []


    def work(n):
        done.append(n)


    for _ in range(3):
        t = threading.Thread(target=work, args=(1,))
        t.start()
        t.join()
    print(done)
    \`\`\`

    ## References
    - [threading.Thread.start](https://docs.python.org/3/library/threading.html#threading.Thread.start)
    - [multiprocessing.Process.start](https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Process.start)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('threading') && !module.importsModule('multiprocessing')) return;
    const groups = new Map<string, { calls: Node[]; noun: string }>();
    const objectOf = (call: Node) => methodCall(call)!.object;
    for (const { call } of module.allCalls()) {
      const m = methodCall(call);
      if (m?.method !== 'start' || (m.object.type !== 'identifier' && m.object.type !== 'attribute')) continue;
      if ((call.childForFieldName('arguments')?.namedChildCount ?? 0) > 0) continue;
      const kind = module.kindOf(m.object);
      if (!kind || !KIND.worker.has(kind)) continue;
      const key = `${owningScope(call).id}:${compact(m.object)}`;
      const group = groups.get(key) ?? { calls: [], noun: kindNoun(kind) };
      group.calls.push(call);
      groups.set(key, group);
    }
    for (const { calls, noun } of groups.values()) checkGroup(ctx, calls, objectOf, noun);
  },
});
