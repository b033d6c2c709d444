// The rule registry: one line per rule, in code order.
import type { Rule } from './rule';
import blockingSleepInAsync from './blockingSleepInAsync';
import workerNeverJoined from './workerNeverJoined';
import lockAcquireWithoutWith from './lockAcquireWithoutWith';

export const RULES: readonly Rule[] = [
  blockingSleepInAsync,
  workerNeverJoined,
  lockAcquireWithoutWith,
].sort((a, b) => a.code.localeCompare(b.code));

const byKey = new Map<string, Rule>();
for (const rule of RULES) {
  byKey.set(rule.code.toLowerCase(), rule);
  byKey.set(rule.name.toLowerCase(), rule);
}

/** A rule by its code or name, case-insensitive. */
export function findRule(codeOrName: string): Rule | undefined {
  return byKey.get(codeOrName.trim().toLowerCase());
}
