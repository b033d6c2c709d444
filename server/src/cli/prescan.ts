// A cheap look at a file's text before parsing it: when none of the words the enabled rules
// require occurs in it (`Rule.requires`), no rule can report anything and the file is skipped.
import type { Rule } from '../rules/rule';
import { presentWords, requiredWords, ruleMayReport } from '../rules/requires';

/** True when some enabled rule may report something in the text: it has to be parsed and analysed. */
export function mayReport(text: string, rules: readonly Rule[], enabled: (code: string) => boolean): boolean {
  const active = rules.filter((rule) => enabled(rule.code));
  const words = requiredWords(active);
  if (!words) return active.length > 0;
  const present = presentWords(text, words);
  return active.some((rule) => ruleMayReport(rule, present));
}
