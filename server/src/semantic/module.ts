// The semantic layer shared by all rules: one index per parsed module, built lazily.
import type { Node } from '../trees';
import { collectNodes, sharedEnds, statementStarts, type IndexedType } from './walk';
import { readImports, type ImportBinding } from './imports';
import { buildBindings, type LocalBinding, type ScopeBindings } from './bindings';
import { definitionOf, owningScope } from './scopes';
import { UnitBindings } from './unitBindings';
import { unitsInOrder, type Source, type Unit } from '../syntax/node';
import { CONSTRUCTOR_NAMES, CONTEXT_FACTORIES, KNOWN_CONSTRUCTORS } from './kinds';
import type { FactTable, KeptFacts } from '../incremental/keptFacts';

export interface ResolvedCall {
  call: Node;
  callee: Node;
  /** Qualified name of the callee (`time.sleep`), when it resolves through imports or builtins. */
  qualified?: string;
}

const NO_BINDINGS: ScopeBindings = new Map();
const NO_CALLS: ResolvedCall[] = [];

const BUILTINS = new Set(['open', 'input', 'print', 'exec', 'eval', 'compile', '__import__']);

/**
 * Resolved names kept across edits, by node: a node lives as long as its statement is unchanged.
 * What else its resolution reads is what binds the name at its base (`t` in `t.sleep`) outside
 * that statement: the import of the name, and whether module scope or a top-level class body
 * binds it. That is the entry's `key`; an entry holds while the name's key is the same.
 */
const resolvedAcrossEdits = new WeakMap<Node, { name: string | undefined; key: string; qualified: string | undefined }>();

/**
 * The calls of a document's last analysis, kept to copy those of the top-level statements an edit
 * left in place: a call's resolution reads its statement and the keys of names (`keyOf`), which
 * all hold while the imports and the module's and top-level classes' bindings (`outerFacts`) read the same.
 */
const lastCalls = new WeakMap<Source, {
  children: readonly Node[];
  imports: Map<string, string>;
  facts: Map<string, string>;
  calls: ResolvedCall[];
  /** Where each top-level statement's calls start in `calls` (one more entry: its length). */
  starts: Int32Array;
}>();

function sameEntries(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

/** An assignment whose target is an attribute (`self.x = ...`), with the target's text without whitespace. */
export interface AttributeAssignment {
  assign: Node;
  left: Node;
  key: string;
}

/** Shared by the statements that assign nothing. */
const NO_ASSIGNMENTS: AttributeAssignment[] = [];

function attributeAssignmentsIn(assignments: readonly Node[]): AttributeAssignment[] {
  const found: AttributeAssignment[] = [];
  for (const assign of assignments) {
    const left = assign.childForFieldName('left');
    if (left?.type === 'attribute') found.push({ assign, left, key: left.text.replace(/\s+/g, '') });
  }
  return found;
}

/**
 * A statement's assignments to attributes, in document order: they read nothing outside it. A class
 * shell's hold its body statements' in place, which move with it (a changed one makes a new shell).
 */
function unitAttributeAssignments(unit: Unit): AttributeAssignment[] {
  let found = unit.attributeAssignments as AttributeAssignment[] | undefined;
  if (found) return found;
  if (!unit.isShell) {
    const assignments = unit.index().get('assignment');
    found = assignments ? attributeAssignmentsIn(assignments) : NO_ASSIGNMENTS;
  } else {
    found = [];
    const stack: Node[] = [unit.root];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.unit !== unit) {
        for (const member of unitAttributeAssignments(node.unit!)) found.push(member);
        continue;
      }
      if (node.type === 'assignment') for (const own of attributeAssignmentsIn([node])) found.push(own);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
  }
  unit.attributeAssignments = found;
  return found;
}

/** The name at the base of an attribute chain (`t` in `t.sleep`); undefined when the base is no name (`f().x`). */
function baseName(node: Node): string | undefined {
  let n: Node | null = node;
  while (n?.type === 'attribute') n = n.childForFieldName('object');
  return n?.type === 'identifier' ? n.text : undefined;
}

export class ModuleIndex {
  private readonly nodes: Map<IndexedType, Node[]>;
  readonly imports: ImportBinding[];
  private readonly importMap = new Map<string, string>();
  private bindingTable?: Map<number, ScopeBindings>;
  /** Tables kept per statement across edits; null when the root is not a module mirror. */
  private unitBindings?: UnitBindings | null;
  private resolvedCalls?: ResolvedCall[];
  /** Kinds that no cycle of names went into: they depend on nothing but the nodes (see `kindOf`). */
  private readonly kinds: FactTable;
  /** During one outermost `kindOf`: the kinds it found that a cycle went into, and the nodes it is computing. */
  private readonly queryKinds = new Map<Node, string | undefined>();
  private readonly computing = new Set<Node>();
  private cycles = 0;
  private unitList?: Unit[] | null;
  private unitCalls?: FactTable;
  private callsSplit = false;
  private readonly resolveCache = new Map<number, string | undefined>();
  private selfAttributes?: Map<number, Map<string, (string | undefined)[]>>;
  private attributeAssigns?: AttributeAssignment[];
  private appends?: Map<string, Node[]>;
  /** Memo for fix helpers that scan the text (import placement), keyed by the question. */
  readonly memo = new Map<string, unknown>();
  private lineCache?: string[];
  /** Per name: how module scope and each top-level class body bind it (`m`, `m!` for global, ` 3` for the fourth class). */
  private outerFacts?: Map<string, string>;
  private readonly nameKeys = new Map<string, string>();
  /** Lookups by the scope a name is used in, then by name. */
  private readonly lookups = new Map<Node, Map<string, { scope: Node; bindings: LocalBinding[] } | undefined>>();
  private constructorNames?: Set<string>;
  private topClasses?: Map<Node, number>;
  /** While set, `of`, `allCalls` and `calls` list only these statements' own nodes (see `focusOn`). */
  private focus?: { units: readonly Unit[]; lists: Map<string, Node[]>; calls?: ResolvedCall[] };

  /** Facts of nodes, kinds among them (see `kept`). */
  private readonly facts: KeptFacts;
  /** The facts outlive this analysis: worth finding statement by statement (`keptPerUnit`). */
  private readonly keepsFacts: boolean;

  /**
   * `shared`: imports made elsewhere in the same namespace (the other cells of a notebook). They
   * resolve names, but `imports` lists only this text's own, which fixes may edit. `facts`: facts
   * of nodes found by earlier analyses of the same document, while what they read outside their
   * statement is the same (incremental/keptFacts.ts); by default none.
   */
  constructor(readonly text: string, readonly root: Node, readonly shared: readonly ImportBinding[] = [], facts?: KeptFacts) {
    this.facts = facts ?? new Map();
    this.keepsFacts = facts !== undefined;
    this.kinds = this.factTable('kind');
    this.nodes = collectNodes(root);
    this.imports = readImports([...this.everyOf('import_statement'), ...this.everyOf('import_from_statement')]);
    for (const imp of [...shared, ...this.imports]) this.importMap.set(imp.local, imp.qualified);
  }

  /** Source lines without their line breaks (\n, \r\n or a lone \r). */
  lines(): string[] {
    this.lineCache ??= this.text.split(/\r\n|\r|\n/);
    return this.lineCache;
  }

  /** One source line without its line break, or '' past the end (from the mirror's line starts, without splitting the text). */
  line(row: number): string {
    const { lineStarts, text } = this.root.source;
    if (this.lineCache || text !== this.text) return this.lines()[row] ?? '';
    if (row < 0 || row >= lineStarts.length) return '';
    const end = row + 1 < lineStarts.length ? lineStarts[row + 1] : text.length;
    return text.slice(lineStarts[row], end).replace(/\r?\n$|\r$/, '');
  }

  /**
   * The nodes of an indexed type, in document order: the rules' candidates. While the index is
   * focused, only those of the focused statements; helpers that read the whole module use `everyOf`.
   */
  of(type: IndexedType): Node[] {
    if (!this.focus) return this.everyOf(type);
    let list = this.focus.lists.get(type);
    if (!list) {
      list = [];
      for (const unit of this.focus.units) for (const node of unit.ownIndex().get(type) ?? []) list.push(node);
      this.focus.lists.set(type, list);
    }
    return list;
  }

  /**
   * Nodes of any types (indexed or not), like the root's `descendantsOfType`; while the index is
   * focused, only those of the focused statements, statement by statement and type by type.
   */
  descendantsOfType(types: string[]): Node[] {
    if (!this.focus) return this.root.descendantsOfType(types).filter((n): n is Node => n !== null);
    const found: Node[] = [];
    for (const unit of this.focus.units) for (const type of types) for (const node of unit.ownIndex().get(type) ?? []) found.push(node);
    return found;
  }

  /** All nodes of an indexed type in the module, in document order, focused or not. */
  everyOf(type: IndexedType): Node[] {
    return this.nodes.get(type) ?? [];
  }

  /**
   * Restricts `of`, `allCalls` and `calls` to the nodes of these statements (mirror units, in
   * document order), for the rules whose findings in a statement depend on it alone (`Rule.local`);
   * undefined lifts it. Everything else still answers for the whole module.
   */
  focusOn(units: readonly Unit[] | undefined): void {
    this.focus = units && { units, lists: new Map() };
  }

  /** True when the module imports the module (or anything from it): `importsModule('trio')`. */
  importsModule(name: string): boolean {
    return [...this.imports, ...this.shared].some((imp) => imp.qualified === name || imp.qualified.startsWith(name + '.'));
  }

  /** The local name that stands for a module (`aio` for `import asyncio as aio`). */
  localNameOf(qualified: string): string | undefined {
    for (const imp of this.imports) if (imp.qualified === qualified) return imp.local;
    return undefined;
  }

  bindings(scope: Node): ScopeBindings {
    if (this.unitBindings === undefined) {
      const units = unitsInOrder(this.root);
      this.unitBindings = units ? new UnitBindings(units) : null;
    }
    if (this.unitBindings) return this.unitBindings.get(scope) ?? NO_BINDINGS;
    this.bindingTable ??= buildBindings((type) => this.everyOf(type as IndexedType));
    return this.bindingTable.get(scope.id) ?? NO_BINDINGS;
  }

  /** The bindings a name refers to at a node: the innermost scope that binds it (classes skipped). */
  lookup(name: string, at: Node): { scope: Node; bindings: LocalBinding[] } | undefined {
    const start = owningScope(at);
    // The answer depends only on the scope the name is used in: kept for this analysis.
    let byName = this.lookups.get(start);
    if (!byName) this.lookups.set(start, (byName = new Map()));
    const known = byName.get(name);
    if (known !== undefined || byName.has(name)) return known;
    const found = this.lookupFrom(name, start);
    byName.set(name, found);
    return found;
  }

  private lookupFrom(name: string, start: Node): { scope: Node; bindings: LocalBinding[] } | undefined {
    let scope = start;
    let first = true;
    for (;;) {
      const isClass = scope.type === 'class_definition';
      if (first || !isClass) {
        const found = this.bindings(scope).get(name);
        if (found && !found.some((b) => b.how === 'global')) return { scope, bindings: found };
        if (found && scope.type !== 'module' && scope.parent) {
          scope = this.root;
          first = false;
          continue;
        }
      }
      if (scope.type === 'module' || !scope.parent) return undefined; // the root (an ERROR root when the text is garbled)
      scope = owningScope(scope);
      first = false;
    }
  }

  /**
   * Qualified name of a name or attribute chain, through the imports: `t.sleep` → `time.sleep`.
   * A local variable or parameter that shadows the import resolves to nothing.
   */
  resolve(node: Node): string | undefined {
    const kept = resolvedAcrossEdits.get(node);
    if (kept && kept.key === this.keyOf(kept.name)) return kept.qualified;
    if (this.resolveCache.has(node.id)) return this.resolveCache.get(node.id);
    // A long attribute chain (`a.b.c…`) is resolved from its base up, so its length never deepens the stack.
    const chain: Node[] = [];
    for (let n: Node | null = node; n?.type === 'attribute' && !this.resolveCache.has(n.id); n = n.childForFieldName('object')) chain.push(n);
    for (let i = chain.length - 1; i > 0; i--) this.resolve(chain[i]);
    const qualified = this.computeResolve(node);
    this.resolveCache.set(node.id, qualified);
    const name = baseName(node);
    resolvedAcrossEdits.set(node, { name, key: this.keyOf(name), qualified });
    return qualified;
  }

  /** Everything outside a statement that the resolution of a name there reads: its import, and how the module and top-level classes bind it. */
  private keyOf(name: string | undefined): string {
    if (name === undefined) return '';
    let key = this.nameKeys.get(name);
    if (key === undefined) {
      this.outerFacts ??= this.readOuterFacts();
      key = `${this.importMap.get(name) ?? ''}|${this.outerFacts.get(name) ?? ''}`;
      this.nameKeys.set(name, key);
    }
    return key;
  }

  private readOuterFacts(): Map<string, string> {
    const facts = new Map<string, string>();
    const mark = (list: LocalBinding[]) => (list.some((b) => b.how === 'global') ? '!' : '');
    for (const [name, list] of this.bindings(this.root)) facts.set(name, `m${mark(list)}`);
    for (const [cls, i] of this.topLevelClasses()) {
      for (const [name, list] of this.bindings(cls)) facts.set(name, `${facts.get(name) ?? ''} ${i}${mark(list)}`);
    }
    return facts;
  }

  /** The module's top-level classes, in document order, with their rank among them. */
  topLevelClasses(): Map<Node, number> {
    if (!this.topClasses) {
      this.topClasses = new Map();
      for (const child of this.root.children) {
        const cls = definitionOf(child);
        if (cls?.type === 'class_definition') this.topClasses.set(cls, this.topClasses.size);
      }
    }
    return this.topClasses;
  }

  private computeResolve(node: Node): string | undefined {
    if (node.type === 'identifier') {
      const name = node.text;
      if (this.lookup(name, node)) return undefined;
      const imported = this.importMap.get(name);
      if (imported) return imported;
      return BUILTINS.has(name) ? `builtins.${name}` : undefined;
    }
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute');
      const base = object && this.resolve(object);
      return base && attr ? `${base}.${attr.text}` : undefined;
    }
    return undefined;
  }

  /** The calls `of('call')` lists (focused or not) with their callees resolved. */
  allCalls(): ResolvedCall[] {
    if (!this.focus) return this.everyCall();
    this.focus.calls ??= this.resolveCalls(this.of('call'));
    return this.focus.calls;
  }

  /** Every call in the module with its callee resolved (computed once), focused or not. */
  everyCall(): ResolvedCall[] {
    this.resolvedCalls ??= this.callsAcrossEdits() ?? this.resolveCalls(this.everyOf('call'));
    return this.resolvedCalls;
  }

  private resolveCalls(calls: readonly Node[]): ResolvedCall[] {
    const resolved: ResolvedCall[] = [];
    for (const call of calls) {
      const callee = call.childForFieldName('function');
      if (callee) resolved.push({ call, callee, qualified: this.resolve(callee) });
    }
    return resolved;
  }

  /**
   * For a module mirror: the calls of the statements an edit left in place are copied from the
   * document's last analysis while the names' keys are the same; only the others are resolved.
   */
  private callsAcrossEdits(): ResolvedCall[] | undefined {
    const callStarts = statementStarts(this.root, 'call');
    if (!callStarts) return undefined;
    const children = this.root.children;
    this.outerFacts ??= this.readOuterFacts();
    const facts = this.outerFacts;
    const last = lastCalls.get(this.root.source);
    const valid = last && sameEntries(last.imports, this.importMap) && sameEntries(last.facts, facts);
    const { head, tail } = valid ? sharedEnds(last.children, children) : { head: 0, tail: 0 };
    const end = children.length - tail;
    const prefix = valid ? last.calls.slice(0, last.starts[head]) : [];
    const starts = new Int32Array(children.length + 1);
    if (valid) starts.set(last.starts.subarray(0, head));
    const nodes = this.everyOf('call');
    const middle: ResolvedCall[] = [];
    for (let k = head; k < end; k++) {
      starts[k] = prefix.length + middle.length;
      for (let i = callStarts[k]; i < callStarts[k + 1]; i++) {
        const call = nodes[i];
        const callee = call.childForFieldName('function');
        if (callee) middle.push({ call, callee, qualified: this.resolve(callee) });
      }
    }
    const suffixStart = valid ? last.starts[last.children.length - tail] : 0;
    const shift = prefix.length + middle.length - suffixStart;
    for (let j = 0; j <= tail; j++) starts[end + j] = (valid ? last.starts[last.children.length - tail + j] : 0) + shift;
    const calls = prefix.concat(middle, valid ? last.calls.slice(suffixStart) : []);
    lastCalls.set(this.root.source, { children, imports: this.importMap, facts, calls, starts });
    return calls;
  }

  /** Calls whose callee resolves to one of the names (`calls('time.sleep')`). */
  calls(...names: string[]): ResolvedCall[] {
    const wanted = new Set(names);
    return this.allCalls().filter((c) => c.qualified !== undefined && wanted.has(c.qualified));
  }

  /** The constructor kind a call creates (`threading.Thread`), also for subclasses defined here. */
  constructorOf(call: Node): string | undefined {
    if (call.type !== 'call') return undefined;
    const callee = call.childForFieldName('function');
    if (!callee || !this.mayConstruct(callee)) return undefined;
    const qualified = this.resolve(callee);
    if (qualified && KNOWN_CONSTRUCTORS.has(qualified)) return qualified;
    if (callee.type === 'attribute') {
      const object = callee.childForFieldName('object');
      const factory = object && this.kindOf(object);
      const prefix = factory && CONTEXT_FACTORIES.get(factory);
      const attr = callee.childForFieldName('attribute')?.text;
      if (prefix && attr && KNOWN_CONSTRUCTORS.has(`${prefix}.${attr}`)) return `${prefix}.${attr}`;
    }
    if (callee.type === 'identifier') return this.classKind(callee);
    return undefined;
  }

  /**
   * False when the callee cannot name a known constructor, whatever the bindings: an attribute
   * whose name ends no known constructor, or a name that is neither imported nor a class of the module.
   * `constructorOf` answers undefined for a call whose callee this rejects.
   */
  mayConstruct(callee: Node): boolean {
    if (callee.type === 'attribute') {
      const attr = callee.childForFieldName('attribute');
      return !attr || CONSTRUCTOR_NAMES.has(attr.text);
    }
    if (callee.type !== 'identifier') return true;
    if (!this.constructorNames) {
      this.constructorNames = new Set(this.importMap.keys());
      for (const cls of this.everyOf('class_definition')) {
        const name = cls.childForFieldName('name');
        if (name) this.constructorNames.add(name.text);
      }
    }
    return this.constructorNames.has(callee.text);
  }

  /** A class defined in this module whose base is a known kind (`class Worker(threading.Thread)`). */
  private classKind(name: Node): string | undefined {
    const found = this.lookup(name.text, name);
    const def = found?.bindings.find((b) => b.how === 'class')?.node;
    const bases = def?.childForFieldName('superclasses');
    for (const base of bases?.namedChildren ?? []) {
      if (!base || base.id === name.id) continue;
      const qualified = this.resolve(base) ?? (base.type === 'identifier' ? this.classKind(base) : undefined);
      if (qualified && KNOWN_CONSTRUCTORS.has(qualified)) return qualified;
    }
    return undefined;
  }

  private factTable(name: string): FactTable {
    let table = this.facts.get(name);
    if (!table) this.facts.set(name, (table = this.keepsFacts ? new WeakMap() : new Map()));
    return table;
  }

  /**
   * A fact of a node, computed once and kept across edits like kinds: `compute` must read only the
   * node's statement and the module's outline (names as imported and bound at module and class
   * level, kinds), nothing of the options, and return nothing that refers to a node of another statement.
   */
  kept<T>(name: string, node: Node, compute: () => T): T {
    const table = this.factTable(name);
    if (table.has(node)) return table.get(node) as T;
    const value = compute();
    table.set(node, value);
    return value;
  }

  /**
   * Like `kept`, for a fact of each whole statement (a unit of the mirror), in document order. For
   * a root that is no module mirror, or an analysis that keeps nothing, `whole` answers for the
   * whole module instead.
   */
  keptPerUnit<T>(name: string, compute: (unit: Unit) => T, whole: () => T): T[] {
    const units = this.keepsFacts ? this.units() : undefined;
    if (!units) return [whole()];
    const table = this.factTable(`unit:${name}`);
    const found: T[] = new Array(units.length);
    for (let i = 0; i < units.length; i++) {
      const unit = units[i];
      let value = table.get(unit) as T | undefined;
      if (value === undefined && !table.has(unit)) table.set(unit, (value = compute(unit)));
      found[i] = value as T;
    }
    return found;
  }

  /** The module's statements in document order (`unitsInOrder`), or undefined when the root is not a module mirror. */
  units(): readonly Unit[] | undefined {
    if (this.unitList === undefined) this.unitList = unitsInOrder(this.root) ?? null;
    return this.unitList ?? undefined;
  }

  /**
   * A statement's own calls with their callees resolved, in document order, taken from
   * `everyCall`. Kept like facts, since resolving reads the statement and the outline; the first
   * statement without them has every such statement's found at once.
   */
  callsOf(unit: Unit): ResolvedCall[] {
    const table = (this.unitCalls ??= this.factTable('unit:calls'));
    let calls = table.get(unit) as ResolvedCall[] | undefined;
    if (!calls) {
      if (!this.callsSplit) this.splitCalls(table);
      calls = (table.get(unit) as ResolvedCall[] | undefined) ?? NO_CALLS;
    }
    return calls;
  }

  /** Gives every statement that has none kept its calls, from `everyCall` (no call is resolved again). */
  private splitCalls(table: FactTable): void {
    this.callsSplit = true;
    const byUnit = new Map<Unit, ResolvedCall[]>();
    let unit: Unit | undefined;
    let list: ResolvedCall[] | undefined;
    for (const resolved of this.everyCall()) {
      if (resolved.call.unit !== unit) {
        unit = resolved.call.unit!;
        list = table.has(unit) ? undefined : byUnit.get(unit);
        if (!list && !table.has(unit)) byUnit.set(unit, (list = []));
      }
      list?.push(resolved);
    }
    for (const [owner, calls] of byUnit) table.set(owner, calls);
    for (const owner of this.units() ?? []) if (!table.has(owner)) table.set(owner, NO_CALLS);
  }

  /**
   * The kind of object an expression refers to, from how the name was bound. Names bound to each
   * other in a cycle (`a = b` ... `b = a`) are followed once: the answer is the same whatever was
   * asked before, since a kind that a cycle went into is kept only for the outermost question.
   */
  kindOf(expr: Node): string | undefined {
    const kept = this.kinds.get(expr) as string | undefined;
    if (kept !== undefined || this.kinds.has(expr)) return kept;
    // A kind a cycle went into, or one being computed: whatever reads it depends on this question too.
    if (this.queryKinds.has(expr) || this.computing.has(expr)) {
      this.cycles++;
      return this.queryKinds.get(expr);
    }
    const outermost = this.computing.size === 0;
    const cyclesBefore = this.cycles;
    this.computing.add(expr);
    let kind: string | undefined;
    try {
      kind = this.computeKind(expr);
    } finally {
      this.computing.delete(expr);
      if (outermost) this.queryKinds.clear();
    }
    if (this.cycles === cyclesBefore) this.kinds.set(expr, kind);
    else if (!outermost) this.queryKinds.set(expr, kind);
    return kind;
  }

  private computeKind(expr: Node): string | undefined {
    switch (expr.type) {
      case 'call':
        return this.constructorOf(expr);
      case 'parenthesized_expression':
        return expr.namedChild(0) ? this.kindOf(expr.namedChild(0)!) : undefined;
      case 'identifier': {
        const found = this.lookup(expr.text, expr);
        return found ? this.agree(found.bindings.map((b) => this.bindingKind(b))) : undefined;
      }
      case 'attribute':
        return this.attributeKind(expr);
      default:
        return undefined;
    }
  }

  private agree(kinds: (string | undefined)[]): string | undefined {
    const known = kinds.filter((k): k is string => k !== undefined);
    if (known.length === 0 || known.some((k) => k !== known[0])) return undefined;
    return known[0];
  }

  private bindingKind(binding: LocalBinding): string | undefined {
    if (!binding.value) return undefined;
    if (binding.how === 'for') return this.elementKind(binding.value);
    if (binding.how === 'assign' || binding.how === 'with') return this.kindOf(binding.value);
    return undefined;
  }

  /** `self.x` inside a method: the kind bound by `self.x = ...` anywhere in the class. */
  private attributeKind(expr: Node): string | undefined {
    const object = expr.childForFieldName('object');
    const attr = expr.childForFieldName('attribute')?.text;
    if (object?.type !== 'identifier' || object.text !== 'self' || !attr) return undefined;
    const cls = this.classOfSelf(object);
    if (!cls) return undefined;
    return this.agree(this.selfAttributeTable().get(cls.id)?.get(attr) ?? []);
  }

  /** The module's assignments to attributes, in document order; a module mirror's are kept per statement. */
  attributeAssignments(): AttributeAssignment[] {
    if (!this.attributeAssigns) {
      if (unitsInOrder(this.root)) {
        this.attributeAssigns = [];
        for (const child of this.root.children) for (const found of unitAttributeAssignments(child.unit!)) this.attributeAssigns.push(found);
      } else {
        this.attributeAssigns = attributeAssignmentsIn(this.everyOf('assignment'));
      }
    }
    return this.attributeAssigns;
  }

  /** Every `self.x = value` in the module, by class and attribute: the kinds it binds. Built once. */
  private selfAttributeTable(): Map<number, Map<string, (string | undefined)[]>> {
    if (this.selfAttributes) return this.selfAttributes;
    const table = new Map<number, Map<string, (string | undefined)[]>>();
    this.selfAttributes = table;
    for (const { assign, left } of this.attributeAssignments()) {
      const object = left.childForFieldName('object');
      const attr = left.childForFieldName('attribute')?.text;
      if (object?.type !== 'identifier' || object.text !== 'self' || !attr) continue;
      const owner = this.classOfSelf(object);
      const right = assign.childForFieldName('right');
      if (!owner || !right) continue;
      let attrs = table.get(owner.id);
      if (!attrs) table.set(owner.id, (attrs = new Map()));
      const kinds = attrs.get(attr) ?? [];
      kinds.push(right.type === 'call' ? this.constructorOf(right) : undefined);
      attrs.set(attr, kinds);
    }
    return table;
  }

  /** The class whose method binds `self` at this node. */
  classOfSelf(selfNode: Node): Node | undefined {
    const found = this.lookup('self', selfNode);
    const param = found?.bindings.find((b) => b.how === 'param');
    if (!param) return undefined;
    const cls = owningScope(found!.scope);
    return cls.type === 'class_definition' ? cls : undefined;
  }

  /** Kind of the elements of a sequence: a comprehension or list of constructors, or a list filled by append(). */
  elementKind(seq: Node, seen: Set<number> = new Set()): string | undefined {
    if (seen.has(seq.id)) return undefined; // `a = b` ... `b = a`: names that refer to each other
    seen.add(seq.id);
    if (seq.type === 'list_comprehension' || seq.type === 'generator_expression') {
      const body = seq.childForFieldName('body');
      return body ? this.kindOf(body) : undefined;
    }
    if (seq.type === 'list' || seq.type === 'tuple') {
      return this.agree(seq.namedChildren.map((item) => (item ? this.kindOf(item) : undefined)));
    }
    if (seq.type !== 'identifier') return undefined;
    const found = this.lookup(seq.text, seq);
    if (!found) return undefined;
    const kinds = found.bindings.map((b) => (b.how === 'assign' && b.value ? this.elementKind(b.value, seen) : undefined));
    for (const added of this.appendedTo(seq.text, found.scope)) kinds.push(this.kindOf(added));
    return this.agree(kinds);
  }

  /** Arguments of `name.append(x)` calls in a scope. */
  appendedTo(name: string, scope: Node): Node[] {
    if (!this.appends) {
      this.appends = new Map();
      for (const { call, callee } of this.everyCall()) {
        if (callee.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'append') continue;
        const object = callee.childForFieldName('object');
        const arg = call.childForFieldName('arguments')?.namedChild(0);
        if (object?.type !== 'identifier' || !arg) continue;
        const key = `${owningScope(call).id}:${object.text}`;
        const list = this.appends.get(key);
        if (list) list.push(arg);
        else this.appends.set(key, [arg]);
      }
    }
    return this.appends.get(`${scope.id}:${name}`) ?? [];
  }
}
