import { defineRule, type Fix } from './rule';
import { keepReferenceEdits, taskCreator, taskFate } from '../semantic/taskReferences';
import { insideExpectBlock } from '../semantic/coroutines';

export default defineRule({
  code: 'PCC111',
  name: 'dangling-task',
  severity: 'warning',
  summary: 'A task from `asyncio.create_task()` whose reference is dropped may be garbage-collected mid-run.',
  fixable: true,
  requires: ['asyncio', ['create_task', 'ensure_future']],
  docs: `
    ## What it does
    Flags \`asyncio.create_task(...)\`, \`asyncio.ensure_future(...)\` and \`loop.create_task(...)\`
    (on a loop from \`asyncio.get_running_loop()\`, \`get_event_loop()\`, \`new_event_loop()\`, or
    a name such as \`loop\`) whose result is dropped: the call is a statement of its own, the
    statement only chains \`.add_done_callback(...)\`, a list or set comprehension of tasks is
    dropped, or the task is bound to a local name that is never read.

    Every way of keeping the task is accepted: a name that is used later (awaited, cancelled,
    passed on), an attribute (\`self.task = ...\`), a container (\`tasks.add(...)\`,
    \`tasks.append(...)\`, \`tasks[key] = ...\`), a \`return\`, a module-level or \`global\` name, and
    \`tg.create_task(...)\` on an \`asyncio.TaskGroup\`, which keeps its tasks itself. Calls a
    test expects to fail (inside \`with self.assertRaises(...)\` or \`pytest.raises(...)\`) are
    not flagged.

    ## Why is this bad?
    The event loop keeps only a weak reference to a task. A task nobody else refers to can be
    garbage-collected before it finishes, which silently stops it midway, often only under
    load or on another Python version. Its exception is also never retrieved: a failure is at
    best logged as "Task exception was never retrieved" when the task is collected.

    ## Example
    \`\`\`python
    import asyncio


    async def heartbeat(log):
        await asyncio.sleep(0.01)
        log.append("beat")


    async def main():
        log = []
        asyncio.create_task(heartbeat(log))  # nothing keeps the task alive
        await asyncio.sleep(0.05)
        print(log)


    asyncio.run(main())
    \`\`\`

    ## Use instead
    \`\`\`python
    import asyncio

    background_tasks = set()


    async def heartbeat(log):
        await asyncio.sleep(0.01)
        log.append("beat")


    async def main():
        log = []
        task = asyncio.create_task(heartbeat(log))
        background_tasks.add(task)  # a strong reference until it is done
        task.add_done_callback(background_tasks.discard)
        await asyncio.sleep(0.05)
        print(log)


    asyncio.run(main())
    \`\`\`

    Where the tasks belong to one block of work, \`async with asyncio.TaskGroup() as tg:\` and
    \`tg.create_task(...)\` (Python 3.11+) keep them and wait for them.

    ## Fix safety
    The fix follows the pattern of the asyncio documentation: it binds the task to a name
    (when it was dropped), adds it to a module-level set (\`_background_tasks = set()\`, created
    after the imports when missing) and registers \`_background_tasks.discard\` as a done
    callback. There is no fix for a dropped comprehension or a chained
    \`.add_done_callback(...)\`, nor when the statement shares its line with another.

    The fix is unsafe: a task that could have been collected halfway now always runs to the
    end, and the set keeps it (and everything it references) in memory until then. Whether
    that is what you want, or whether something should await or cancel the task, is a design
    decision the fix cannot make.

    ## References
    - [asyncio.create_task: save a reference to the result](https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task)
    - [asyncio.TaskGroup](https://docs.python.org/3/library/asyncio-task.html#task-groups)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('asyncio')) return;
    for (const { call, callee, qualified } of module.allCalls()) {
      if (!qualified && callee.type !== 'attribute') continue;
      const creator = taskCreator(module, call, qualified);
      if (!creator || insideExpectBlock(module, call)) continue;
      const fate = taskFate(module, call);
      if (fate.how === 'kept') continue;
      const kept = keepReferenceEdits(module, fate);
      const fix: Fix | undefined = kept && {
        title: `Keep a reference in \`${kept.set}\` until the task is done`,
        safe: false,
        edits: kept.edits,
      };
      const message = fate.how === 'unused'
        ? `Task from \`${creator}()\` is bound to \`${fate.name.text}\`, which is never used: it may be garbage-collected before it finishes`
        : `Task from \`${creator}()\` is dropped: nothing keeps a reference, so it may be garbage-collected before it finishes`;
      ctx.report(call, message, fix);
    }
  },
});
