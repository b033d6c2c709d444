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
  const counts = unitCounts(root.source, units, text, key, words);
  const all = new Set<string>();
  for (const [word, count] of counts) if (count > 0) all.add(word);
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
  const last = lastBetween.get(root.source);
  const inBetween = last?.key === key && last.text === between ? last.words : presentWords(between, words);
  lastBetween.set(root.source, { key, text: between, words: inBetween });
  add(all, inBetween);
  return all;
}

/** The words last found between a document's statements (class headers, mostly): an edit inside a statement leaves that text as it was. */
const lastBetween = new WeakMap<Source, { key: string; text: string; words: Set<string> }>();

/**
 * How many of the statements (class shells aside) hold each word, kept with the document's last
 * statements and their words: only the statements an edit removed and added are counted again.
 */
const lastCounts = new WeakMap<Source, { key: string; units: Map<Unit, Set<string>>; counts: Map<string, number> }>();

function unitCounts(source: Source, units: readonly Unit[], text: string, key: string, words: readonly string[]): Map<string, number> {
  const last = lastCounts.get(source);
  const same = last?.key === key;
  const counts = same ? last.counts : new Map<string, number>();
  const before = same ? last.units : new Map<Unit, Set<string>>();
  const current = new Map<Unit, Set<string>>();
  for (const unit of units) {
    if (unit.isShell) continue;
    let own = before.get(unit);
    if (!own) {
      own = unitWords(unit, text, words);
      for (const word of own) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    current.set(unit, own);
  }
  for (const [unit, own] of before) if (!current.has(unit)) for (const word of own) counts.set(word, counts.get(word)! - 1);
  lastCounts.set(source, { key, units: current, counts });
  return counts;
}

function unitWords(unit: Unit, text: string, words: readonly string[]): Set<string> {
  return presentWords(text.slice(unit.baseIndex, unit.baseIndex + unit.length), words);
}

function add(into: Set<string>, from: Set<string>): void {
  for (const word of from) into.add(word);
}
