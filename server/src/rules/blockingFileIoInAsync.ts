import { defineRule } from './rule';
import { lastNames } from '../semantic/kinds';
import { methodCall } from '../semantic/statements';
import { objectKind } from '../semantic/objectKinds';
import { hasAsyncDef, blockedFunction, calleeText, madeOnLoop, toThreadFix } from '../semantic/toThread';

/** Functions that open a file on the calling thread. */
const OPENERS = new Set(['builtins.open', 'io.open', 'io.open_code', 'os.fdopen', 'codecs.open', 'gzip.open', 'bz2.open', 'lzma.open']);

/** `pathlib.Path` methods that touch the disk and return only when done. */
const PATH_METHODS = new Set(['open', 'read_text', 'read_bytes', 'write_text', 'write_bytes']);

/** File object methods that read or write (flagged when the file was opened off the loop). */
const FILE_METHODS = new Set(['read', 'read1', 'readinto', 'readline', 'readlines', 'write', 'writelines', 'truncate', 'flush']);

export default defineRule({
  code: 'PCC104',
  name: 'blocking-file-io-in-async',
  severity: 'warning',
  summary: 'Blocking file I/O (`open()`, `Path.read_text()`, ...) inside `async def` stalls the event loop.',
  fixable: true,
  local: true,
  requires: ['async', [...lastNames(OPENERS), ...PATH_METHODS, ...FILE_METHODS]],
  docs: `
    ## What it does
    Flags blocking file I/O inside an \`async def\`: \`open()\`, \`io.open\`, \`io.open_code\`,
    \`os.fdopen\`, \`codecs.open\`, \`gzip.open\`, \`bz2.open\`, \`lzma.open\`, and the
    \`open\`, \`read_text\`, \`read_bytes\`, \`write_text\` and \`write_bytes\` methods of a
    \`pathlib.Path\` (made with \`Path(...)\`, derived with \`/\`, or a parameter annotated \`Path\`).
    It also flags \`read()\`, \`readline()\`, \`write()\` and the like on a file object that was
    opened outside the coroutine or in a worker thread (a file opened right in the coroutine is
    already flagged at its \`open()\`).

    Calls in a nested plain \`def\` or \`lambda\`, \`trio.wrap_file(open(...))\`, and calls handed
    to a worker thread are not flagged.

    ## Why is this bad?
    Disk reads and writes wait on the calling thread: a large file, a slow or network file
    system, or a FIFO can hold it for a long time. Inside a coroutine that thread is the event
    loop's, so no other task runs meanwhile.

    ## Example
    \`\`\`python
    import asyncio
    import os
    import tempfile


    async def count_lines(path):
        with open(path) as f:  # open and every read block the loop
            return sum(1 for _ in f)


    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "log.txt")
        with open(path, "w") as f:
            f.write("one\\ntwo\\n")
        print(asyncio.run(count_lines(path)))
    \`\`\`

    ## Use instead
    Do the whole file operation in a worker thread (or use \`aiofiles\` / \`anyio.open_file\`):

    \`\`\`python
    import asyncio
    import os
    import tempfile


    def count_lines_sync(path):
        with open(path) as f:
            return sum(1 for _ in f)


    async def count_lines(path):
        return await asyncio.to_thread(count_lines_sync, path)


    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "log.txt")
        with open(path, "w") as f:
            f.write("one\\ntwo\\n")
        print(asyncio.run(count_lines(path)))
    \`\`\`

    ## Fix safety
    The fix runs the flagged call in a worker thread, arguments unchanged:
    \`await asyncio.to_thread(path.read_text, encoding="utf-8")\` (\`trio.to_thread.run_sync\` or
    \`anyio.to_thread.run_sync\` in a trio or anyio module, keyword arguments through
    \`functools.partial\`). For \`open()\` it moves only the opening: the reads and writes on the
    returned file still run on the loop, and this rule then flags them, so you can move them
    too or, better, move the whole block into one function as shown above. The fix is unsafe:
    other tasks now run during the I/O and may change the file or the state around it. It adds
    \`import asyncio\` when the module lacks it.

    ## References
    - [asyncio.to_thread](https://docs.python.org/3/library/asyncio-task.html#asyncio.to_thread)
    - [Developing with asyncio: running blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!hasAsyncDef(module)) return;
    for (const { call, qualified } of module.allCalls()) {
      let on = '';
      if (!qualified || !OPENERS.has(qualified)) {
        const m = methodCall(call);
        if (!m || (!PATH_METHODS.has(m.method) && !FILE_METHODS.has(m.method)) || !blockedFunction(module, call)) continue;
        const kind = objectKind(module, m.object);
        if (kind?.kind === 'pathlib.Path' && PATH_METHODS.has(m.method)) on = ' on a `pathlib.Path`';
        else if (kind?.kind === 'file' && FILE_METHODS.has(m.method) && !madeOnLoop(module, kind)) on = ' on a file object';
        else continue;
      }
      const fn = blockedFunction(module, call);
      if (!fn) continue;
      ctx.report(call, `Blocking file I/O \`${calleeText(call)}()\`${on} in async function \`${fn}\` stalls the event loop`, toThreadFix(module, call));
    }
  },
});
