// Which of the rules' required words a module's text holds, found statement by statement: a
// statement's words are kept while the statement is reused, so an edit rescans only what changed.
import { presentWords } from '../rules/requires';
import { unitsInOrder, type SyntaxNode, type Unit } from './node';

/** Words found in a unit's own text, for one list of words (the selected rules' list rarely changes). */
const found = new WeakMap<Unit, { key: string; words: Set<string> }>();

/**
 * The words that occur in the module as whole identifiers: the same set as `presentWords` over the
 * whole text. Text outside statements (blank lines, indentation) is scanned on every call; no
 * token spans two statements, so matching them one by one finds the same words.
 */
export function wordsInModule(root: SyntaxNode, text: string, words: readonly string[]): Set<string> {
  const units = unitsInOrder(root);
  if (!units) return presentWords(text, words);
  const key = words.join(' ');
  const all = new Set<string>();
  // The text between statements, joined by line breaks (no word spans a statement's edge) and scanned once.
  const gaps: string[] = [];
  let scanned = 0;
  for (const unit of units) {
    const start = unit.baseIndex;
    if (start > scanned) gaps.push(text.slice(scanned, start));
    if (unit.isShell) {
      scanned = start; // its own text is the gaps between its members, taken as the members come
      continue;
    }
    add(all, unitWords(unit, text, key, words));
    scanned = start + unit.length;
  }
  if (scanned < text.length) gaps.push(text.slice(scanned));
  const between = gaps.join('\n');
  if (/[A-Za-z_]/.test(between)) add(all, presentWords(between, words));
  return all;
}

function unitWords(unit: Unit, text: string, key: string, words: readonly string[]): Set<string> {
  const kept = found.get(unit);
  if (kept && kept.key === key) return kept.words;
  const own = presentWords(text.slice(unit.baseIndex, unit.baseIndex + unit.length), words);
  found.set(unit, { key, words: own });
  return own;
}

function add(into: Set<string>, from: Set<string>): void {
  for (const word of from) into.add(word);
}
