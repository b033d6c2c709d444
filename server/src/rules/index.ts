// The rule registry: one line per rule, in code order.
import type { Rule } from './rule';
import { ASYNCIO_RULES } from './asyncioRules';
import { ASYNCIO_TASK_RULES } from './asyncioTaskRules';
import { THREAD_RULES } from './threadRules';
import { LOCK_PROCESS_RULES } from './lockProcessRules';

/** Every rule, in code order. Each group file lists its rules, one line per rule. */
export const RULES: readonly Rule[] = [...ASYNCIO_RULES, ...ASYNCIO_TASK_RULES, ...THREAD_RULES, ...LOCK_PROCESS_RULES]
  .sort((a, b) => a.code.localeCompare(b.code));

const byKey = new Map<string, Rule>();
for (const rule of RULES) {
  byKey.set(rule.code.toLowerCase(), rule);
  byKey.set(rule.name.toLowerCase(), rule);
}

/** A rule by its code or name, case-insensitive. */
export function findRule(codeOrName: string): Rule | undefined {
  return byKey.get(codeOrName.trim().toLowerCase());
}
