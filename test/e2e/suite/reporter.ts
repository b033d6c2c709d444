// A mocha reporter that only uses console.log: in the web workbench the extension host's
// console reaches the harness through codeAutomationLog, while process.stdout does not.
import Mocha from 'mocha';

const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

export class ConsoleReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    let passed = 0;
    let skipped = 0;
    const failures: Array<{ title: string; err: Error }> = [];
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.title) console.log(`${'  '.repeat(depth(suite) - 1)}${suite.title}`);
    });
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
      passed++;
      console.log(`${indent(test)}ok ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
      skipped++;
      console.log(`${indent(test)}skip ${test.title}`);
    });
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, err: Error) => {
      failures.push({ title: test.fullTitle(), err });
      console.log(`${indent(test)}FAIL ${test.title}: ${firstLine(err)}`);
    });
    runner.once(EVENT_RUN_END, () => {
      failures.forEach(({ title, err }, i) => {
        console.log('');
        console.log(`${i + 1}) ${title}`);
        console.log(String(err?.stack ?? err));
        const e = err as Error & { actual?: unknown; expected?: unknown; showDiff?: boolean };
        if (e && 'expected' in e && 'actual' in e) {
          console.log(`  expected: ${JSON.stringify(e.expected, null, 2)}`);
          console.log(`  actual:   ${JSON.stringify(e.actual, null, 2)}`);
        }
      });
      // One word and a colon may stand before the plain line; the harness prints its own plain line last.
      console.log('');
      console.log(`mocha: ${passed} passed, ${failures.length} failed${skipped ? `, ${skipped} skipped` : ''}`);
    });
  }
}

function depth(suite: Mocha.Suite): number {
  let d = 0;
  for (let s: Mocha.Suite | undefined = suite; s && !s.root; s = s.parent) d++;
  return d;
}

function indent(test: Mocha.Test): string {
  return '  '.repeat(test.parent ? depth(test.parent) : 0);
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}
