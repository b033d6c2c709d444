// A module's outline: what the findings in one statement may read of the others. Rules that declare
// `local` report in a statement from that statement and the outline alone, so while the outline
// reads the same, their findings in the statements an edit left in place still hold.
import type { Node } from '../trees';
import type { Unit } from '../syntax/node';
import { owningScope } from '../semantic/scopes';
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
 * assignments to attributes, and everything it binds in its own scopes (kind, name and value, scope
 * by scope). A body with `global` (it binds module names) counts whole, and so does one that leaves
 * the import planner's line scan open (an unclosed string or bracket: the lines after it read
 * differently, text/importPlacement.ts).
 *
 * A docstring (a statement that is one plain string): no rule reads its words, only its lines.
 *
 * A class shell's outline is its header: its body statements have their own.
 */
export function unitOutline(unit: Unit): string {
  unit.outline ??= computeOutline(unit);
  return unit.outline;
}

function computeOutline(unit: Unit): string {
  const root = unit.root;
  const def = root.type === 'decorated_definition' ? root.childForFieldName('definition') : root;
  const body = def?.childForFieldName('body');
  if (unit.isShell) return `class ${body ? headerText(root, body) : root.text}`;
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
  for (const assign of own.get('assignment') ?? []) if (assign.childForFieldName('left')?.type === 'attribute') parts.push(`attr ${assign.text}`);
  parts.push(bindingsText(unit));
  return parts.join('\n\u0001');
}

/** What the statement binds in its own scopes: scope by scope (by rank in the statement), each binding's kind, name and value. */
function bindingsText(unit: Unit): string {
  const own = unit.ownIndex();
  const scopes = SCOPE_TYPES.flatMap((type) => own.get(type) ?? []).sort((a, b) => a.order - b.order);
  const rank = new Map(scopes.map((scope, i) => [scope, i]));
  const lines: string[] = [];
  const of = (type: string) => own.get(type) ?? [];
  for (const kind of BINDING_KINDS) {
    collectBindings(kind, of, (scope, binding) => {
      lines.push(`${rank.get(scope) ?? 'outer'} ${binding.how} ${binding.name} ${binding.value?.text ?? ''}`);
    });
  }
  return lines.join('\n\u0001');
}

/** A statement that is one string without interpolations. */
function isDocstring(unit: Unit): boolean {
  const root = unit.root;
  if (root.type !== 'expression_statement' || root.namedChildCount !== 1 || root.namedChild(0)?.type !== 'string') return false;
  return !unit.ownIndex().has('interpolation');
}

/** The text from a definition's start to where its body starts (its header, with the break and indent after the colon). */
function headerText(def: Node, body: Node): string {
  return def.source.text.slice(def.startIndex, body.startIndex);
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
        const def = unit.root.type === 'decorated_definition' ? unit.root.childForFieldName('definition') : unit.root;
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
