// Builds the JavaScript mirror of a tree-sitter tree, one wasm walk per changed statement.
// Statements whose text is unchanged since the previous mirror are reused as they are.
import type { Tree, TreeCursor } from 'web-tree-sitter';
import { SyntaxNode, Unit, type Source } from './node';

export interface Mirror {
  root: SyntaxNode;
  /** Shared by every node built for this document, so reused nodes read the current text. */
  source: Source;
  units: Unit[];
  /** How many units were built fresh (the rest were reused), for tests and benchmarks. */
  built: number;
}

type Pool = Map<string, Unit[]>;

const key = (type: string, text: string) => `${type}\u0000${text}`;

/** Builds the subtree under the cursor's node; positions relative to `unit`. */
function buildSubtree(cursor: TreeCursor, unit: Unit | null, source: Source, ctx: BuildContext): SyntaxNode {
  const baseIndex = unit?.baseIndex ?? 0;
  const make = (): SyntaxNode => {
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const missing = start === end && cursor.nodeIsMissing; // only zero-width nodes can be MISSING
    return new SyntaxNode(cursor.nodeType, cursor.nodeIsNamed, missing, unit, start - baseIndex, end - baseIndex, source);
  };
  const top = make();
  const stack: SyntaxNode[] = [top];
  if (!cursor.gotoFirstChild()) return top;
  for (;;) {
    const parent = stack[stack.length - 1];
    const field = cursor.currentFieldName ?? undefined;
    // Statements of a top-level class body are units of their own.
    const child = parent.type === 'block' && ctx.unitsInBlock(parent) ? ctx.unitAt(cursor, parent) : make();
    child.parent = parent;
    parent.children.push(child);
    parent.fields.push(field);
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
  unitsInBlock(block: SyntaxNode): boolean;
  unitAt(cursor: TreeCursor, parent: SyntaxNode): SyntaxNode;
}

export function buildMirror(tree: Tree, text: string, lineStarts: number[], previous?: Mirror): Mirror {
  const source = previous?.source ?? { text, lineStarts };
  source.text = text;
  source.lineStarts = lineStarts;
  const pool: Pool = new Map();
  for (const unit of previous?.units ?? []) {
    const k = key(unit.type, unit.text);
    const list = pool.get(k);
    if (list) list.push(unit);
    else pool.set(k, [unit]);
  }
  const units: Unit[] = [];
  let built = 0;
  const ctx: BuildContext = {
    unitsInBlock(block) {
      return block.parent?.type === 'class_definition' && !!block.unit?.type.endsWith('#shell');
    },
    unitAt(cursor, parent) {
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      const type = cursor.nodeType;
      const unitText = text.slice(start, end);
      // Error recovery depends on the context, so only error-free statements are reused. Tree-sitter's
      // own flag decides: a missing hidden token (an indent, a newline) makes no node in the mirror.
      const treeSitterError = cursor.currentNode.hasError;
      const candidates = pool.get(key(type, unitText));
      const reused = candidates?.length && !treeSitterError ? candidates.find((u) => !u.hadError) : undefined;
      if (reused) {
        candidates!.splice(candidates!.indexOf(reused), 1);
        reused.baseIndex = start;
        units.push(reused);
        return reused.root;
      }
      built++;
      const unit = new Unit(start, unitText, type);
      unit.hadError = treeSitterError;
      unit.root = buildSubtree(cursor, unit, source, ctx);
      units.push(unit);
      return unit.root;
    },
  };
  const cursor = tree.walk();
  try {
    const root = new SyntaxNode(cursor.nodeType, true, false, null, cursor.startIndex, cursor.endIndex, source);
    // The module's children are the top-level units, built through the pool.
    if (cursor.gotoFirstChild()) {
      do {
        const isClass = isTopLevelClass(cursor);
        if (isClass) built++;
        const child = isClass ? classShell(cursor, source, ctx) : ctx.unitAt(cursor, root);
        child.parent = root;
        root.children.push(child);
        root.fields.push(cursor.currentFieldName ?? undefined);
      } while (cursor.gotoNextSibling());
    }
    return { root, source, units, built };
  } finally {
    cursor.delete();
  }
}

function isTopLevelClass(cursor: TreeCursor): boolean {
  const type: string = cursor.nodeType;
  if (type === 'class_definition') return true;
  if (type !== 'decorated_definition' || !cursor.gotoLastChild()) return false;
  const last: string = cursor.nodeType;
  const isClass = last === 'class_definition';
  cursor.gotoParent();
  return isClass;
}

/** A top-level class is rebuilt as a shell around its body statements, which are units of their own. */
function classShell(cursor: TreeCursor, source: Source, ctx: BuildContext): SyntaxNode {
  // The shell is never offered for reuse; its body statements are.
  const unit = new Unit(cursor.startIndex, '', `${cursor.nodeType}#shell`);
  unit.root = buildSubtree(cursor, unit, source, ctx);
  return unit.root;
}
