// Which rules run, at which severity: from `select`, `ignore` and `severity` settings.
import { RULES, findRule } from '../rules/index';
import type { Rule, Severity } from '../rules/rule';

export interface RuleSelection {
  /** Enabled rule codes with their effective severity. */
  severity: Map<string, Severity>;
}

const SEVERITIES = new Set(['error', 'warning', 'info']);

/** Rules matched by one selector: `ALL`, a code (`PCC101`), a code prefix (`PCC1`) or a name. */
export function matchSelector(selector: string): Rule[] {
  const s = selector.trim();
  if (s.toUpperCase() === 'ALL') return [...RULES];
  const exact = findRule(s);
  if (exact) return [exact];
  if (/^PCC\d{0,2}$/i.test(s)) return RULES.filter((r) => r.code.startsWith(s.toUpperCase()));
  return [];
}

export function resolveSelection(
  select: string[] | undefined,
  ignore: string[] | undefined,
  severity: Record<string, string> | undefined,
  /** Names where a key is written, for messages: `concurrencyCoach.select`, `--ignore`. */
  where: (key: 'select' | 'ignore' | 'severity') => string,
): { selection: RuleSelection; problems: string[] } {
  const problems: string[] = [];
  const chosen = new Set<string>();
  for (const selector of select ?? ['ALL']) {
    const rules = matchSelector(selector);
    if (rules.length === 0) problems.push(`Unknown rule "${selector}" in ${where('select')}: expected a code like PCC101, a prefix like PCC1, a rule name, or ALL.`);
    for (const rule of rules) chosen.add(rule.code);
  }
  for (const selector of ignore ?? []) {
    const rules = matchSelector(selector);
    if (rules.length === 0) problems.push(`Unknown rule "${selector}" in ${where('ignore')}: expected a code like PCC101, a prefix like PCC1, a rule name, or ALL.`);
    for (const rule of rules) chosen.delete(rule.code);
  }
  const result = new Map<string, Severity>();
  for (const rule of RULES) if (chosen.has(rule.code)) result.set(rule.code, rule.severity);
  for (const [key, value] of Object.entries(severity ?? {})) {
    const rules = matchSelector(key);
    const level = String(value).toLowerCase();
    if (rules.length === 0) {
      problems.push(`Unknown rule "${key}" in ${where('severity')}: expected a code like PCC101, a prefix like PCC1, a rule name, or ALL.`);
    } else if (level === 'off') {
      for (const rule of rules) result.delete(rule.code);
    } else if (SEVERITIES.has(level)) {
      for (const rule of rules) if (result.has(rule.code)) result.set(rule.code, level as Severity);
    } else {
      problems.push(`Invalid severity "${value}" for ${key} in ${where('severity')}: expected "error", "warning", "info" or "off".`);
    }
  }
  return { selection: { severity: result }, problems };
}

export function defaultSelection(): RuleSelection {
  return resolveSelection(undefined, undefined, undefined, String).selection;
}
