import { defineRule } from './rule';
import { keywordArgument } from '../semantic/statements';

/** Calls that hand `preexec_fn` on to `subprocess.Popen`. */
const POPEN_CALLERS = [
  'subprocess.Popen', 'subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output',
  'asyncio.create_subprocess_exec', 'asyncio.create_subprocess_shell',
];

export default defineRule({
  code: 'PCC405',
  name: 'preexec-fn-with-threads',
  severity: 'warning',
  summary: '`preexec_fn=` runs Python code between fork and exec, which can deadlock when threads exist.',
  fixable: false,
  local: true,
  requires: [['subprocess', 'asyncio'], 'preexec_fn'],
  docs: `
    ## What it does
    Flags \`preexec_fn=\` (anything but \`None\`) in \`subprocess.Popen\`, and in
    \`subprocess.run\`, \`call\`, \`check_call\`, \`check_output\` and
    \`asyncio.create_subprocess_exec/shell\`, which pass it on to \`Popen\`.

    ## Why is this bad?
    \`preexec_fn\` runs Python code in the child after \`fork()\` and before \`exec()\`. The
    child is a copy of the parent with only one thread: any lock that another thread held at the
    moment of the fork (the import lock, a logging handler's lock, the allocator's lock in C code)
    stays locked forever in the child, and the callable can deadlock on it. The Python
    documentation warns that \`preexec_fn\` is not safe in the presence of threads, and that it
    is not supported in subinterpreters. Threads are easy to have without knowing it: many
    libraries start them.

    ## Example
    \`\`\`python
    import os
    import subprocess

    result = subprocess.run(["true"], preexec_fn=os.setsid)
    print(result.returncode)
    \`\`\`

    ## Use instead
    Use the dedicated arguments, which \`subprocess\` applies in C without running Python code
    in the child: \`start_new_session=True\` instead of \`os.setsid\`, \`process_group=0\`
    (Python 3.11+) instead of \`os.setpgrp\`, \`user=\`, \`group=\`, \`extra_groups=\`
    (3.9+) and \`umask=\` (3.9+), and \`pass_fds=\`/\`close_fds=\` for file descriptors.
    For resource limits, set them with \`resource.prlimit()\` on the child's pid, or run the
    command through a wrapper such as \`prlimit\`.

    \`\`\`python
    import subprocess

    result = subprocess.run(["true"], start_new_session=True)
    print(result.returncode)
    \`\`\`

    ## References
    - [subprocess.Popen: preexec_fn](https://docs.python.org/3/library/subprocess.html#subprocess.Popen)
    - [os.fork and threads](https://docs.python.org/3/library/os.html#os.fork)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('subprocess') && !module.importsModule('asyncio')) return;
    for (const { call, callee } of module.calls(...POPEN_CALLERS)) {
      const value = keywordArgument(call, 'preexec_fn');
      if (!value || value.type === 'none') continue;
      const arg = value.parent!;
      ctx.report(arg, `\`preexec_fn=\` in \`${callee.text}()\` runs Python code between fork and exec: if another thread holds a lock at that moment, the child can deadlock`);
    }
  },
});
