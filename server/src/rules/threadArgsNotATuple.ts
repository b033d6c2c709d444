import { defineRule, type Fix } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { KIND, kindNoun, lastNames } from '../semantic/kinds';
import { keywordArgument, methodCall } from '../semantic/statements';
import { positionalArgument, stockWorkerKind } from '../semantic/workerTargets';
import type { TextEdit } from 'vscode-languageserver-types';
import { replaceNode } from '../fixes/edits';
import { rangeOf } from '../text/positions';

const POOLS = new Set(['multiprocessing.Pool', 'multiprocessing.pool.Pool', 'multiprocessing.pool.ThreadPool']);
const SEQUENCES = new Set(['list', 'tuple', 'list_comprehension', 'generator_expression', 'list_splat']);
const STRINGS = new Set(['string', 'concatenated_string']);
const NUMBERS = new Set(['integer', 'float']);

/** A name bound only to list or tuple values in its scope: `args=(items)` then spreads a real sequence. */
function boundToSequence(module: ModuleIndex, name: Node): boolean {
  const found = module.lookup(name.text, name);
  if (!found) return false;
  return found.bindings.every((b) => {
    if (b.how !== 'assign' || !b.value) return false;
    if (SEQUENCES.has(b.value.type)) return true;
    const callee = b.value.type === 'call' ? b.value.childForFieldName('function') : undefined;
    return callee?.type === 'identifier' && ['list', 'tuple', 'sorted'].includes(callee.text);
  });
}

interface Problem {
  message: string;
  fix?: Fix;
}

/** What is wrong with the value given as `args`, if anything. */
function judge(module: ModuleIndex, value: Node, receiver: string): Problem | undefined {
  if (value.type === 'parenthesized_expression') {
    const inner = value.namedChildren.filter((c) => c?.type !== 'comment')[0];
    if (!inner || SEQUENCES.has(inner.type) || inner.type === 'yield') return undefined;
    if (inner.type === 'identifier' && boundToSequence(module, inner)) return undefined;
    if (inner.type === 'call' || inner.type === 'attribute' || inner.type === 'subscript') return undefined; // may well return a sequence
    const what = STRINGS.has(inner.type) ? `${receiver} passes each character as a separate argument`
      : NUMBERS.has(inner.type) ? 'the call fails with TypeError'
        : `${receiver} unpacks \`${inner.text}\` as the whole argument list`;
    const shown = inner.text.includes('\n') ? 'the parenthesized value' : `\`(${inner.text})\``;
    return {
      message: `${shown} is not a tuple, the parentheses only group: ${what}`,
      fix: { title: 'Add the trailing comma', safe: NUMBERS.has(inner.type), edits: [insertAfter(inner, ',')] },
    };
  }
  if (STRINGS.has(value.type)) {
    return {
      message: `\`args\` is a string: ${receiver} passes each character as a separate argument`,
      fix: { title: 'Wrap the string in a one-element tuple', safe: false, edits: [replaceNode(value, `(${value.text},)`)] },
    };
  }
  if (NUMBERS.has(value.type)) {
    return {
      message: `\`args\` is a number, not a sequence: the call fails with TypeError`,
      fix: { title: 'Wrap the number in a one-element tuple', safe: true, edits: [replaceNode(value, `(${value.text},)`)] },
    };
  }
  return undefined;
}

function insertAfter(node: Node, text: string): TextEdit {
  const end = rangeOf(node).end;
  return { range: { start: end, end }, newText: text };
}

export default defineRule({
  code: 'PCC203',
  name: 'thread-args-not-a-tuple',
  severity: 'error',
  summary: '`args=(x)` is not a tuple: the thread or process gets the wrong arguments.',
  fixable: true,
  local: true,
  // A worker's or a pool's `args`: the name of its constructor.
  requires: [['threading', 'multiprocessing'], lastNames([...KIND.worker, ...POOLS])],
  docs: `
    ## What it does
    Flags the \`args\` of \`threading.Thread\`, \`threading.Timer\`, \`multiprocessing.Process\`
    (and subclasses defined in the module that keep the stock constructor) and of a
    \`multiprocessing\` pool's \`apply\`/\`apply_async\` when it is not a sequence of
    arguments: a single value in parentheses such as \`args=(n)\` or \`args=("text")\`, a bare
    string \`args="text"\`, or a number \`args=5\`. A name bound to a list or tuple in the same
    scope, and calls or attributes that may return a sequence, are left alone.

    ## Why is this bad?
    Parentheses alone do not make a tuple; the comma does. \`args=(n)\` is just \`args=n\`: the
    worker calls \`target(*n)\`. A number fails with \`TypeError\` inside the new thread; a string
    is spread into one argument per character, so \`args=("report.txt")\` calls
    \`target("r", "e", "p", ...)\`.

    ## Example
    \`\`\`python
    import threading

    seen = []


    def greet(name):
        seen.append(f"hello {name}")


    t = threading.Thread(target=greet, args=("world"))  # greet("w", "o", "r", "l", "d")
    t.start()
    t.join()
    print(seen)
    \`\`\`

    ## Use instead
    \`\`\`python
    import threading

    seen = []


    def greet(name):
        seen.append(f"hello {name}")


    t = threading.Thread(target=greet, args=("world",))
    t.start()
    t.join()
    print(seen)
    \`\`\`

    ## Fix safety
    The fix adds the trailing comma (\`args=(x,)\`), or wraps a bare value (\`args=("text",)\`).
    It is safe for numbers, where the original always fails. Otherwise it is unsafe: a string
    of one character, or a name that holds a sequence at run time, worked before and is now
    passed as a single argument.

    ## References
    - [threading.Thread](https://docs.python.org/3/library/threading.html#threading.Thread)
    - [Tuples and sequences](https://docs.python.org/3/tutorial/datastructures.html#tuples-and-sequences)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('threading') && !module.importsModule('multiprocessing')) return;
    for (const { call } of module.allCalls()) {
      let value: Node | undefined;
      let receiver: string;
      const kind = stockWorkerKind(module, call);
      if (kind) {
        value = keywordArgument(call, 'args') ?? positionalArgument(call, kind === 'threading.Timer' ? 2 : 3);
        receiver = `the ${kindNoun(kind)}`;
      } else {
        const m = methodCall(call);
        if (!m || (m.method !== 'apply' && m.method !== 'apply_async') || !POOLS.has(module.kindOf(m.object) ?? '')) continue;
        value = keywordArgument(call, 'args') ?? positionalArgument(call, 1);
        receiver = 'the pool';
      }
      const problem = value && judge(module, value, receiver);
      if (problem) ctx.report(value!, problem.message, problem.fix);
    }
  },
});
