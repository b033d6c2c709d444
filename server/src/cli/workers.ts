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
 * when `isCheckWorker()`). Files that `settle` decides without a parse are decided on this thread,
 * ahead of the workers and while they start, so only the others travel to a worker. `onDone` sees
 * outcomes as they come, in any order; the result is in file order.
 */
export function checkInWorkers(
  entry: string,
  count: number,
  files: readonly string[],
  flags: CheckFlags,
  named: ReadonlySet<string>,
  onDone: (done: number) => void,
  settle: (file: string) => FileOutcome | undefined = () => undefined,
): Promise<FileOutcome[]> {
  return new Promise((resolve, reject) => {
    const outcomes: FileOutcome[] = new Array(files.length);
    /** Files before this index are settled here or queued for a worker. */
    let scanned = 0;
    const queue: number[] = [];
    let done = 0;
    let live = 0;
    let failed = false;
    const idle: Worker[] = [];
    const setup: WorkerSetup = { mark: MARK, flags, named: [...named] };
    const scanOne = () => {
      let settled: FileOutcome | undefined;
      try {
        settled = settle(files[scanned]);
      } catch {
        settled = undefined; // a worker checks it and reports the failure, as for any file
      }
      if (settled) {
        outcomes[scanned] = settled;
        onDone(++done);
      } else queue.push(scanned);
      scanned++;
    };
    const feed = (worker: Worker) => {
      while (queue.length === 0 && scanned < files.length) scanOne();
      const index = queue.shift();
      if (index !== undefined) worker.postMessage({ index, file: files[index] });
      else worker.postMessage(null); // every file is settled or handed out
    };
    // Settles files a slice at a time between the workers' messages, handing queued files to idle workers.
    const scanAhead = () => {
      for (let n = 0; n < 32 && scanned < files.length; n++) scanOne();
      while (idle.length > 0 && (queue.length > 0 || scanned === files.length)) feed(idle.shift()!);
      if (scanned < files.length) setImmediate(scanAhead);
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
      idle.push(worker);
    }
    if (files.length === 0) resolve(outcomes);
    else setImmediate(scanAhead);
  });
}
