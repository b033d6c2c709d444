// Kinds of objects (`ModuleIndex.kindOf`), and other facts of nodes, kept across a document's
// edits. A kind found in a statement reads that statement and, outside it, only what the module's
// outline holds (how names are imported and bound at module and class level, the attributes
// methods assign, and what the functions assigning them bind): while the outline reads the same,
// the kinds of the nodes of the statements an edit left in place still hold. New statements have
// new nodes, with no kind kept.
import type { Node } from '../trees';
import type { Source } from '../syntax/node';

/**
 * Facts of nodes (or of whole statements) that read only their statement and the module's outline,
 * like kinds: by the name of the fact, then by node (or unit). A fact's value refers to no node
 * outside its statement.
 */
export type KeptFacts = Map<string, FactTable>;

/** One fact's values: a WeakMap when kept across edits (it must not hold dead statements), else a Map. */
export interface FactTable {
  get(key: object): unknown;
  has(key: object): boolean;
  set(key: object, value: unknown): unknown;
}

interface Epoch {
  outline: readonly string[];
  shared: string;
  facts: KeptFacts;
}

/** Per document, the facts of the last two outlines, newest first (an edit undone finds its outline's). */
const kept = new WeakMap<Source, Epoch[]>();

/** The facts to start the analysis of the document with; `shared`: the names other notebook cells import. */
export function keptFacts(source: Source, outline: readonly string[], shared: string): KeptFacts {
  const epochs = kept.get(source) ?? [];
  let epoch = epochs.find((e) => e.shared === shared && sameEntries(e.outline, outline));
  if (epoch) epoch.outline = outline;
  else epoch = { outline, shared, facts: new Map() };
  kept.set(source, [epoch, ...epochs.filter((e) => e !== epoch)].slice(0, 2));
  return epoch.facts;
}

export function sameEntries(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
