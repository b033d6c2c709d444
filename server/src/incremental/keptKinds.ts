// Kinds of objects (`ModuleIndex.kindOf`) kept across a document's edits. A kind found in a
// statement reads that statement and, outside it, only what the module's outline holds (how names
// are imported and bound at module and class level, the attributes methods assign, and what the
// functions assigning them bind): while the outline reads the same, the kinds of the nodes of the
// statements an edit left in place still hold. New statements have new nodes, with no kind kept.
import type { Node } from '../trees';
import type { Source } from '../syntax/node';

const kept = new WeakMap<Source, { outline: readonly string[]; shared: string; kinds: WeakMap<Node, string | undefined> }>();

/** The kinds to start the analysis of the document with; `shared`: the names other notebook cells import. */
export function keptKinds(source: Source, outline: readonly string[], shared: string): WeakMap<Node, string | undefined> {
  const last = kept.get(source);
  if (last && last.shared === shared && sameEntries(last.outline, outline)) {
    last.outline = outline;
    return last.kinds;
  }
  const kinds = new WeakMap<Node, string | undefined>();
  kept.set(source, { outline, shared, kinds });
  return kinds;
}

export function sameEntries(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
