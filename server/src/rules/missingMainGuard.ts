import { defineRule, type Fix } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { rangeOf } from '../text/positions';
import { importTimeSpawns } from '../semantic/spawning';
import { isMainGuard, shownCall, SPAWNING_CONSTRUCTORS } from '../semantic/processes';
import { KIND, lastNames } from '../semantic/kinds';
import { eol, indentUnit, lineIndent, stringContinuationRows } from '../fixes/edits';

/** Statements that children need too: they move above the guard instead of into it. */
const HOISTED = new Set([
  'function_definition', 'class_definition', 'decorated_definition',
  'import_statement', 'import_from_statement', 'future_import_statement',
]);
const DEFINITIONS = new Set(['function_definition', 'class_definition', 'decorated_definition']);
const GUARD = 'if __name__ == "__main__":';

function topLevel(node: Node): Node {
  let current = node;
  while (current.parent && current.parent.type !== 'module') current = current.parent;
  return current;
}

/** A main guard whose body can join the new guard as it is: no else, body indented by one unit. */
function mergeableGuard(module: ModuleIndex, stmt: Node, unit: string): boolean {
  if (!isMainGuard(stmt) || stmt.childForFieldName('alternative')) return false;
  const body = stmt.childForFieldName('consequence');
  const cond = stmt.childForFieldName('condition');
  if (!body || !cond || body.startPosition.row === stmt.startPosition.row) return false;
  if (module.lines()[stmt.startPosition.row].trimEnd() !== `if ${cond.text}:`) return false;
  return lineIndent(module, body.startPosition.row) === unit;
}

type Role = 'indent' | 'asis' | 'drop' | number; // number: index of the hoisted chunk

/**
 * Wraps the module-level statements from the first offending one to the end in a main guard.
 * Definitions and imports among them move above the guard, so child processes still see them.
 */
function guardFix(module: ModuleIndex, sites: Node[]): Fix | undefined {
  const lines = module.lines();
  const first = topLevel(sites[0]);
  const tops = module.root.namedChildren.filter((c): c is Node => !!c);
  const start = tops.findIndex((t) => t.id === first.id);
  if (start < 0 || HOISTED.has(first.type) || isMainGuard(first) || first.startPosition.column !== 0) return undefined;
  if (sites.some((s) => HOISTED.has(topLevel(s).type))) return undefined;
  const region = tops.slice(start);
  for (let i = start; i < tops.length; i++) {
    // Each statement on its own rows: no `a; b` and no comment sharing a row with the next statement.
    if (i > 0 && tops[i - 1].endPosition.row === tops[i].startPosition.row && tops[i].type !== 'comment') return undefined;
  }
  const unit = indentUnit(module);
  const nl = eol(module);
  // Comment lines right above the first statement belong to it and go into the guard with it.
  const before = start > 0 ? tops[start - 1] : undefined;
  let R0 = first.startPosition.row;
  while (R0 > 0 && /^#/.test(lines[R0 - 1]) && (!before || before.type === 'comment' || before.endPosition.row < R0 - 1)) R0--;
  const lastRow = Math.max(...region.map((s) => s.endPosition.row));
  const roles = new Map<number, Role>();
  const chunks: { rows: [number, number]; definition: boolean }[] = [];
  for (const stmt of region) {
    if (stmt.type === 'comment') continue;
    const [s, e] = [stmt.startPosition.row, stmt.endPosition.row];
    if (HOISTED.has(stmt.type)) {
      let top = s;
      while (top - 1 > R0 && /^\s*#/.test(lines[top - 1]) && !roles.has(top - 1)) top--;
      const index = chunks.push({ rows: [top, e], definition: DEFINITIONS.has(stmt.type) }) - 1;
      for (let row = top; row <= e; row++) roles.set(row, index);
    } else if (mergeableGuard(module, stmt, unit)) {
      roles.set(s, 'drop');
      for (let row = s + 1; row <= e; row++) roles.set(row, 'asis');
    } else {
      for (const row of stringContinuationRows(stmt)) roles.set(row, 'asis');
    }
  }
  const out: string[] = [];
  chunks.forEach((chunk, i) => {
    if (i > 0 && (chunk.definition || chunks[i - 1].definition)) out.push('', '');
    out.push(...lines.slice(chunk.rows[0], chunk.rows[1] + 1));
  });
  if (chunks.length) {
    out.push(...(chunks[chunks.length - 1].definition ? ['', ''] : ['']));
    let blanksAbove = 0;
    while (R0 - blanksAbove - 1 >= 0 && lines[R0 - blanksAbove - 1].trim() === '') blanksAbove++;
    if (chunks[0].definition && R0 - blanksAbove > 0) for (let i = blanksAbove; i < 2; i++) out.unshift('');
  }
  out.push(GUARD);
  let blanks = 0;
  let removedInRun = false;
  let bodyStarted = false;
  for (let row = R0; row <= lastRow; row++) {
    const role = roles.get(row) ?? 'indent';
    if (typeof role === 'number' || role === 'drop') {
      removedInRun = true;
      continue;
    }
    const text = lines[row];
    if (role === 'indent' && text.trim() === '') {
      blanks++;
      continue;
    }
    if (bodyStarted) for (let i = 0; i < (removedInRun ? Math.min(blanks, 1) : blanks); i++) out.push('');
    blanks = 0;
    removedInRun = false;
    bodyStarted = true;
    out.push(role === 'asis' ? text : unit + text);
  }
  return {
    title: 'Move the module-level code into `if __name__ == "__main__":`',
    safe: false,
    edits: [{ range: { start: { line: R0, character: 0 }, end: { line: lastRow, character: lines[lastRow].length } }, newText: out.join(nl) }],
  };
}

export default defineRule({
  code: 'PCC401',
  name: 'missing-main-guard',
  severity: 'error',
  summary: 'Module-level code starts processes without `if __name__ == "__main__":`; spawned children run it again.',
  fixable: true,
  // Something that starts processes: a pool, executor or manager, or a Process to `start()`.
  requires: [['multiprocessing', 'concurrent'], lastNames([...SPAWNING_CONSTRUCTORS, ...KIND.process])],
  docs: `
    ## What it does
    Flags module-level code that starts child processes outside \`if __name__ == "__main__":\`:
    creating a \`multiprocessing.Pool\`, \`concurrent.futures.ProcessPoolExecutor\` or
    \`multiprocessing.Manager\`, or calling \`start()\` on a \`multiprocessing.Process\` (or a
    subclass), also through aliases and \`get_context()\` contexts. A module-level call to a
    function of the module that does any of this, directly or through other functions (or to a
    class of the module whose \`__init__\` does), is flagged too, with the place inside that
    starts the processes. Code inside the guard, in a
    function that is only called from there, or in a class or function body that is not run at
    import is fine. Processes created with the *fork* start method chosen explicitly
    (\`multiprocessing.set_start_method("fork")\`, \`get_context("fork")\`, or
    \`mp_context=\` such a context) are left alone, since fork does not re-import the module.
    Notebook cells are not checked: there \`__main__\` cannot be re-imported by a child at all,
    and worker functions have to live in a module of their own.

    ## Why is this bad?
    Under the *spawn* and *forkserver* start methods, each child process starts a fresh
    interpreter and imports the parent's main module (as \`__mp_main__\`) to find the function
    it has to run. Everything at module level runs again in the child: unguarded, the child
    tries to create a pool of its own, and \`multiprocessing\` stops it with
    \`RuntimeError: An attempt has been made to start a new process before the current process
    has finished its bootstrapping phase\`, or the program hangs.

    *spawn* is the default start method on Windows, and on macOS since Python 3.8. On Linux and
    the other POSIX platforms the default was *fork* up to Python 3.13, where unguarded code
    happens to work, and is *forkserver* from Python 3.14 on, for \`multiprocessing\` and for
    \`ProcessPoolExecutor\` alike. Code that works on Linux today breaks on Windows, on macOS,
    and on Linux after an upgrade to 3.14.

    ## Example
    \`\`\`python
    import multiprocessing


    def square(x):
        return x * x


    pool = multiprocessing.Pool(2)  # runs again in every spawned child
    print(pool.map(square, range(5)))
    pool.close()
    pool.join()
    \`\`\`

    ## Use instead
    \`\`\`python
    import multiprocessing


    def square(x):
        return x * x


    if __name__ == "__main__":
        pool = multiprocessing.Pool(2)
        print(pool.map(square, range(5)))
        pool.close()
        pool.join()
    \`\`\`

    ## Fix safety
    Unsafe: the fix moves every module-level statement from the first flagged one to the end
    of the file into \`if __name__ == "__main__":\`, so that code no longer runs when the
    module is imported (by a child process, but also by any other module or test). Function
    and class definitions and imports among those statements move above the guard instead,
    in their order, so that children can still find the functions they run; any other
    module-level value they need (a constant defined after the first flagged statement) now
    exists only in the parent. An existing main guard in that range is merged into the new one.
    No fix is offered when the processes are started inside a class body or a decorator.

    ## References
    - [multiprocessing: contexts and start methods](https://docs.python.org/3/library/multiprocessing.html#contexts-and-start-methods)
    - [multiprocessing programming guidelines: safe importing of main module](https://docs.python.org/3/library/multiprocessing.html#the-spawn-and-forkserver-start-methods)
    - [What's New in Python 3.14: default start method](https://docs.python.org/3/whatsnew/3.14.html#multiprocessing)
  `,
  check(ctx) {
    const { module } = ctx;
    // A notebook's `__main__` cannot be re-imported by a child at all: a guard would not help there.
    if (ctx.options.notebook) return;
    if (!module.importsModule('multiprocessing') && !module.importsModule('concurrent.futures') && !module.importsModule('concurrent')) return;
    const sites = importTimeSpawns(module);
    if (sites.length === 0) return;
    const fix = guardFix(module, sites.flatMap((s) => (s.origin ? [s.origin, s.call] : [s.call])).sort((a, b) => a.startIndex - b.startIndex));
    for (const site of sites) {
      const shown = shownCall(site.call);
      if (site.inner) {
        ctx.report(
          site.call,
          `\`${shown}\` runs at import time and starts a ${site.what} outside \`if __name__ == "__main__":\`: under spawn or forkserver every child process runs it again`,
          fix,
          [{ range: rangeOf(site.inner), message: `the ${site.what} is started here` }],
        );
      } else {
        const verb = site.what === 'Process' ? 'starts a process' : `creates a ${site.what}`;
        ctx.report(site.call, `\`${shown}\` ${verb} at import time, outside \`if __name__ == "__main__":\`: under spawn or forkserver every child process runs it again`, fix);
      }
    }
  },
});
