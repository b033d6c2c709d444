// A module's outline: what the findings in one statement may read of the others. Rules that declare
// `local` report in a statement from that statement and the outline alone, so while the outline
// reads the same, their findings in the statements an edit left in place still hold.
import type { Node } from '../trees';
import type { Unit } from '../syntax/node';
import { definitionOf, owningScope } from '../semantic/scopes';
import { leavesScanOpen } from '../text/importPlacement';
import { BINDING_KINDS, collectBindings } from '../semantic/bindings';

const SCOPE_TYPES = ['function_definition', 'lambda', 'class_definition'];

const IMPORT_TYPES = ['import_statement', 'import_from_statement', 'future_import_statement'];

/**
 * The outline of one statement: its whole text, except for two kinds of statement.
 *
 * A function definition (at the top level or in a top-level class): other statements read its body
 * only through what it binds outside it or imports, through whether it is a generator, and through
 * the attributes it assigns (`self.lock = Lock()`), whose values are followed through the names the
 * function binds. So its outline is its header (decorators, name, parameters, up to where the body
 * starts), the headers of the functions and classes in it, its imports, whether it yields, its
 * assignments to attributes and, when it has any, what it binds under the names their values reach
 * (`reachedBindingsText`). A body with `global` (it binds module names) counts whole, and so does
 * one that leaves the import planner's line scan open (an unclosed string or bracket: the lines
 * after it read differently, text/importPlacement.ts).
 *
 * A docstring (a statement that is one plain string): no rule reads its words, only its lines. A
 * comment: only `# noqa` comments are read, by every analysis afresh.
 *
 * A class shell's outline is its header: its body statements have their own.
 */
export function unitOutline(unit: Unit): string {
  unit.outline ??= computeOutline(unit);
  return unit.outline;
}

function computeOutline(unit: Unit): string {
  const root = unit.root;
  const def = definitionOf(root);
  const body = def?.childForFieldName('body');
  if (unit.isShell) return `class ${body ? headerText(root, body) : root.text}`;
  if (root.type === 'comment') return 'comment'; // read only for `# noqa`, which every analysis reads afresh
  if (isDocstring(unit)) return `doc ${root.text.split(/\r\n|\r|\n/).length} ${leavesScanOpen(root.text)}`;
  if (def?.type !== 'function_definition' || !body) return `stmt ${root.text}`;
  const own = unit.ownIndex();
  if (own.has('global_statement') || leavesScanOpen(root.text)) return `stmt ${root.text}`;
  const parts = [`def ${headerText(root, body)}`];
  for (const type of IMPORT_TYPES) for (const node of own.get(type) ?? []) parts.push(node.text);
  for (const type of ['function_definition', 'class_definition']) {
    for (const inner of own.get(type) ?? []) {
      const innerBody = inner.childForFieldName('body');
      if (inner !== def) parts.push(`${type} ${innerBody ? headerText(inner, innerBody) : inner.text}`);
    }
  }
  if ((own.get('yield') ?? []).some((y) => owningScope(y) === def)) parts.push('yields');
  const attributes = (own.get('assignment') ?? []).filter((assign) => assign.childForFieldName('left')?.type === 'attribute');
  for (const assign of attributes) parts.push(`attr ${assign.text}`);
  // Its own names are read from outside only through the values of the attributes it assigns.
  if (attributes.length) parts.push(reachedBindingsText(unit, attributes));
  return parts.join('\n\u0001');
}

/**
 * What the statement binds under the names the attributes' values use, and under the names those
 * bindings' values use, and so on (a kind is followed from a name to its bindings' values): scope
 * by scope (by rank in the statement), each binding's kind, name, statement and value, and the
 * `name.append(...)` calls that fill a list of that name.
 */
function reachedBindingsText(unit: Unit, attributes: readonly Node[]): string {
  const own = unit.ownIndex();
  const scopes = SCOPE_TYPES.flatMap((type) => own.get(type) ?? []).sort((a, b) => a.order - b.order);
  const rank = new Map(scopes.map((scope, i) => [scope, i]));
  const byName = new Map<string, string[]>();
  const valuesByName = new Map<string, Node[]>();
  const of = (type: string) => own.get(type) ?? [];
  for (const kind of BINDING_KINDS) {
    collectBindings(kind, of, (scope, binding) => {
      listIn(byName, binding.name).push(`${rank.get(scope) ?? 'outer'} ${binding.how} ${binding.name} ${binding.node.text} ${binding.value?.text ?? ''}`);
      if (binding.value) listIn(valuesByName, binding.name).push(binding.value);
    });
  }
  const appends = new Map<string, Node[]>();
  for (const call of own.get('call') ?? []) {
    const callee = call.childForFieldName('function');
    const object = callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'append' ? callee.childForFieldName('object') : undefined;
    if (object?.type === 'identifier') listIn(appends, object.text).push(call);
  }
  const reached = new Set<string>();
  const pending = attributes.map((assign) => assign.childForFieldName('right')).filter((n): n is Node => !!n);
  const lines: string[] = [];
  while (pending.length) {
    for (const name of identifiersIn(pending.pop()!)) {
      if (reached.has(name)) continue;
      reached.add(name);
      lines.push(...(byName.get(name) ?? []));
      pending.push(...(valuesByName.get(name) ?? []));
      // A list's elements are also what `name.append(x)` adds.
      for (const call of appends.get(name) ?? []) {
        lines.push(`append ${call.text}`);
        pending.push(call);
      }
    }
  }
  return lines.join('\n\u0001');
}

function listIn<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function identifiersIn(node: Node): string[] {
  if (node.type === 'identifier') return [node.text];
  return node.descendantsOfType('identifier').filter((n): n is Node => !!n).map((n) => n.text);
}

/** A statement that is one string without interpolations. */
function isDocstring(unit: Unit): boolean {
  const root = unit.root;
  if (root.type !== 'expression_statement' || root.namedChildCount !== 1 || root.namedChild(0)?.type !== 'string') return false;
  return !unit.ownIndex().has('interpolation');
}

/** The text from a definition's start (its decorators) to the colon before its body. */
function headerText(def: Node, body: Node): string {
  let colon = body.previousSibling;
  while (colon?.type === 'comment') colon = colon.previousSibling;
  return def.source.text.slice(def.startIndex, colon?.type === ':' ? colon.endIndex : body.startIndex);
}

/** The module's outline (see `moduleOutline`) and where each stretch between units starts in the text. */
export interface ModuleOutline {
  entries: string[];
  /** The offset of entry `2k` (the text before the k-th unit, or after the last one), ascending. */
  gapStarts: number[];
}

/**
 * The module's outline: for each unit in `unitsInOrder` order, the text between it and the unit
 * before it (blank lines, which no node covers), then its outline; last, the text after the last
 * statement. A unit's outline is the same string while the unit lives, so most entries compare by
 * reference, and a position between units can be kept relative to the start of its stretch.
 */
export function moduleOutline(root: Node, units: readonly Unit[]): ModuleOutline {
  const text = root.source.text;
  const entries: string[] = [];
  const gapStarts: number[] = [];
  let topEnd = 0;
  let memberEnd = 0;
  let membersLeft = 0;
  for (const unit of units) {
    const start = unit.baseIndex;
    let gapFrom: number;
    if (membersLeft > 0) {
      gapFrom = memberEnd;
      membersLeft--;
      memberEnd = start + unit.length;
    } else {
      gapFrom = topEnd;
      topEnd = start + unit.length;
      if (unit.isShell) {
        membersLeft = unit.members.length;
        const def = definitionOf(unit.root);
        memberEnd = def?.childForFieldName('body')?.startIndex ?? start;
      }
    }
    gapStarts.push(gapFrom);
    entries.push(text.slice(gapFrom, start), unitOutline(unit));
  }
  gapStarts.push(topEnd);
  entries.push(text.slice(topEnd));
  return { entries, gapStarts };
}
