// Which of the rules' required words a module's text holds, found statement by statement: a
// statement's words are kept while the statement is reused, so an edit rescans only what changed.
import { presentWords } from '../rules/requires';
import { unitsInOrder, type Source, type SyntaxNode, type Unit } from './node';

/**
 * The words that occur in the module as whole identifiers: the same set as `presentWords` over the
 * whole text. Text outside statements (blank lines, indentation, class headers) is scanned again
 * whenever it changed; no token spans two statements, so matching them one by one finds the same words.
 */
export function wordsInModule(root: SyntaxNode, text: string, words: readonly string[]): Set<string> {
  const units = unitsInOrder(root);
  if (!units) return presentWords(text, words);
  const key = words.join(' ');
  const prior = kept.get(root.source);
  const last = prior?.key === key ? prior : undefined;
  const counts = countUnits(last, units, text, words);
  const all = new Set<string>();
  for (const [word, count] of counts.counts) if (count > 0) all.add(word);
  // The text between statements, joined by line breaks (no word spans a statement's edge) and scanned once.
  const gaps: string[] = [];
  let scanned = 0;
  for (const unit of units) {
    const start = unit.baseIndex;
    if (start > scanned) gaps.push(text.slice(scanned, start));
    // A class shell's own text is the gaps between its members, taken as the members come.
    scanned = unit.isShell ? start : start + unit.length;
  }
  if (scanned < text.length) gaps.push(text.slice(scanned));
  const between = gaps.join('\n');
  const betweenWords = last?.between === between ? last.betweenWords : presentWords(between, words);
  kept.set(root.source, { key, ...counts, between, betweenWords });
  for (const word of betweenWords) all.add(word);
  return all;
}

/**
 * Per document, for one list of words: the last statements (class shells aside) with their words,
 * how many of them hold each word, and the text between statements with its words. An edit
 * inside a statement leaves that text as it was, and only the statements it removed and added
 * are counted again.
 */
const kept = new WeakMap<Source, { key: string; units: Map<Unit, Set<string>>; counts: Map<string, number>; between: string; betweenWords: Set<string> }>();

function countUnits(
  last: { units: Map<Unit, Set<string>>; counts: Map<string, number> } | undefined,
  units: readonly Unit[],
  text: string,
  words: readonly string[],
): { units: Map<Unit, Set<string>>; counts: Map<string, number> } {
  const counts = last?.counts ?? new Map<string, number>();
  const before = last?.units ?? new Map<Unit, Set<string>>();
  const current = new Map<Unit, Set<string>>();
  for (const unit of units) {
    if (unit.isShell) continue;
    let own = before.get(unit);
    if (!own) {
      own = presentWords(text.slice(unit.baseIndex, unit.baseIndex + unit.length), words);
      for (const word of own) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    current.set(unit, own);
  }
  for (const [unit, own] of before) if (!current.has(unit)) for (const word of own) counts.set(word, counts.get(word)! - 1);
  return { units: current, counts };
}
