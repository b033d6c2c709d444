// The concurrency patterns offered as snippets. snippets/python.json holds what VS Code
// reads (prefix, description, body) and stays the only copy of the bodies; this table adds
// what a snippet file cannot say: the concurrency model, the imports a body needs and the
// oldest Python it runs on. test/server/snippets.test.ts checks that the two agree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConcurrencyModel } from './gil';
import { versionAtLeast } from '../pythonVersion';
import { planImportInsertions, type ImportInsertion } from '../text/importPlacement';
import { lineStarts, offsetAt } from '../text/positions';

export type PatternModel = Extract<ConcurrencyModel, 'threads' | 'asyncio' | 'processes'>;

export interface PatternMeta {
  model: PatternModel;
  /** Short label for pickers: "Join several threads". */
  title: string;
  /** Full import statements the body needs, added once at the top of the file. */
  imports: readonly string[];
  /** Oldest Python the body runs on: "3.9" (our floor) or newer. */
  minPython: string;
}

/** A snippet entry as VS Code reads it. */
export interface SnippetEntry {
  prefix: string;
  description: string;
  body: string | string[];
}

export interface Pattern extends PatternMeta {
  /** Key in snippets/python.json, also the prefix without `cc-`: "threads-join". */
  key: string;
  prefix: string;
  description: string;
  /** VS Code / LSP snippet syntax, lines joined with \n, indented with tabs. */
  body: string;
}

export const SNIPPETS_FILE = path.join('snippets', 'python.json');
export const PREFIX = 'cc-';
export const MODEL_ORDER: readonly PatternModel[] = ['threads', 'asyncio', 'processes'];
export const MODEL_LABELS: Record<PatternModel, string> = { threads: 'Threads', asyncio: 'asyncio', processes: 'Processes' };

const FUTURES_THREADS = 'from concurrent.futures import ThreadPoolExecutor, as_completed';

/** Keyed like snippets/python.json; the order here is the order pickers show. */
export const PATTERN_META: Readonly<Record<string, PatternMeta>> = {
  'threads-join': { model: 'threads', title: 'Start threads and join them all', imports: ['import logging', 'import threading', 'import time'], minPython: '3.9' },
  'threads-subclass': { model: 'threads', title: 'Thread subclass with result and error', imports: ['import threading', 'import time'], minPython: '3.9' },
  'threads-queue': { model: 'threads', title: 'Producer/consumer with queue.Queue', imports: ['import logging', 'import queue', 'import threading', 'import time'], minPython: '3.9' },
  'threads-lock': { model: 'threads', title: 'Counter protected by a lock', imports: ['import threading', 'import time'], minPython: '3.9' },
  'threads-event': { model: 'threads', title: 'Stop a thread with threading.Event', imports: ['import threading', 'import time'], minPython: '3.9' },
  'threads-pool': { model: 'threads', title: 'ThreadPoolExecutor with as_completed', imports: ['import logging', 'import time', FUTURES_THREADS], minPython: '3.9' },
  'threads-map': { model: 'threads', title: 'ThreadPoolExecutor.map', imports: ['import logging', 'import time', 'from concurrent.futures import ThreadPoolExecutor'], minPython: '3.9' },
  'asyncio-run': { model: 'asyncio', title: 'Entry point: asyncio.run(main())', imports: ['import asyncio'], minPython: '3.9' },
  'asyncio-gather': { model: 'asyncio', title: 'asyncio.gather over several coroutines', imports: ['import asyncio'], minPython: '3.9' },
  'asyncio-gather-exceptions': { model: 'asyncio', title: 'asyncio.gather(return_exceptions=True)', imports: ['import asyncio'], minPython: '3.9' },
  'asyncio-taskgroup': { model: 'asyncio', title: 'asyncio.TaskGroup', imports: ['import asyncio'], minPython: '3.11' },
  'asyncio-semaphore': { model: 'asyncio', title: 'Bounded concurrency with asyncio.Semaphore', imports: ['import asyncio'], minPython: '3.9' },
  'asyncio-queue': { model: 'asyncio', title: 'Worker tasks fed by an asyncio.Queue', imports: ['import asyncio', 'import logging'], minPython: '3.9' },
  'asyncio-to-thread': { model: 'asyncio', title: 'Blocking call in a thread: asyncio.to_thread', imports: ['import asyncio', 'import time'], minPython: '3.9' },
  'asyncio-timeout': { model: 'asyncio', title: 'Time limit with asyncio.timeout', imports: ['import asyncio'], minPython: '3.11' },
  'asyncio-wait-for': { model: 'asyncio', title: 'Time limit with asyncio.wait_for', imports: ['import asyncio'], minPython: '3.9' },
  'processes-pool-executor': { model: 'processes', title: 'ProcessPoolExecutor under a main guard', imports: ['import logging', 'from concurrent.futures import ProcessPoolExecutor, as_completed'], minPython: '3.9' },
  'processes-pool-map': { model: 'processes', title: 'multiprocessing.Pool.map under a main guard', imports: ['import multiprocessing'], minPython: '3.9' },
  'processes-queue': { model: 'processes', title: 'Processes fed by a multiprocessing.Queue', imports: ['import multiprocessing'], minPython: '3.9' },
};

/** Reads a snippet file's JSON; entries that are not snippets are left out. */
export function parseSnippetFile(jsonText: string): Record<string, SnippetEntry> {
  const raw: unknown = JSON.parse(jsonText);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('A snippet file must hold a JSON object');
  const entries: Record<string, SnippetEntry> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (isSnippetEntry(value)) entries[key] = value;
  }
  return entries;
}

function isSnippetEntry(value: unknown): value is SnippetEntry {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const body = v.body;
  const bodyOk = typeof body === 'string' || (Array.isArray(body) && body.every((line) => typeof line === 'string'));
  return typeof v.prefix === 'string' && typeof v.description === 'string' && bodyOk;
}

/** Joins snippet entries with their metadata, in PATTERN_META order; unmatched entries on either side are skipped. */
export function buildPatterns(snippets: Record<string, SnippetEntry>): Pattern[] {
  const patterns: Pattern[] = [];
  for (const [key, meta] of Object.entries(PATTERN_META)) {
    const entry = snippets[key];
    if (!entry) continue;
    const body = Array.isArray(entry.body) ? entry.body.join('\n') : entry.body;
    patterns.push({ key, prefix: entry.prefix, description: entry.description, body, ...meta });
  }
  return patterns;
}

/** Everything that makes the snippet file and PATTERN_META disagree; empty when aligned. */
export function alignmentProblems(snippets: Record<string, SnippetEntry>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(snippets)) {
    if (!PATTERN_META[key]) problems.push(`${key}: snippet without metadata in PATTERN_META`);
  }
  for (const [key, meta] of Object.entries(PATTERN_META)) {
    const entry = snippets[key];
    if (!entry) {
      problems.push(`${key}: metadata without a snippet in ${SNIPPETS_FILE}`);
      continue;
    }
    if (entry.prefix !== PREFIX + key) problems.push(`${key}: prefix should be ${PREFIX}${key}, is ${entry.prefix}`);
    if (!key.startsWith(`${meta.model}-`)) problems.push(`${key}: key should start with its model, ${meta.model}-`);
    if (!/^3\.\d+$/.test(meta.minPython) || !versionAtLeast(meta.minPython, '3.9')) problems.push(`${key}: minPython ${meta.minPython} is not 3.9 or newer`);
    if (meta.minPython !== '3.9' && !entry.description.includes(`Python ${meta.minPython}+`)) {
      problems.push(`${key}: description should say "Python ${meta.minPython}+"`);
    }
  }
  return problems;
}

/** True when `pattern` runs on the given Python ("3.12"). */
export function supportedOn(pattern: PatternMeta, pythonVersion: string): boolean {
  return versionAtLeast(pythonVersion, pattern.minPython);
}

export interface PatternGroup {
  model: PatternModel;
  label: string;
  entries: { pattern: Pattern; supported: boolean }[];
}

/** Patterns grouped by model in MODEL_ORDER, each marked with whether it runs on `pythonVersion`. */
export function groupPatterns(patterns: readonly Pattern[], pythonVersion: string): PatternGroup[] {
  return MODEL_ORDER.map((model) => ({
    model,
    label: MODEL_LABELS[model],
    entries: patterns.filter((p) => p.model === model).map((pattern) => ({ pattern, supported: supportedOn(pattern, pythonVersion) })),
  })).filter((group) => group.entries.length > 0);
}

export interface PatternInsert {
  /** Import lines to add; lines of the original text. */
  imports: ImportInsertion[];
  /** Where the snippet goes: offsets into the text once the imports are in. */
  start: number;
  end: number;
  /** The snippet to insert there (a line break is prepended when it goes below a line of code). */
  snippet: string;
}

/**
 * Plans "Insert Pattern" on `text` with the selection `selStart..selEnd` (offsets): a selection
 * is replaced; an empty one on a line holding code puts the pattern on a new line below; the
 * imports it needs are added once, above it.
 */
export function planPatternInsert(text: string, pattern: Pick<Pattern, 'body' | 'imports'>, selStart: number, selEnd: number): PatternInsert {
  let start = Math.min(selStart, selEnd);
  let end = Math.max(selStart, selEnd);
  let snippet = pattern.body;
  if (start === end) {
    const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1)) + 1;
    const breakAt = text.slice(start).search(/\r\n|\r|\n/);
    const lineEnd = breakAt < 0 ? text.length : start + breakAt;
    if (text.slice(lineStart, lineEnd).trim() !== '') {
      start = end = lineEnd;
      snippet = '\n' + snippet;
    }
  }
  const starts = lineStarts(text);
  const eol = /\r\n|\r|\n/.exec(text)?.[0] ?? '\n';
  const imports = planImportInsertions(text, pattern.imports).map((ins) => {
    // Imports right above the pattern: leave the blank lines PEP 8 asks for before it.
    if (offsetAt(starts, text, { line: ins.line, character: 0 }) !== start || snippet.startsWith('\n')) return ins;
    const wanted = /^(@|def\b|class\b|async\s+def\b)/.test(snippet) ? 2 : 1;
    let blank = 0;
    while (ins.text.endsWith(eol.repeat(blank + 2))) blank++;
    return { ...ins, text: ins.text + eol.repeat(Math.max(0, wanted - blank)) };
  });
  const at = imports.map((ins) => ({ offset: offsetAt(starts, text, { line: ins.line, character: 0 }), length: ins.text.length }));
  // Imports inserted at or before an offset push it along: they always land above the snippet.
  const shift = (offset: number) => offset + at.filter((i) => i.offset <= offset).reduce((sum, i) => sum + i.length, 0);
  return { imports, start: shift(start), end: shift(end), snippet };
}

/**
 * The extension's root: the nearest folder at or above `startDir` holding snippets/python.json.
 * Works from out/server/src/coaching (tests), dist/ (the bundle) and an installed extension.
 */
export function findExtensionRoot(startDir: string): string | undefined {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, SNIPPETS_FILE))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Reads snippets/python.json under `extensionRoot` (default: found from this file) and joins it with the metadata. */
export function loadPatterns(extensionRoot = findExtensionRoot(__dirname)): Pattern[] {
  if (!extensionRoot) throw new Error(`Cannot find ${SNIPPETS_FILE} above ${__dirname}`);
  return buildPatterns(parseSnippetFile(fs.readFileSync(path.join(extensionRoot, SNIPPETS_FILE), 'utf8')));
}
