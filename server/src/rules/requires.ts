// The words rules require (`Rule.requires`): which of them a text contains, and so which rules
// can report anything in it. Words match as whole identifiers.
import type { Rule } from './rule';

const patterns = new Map<string, RegExp>();
/** The pattern of each word list `requiredWords` gave out, without joining the list again. */
const patternsByList = new WeakMap<readonly string[], RegExp>();
/** `requiredWords` answers by the rules' codes: asked once per file and per analysis. */
const wordsByRules = new Map<string, readonly string[] | undefined>();

/** Every word some rule requires, sorted; undefined when a rule requires nothing (it may report anywhere). */
export function requiredWords(rules: readonly Rule[]): readonly string[] | undefined {
  const key = rules.map((rule) => rule.code).join(' ');
  if (!wordsByRules.has(key)) wordsByRules.set(key, collectWords(rules));
  return wordsByRules.get(key);
}

function collectWords(rules: readonly Rule[]): string[] | undefined {
  const words = new Set<string>();
  for (const rule of rules) {
    if (!rule.requires) return undefined;
    for (const entry of rule.requires) for (const w of typeof entry === 'string' ? [entry] : entry) words.add(w);
  }
  return [...words].sort();
}

/** One regex (global, cached by word list) that matches any of the words as a whole identifier. */
export function wordPattern(words: readonly string[]): RegExp {
  const known = patternsByList.get(words);
  if (known) return known;
  const key = words.join(' ');
  let re = patterns.get(key);
  if (!re) {
    const escaped = [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = new RegExp(`(?<![A-Za-z0-9_])(?:${escaped.join('|')})(?![A-Za-z0-9_])`, 'g');
    patterns.set(key, re);
  }
  patternsByList.set(words, re);
  return re;
}

/** The words that occur in the text as whole identifiers (a letter, digit or _ on neither side). */
export function presentWords(text: string, words: readonly string[]): Set<string> {
  const found = new Set<string>();
  if (words.length === 0) return found;
  const re = wordPattern(words);
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    found.add(m[0]);
    if (found.size === words.length) break;
  }
  return found;
}

/** False when the rule requires words and the present ones do not meet every entry. */
export function ruleMayReport(rule: Rule, present: ReadonlySet<string>): boolean {
  return !rule.requires || rule.requires.every((entry) => (typeof entry === 'string' ? present.has(entry) : entry.some((w) => present.has(w))));
}
