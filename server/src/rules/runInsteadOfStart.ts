import { defineRule } from './rule';
import { KIND, kindNoun, lastNames } from '../semantic/kinds';
import { compact, methodCall } from '../semantic/statements';
import { replaceNode } from '../fixes/edits';

export default defineRule({
  code: 'PCC204',
  name: 'run-instead-of-start',
  severity: 'warning',
  summary: '`.run()` on a Thread or Process runs its work in the caller instead of a new worker.',
  fixable: true,
  local: true,
  // `.run()` on a worker: the method's name, and the name of the worker's constructor.
  requires: [['threading', 'multiprocessing'], 'run', lastNames(KIND.worker)],
  docs: `
    ## What it does
    Flags \`.run()\` called on a \`threading.Thread\`, \`threading.Timer\` or
    \`multiprocessing.Process\` object created in the module (also through a subclass, a list
    of workers, \`self.worker\`, or an aliased import). Calls inside the worker class itself,
    such as \`super().run()\` in an overriding \`run\`, are not flagged.

    ## Why is this bad?
    \`run()\` is the method that holds the worker's body; \`start()\` is the one that creates
    the thread or process and calls \`run()\` there. Calling \`run()\` directly executes the
    body synchronously in the caller: nothing runs in parallel, \`join()\` afterwards raises
    \`RuntimeError\` because the worker was never started, and \`current_thread()\` inside the
    body is the caller's thread.

    ## Example
    \`\`\`python
    import threading

    done = []


    def work():
        done.append(threading.current_thread().name)


    t = threading.Thread(target=work, name="worker")
    t.run()  # runs work() here, in the main thread
    print(done)
    \`\`\`

    ## Use instead
    \`\`\`python
    import threading

    done = []


    def work():
        done.append(threading.current_thread().name)


    t = threading.Thread(target=work, name="worker")
    t.start()
    t.join()
    print(done)
    \`\`\`

    ## Fix safety
    Unsafe: the fix replaces \`.run()\` with \`.start()\`, so the body now runs concurrently
    with the caller. Code after the call that relied on the work being finished needs a
    \`join()\` (PCC201 offers it), and the body's exceptions no longer reach the caller.

    ## References
    - [threading.Thread.start](https://docs.python.org/3/library/threading.html#threading.Thread.start)
    - [threading.Thread.run](https://docs.python.org/3/library/threading.html#threading.Thread.run)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('threading') && !module.importsModule('multiprocessing')) return;
    for (const { call, callee } of module.allCalls()) {
      const m = methodCall(call);
      if (m?.method !== 'run') continue;
      const args = call.childForFieldName('arguments');
      if ((args?.namedChildren.filter((a) => a?.type !== 'comment').length ?? 0) > 0) continue;
      const kind = module.kindOf(m.object);
      if (!kind || !KIND.worker.has(kind)) continue;
      const attr = callee.childForFieldName('attribute')!;
      const name = compact(m.object);
      ctx.report(call, `\`${name}.run()\` runs the ${kindNoun(kind)}'s work here, in the caller; \`start()\` runs it in a new ${KIND.thread.has(kind) ? 'thread' : 'process'}`, {
        title: 'Replace `.run()` with `.start()`',
        safe: false,
        edits: [replaceNode(attr, 'start')],
      });
    }
  },
});
