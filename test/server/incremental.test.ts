// Diagnostics after typing equal a full analysis of the same text, step after step: seeded
// random one-character and token edits to fixtures and standard-library modules, applied
// incrementally (tree edit + re-parse with the old tree, reused statements in the mirror), with
// the syntax now and then released as the server's memory limit does (`releaseSyntax`).
// Reproduce with INCREMENTAL_SEED=<seed>; INCREMENTAL_STEPS=<n> changes the number of steps.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Random } from './prng';
import { FuzzSubject } from './fuzzHarness';
import { configFor, FIXTURES, getParser } from './helpers';
import { typingChange } from './fuzzEdits';

const SEED = Number(process.env.INCREMENTAL_SEED ?? 20261124); // fixed, so CI runs are reproducible
const STEPS = Number(process.env.INCREMENTAL_STEPS ?? 40);

function texts(): { name: string; text: string }[] {
  // Three fixtures picked by the seed, and the first 250 lines of three standard-library modules.
  const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.py')).sort();
  const pick = new Random(SEED + 1);
  const all = [0, 1, 2].map(() => pick.pick(fixtures)).map((f) => ({ name: f, text: fs.readFileSync(path.join(FIXTURES, f), 'utf8') }));
  try {
    const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
    for (const part of ['threading.py', 'concurrent/futures/thread.py', 'asyncio/locks.py']) {
      const lines = fs.readFileSync(path.join(stdlib, part), 'utf8').split('\n');
      all.push({ name: part, text: lines.slice(0, 250).join('\n') });
    }
  } catch {
    // no python3: the fixtures alone
  }
  return all;
}

for (const { name, text } of texts()) {
  test(`incremental diagnostics equal a full analysis over ${STEPS} edits to ${name} (seed ${SEED})`, async (t) => {
    const parser = await getParser();
    const rng = new Random(SEED);
    const subject = new FuzzSubject(parser, configFor(), SEED, text);
    const started = Date.now();
    try {
      subject.check({ diagnostics: true });
      for (let step = 0; step < STEPS; step++) {
        const change = typingChange(rng, subject.expected);
        TextDocument.update(subject.expected, [change], subject.expected.version + 1);
        subject.apply([change]);
        if (rng.chance(0.05)) subject.doc.releaseSyntax();
        subject.check({ diagnostics: true });
      }
    } finally {
      subject.dispose();
    }
    t.diagnostic(`seed ${SEED} (INCREMENTAL_SEED=${SEED} to reproduce): ${STEPS} edits to ${name}, ${Date.now() - started} ms`);
  });
}
