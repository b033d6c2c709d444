import { defineRule } from './rule';
import { methodCall } from '../semantic/statements';
import { objectKind } from '../semantic/objectKinds';
import { hasAsyncDef, blockedFunction, calleeText, madeOnLoop, toThreadFix } from '../semantic/toThread';

const SPAWN = ['spawnl', 'spawnle', 'spawnlp', 'spawnlpe', 'spawnv', 'spawnve', 'spawnvp', 'spawnvpe', 'posix_spawn', 'posix_spawnp'];
const WAIT = ['wait', 'wait3', 'wait4', 'waitid', 'waitpid'];

/** Functions that start a process, run one to completion, or wait for a child. */
const PROCESS_FUNCTIONS = new Set([
  ...['run', 'call', 'check_call', 'check_output', 'getoutput', 'getstatusoutput', 'Popen'].map((f) => `subprocess.${f}`),
  'os.system', 'os.popen',
  ...SPAWN.map((f) => `os.${f}`),
  ...WAIT.map((f) => `os.${f}`),
]);

/** Methods of a `subprocess.Popen` that wait for the process. */
const POPEN_WAITS = new Set(['wait', 'communicate']);

export default defineRule({
  code: 'PCC103',
  name: 'blocking-subprocess-in-async',
  severity: 'warning',
  summary: 'A blocking `subprocess`/`os` process call inside `async def` stalls the event loop.',
  fixable: true,
  local: true,
  requires: ['async', ['subprocess', 'os']],
  docs: `
    ## What it does
    Flags calls inside an \`async def\` that start or wait for a process with blocking APIs:
    \`subprocess.run\`, \`call\`, \`check_call\`, \`check_output\`, \`getoutput\`, \`getstatusoutput\`
    and \`Popen\`; \`os.system\`, \`os.popen\`, the \`os.spawn*\` and \`os.posix_spawn*\` family, and
    \`os.wait\`, \`wait3\`, \`wait4\`, \`waitid\` and \`waitpid\`. It also flags \`wait()\` and
    \`communicate()\` on a \`subprocess.Popen\` object that was created outside the coroutine or in a
    worker thread (one created right there is already flagged where it is created).

    Calls in a nested plain \`def\` or \`lambda\`, and calls handed to a worker thread, are not
    flagged.

    ## Why is this bad?
    \`subprocess.run()\` and its relatives wait for the child to exit, and \`Popen()\` forks and
    execs on the calling thread. Inside a coroutine that thread runs the event loop, so every
    other task stops until the command finishes: a slow build or a hung command freezes the
    whole program.

    ## Example
    \`\`\`python
    import asyncio
    import subprocess
    import sys


    async def python_version():
        result = subprocess.run([sys.executable, "--version"], capture_output=True, text=True)
        return result.stdout.strip()


    print(asyncio.run(python_version()))
    \`\`\`

    ## Use instead
    \`asyncio.create_subprocess_exec\` (or \`create_subprocess_shell\`) starts the process without
    blocking, and \`await proc.communicate()\` lets other tasks run while it works:

    \`\`\`python
    import asyncio
    import sys


    async def python_version():
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "--version", stdout=asyncio.subprocess.PIPE
        )
        stdout, _ = await proc.communicate()
        return stdout.decode().strip()


    print(asyncio.run(python_version()))
    \`\`\`

    ## Fix safety
    The fix keeps the blocking API and runs it in a worker thread:
    \`await asyncio.to_thread(subprocess.run, [...], ...)\`, arguments unchanged
    (\`trio.to_thread.run_sync\` or \`anyio.to_thread.run_sync\` in a trio or anyio module, keyword
    arguments through \`functools.partial\`). It is unsafe: other tasks now run while the process
    does, and the default thread pool has a limited number of workers, so many long-running
    commands can starve other \`to_thread\` calls. Rewriting to \`asyncio.create_subprocess_exec\`
    is not automatic because its arguments and result differ. The fix adds \`import asyncio\`
    when the module lacks it.

    ## References
    - [asyncio subprocesses](https://docs.python.org/3/library/asyncio-subprocess.html)
    - [asyncio.to_thread](https://docs.python.org/3/library/asyncio-task.html#asyncio.to_thread)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!hasAsyncDef(module)) return;
    if (!module.importsModule('subprocess') && !module.importsModule('os')) return;
    for (const { call, qualified } of module.allCalls()) {
      let on = '';
      if (!qualified || !PROCESS_FUNCTIONS.has(qualified)) {
        const m = methodCall(call);
        if (!m || !POPEN_WAITS.has(m.method) || !blockedFunction(module, call)) continue;
        const kind = objectKind(module, m.object);
        if (kind?.kind !== 'subprocess.Popen' || madeOnLoop(module, kind)) continue;
        on = ' on a `subprocess.Popen`';
      }
      const fn = blockedFunction(module, call);
      if (!fn) continue;
      ctx.report(call, `Blocking process call \`${calleeText(call)}()\`${on} in async function \`${fn}\` stalls the event loop`, toThreadFix(module, call));
    }
  },
});
