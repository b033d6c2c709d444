// Runs one fuzz seed in a worker thread, so that fuzz.test.ts can use every core.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runFuzzSeed } from './fuzzHarness';

if (!isMainThread && parentPort) {
  const { seed, edits } = workerData as { seed: number; edits: number };
  runFuzzSeed(seed, edits).then(
    (run) => parentPort!.postMessage({ run }),
    (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
}
