// Kinds of objects (`ModuleIndex.kindOf`), and other facts of nodes, kept across a document's edits. A kind found in a
// statement reads that statement and, outside it, only what the module's outline holds (how names
// are imported and bound at module and class level, the attributes methods assign, and what the
// functions assigning them bind): while the outline reads the same, the kinds of the nodes of the
// statements an edit left in place still hold. New statements have new nodes, with no kind kept.
import type { Node } from '../trees';
import type { Source } from '../syntax/node';

/**
 * Facts of nodes that read only their statement and the module's outline, like kinds: by the name
 * of the fact, then by node. A fact's value refers to no node outside its node's statement.
 */
export type KeptFacts = Map<string, WeakMap<Node, unknown>>;

const kept = new WeakMap<Source, { outline: readonly string[]; shared: string; facts: KeptFacts }>();

/** The facts to start the analysis of the document with; `shared`: the names other notebook cells import. */
export function keptFacts(source: Source, outline: readonly string[], shared: string): KeptFacts {
  const last = kept.get(source);
  if (last && last.shared === shared && sameEntries(last.outline, outline)) {
    last.outline = outline;
    return last.facts;
  }
  const facts: KeptFacts = new Map();
  kept.set(source, { outline, shared, facts });
  return facts;
}

export function sameEntries(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
