// The nodes rules care about, grouped by type (answered from each statement's type index).
import type { Node } from '../trees';
import type { Source } from '../syntax/node';

/** Node types indexed by the walk. Rules find their candidates here instead of walking again. */
export const INDEXED_TYPES = [
  'call', 'function_definition', 'lambda', 'class_definition', 'assignment', 'augmented_assignment',
  'with_statement', 'await', 'try_statement', 'except_clause', 'import_statement',
  'import_from_statement', 'future_import_statement', 'expression_statement', 'for_statement',
  'while_statement', 'global_statement', 'nonlocal_statement', 'comment', 'if_statement',
  'return_statement', 'raise_statement', 'yield', 'decorator', 'list_comprehension',
] as const;

export type IndexedType = (typeof INDEXED_TYPES)[number];

/**
 * The last index of a document's mirror. Its top-level statements are the mirror's units: one that
 * is the same node as last time has the same subtree, so its share of each list is copied as it was.
 */
interface Built {
  children: readonly Node[];
  /** By type, in INDEXED_TYPES order. */
  lists: Node[][];
  /** By type: where each top-level statement's nodes start in its list (one more entry: the length). */
  starts: Int32Array[];
}

const lastBuilt = new WeakMap<Source, Built>();

export function collectNodes(root: Node): Map<IndexedType, Node[]> {
  const built = isModuleMirror(root) ? buildAcrossEdits(root) : undefined;
  if (!built) return root.descendantsByType(INDEXED_TYPES) as Map<IndexedType, Node[]>;
  return new Map(INDEXED_TYPES.map((type, t) => [type, built.lists[t]]));
}

/**
 * How many top-level statements two mirrors of a document share at the start (`head`) and, of the
 * rest, at the end (`tail`): the same nodes, hence the same subtrees.
 */
export function sharedEnds(before: readonly Node[], after: readonly Node[]): { head: number; tail: number } {
  const most = Math.min(before.length, after.length);
  let head = 0;
  while (head < most && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < most - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { head, tail };
}

/**
 * For a module mirror indexed last by `collectNodes`: where each top-level statement's nodes of
 * the type start in its list (one more entry: the list's length).
 */
export function statementStarts(root: Node, type: IndexedType): Int32Array | undefined {
  const last = lastBuilt.get(root.source);
  return last?.children === root.children ? last.starts[INDEXED_TYPES.indexOf(type)] : undefined;
}

const TYPE_INDEX = new Map<string, number>(INDEXED_TYPES.map((type, t) => [type, t]));

/** Appends a statement's nodes of each type to `lists` (by type index), in the order of `descendantsByType`. */
function addNodes(statement: Node, lists: Node[][]): void {
  const unit = statement.unit!;
  if (!unit.isShell) {
    for (const [type, own] of unit.listsOf(INDEXED_TYPES)) {
      const list = lists[TYPE_INDEX.get(type)!];
      for (const node of own) list.push(node);
    }
    return;
  }
  const own = statement.descendantsByType(INDEXED_TYPES);
  for (let t = 0; t < INDEXED_TYPES.length; t++) for (const node of own.get(INDEXED_TYPES[t])!) lists[t].push(node);
}

/** A mirror root whose every top-level node is the root of a unit (what `unitsInOrder` asks). */
function isModuleMirror(root: Node): boolean {
  if (root.unit !== null || !root.source) return false;
  return root.children.every((child) => child.unit?.root === child);
}

/** The lists from the last ones: the statements before and after those that changed are copied. */
function buildAcrossEdits(root: Node): Built {
  const children = root.children;
  const last = lastBuilt.get(root.source);
  const before = last?.children ?? [];
  const { head, tail } = sharedEnds(before, children);
  // The changed statements' own lists, type by type, each statement's as `descendantsByType` finds them.
  const middle: Node[][] = INDEXED_TYPES.map(() => []);
  const middleStarts: Int32Array[] = INDEXED_TYPES.map(() => new Int32Array(children.length - tail - head));
  for (let k = head; k < children.length - tail; k++) {
    for (let t = 0; t < INDEXED_TYPES.length; t++) middleStarts[t][k - head] = middle[t].length;
    addNodes(children[k], middle);
  }
  const built: Built = { children, lists: [], starts: [] };
  for (let t = 0; t < INDEXED_TYPES.length; t++) {
    const list = last?.lists[t] ?? [];
    const oldStarts = last?.starts[t];
    const prefix = oldStarts ? oldStarts[head] : 0;
    const suffix = oldStarts ? oldStarts[before.length - tail] : 0;
    built.lists.push(list.slice(0, prefix).concat(middle[t], list.slice(suffix)));
    const starts = new Int32Array(children.length + 1);
    if (oldStarts) starts.set(oldStarts.subarray(0, head));
    for (let k = head; k < children.length - tail; k++) starts[k] = prefix + middleStarts[t][k - head];
    const shift = prefix + middle[t].length - suffix;
    for (let j = 0; j <= tail; j++) starts[children.length - tail + j] = (oldStarts ? oldStarts[before.length - tail + j] : 0) + shift;
    built.starts.push(starts);
  }
  lastBuilt.set(root.source, built);
  return built;
}
