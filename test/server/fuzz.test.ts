// Incremental edits fuzzed in-process: after every step the document's text equals TextDocument.update's,
// its incrementally re-parsed tree equals a fresh parse (S-expression, fields and every position), its
// syntax mirror equals a fresh one, and its diagnostics equal a full analysis of the same text.
// Seeds run in worker threads, as many at a time as there are cores.
// Reproduce a failure with FUZZ_SEEDS=<seed>; FUZZ_EDITS=<n> sets the number of edits per seed.
import { test } from 'node:test';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { seedsFromEnv } from './prng';
import type { FuzzRun } from './fuzzHarness';

const SEEDS = seedsFromEnv([101, 202, 303, 404, 505, 606, 707, 808]);
const TOTAL_EDITS = 100_000;
const EDITS_PER_SEED = Number(process.env.FUZZ_EDITS ?? Math.ceil(TOTAL_EDITS / SEEDS.length));

function runInWorker(seed: number): Promise<FuzzRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'fuzzWorker.js'), { workerData: { seed, edits: EDITS_PER_SEED } });
    worker.once('message', (message: { run?: FuzzRun; error?: string }) => {
      void worker.terminate();
      if (message.run) resolve(message.run);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`fuzz worker for seed ${seed} exited with code ${code}`)));
  });
}

test(`fuzz: ${SEEDS.length} seeds × ${EDITS_PER_SEED} random edits`, { concurrency: Math.max(1, os.availableParallelism()) }, async (t) => {
  const started = Date.now();
  const runs: FuzzRun[] = [];
  await Promise.all(SEEDS.map((seed) => t.test(`seed ${seed}`, async (st) => {
    const run = await runInWorker(seed);
    runs.push(run);
    st.diagnostic(`seed ${seed}: ${run.edits} edits in ${run.steps} steps (${run.clean} error-free), ${run.ms} ms`);
  })));
  const edits = runs.reduce((n, r) => n + r.edits, 0);
  const steps = runs.reduce((n, r) => n + r.steps, 0);
  t.diagnostic(`fuzz total: ${edits} edits in ${steps} steps over seeds ${SEEDS.join(', ')}, ${Date.now() - started} ms`);
});
