// Faults that tests inject through the environment; without these variables nothing here does anything.
//   CONCURRENCY_COACH_TEST_FAIL_RULE=PCC101  that rule throws on every document (its failure must stay contained)
//   CONCURRENCY_COACH_TEST_CRASH=<marker>     the server process exits with code 1 when an edit inserts <marker>
//                                              (the client must restart it, and give up after too many crashes)
import { RULES } from './rules/index';

/** Replaces the named rule in the registry with one that throws, when the test variable asks for it. */
export function injectRuleFault(env: NodeJS.ProcessEnv = process.env): void {
  const code = env.CONCURRENCY_COACH_TEST_FAIL_RULE;
  const index = code ? RULES.findIndex((r) => r.code === code) : -1;
  if (index < 0) return;
  const rule = RULES[index];
  (RULES as typeof RULES[number][])[index] = {
    ...rule,
    check() {
      throw new Error(`${rule.code} failed on purpose (CONCURRENCY_COACH_TEST_FAIL_RULE)`);
    },
  };
}

/** Ends the process when an edit inserts the crash marker the test variable names. */
export function crashIfAsked(changes: readonly { text: string }[], env: NodeJS.ProcessEnv = process.env): void {
  const marker = env.CONCURRENCY_COACH_TEST_CRASH;
  if (marker && changes.some((c) => c.text.includes(marker))) process.exit(1);
}
