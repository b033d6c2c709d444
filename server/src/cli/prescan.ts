// A cheap look at a file's text before parsing it: when none of the words the enabled rules
// require occurs in it (`Rule.requires`), no rule can report anything and the file is skipped.
import type { Rule } from '../rules/rule';
import { presentWords, requiredWords, ruleMayReport } from '../rules/requires';
import { presentCodeWords } from './codeWords';

function activeRules(rules: readonly Rule[], enabled: (code: string) => boolean): Rule[] {
  return rules.filter((rule) => enabled(rule.code));
}

/** True when some enabled rule may report something in the text: it has to be parsed and analysed. */
export function mayReport(text: string, rules: readonly Rule[], enabled: (code: string) => boolean): boolean {
  const active = activeRules(rules, enabled);
  const words = requiredWords(active);
  if (!words) return active.length > 0;
  const present = presentWords(text, words);
  return active.some((rule) => ruleMayReport(rule, present));
}

/**
 * Like `mayReport`, counting only the words in code, not in comments and plain string literals.
 * This holds only where the parser reads the text the same way: when it finds no syntax error
 * (its error recovery may read a string's words as code).
 */
export function mayReportInCode(text: string, rules: readonly Rule[], enabled: (code: string) => boolean): boolean {
  const active = activeRules(rules, enabled);
  const words = requiredWords(active);
  if (!words) return active.length > 0;
  const present = presentCodeWords(text, words);
  return active.some((rule) => ruleMayReport(rule, present));
}
