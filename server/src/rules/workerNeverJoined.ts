import { defineRule, type Fix, type RuleContext } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { KIND, kindNoun, lastNames } from '../semantic/kinds';
import { childOfBlock, keywordArgument, methodCall, methodCallsOn, statementOf, usesInScope } from '../semantic/statements';
import { eol, indentUnit, insertLines, lineIndent } from '../fixes/edits';

/** Method calls on a worker that neither join it nor hand it to someone who could. */
const OWN_METHODS = new Set(['start', 'is_alive', 'name', 'ident', 'setName', 'getName', 'native_id', 'pid', 'exitcode']);

function isTrue(node: Node | undefined): boolean {
  return node?.type === 'true';
}

/** `daemon=True` in the constructor, `t.daemon = True` or `t.setDaemon(True)` in the scope. */
function isDaemon(module: ModuleIndex, scope: Node, name: string, creators: Node[]): boolean {
  if (creators.some((c) => isTrue(keywordArgument(c, 'daemon')))) return true;
  for (const assign of scope.descendantsOfType('assignment')) {
    const left = assign?.childForFieldName('left');
    if (left?.type === 'attribute' && left.childForFieldName('attribute')?.text === 'daemon' && isTrue(assign!.childForFieldName('right') ?? undefined)) {
      const object = left.childForFieldName('object');
      if (object && (object.text === name || KIND.worker.has(module.kindOf(object) ?? ''))) return true;
    }
  }
  return methodCallsOn(scope, name, 'setDaemon').some((c) => isTrue(c.childForFieldName('arguments')?.namedChild(0) ?? undefined));
}

/** Builtins that look at an object without keeping it. */
const HARMLESS_CALLS = new Set(['len', 'print', 'repr', 'str', 'bool', 'id', 'type', 'isinstance']);

/** True when a use of the name lets the object leave our sight: returned, stored, passed on. */
function escapes(use: Node, allowed: Set<string>): boolean {
  const parent = use.parent;
  if (!parent) return false;
  if (parent.type === 'argument_list') {
    const callee = parent.parent?.childForFieldName('function');
    if (callee?.type === 'identifier' && HARMLESS_CALLS.has(callee.text)) return false;
  }
  if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === use.id) {
    const method = parent.childForFieldName('attribute')?.text ?? '';
    return !allowed.has(method);
  }
  if ((parent.type === 'assignment' || parent.type === 'augmented_assignment') && parent.childForFieldName('left')?.id === use.id) return false;
  if (parent.type === 'for_statement' || parent.type === 'for_in_clause') return false;
  if (parent.type === 'pattern_list' || parent.type === 'global_statement' || parent.type === 'nonlocal_statement') return false;
  return true;
}

/** Loops over a collection that join each element: `for t in threads: t.join()` or a comprehension. */
function collectionJoined(scope: Node, listName: string): boolean {
  for (const loop of [...scope.descendantsOfType('for_statement'), ...scope.descendantsOfType('for_in_clause')]) {
    if (!loop || loop.childForFieldName('right')?.text !== listName) continue;
    const variable = loop.childForFieldName('left')?.text;
    const body = loop.type === 'for_statement' ? loop : loop.parent;
    if (variable && body && methodCallsOn(body, variable, 'join').length > 0) return true;
  }
  return false;
}

/** Uses of the list that are neither filling it nor iterating it: then someone else may join. */
function collectionEscapes(module: ModuleIndex, scope: Node, listName: string): boolean {
  return usesInScope(module, scope, listName).some((use) => escapes(use, new Set(['append', 'extend', 'insert'])));
}

/** Inserts `for t in threads: t.join()` after the statement of `scope` that holds `startCall`. */
function joinLoopFix(module: ModuleIndex, listStatement: Node, startCall: Node, variable: string, listName: string): Fix | undefined {
  const block = listStatement.parent;
  const holder = block && childOfBlock(startCall, block);
  if (!holder) return undefined;
  const indent = lineIndent(module, holder.startPosition.row);
  const nl = eol(module);
  return {
    title: `Join every worker in \`${listName}\` after the loop`,
    safe: false,
    edits: [insertLines(holder.endPosition.row + 1, `${indent}for ${variable} in ${listName}:${nl}${indent}${indentUnit(module)}${variable}.join()${nl}`)],
  };
}

/** Inserts `t.join()` after the last statement of the start's block that uses `t`. */
function joinAfterLastUseFix(module: ModuleIndex, startStatement: Node, uses: Node[], name: string): Fix | undefined {
  const block = startStatement.parent;
  if (!block) return undefined;
  let last = startStatement;
  for (const use of uses) {
    const holder = childOfBlock(use, block);
    if (holder && holder.endIndex > last.endIndex) last = holder;
  }
  const indent = lineIndent(module, startStatement.startPosition.row);
  return {
    title: `Add \`${name}.join()\``,
    safe: false,
    edits: [insertLines(last.endPosition.row + 1, `${indent}${name}.join()${eol(module)}`)],
  };
}

function checkStart(ctx: RuleContext, startCall: Node, object: Node, kind: string): void {
  const { module } = ctx;
  const name = object.text;
  const found = module.lookup(name, object);
  if (!found) return;
  const noun = kindNoun(kind);
  const message = `${noun} \`${name}\` is started but never joined`;
  const loopBinding = found.bindings.find((b) => b.how === 'for');
  if (loopBinding?.value) {
    // `for t in threads: t.start()`: the collection must be joined.
    const seq = loopBinding.value;
    if (seq.type !== 'identifier') return ctx.report(startCall, message);
    const list = module.lookup(seq.text, seq);
    if (!list || collectionJoined(list.scope, seq.text) || collectionEscapes(module, list.scope, seq.text)) return;
    const creators = list.bindings.flatMap((b) => (b.value ? b.value.descendantsOfType('call').filter((c): c is Node => !!c) : []));
    if (isDaemon(module, list.scope, name, creators)) return;
    const listStatement = statementOf(list.bindings[0].node);
    return ctx.report(startCall, message, joinLoopFix(module, listStatement, startCall, name, seq.text));
  }
  const scope = found.scope;
  const creators = found.bindings.flatMap((b) => (b.value?.type === 'call' ? [b.value] : []));
  if (isDaemon(module, scope, name, creators)) return;
  if (methodCallsOn(scope, name, 'join').length > 0) return;
  const uses = usesInScope(module, scope, name);
  const escaping = uses.filter((use) => escapes(use, OWN_METHODS));
  for (const use of escaping) {
    // `threads.append(t)`: joined when that collection is joined.
    const call = use.parent?.parent;
    const m = call?.type === 'call' ? methodCall(call) : undefined;
    if (m?.method === 'append' && m.object.type === 'identifier') {
      const list = module.lookup(m.object.text, m.object);
      if (escaping.length > 1 || !list || collectionJoined(list.scope, m.object.text) || collectionEscapes(module, list.scope, m.object.text)) return;
      const listStatement = statementOf(list.bindings[0].node);
      return ctx.report(startCall, message, joinLoopFix(module, listStatement, startCall, name, m.object.text));
    }
  }
  if (escaping.length > 0) return;
  // A worker created in a loop and never collected cannot be joined after the loop.
  const bornInLoop = found.bindings.some((b) => isInsideLoop(b.node));
  ctx.report(startCall, message, bornInLoop ? undefined : joinAfterLastUseFix(module, statementOf(startCall), uses, name));
}

function isInsideLoop(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'while_statement') return true;
    if (p.type === 'function_definition' || p.type === 'class_definition') return false;
  }
  return false;
}

export default defineRule({
  code: 'PCC201',
  name: 'worker-never-joined',
  severity: 'warning',
  summary: 'A thread or process is started but never joined in the scope that owns it.',
  fixable: true,
  // `.start()` on a worker: the method's name, and the name of the worker's constructor.
  requires: [['threading', 'multiprocessing'], 'start', lastNames(KIND.worker)],
  docs: `
    ## What it does
    Flags a \`threading.Thread\` or \`multiprocessing.Process\` (or a subclass defined in the
    module) that is started with \`.start()\` but never joined in the function that owns it,
    directly or through the list it was collected in. Workers created with \`daemon=True\`,
    stored on \`self\`, returned, or handed to other code are left alone: someone else may
    join them.

    ## Why is this bad?
    \`start()\` returns at once. Without \`join()\` the function goes on before the work is
    done: results are read before they exist, exceptions in the worker go unnoticed, and at
    exit the interpreter waits for the forgotten threads anyway. Joining marks the point where
    the work is known to be finished.

    ## Example
    \`\`\`python
    import threading

    results = []


    def work(n):
        results.append(n * n)


    def main():
        threads = []
        for i in range(3):
            t = threading.Thread(target=work, args=(i,))
            threads.append(t)
            t.start()
        print(sorted(results))  # may print a partial list


    main()
    \`\`\`

    ## Use instead
    \`\`\`python
    import threading

    results = []


    def work(n):
        results.append(n * n)


    def main():
        threads = []
        for i in range(3):
            t = threading.Thread(target=work, args=(i,))
            threads.append(t)
            t.start()
        for t in threads:
            t.join()
        print(sorted(results))


    main()
    \`\`\`

    ## Fix safety
    Unsafe: the fix makes the function wait for its workers, which changes timing. It adds
    \`t.join()\` after the last statement that uses \`t\`, or, for workers collected in a
    list, a loop that joins them all after the loop that started them. No fix is offered for
    a worker created and started inside a loop without being collected.

    ## References
    - [threading.Thread.join](https://docs.python.org/3/library/threading.html#threading.Thread.join)
    - [multiprocessing.Process.join](https://docs.python.org/3/library/multiprocessing.html#multiprocessing.Process.join)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('threading') && !module.importsModule('multiprocessing')) return;
    for (const { call } of module.allCalls()) {
      const m = methodCall(call);
      if (m?.method !== 'start' || m.object.type !== 'identifier') continue;
      const kind = module.kindOf(m.object);
      if (kind && KIND.worker.has(kind)) checkStart(ctx, call, m.object, kind);
    }
  },
});
