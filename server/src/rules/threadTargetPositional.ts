import { defineRule, type Fix } from './rule';
import type { Node } from '../trees';
import { KIND, kindNoun, lastNames } from '../semantic/kinds';
import { keywordArgument } from '../semantic/statements';
import { stockWorkerKind } from '../semantic/workerTargets';
import { replaceNode } from '../fixes/edits';

/** Positional arguments of a call, or undefined when a `*splat` hides how many there are. */
function positionals(call: Node): Node[] | undefined {
  const result: Node[] = [];
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'list_splat') return undefined;
    if (arg.type !== 'keyword_argument' && arg.type !== 'dictionary_splat') result.push(arg);
  }
  return result;
}

export default defineRule({
  code: 'PCC206',
  name: 'thread-target-positional',
  severity: 'error',
  summary: '`Thread(f)` passes `f` as `group`, not as `target`.',
  fixable: true,
  local: true,
  // A Thread or Process constructor (a Timer takes a function first): its name.
  requires: [['threading', 'multiprocessing'], lastNames([...KIND.worker].filter((kind) => kind !== 'threading.Timer'))],
  docs: `
    ## What it does
    Flags \`threading.Thread(...)\` and \`multiprocessing.Process(...)\` (also through aliases,
    \`get_context()\` contexts and subclasses defined in the module that keep the stock
    constructor) whose first positional argument is anything but \`None\`.

    ## Why is this bad?
    The first parameter of \`Thread\` and \`Process\` is \`group\`, reserved for a future
    extension; the function to run is the second, \`target\`. \`Thread(work)\` fails at once
    with \`AssertionError: group argument must be None for now\`, and under \`python -O\`,
    where assertions are skipped, it makes a worker with no target that silently does nothing.
    \`threading.Timer\` is not flagged: its first two parameters really are
    \`interval, function\`.

    ## Example
    \`\`\`python
    import threading

    done = []


    def work():
        done.append(True)


    t = threading.Thread(work)  # AssertionError: group argument must be None for now
    t.start()
    t.join()
    print(done)
    \`\`\`

    ## Use instead
    \`\`\`python
    import threading

    done = []


    def work():
        done.append(True)


    t = threading.Thread(target=work)
    t.start()
    t.join()
    print(done)
    \`\`\`

    ## Fix safety
    Safe: the fix turns the single positional argument into \`target=...\`. The original call
    can never have worked (it raises, or under \`-O\` runs nothing), and naming the argument is
    the only reading that makes it work. No fix is offered when there are several positional
    arguments or a \`target=\` keyword as well.

    ## References
    - [threading.Thread](https://docs.python.org/3/library/threading.html#threading.Thread)
    - [multiprocessing.Process](https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Process)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('threading') && !module.importsModule('multiprocessing')) return;
    for (const { call } of module.allCalls()) {
      const kind = stockWorkerKind(module, call);
      if (!kind || kind === 'threading.Timer') continue;
      const args = positionals(call);
      const first = args?.[0];
      if (!args || !first || first.type === 'none') continue;
      const noun = kindNoun(kind);
      let fix: Fix | undefined;
      if (args.length === 1 && !keywordArgument(call, 'target')) {
        fix = { title: `Pass \`${first.text}\` as \`target=\``, safe: true, edits: [replaceNode(first, `target=${first.text}`)] };
      }
      ctx.report(first, `\`${first.text}\` is passed as \`group\`, the first parameter of ${noun}, not as \`target\``, fix);
    }
  },
});
