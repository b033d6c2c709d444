// A syntax node held in plain JavaScript memory: the subset of web-tree-sitter's Node API that the
// analysis uses, without a wasm call per access. Offsets are stored relative to the node's unit
// (a top-level statement, or a statement in a top-level class body), so a unit that an edit did not
// touch is reused as it is, only its base offset moves; rows and columns come from the line starts.

import { positionAt as lspPosition } from '../text/positions';

export interface Point {
  row: number;
  column: number;
}

/** The document a mirror belongs to: its current text and line starts (LSP line breaks). */
export interface Source {
  text: string;
  lineStarts: number[];
}

/** A reusable stretch of the tree: one statement, with the offset where it now starts. */
export class Unit {
  root!: SyntaxNode;
  /** Tree-sitter saw an error in it when it was built (also one the mirror cannot show): never reused. */
  hadError = false;
  /** For a class shell: the units of its body statements, which move with it when it is reused. */
  members: Unit[] = [];
  private byType?: Map<string, SyntaxNode[]>;
  /**
   * Owning scopes of its nodes (semantic/scopes.ts): a scope inside the unit, or null for the one
   * outside it, which every such node shares: `outerScope`, valid while `root.parent` is `anchor`.
   */
  scopes?: Map<SyntaxNode, SyntaxNode | null>;
  outerScope?: { anchor: SyntaxNode; scope: SyntaxNode };
  /** What the statement binds, inner and outer scopes apart (semantic/unitBindings.ts). */
  bindingShare?: unknown;
  /** Its own assignments to an attribute (`self.x = ...`), in document order (semantic/module.ts). */
  attributeAssignments?: unknown;
  /** What other statements' findings may read of it (incremental/outline.ts). */
  outline?: string;
  private ownByType?: Map<string, SyntaxNode[]>;

  constructor(
    public baseIndex: number,
    /** Length of its text, which no edit since it was built has touched. */
    readonly length: number,
    readonly type: string,
  ) {}

  /** A top-level class's header and body block; its body statements are units of their own. */
  get isShell(): boolean {
    return this.type.endsWith('#shell');
  }

  private lists?: { types: readonly string[]; lists: [string, SyntaxNode[]][] };

  /** The unit's non-empty lists among the types (the same array as last time answers at once). */
  listsOf(types: readonly string[]): [string, SyntaxNode[]][] {
    if (this.lists?.types !== types) {
      const index = this.index();
      const lists: [string, SyntaxNode[]][] = [];
      for (const type of types) {
        const own = index.get(type);
        if (own) lists.push([type, own]);
      }
      this.lists = { types, lists };
    }
    return this.lists.lists;
  }

  /** The unit's nodes by type, in document order; each node's `order` is its pre-order rank. Built once. */
  index(): Map<string, SyntaxNode[]> {
    if (!this.byType) {
      this.byType = new Map();
      const stack: SyntaxNode[] = [this.root];
      let order = 0;
      while (stack.length) {
        const node = stack.pop()!;
        node.order = order++;
        const list = this.byType.get(node.type);
        if (list) list.push(node);
        else this.byType.set(node.type, [node]);
        for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
      }
    }
    return this.byType;
  }

  /** The nodes of the unit itself, by type: a class shell's stop at its body statements (units of their own). */
  ownIndex(): Map<string, SyntaxNode[]> {
    if (!this.isShell) return this.index();
    if (!this.ownByType) {
      this.ownByType = new Map();
      const stack: SyntaxNode[] = [this.root];
      while (stack.length) {
        const node = stack.pop()!;
        if (node.unit !== this) continue;
        const list = this.ownByType.get(node.type);
        if (list) list.push(node);
        else this.ownByType.set(node.type, [node]);
        for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
      }
    }
    return this.ownByType;
  }
}

/** A module mirror's units in document order (a class shell before its body statements), or undefined if a top-level node has none. */
export function unitsInOrder(root: SyntaxNode): Unit[] | undefined {
  if (root.unit !== null) return undefined;
  const units: Unit[] = [];
  for (const child of root.children) {
    const unit = child.unit;
    if (!unit || unit.root !== child) return undefined;
    units.push(unit);
    if (unit.isShell) units.push(...unit.members);
  }
  return units;
}

let nextId = 1;

/** Children and fields of a node that has none: one shared, frozen array (most nodes are leaves). */
const NONE: never[] = Object.freeze([]) as never[];

export class SyntaxNode {
  readonly id = nextId++;
  parent: SyntaxNode | null = null;
  /** Shared and frozen while empty: the mirror gives a node its own array with its first child. */
  children: SyntaxNode[] = NONE;
  /** This node's field name in its parent (`function`, `body`…), or undefined. */
  field: string | undefined = undefined;
  private namedCache?: SyntaxNode[];
  /** Pre-order rank within the unit, set when the unit is indexed. */
  order = 0;
  /** Position among the parent's children (set with `parent`, so sibling steps cost nothing). */
  indexInParent = -1;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    public unit: Unit | null,
    private readonly relStart: number,
    private readonly relEnd: number,
    /** The document, for `text` and positions; shared by every node of one document's mirrors. */
    readonly source: Source,
  ) {}

  /** Appends a child with its field name in this node (only the mirror builds nodes). */
  addChild(child: SyntaxNode, field: string | undefined): void {
    if (this.children === NONE) this.children = [];
    child.parent = this;
    child.field = field;
    child.indexInParent = this.children.length;
    this.children.push(child);
  }

  get startIndex(): number {
    return (this.unit?.baseIndex ?? 0) + this.relStart;
  }

  get endIndex(): number {
    return (this.unit?.baseIndex ?? 0) + this.relEnd;
  }

  get startPosition(): Point {
    const p = lspPosition(this.source.lineStarts, this.startIndex);
    return { row: p.line, column: p.character };
  }

  get endPosition(): Point {
    const p = lspPosition(this.source.lineStarts, this.endIndex);
    return { row: p.line, column: p.character };
  }

  get text(): string {
    return this.source.text.slice(this.startIndex, this.endIndex);
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildren(): SyntaxNode[] {
    this.namedCache ??= this.children.filter((c) => c.isNamed);
    return this.namedCache;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  get firstChild(): SyntaxNode | null {
    return this.children[0] ?? null;
  }

  get lastChild(): SyntaxNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  child(index: number): SyntaxNode | null {
    return this.children[index] ?? null;
  }

  namedChild(index: number): SyntaxNode | null {
    return this.namedChildren[index] ?? null;
  }

  childForFieldName(field: string): SyntaxNode | null {
    for (const child of this.children) if (child.field === field) return child;
    return null;
  }

  childrenForFieldName(field: string): SyntaxNode[] {
    return this.children.filter((child) => child.field === field);
  }


  get nextSibling(): SyntaxNode | null {
    return this.parent?.children[this.indexInParent + 1] ?? null;
  }

  get previousSibling(): SyntaxNode | null {
    const i = this.indexInParent;
    return i > 0 ? this.parent!.children[i - 1] : null;
  }

  get nextNamedSibling(): SyntaxNode | null {
    for (let n = this.nextSibling; n; n = n.nextSibling) if (n.isNamed) return n;
    return null;
  }

  get previousNamedSibling(): SyntaxNode | null {
    for (let n = this.previousSibling; n; n = n.previousSibling) if (n.isNamed) return n;
    return null;
  }

  get isError(): boolean {
    return this.type === 'ERROR';
  }

  private errorCache?: boolean;

  /** An ERROR or MISSING node in the subtree (computed once: a node's subtree never changes). */
  get hasError(): boolean {
    if (this.errorCache === undefined) {
      // Bottom-up with an explicit stack: 10,000 nested calls must not overflow the call stack.
      const order: SyntaxNode[] = [];
      const stack: SyntaxNode[] = [this];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (node.errorCache !== undefined) continue;
        order.push(node);
        for (const child of node.children) stack.push(child);
      }
      for (let i = order.length - 1; i >= 0; i--) {
        const node = order[i];
        node.errorCache = node.isError || node.isMissing || node.children.some((c) => c.errorCache === true);
      }
    }
    return this.errorCache!;
  }

  /** True for the root of a reusable unit, whose nodes are indexed by type. */
  private get isUnitRoot(): boolean {
    return this.unit !== null && this.unit.root === this && !this.unit.isShell;
  }

  /**
   * Descendants (and the node itself) of the given types, in document order. Unchanged statements
   * answer from their index, so a query over the whole module does not visit every node.
   */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const found: SyntaxNode[] = [];
    const stack: SyntaxNode[] = [this];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.isUnitRoot) {
        const index = node.unit!.index();
        if (wanted.length === 1) {
          const list = index.get(wanted[0]);
          if (list) for (const n of list) found.push(n);
        } else {
          const merged = wanted.flatMap((t) => index.get(t) ?? []).sort((a, b) => a.order - b.order);
          for (const n of merged) found.push(n);
        }
        continue;
      }
      if (wanted.includes(node.type)) found.push(node);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
    return found;
  }

  /**
   * Descendants (and the node itself) of each of the types, each list in document order: one walk
   * for all the types, with unchanged statements answering from their index.
   */
  descendantsByType(types: readonly string[]): Map<string, SyntaxNode[]> {
    const found = new Map<string, SyntaxNode[]>();
    for (const type of types) found.set(type, []);
    const stack: SyntaxNode[] = [this];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.isUnitRoot) {
        for (const [type, own] of node.unit!.listsOf(types)) {
          const list = found.get(type)!;
          for (const n of own) list.push(n);
        }
        continue;
      }
      found.get(node.type)?.push(node);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
    return found;
  }

  /** The smallest node that spans the position (as web-tree-sitter's descendantForPosition). */
  descendantForPosition(start: Point, end: Point = start): SyntaxNode {
    let node: SyntaxNode = this;
    for (;;) {
      const next = node.children.find((c) => before(c.startPosition, start) && before(end, c.endPosition) && !(equal(c.endPosition, end) && c.startIndex !== c.endIndex && !equal(c.startPosition, end)));
      if (!next) return node;
      node = next;
    }
  }

  /** S-expression of named nodes with field names, like tree-sitter's. */
  toString(): string {
    const named = this.children.map((c) => ({ c, f: c.field })).filter(({ c }) => c.isNamed || (c.isMissing && false));
    const inner = named.map(({ c, f }) => ` ${f ? `${f}: ` : ''}${c.toString()}`).join('');
    const label = this.isMissing ? `MISSING ${this.type}` : this.type;
    return `(${label}${inner})`;
  }
}

function before(a: Point, b: Point): boolean {
  return a.row < b.row || (a.row === b.row && a.column <= b.column);
}

function equal(a: Point, b: Point): boolean {
  return a.row === b.row && a.column === b.column;
}
