// Builds the JavaScript mirror of a tree-sitter tree, one wasm walk per changed statement.
// Statements that no edit since the previous mirror touched are reused as they are.
import type { Tree } from 'web-tree-sitter';
import { SyntaxNode, Unit, type Source } from './node';
import { walkTree, type Walker } from './walker';

export interface Mirror {
  root: SyntaxNode;
  /** Shared by every node built for this document, so reused nodes read the current text. */
  source: Source;
  units: Unit[];
  /** How many units were built fresh (the rest were reused), for tests and benchmarks. */
  built: number;
}

/** One replacement of `[start, oldEnd)` by text ending at `newEnd`, in the offsets of its time. */
export interface EditSpan {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The mirror before the edits, and the edits made since, in order. */
export interface PreviousMirror {
  previous: Mirror;
  edits: readonly EditSpan[];
}

/**
 * Reusable units by where they now start; a start that two units share is reused by neither
 * (null). Untouched units keep their length, so the type and length are checked when one is taken.
 */
type Pool = Map<number, Unit | null>;

/**
 * Where the unit's text now starts, or undefined when an edit touched it (an edit that only meets
 * its first or last character counts: typing there may extend the statement).
 */
function movedStart(unit: Unit, edits: readonly EditSpan[]): number | undefined {
  let start = unit.baseIndex;
  for (const edit of edits) {
    if (start <= edit.oldEnd && start + unit.length >= edit.start) return undefined;
    if (start > edit.oldEnd) start += edit.newEnd - edit.oldEnd;
  }
  return start;
}

function reusablePool(last: PreviousMirror | undefined): Pool {
  const pool: Pool = new Map();
  for (const unit of last?.previous.units ?? []) {
    if (unit.hadError) continue;
    const start = movedStart(unit, last!.edits);
    if (start !== undefined) pool.set(start, pool.has(start) ? null : unit);
  }
  return pool;
}

/** The pooled unit of this type that now spans `[start, end)`, taken out of the pool. */
function take(pool: Pool, type: string, start: number, end: number): Unit | undefined {
  const unit = pool.get(start);
  if (!unit || unit.type !== type || unit.length !== end - start) return undefined;
  pool.delete(start);
  return unit;
}

/**
 * Whether nodes of a type id are named. Tree-sitter derives it from the (aliased) symbol alone, so
 * it is asked once per type, not once per node: one wasm call fewer per node.
 */
const namedByTypeId = new Map<number, boolean>();

/** Builds the subtree under the cursor's node; positions relative to `unit`. */
function buildSubtree(cursor: Walker, unit: Unit | null, source: Source, ctx: BuildContext): SyntaxNode {
  const baseIndex = unit?.baseIndex ?? 0;
  const types = ctx.types;
  const make = (): SyntaxNode => {
    const start = cursor.startIndex();
    const end = cursor.endIndex();
    const missing = start === end && cursor.isMissing(); // only zero-width nodes can be MISSING
    const typeId = cursor.typeId();
    let named = namedByTypeId.get(typeId);
    if (named === undefined) namedByTypeId.set(typeId, (named = cursor.isNamed()));
    return new SyntaxNode(types[typeId] || 'ERROR', named, missing, unit, start - baseIndex, end - baseIndex, source);
  };
  const top = make();
  const stack: SyntaxNode[] = [top];
  if (!cursor.gotoFirstChild()) return top;
  for (;;) {
    const parent = stack[stack.length - 1];
    const field = ctx.fields[cursor.fieldId()] ?? undefined;
    // Statements of a top-level class body are units of their own.
    const child = parent.type === 'block' && ctx.unitsInBlock(parent) ? ctx.unitAt(cursor, parent) : make();
    parent.addChild(child, field);
    if (child.unit === unit && cursor.gotoFirstChild()) {
      stack.push(child);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      stack.pop();
      cursor.gotoParent();
      if (stack.length === 0) return top;
    }
  }
}

interface BuildContext {
  /** Node type names by type id (the language's). */
  types: string[];
  /** Field names by field id (the language's). */
  fields: (string | null)[];
  unitsInBlock(block: SyntaxNode): boolean;
  unitAt(cursor: Walker, parent: SyntaxNode): SyntaxNode;
  /** A top-level class: a shell unit around its body statements. */
  shellAt(cursor: Walker): SyntaxNode;
}

/** `direct: false` builds through web-tree-sitter's public cursor (for the test that both agree). */
export function buildMirror(tree: Tree, text: string, lineStarts: number[], last?: PreviousMirror, direct = true): Mirror {
  const source = last?.previous.source ?? { text, lineStarts };
  source.text = text;
  source.lineStarts = lineStarts;
  const pool = reusablePool(last);
  // Tree-sitter's own flag decides on errors; asked per statement only when the tree has any.
  const treeHasError = tree.rootNode.hasError;
  const units: Unit[] = [];
  let built = 0;
  const ctx: BuildContext = {
    types: tree.language.types,
    fields: tree.language.fields,
    unitsInBlock(block) {
      return block.parent?.type === 'class_definition' && !!block.unit?.isShell;
    },
    unitAt(cursor, parent) {
      const start = cursor.startIndex();
      const end = cursor.endIndex();
      const type = typeName(ctx, cursor);
      // Error recovery depends on the context, so only error-free statements are reused. A missing
      // hidden token (an indent, a newline) makes no node in the mirror, hence tree-sitter's flag.
      const treeSitterError = treeHasError && cursor.hasError();
      const reused = treeSitterError ? undefined : take(pool, type, start, end);
      if (reused) {
        reused.baseIndex = start;
        units.push(reused);
        return reused.root;
      }
      built++;
      const unit = new Unit(start, end - start, type);
      unit.hadError = treeSitterError;
      unit.root = buildSubtree(cursor, unit, source, ctx);
      units.push(unit);
      return unit.root;
    },
    shellAt(cursor) {
      const start = cursor.startIndex();
      const end = cursor.endIndex();
      const type = `${typeName(ctx, cursor)}#shell`;
      const treeSitterError = treeHasError && cursor.hasError();
      const reused = treeSitterError ? undefined : take(pool, type, start, end);
      if (reused) {
        // An untouched class moves with its body statements, without a walk.
        const delta = start - reused.baseIndex;
        reused.baseIndex = start;
        units.push(reused);
        for (const member of reused.members) {
          member.baseIndex += delta;
          units.push(member);
        }
        return reused.root;
      }
      built++;
      // The shell holds the class's header and body block; its body statements are units of their own.
      const unit = new Unit(start, end - start, type);
      unit.hadError = treeSitterError;
      units.push(unit);
      const first = units.length;
      unit.root = buildSubtree(cursor, unit, source, ctx);
      unit.members = units.slice(first);
      return unit.root;
    },
  };
  const cursor = walkTree(tree, direct);
  try {
    const root = new SyntaxNode(typeName(ctx, cursor), true, false, null, cursor.startIndex(), cursor.endIndex(), source);
    // The module's children are the top-level units, built through the pool.
    if (cursor.gotoFirstChild()) {
      do {
        const child = isTopLevelClass(ctx, cursor) ? ctx.shellAt(cursor) : ctx.unitAt(cursor, root);
        root.addChild(child, ctx.fields[cursor.fieldId()] ?? undefined);
      } while (cursor.gotoNextSibling());
    }
    return { root, source, units, built };
  } finally {
    cursor.delete();
  }
}

function typeName(ctx: BuildContext, cursor: Walker): string {
  return ctx.types[cursor.typeId()] || 'ERROR';
}

function isTopLevelClass(ctx: BuildContext, cursor: Walker): boolean {
  const type = typeName(ctx, cursor);
  if (type === 'class_definition') return true;
  if (type !== 'decorated_definition' || !cursor.gotoLastChild()) return false;
  const last = typeName(ctx, cursor);
  const isClass = last === 'class_definition';
  cursor.gotoParent();
  return isClass;
}
