import { defineRule, type Fix } from './rule';
import type { TextEdit } from 'vscode-languageserver-types';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { KIND, kindNoun } from '../semantic/kinds';
import { methodCall } from '../semantic/statements';
import { classWorkerKind } from '../semantic/workerTargets';
import { replaceNode } from '../fixes/edits';
import { rangeOf } from '../text/positions';

/** Module functions: old name → new name. */
const FUNCTIONS = new Map([['currentThread', 'current_thread'], ['activeCount', 'active_count']]);

/** Methods: old name → what replaces it, and which objects have it. */
interface MethodAlias {
  replacement: string;
  how: 'rename' | 'getter' | 'setter';
  /** Flag only on objects known to be threads (the name is common elsewhere). */
  threadsOnly: boolean;
  kinds?: Set<string>;
}
const EVENTS = new Set(['threading.Event', 'multiprocessing.Event']);
const CONDITIONS = new Set(['threading.Condition', 'multiprocessing.Condition']);
const METHODS = new Map<string, MethodAlias>([
  ['isSet', { replacement: 'is_set', how: 'rename', threadsOnly: false, kinds: EVENTS }],
  ['notifyAll', { replacement: 'notify_all', how: 'rename', threadsOnly: false, kinds: CONDITIONS }],
  ['setDaemon', { replacement: 'daemon', how: 'setter', threadsOnly: false, kinds: KIND.thread }],
  ['isDaemon', { replacement: 'daemon', how: 'getter', threadsOnly: false, kinds: KIND.thread }],
  ['getName', { replacement: 'name', how: 'getter', threadsOnly: true }],
  ['setName', { replacement: 'name', how: 'setter', threadsOnly: true }],
  ['isAlive', { replacement: 'is_alive', how: 'rename', threadsOnly: true }],
]);

const THREAD_FUNCTIONS = new Set(['threading.current_thread', 'threading.currentThread', 'threading.main_thread']);

/** The object is a thread: made by a Thread constructor, `current_thread()`, `self` in a Thread subclass, or a loop over `threading.enumerate()`. */
function isThread(module: ModuleIndex, object: Node): boolean {
  const kind = module.kindOf(object);
  if (kind && KIND.thread.has(kind)) return true;
  if (object.type === 'call') {
    const callee = object.childForFieldName('function');
    return !!callee && THREAD_FUNCTIONS.has(module.resolve(callee) ?? '');
  }
  if (object.type !== 'identifier') return false;
  if (object.text === 'self') {
    const cls = module.classOfSelf(object);
    const inherited = cls && classWorkerKind(module, cls);
    return !!inherited && KIND.thread.has(inherited);
  }
  const found = module.lookup(object.text, object);
  return !!found && found.bindings.length > 0 && found.bindings.every((b) => {
    const seq = b.how === 'for' && b.value?.type === 'call' ? b.value.childForFieldName('function') : undefined;
    return !!seq && module.resolve(seq) === 'threading.enumerate';
  });
}

function applies(module: ModuleIndex, object: Node, alias: MethodAlias): boolean {
  if (isThread(module, object)) return alias.threadsOnly || alias.kinds === KIND.thread;
  if (alias.threadsOnly) return false;
  const kind = module.kindOf(object);
  if (kind) return alias.kinds?.has(kind) ?? false;
  return module.importsModule('threading');
}

function methodFix(call: Node, object: Node, attr: Node, method: string, alias: MethodAlias): Fix | undefined {
  const title = alias.how === 'rename' ? `Rename to \`${alias.replacement}()\``
    : alias.how === 'getter' ? `Read the \`${alias.replacement}\` attribute` : `Assign the \`${alias.replacement}\` attribute`;
  if (alias.how === 'rename') return { title, safe: true, edits: [replaceNode(attr, alias.replacement)] };
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a);
  if (alias.how === 'getter') {
    if (args.length > 0) return undefined;
    return { title, safe: true, edits: [{ range: { start: rangeOf(attr).start, end: rangeOf(call).end }, newText: alias.replacement }] };
  }
  // t.setDaemon(x) → t.daemon = x, only as a statement of its own.
  if (call.parent?.type !== 'expression_statement' || args.length !== 1 || args[0].type === 'keyword_argument' || args[0].type.endsWith('splat')) return undefined;
  if (method === 'setDaemon' || method === 'setName') {
    return { title, safe: true, edits: [replaceNode(call, `${object.text}.${alias.replacement} = ${args[0].text}`)] };
  }
  return undefined;
}

/** Renames a from-imported function: the import item, and every use when it is not aliased. */
function importedFunctionFix(module: ModuleIndex, local: string, qualified: string, replacement: string): Fix | undefined {
  const imp = module.imports.find((i) => i.local === local && i.qualified === qualified && i.node.type === 'import_from_statement');
  if (!imp) return undefined;
  const old = qualified.split('.').pop()!;
  const edits: TextEdit[] = [];
  for (const item of imp.node.childrenForFieldName('name')) {
    const name = item?.type === 'aliased_import' ? item.childForFieldName('name') : item;
    if (name?.text === old) edits.push(replaceNode(name, replacement));
  }
  if (local === old) {
    for (const id of module.root.descendantsOfType('identifier')) {
      if (!id || id.text !== local || !isReference(id) || module.resolve(id) !== qualified) continue;
      edits.push(replaceNode(id, replacement));
    }
  }
  return { title: `Rename to \`${replacement}()\``, safe: true, edits };
}

/** An identifier that is a name in an expression, not an attribute name, keyword or import item. */
function isReference(id: Node): boolean {
  const parent = id.parent;
  if (!parent) return false;
  if (parent.type === 'attribute' && parent.childForFieldName('attribute')?.id === id.id) return false;
  if (parent.type === 'keyword_argument' && parent.childForFieldName('name')?.id === id.id) return false;
  for (let p: Node | null = parent; p; p = p.parent) if (p.type === 'import_from_statement' || p.type === 'import_statement') return false;
  return true;
}

export default defineRule({
  code: 'PCC209',
  name: 'deprecated-threading-api',
  severity: 'info',
  summary: 'A camelCase alias of the threading API, deprecated since Python 3.10 (`isAlive` is gone since 3.9).',
  fixable: true,
  // The deprecated name itself, as the method or the resolved function's last name.
  requires: [['threading', 'multiprocessing'], [...FUNCTIONS.keys(), ...METHODS.keys()]],
  docs: `
    ## What it does
    Flags the camelCase spellings of the \`threading\` API: the functions
    \`threading.currentThread()\` and \`threading.activeCount()\` (also imported with
    \`from threading import ...\`), and the methods \`Thread.setDaemon()\`, \`Thread.isDaemon()\`,
    \`Thread.getName()\`, \`Thread.setName()\`, \`Thread.isAlive()\`, \`Event.isSet()\` and
    \`Condition.notifyAll()\`. \`getName\`, \`setName\` and \`isAlive\` are common method names
    elsewhere, so they are flagged only on objects known to be threads: made by \`Thread\` or a
    subclass, returned by \`current_thread()\`, \`self\` inside a Thread subclass, or a loop
    variable over \`threading.enumerate()\`. \`isSet()\` and \`notifyAll()\` are also flagged on
    \`multiprocessing\` events and conditions, which never had them.

    ## Why is this bad?
    These aliases date from the Java-inspired API of Python 2. The snake_case names and the
    \`name\`/\`daemon\` attributes exist since Python 2.6; the aliases emit
    \`DeprecationWarning\` since Python 3.10 and may be removed. \`Thread.isAlive()\` is already
    gone: it was removed in Python 3.9 and now raises \`AttributeError\`, as do \`isSet()\` and
    \`notifyAll()\` on \`multiprocessing.Event\` and \`multiprocessing.Condition\`.

    ## Example
    \`\`\`python
    import threading

    done = threading.Event()


    def work():
        done.set()


    t = threading.Thread(target=work)
    t.setDaemon(True)
    t.start()
    t.join()
    print(threading.currentThread().getName(), done.isSet(), t.isDaemon())
    \`\`\`

    ## Use instead
    \`\`\`python
    import threading

    done = threading.Event()


    def work():
        done.set()


    t = threading.Thread(target=work)
    t.daemon = True
    t.start()
    t.join()
    print(threading.current_thread().name, done.is_set(), t.daemon)
    \`\`\`

    ## Fix safety
    Safe: each alias does exactly what its replacement does. \`setDaemon(x)\` and
    \`setName(x)\` become the assignments \`t.daemon = x\` and \`t.name = x\` (only when the call
    is a statement of its own), \`isDaemon()\` and \`getName()\` become \`t.daemon\` and
    \`t.name\`, the others are renamed. For \`from threading import currentThread\`, the import
    and every use are renamed together.

    ## References
    - [threading](https://docs.python.org/3/library/threading.html)
    - [What's New in Python 3.10: deprecated threading aliases](https://docs.python.org/3/whatsnew/3.10.html#deprecated)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('threading') && !module.importsModule('multiprocessing')) return;
    for (const { call, callee, qualified } of module.allCalls()) {
      const old = qualified?.startsWith('threading.') ? qualified.slice('threading.'.length) : undefined;
      const replacement = old && FUNCTIONS.get(old);
      if (replacement) {
        const fix = callee.type === 'attribute'
          ? { title: `Rename to \`${replacement}()\``, safe: true, edits: [replaceNode(callee.childForFieldName('attribute')!, replacement)] }
          : importedFunctionFix(module, callee.text, qualified!, replacement);
        ctx.report(callee, `\`${old}()\` is a deprecated alias of \`threading.${replacement}()\``, fix);
        continue;
      }
      const m = methodCall(call);
      const alias = m && METHODS.get(m.method);
      if (!m || !alias || !applies(module, m.object, alias)) continue;
      const attr = callee.childForFieldName('attribute')!;
      const what = alias.how === 'rename' ? `\`${alias.replacement}()\`` : `the \`${alias.replacement}\` attribute`;
      const kind = module.kindOf(m.object);
      const message = m.method === 'isAlive'
        ? '`isAlive()` was removed in Python 3.9 and raises AttributeError; the method is `is_alive()`'
        : kind?.startsWith('multiprocessing.')
          ? `\`${m.method}()\` does not exist on a multiprocessing ${kindNoun(kind)} and raises AttributeError; the method is \`${alias.replacement}()\``
          : `\`${m.method}()\` is a deprecated alias of ${what}`;
      ctx.report(attr, message, methodFix(call, m.object, attr, m.method, alias));
    }
  },
});
