// Tasks and the references that keep them alive (PCC111): which calls create a task, whether
// the result is kept, and the fix that keeps it in a module-level set until it is done.
import type { TextEdit } from 'vscode-languageserver-types';
import type { Node } from '../trees';
import type { ModuleIndex } from './module';
import { owningScope } from './scopes';
import { objectKind } from './objectKinds';
import { oneLine } from './toThread';
import { eol, insertBefore, insertLines, lineIndent, lineText } from '../fixes/edits';

const TASK_FUNCTIONS = new Set(['asyncio.create_task', 'asyncio.ensure_future']);

/** A name that can only be an event loop: `loop`, `event_loop`, `self._loop`. */
const LOOP_NAME = /^(self\.)?_?(event_)?loop$/;

/** The call as written (`asyncio.create_task`, `loop.create_task`) when it creates a task that needs a reference. */
export function taskCreator(module: ModuleIndex, call: Node, qualified = module.resolve(call.childForFieldName('function')!)): string | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  if (qualified && TASK_FUNCTIONS.has(qualified)) return oneLine(callee.text);
  if (callee.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'create_task') return undefined;
  const object = callee.childForFieldName('object')!;
  const kind = objectKind(module, object)?.kind;
  if (kind === 'asyncio.AbstractEventLoop' || (!kind && LOOP_NAME.test(object.text.replace(/\s+/g, '')))) {
    return oneLine(callee.text);
  }
  return undefined;
}

export type TaskFate =
  | { how: 'discarded'; statement: Node; direct: boolean }
  | { how: 'unused'; name: Node; statement: Node }
  | { how: 'kept' };

function unwrap(node: Node): Node {
  let current = node;
  while (current.parent?.type === 'parenthesized_expression') current = current.parent;
  return current;
}

/** What happens to the task a call returns. */
export function taskFate(module: ModuleIndex, call: Node): TaskFate {
  let value = unwrap(call);
  let direct = true;
  const holder = value.parent;
  if ((holder?.type === 'list_comprehension' || holder?.type === 'set_comprehension') && holder.childForFieldName('body')?.id === value.id) {
    value = unwrap(holder);
    direct = false;
  }
  const parent = value.parent;
  if (parent?.type === 'expression_statement') return { how: 'discarded', statement: parent, direct };
  // `asyncio.create_task(job()).add_done_callback(report)` keeps nothing either.
  if (direct && parent?.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'add_done_callback') {
    const chained = parent.parent;
    if (chained?.type === 'call' && unwrap(chained).parent?.type === 'expression_statement') {
      return { how: 'discarded', statement: unwrap(chained).parent!, direct: false };
    }
  }
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === value.id) {
    const left = parent.childForFieldName('left');
    if (left?.type === 'identifier' && parent.parent?.type === 'expression_statement' && neverUsed(module, left)) {
      return { how: 'unused', name: left, statement: parent.parent };
    }
  }
  return { how: 'kept' };
}

/** Identifiers that name something without reading the binding: attribute names, keywords, targets. */
function isRead(id: Node): boolean {
  const parent = id.parent;
  if (!parent) return false;
  if (parent.type === 'attribute') return parent.childForFieldName('object')?.id === id.id;
  if (parent.type === 'keyword_argument') return parent.childForFieldName('name')?.id !== id.id;
  if (parent.type === 'assignment') return parent.childForFieldName('left')?.id !== id.id;
  if (parent.type === 'for_statement' || parent.type === 'for_in_clause') return parent.childForFieldName('left')?.id !== id.id;
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'as_pattern_target', 'global_statement', 'nonlocal_statement',
    'parameters', 'typed_parameter', 'default_parameter', 'typed_default_parameter'].includes(parent.type)) return false;
  if (parent.type === 'function_definition' || parent.type === 'class_definition') return parent.childForFieldName('name')?.id !== id.id;
  return true;
}

/**
 * A local name that is never read in its function. Names that live on after the function
 * (module globals, `global`/`nonlocal` names, class attributes) keep their object alive.
 */
function neverUsed(module: ModuleIndex, name: Node): boolean {
  const found = module.lookup(name.text, name);
  const scope = owningScope(name);
  if (!found || found.scope.id !== scope.id || scope.type !== 'function_definition' && scope.type !== 'lambda') return false;
  return !scope.descendantsOfType('identifier').some((id) => id && id.id !== name.id && id.text === name.text && isRead(id)
    && module.lookup(id.text, id)?.scope.id === scope.id);
}

const SET_NAME = '_background_tasks';

/** The module-level set to keep tasks in: an existing `name = set()`, or a free name to create. */
function backgroundSet(module: ModuleIndex): { name: string; exists: boolean } {
  const globals = module.bindings(module.root);
  for (let i = 0; ; i++) {
    const name = i === 0 ? SET_NAME : `${SET_NAME}_${i}`;
    const bound = globals.get(name);
    if (!bound) return { name, exists: false };
    const value = bound.length === 1 ? bound[0].value : undefined;
    if (value?.type === 'call' && value.text.replace(/\s+/g, '') === 'set()') return { name, exists: true };
  }
}

/** The row after the module's docstring, `__future__` imports and top-of-file imports. */
function headerEnd(module: ModuleIndex): number {
  let row = 0;
  let first = true;
  for (const stmt of module.root.namedChildren) {
    if (!stmt) continue;
    const docstring = first && stmt.type === 'expression_statement' && stmt.namedChild(0)?.type === 'string';
    if (stmt.type === 'comment' || docstring || stmt.type.startsWith('import') || stmt.type === 'future_import_statement') {
      row = stmt.endPosition.row + 1;
      if (stmt.type !== 'comment') first = false;
      continue;
    }
    break;
  }
  return row;
}

/** The statement stands alone on its lines: nothing before it on its first line, nothing but a comment after it. */
function standsAlone(module: ModuleIndex, stmt: Node): boolean {
  const before = lineText(module, stmt.startPosition.row).slice(0, stmt.startPosition.column);
  const after = lineText(module, stmt.endPosition.row).slice(stmt.endPosition.column);
  return before.trim() === '' && /^\s*(#.*)?$/.test(after);
}

function endOfLine(module: ModuleIndex, row: number): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const position = { line: row, character: lineText(module, row).length };
  return { start: position, end: position };
}

/** A name not used anywhere in the scope (nor as a global), for the task. */
function freshName(module: ModuleIndex, scope: Node, base: string): string {
  const taken = new Set(scope.descendantsOfType('identifier').map((id) => id?.text));
  for (const name of module.bindings(module.root).keys()) taken.add(name);
  for (let i = 0; ; i++) {
    const name = i === 0 ? base : `${base}_${i}`;
    if (!taken.has(name)) return name;
  }
}

/**
 * Keeps the task alive until it is done: binds it (when discarded), adds it to a module-level
 * set and discards it from the set when it finishes. Undefined when the statement shares its
 * lines or the set could not be defined before it.
 */
export function keepReferenceEdits(module: ModuleIndex, fate: TaskFate): { edits: TextEdit[]; set: string } | undefined {
  if (fate.how === 'kept' || (fate.how === 'discarded' && !fate.direct)) return undefined;
  const stmt = fate.statement;
  if (!standsAlone(module, stmt)) return undefined;
  const set = backgroundSet(module);
  const anchor = headerEnd(module);
  if (!set.exists && anchor > stmt.startPosition.row) return undefined;
  const nl = eol(module);
  const indent = lineIndent(module, stmt.startPosition.row);
  const name = fate.how === 'unused' ? fate.name.text : freshName(module, owningScope(stmt), 'task');
  const edits: TextEdit[] = [];
  if (!set.exists) {
    const padding = anchor > 0 ? nl : '';
    edits.push(insertLines(anchor, `${padding}${set.name} = set()${anchor > 0 ? '' : nl}${nl}`));
  }
  if (fate.how === 'discarded') edits.push(insertBefore(stmt, `${name} = `));
  const lines = `${indent}${set.name}.add(${name})${nl}${indent}${name}.add_done_callback(${set.name}.discard)`;
  const last = stmt.endPosition.row;
  if (last + 1 < module.lines().length) edits.push(insertLines(last + 1, `${lines}${nl}`));
  else edits.push({ range: endOfLine(module, last), newText: `${nl}${lines}` });
  return { edits, set: set.name };
}
