// Memory: by default V8 lets the old generation grow to several times the live heap between two
// collections (hundreds of MB for this server's garbage per analysis); a smaller growing factor keeps
// the resident memory near the live data at a small cost in collections.
import * as v8 from 'node:v8';

/** After a full collection, the heap may grow by this percentage of the live data before the next one. */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Sets the heap growing factor for this process, unless the command line or NODE_OPTIONS chose one.
 * V8 reads the flag at each collection, so setting it at start-up works in every launch path
 * (`node dist/server.js`, `concurrency-coach lsp`, the VS Code client's fork).
 */
export function tuneHeap(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => /heap[-_]growing[-_]percent/.test(arg));
  if (given) return;
  try {
    v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  } catch {
    // An engine without the flag keeps its default.
  }
}
