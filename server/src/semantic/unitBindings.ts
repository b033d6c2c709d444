// Binding tables kept per statement (mirror unit) across edits. A scope inside a statement gets
// its table from that statement alone; the module's and top-level classes' tables are merged, on
// each analysis, from the share each statement binds in the scope around it.
import type { Node } from '../trees';
import type { Unit } from '../syntax/node';
import { addBinding, BINDING_KINDS, collectBindings, type BindingKind, type LocalBinding, type ScopeBindings } from './bindings';
import { owningScope } from './scopes';

/** A binding the statement makes in a merged scope: `scope` when it is a node of the statement (a class shell's). */
interface OuterEntry {
  binding: LocalBinding;
  scope?: Node;
}

interface UnitShare {
  /** Tables of the scopes inside the statement, which nothing else binds in. */
  inner: Map<number, ScopeBindings>;
  /**
   * What the statement binds in scopes merged from several units, by kind, in document order: the
   * scope is given when it is a node of this unit (a class shell's), else it is the scope around it.
   */
  outer: Map<BindingKind, OuterEntry[]>;
}


/** A unit's nodes never change, so its share is computed once and kept on the unit. */
function shareOf(unit: Unit): UnitShare {
  const share = unit.bindingShare as UnitShare | undefined;
  if (share) return share;
  const own = unit.ownIndex();
  const of = (type: string) => own.get(type) ?? [];
  const built: UnitShare = { inner: new Map(), outer: new Map() };
  for (const kind of BINDING_KINDS) {
    collectBindings(kind, of, (scope, binding) => {
      if (scope.unit === unit && !unit.isShell) return addBinding(built.inner, scope, binding);
      const entry = { binding, scope: scope.unit === unit ? scope : undefined };
      const list = built.outer.get(kind);
      if (list) list.push(entry);
      else built.outer.set(kind, [entry]);
    });
  }
  unit.bindingShare = built;
  return built;
}

/** Binding tables of one analysis: inner scopes from their unit, outer scopes merged once. */
export class UnitBindings {
  private merged?: Map<number, ScopeBindings>;

  constructor(private readonly units: readonly Unit[]) {}

  /** True when the table of this scope is merged: the module's, and any in a class shell (the class's own). */
  private isOuter(scope: Node): boolean {
    return scope.unit === null || scope.unit.isShell;
  }

  get(scope: Node): ScopeBindings | undefined {
    if (!this.isOuter(scope)) return shareOf(scope.unit!).inner.get(scope.id);
    return this.mergedTable().get(scope.id);
  }

  /** The module's and top-level classes' tables: kind by kind, each unit's outer share in document order. */
  private mergedTable(): Map<number, ScopeBindings> {
    if (this.merged) return this.merged;
    const table = new Map<number, ScopeBindings>();
    // Each kind's entries with the scope around their unit, unit by unit: one pass over the units.
    const byKind = new Map<BindingKind, { entries: OuterEntry[]; around: Node }[]>(BINDING_KINDS.map((kind) => [kind, []]));
    for (const unit of this.units) {
      const outer = shareOf(unit).outer;
      if (outer.size === 0) continue;
      const around = owningScope(unit.root);
      for (const [kind, entries] of outer) byKind.get(kind)!.push({ entries, around });
    }
    for (const kind of BINDING_KINDS) {
      for (const { entries, around } of byKind.get(kind)!) {
        for (const { binding, scope } of entries) addBinding(table, scope ?? around, binding);
      }
    }
    this.merged = table;
    return table;
  }
}
