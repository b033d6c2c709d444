// Checks files on worker threads, one file at a time per worker, and gives back the outcomes in
// file order, so the output is the same as checking them one after another on the main thread.
import * as os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createParser } from '../trees';
import { FileChecker, type CheckFlags, type FileOutcome } from './checkFile';

const MARK = 'concurrency-coach-check-worker';

interface WorkerSetup {
  mark: typeof MARK;
  flags: CheckFlags;
  named: string[];
}

/** How many workers to use for this many files: none for a few files, else one per core (CONCURRENCY_COACH_WORKERS overrides). */
export function workerCount(files: number): number {
  const forced = process.env.CONCURRENCY_COACH_WORKERS;
  if (forced !== undefined && forced !== '') return Math.max(0, Math.floor(Number(forced)) || 0);
  if (files < 24) return 0;
  return Math.min(os.availableParallelism(), 8, Math.ceil(files / 12));
}

/** True in a thread started by `checkInWorkers`: the entry script must call `runWorker()` instead of its main. */
export function isCheckWorker(): boolean {
  return !isMainThread && (workerData as WorkerSetup | undefined)?.mark === MARK;
}

/** The worker's loop: a file index in, its outcome out. */
export async function runWorker(): Promise<void> {
  const setup = workerData as WorkerSetup;
  const checker = new FileChecker(await createParser(), setup.flags, new Set(setup.named));
  parentPort!.on('message', (task: { index: number; file: string } | null) => {
    if (task === null) {
      parentPort!.close();
      return;
    }
    let outcome: FileOutcome;
    try {
      outcome = checker.check(task.file);
    } catch (error) {
      outcome = { problems: [], messages: [`concurrency-coach: could not check ${task.file}: ${String(error)}\n`], unreadable: true, fixed: 0, findings: [] };
    }
    parentPort!.postMessage({ index: task.index, outcome });
  });
}

/**
 * Checks the files on `count` workers started from `entry` (a script that calls `runWorker()`
 * when `isCheckWorker()`). `onDone` sees outcomes as they come, in any order; the result is in file order.
 */
export function checkInWorkers(
  entry: string,
  count: number,
  files: readonly string[],
  flags: CheckFlags,
  named: ReadonlySet<string>,
  onDone: (done: number) => void,
): Promise<FileOutcome[]> {
  return new Promise((resolve, reject) => {
    const outcomes: FileOutcome[] = new Array(files.length);
    let next = 0;
    let done = 0;
    let live = 0;
    let failed = false;
    const setup: WorkerSetup = { mark: MARK, flags, named: [...named] };
    const feed = (worker: Worker) => {
      if (next < files.length) {
        worker.postMessage({ index: next, file: files[next] });
        next++;
      } else worker.postMessage(null);
    };
    for (let i = 0; i < Math.min(count, files.length); i++) {
      const worker = new Worker(entry, { workerData: setup, stdout: false, stderr: false });
      live++;
      worker.on('message', (msg: { index: number; outcome: FileOutcome }) => {
        outcomes[msg.index] = msg.outcome;
        onDone(++done);
        feed(worker);
      });
      worker.on('error', (error) => {
        if (!failed) reject(error);
        failed = true;
      });
      worker.on('exit', () => {
        if (--live === 0 && !failed) resolve(outcomes);
      });
      feed(worker);
    }
    if (files.length === 0) resolve(outcomes);
  });
}
