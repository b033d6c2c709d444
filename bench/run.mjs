#!/usr/bin/env node
// `npm run bench`: typing latency (in-process and over LSP stdio), the whole-stdlib check,
// the server's memory and its start-up, each next to ruff-wasm (ASYNC + RUF006) in the same run.
//
//   node bench/run.mjs [--json [FILE]] [--only typing,lsp,tree,memory,startup] [--edits N] [--verify]
//
// --verify also checks that the CLI finds the same with and without the prescan and the workers.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bigFile, stdlibDir } from './corpus.mjs';
import { BenchClient } from './lsp.mjs';
import { random, summary } from './stats.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'package.json'));
const RUFF_SETTINGS = { lint: { select: ['ASYNC', 'RUF006'] } };

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] && !args[i + 1].startsWith('--') ? args[i + 1] : fallback;
};
const only = value('--only', 'typing,lsp,tree,memory,startup').split(',');
const EDITS = Number(value('--edits', '200'));
const SEED = Number(value('--seed', '20261125')); // fixed, so runs compare; --seed varies the edits

function ruffWorkspace() {
  const { Workspace, PositionEncoding } = require('@astral-sh/ruff-wasm-nodejs');
  return new Workspace(RUFF_SETTINGS, PositionEncoding.Utf16);
}

/** One-character edits at random places in code lines: insert a letter, then delete it. */
function typingEdits(text, count, seed) {
  const rand = random(seed);
  const lines = text.split('\n');
  const code = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.trim() !== '');
  const edits = [];
  while (edits.length < count) {
    const { l, i } = code[Math.floor(rand() * code.length)];
    const indent = l.length - l.trimStart().length;
    const col = indent + Math.floor(rand() * (l.length - indent + 1));
    const at = { line: i, character: col };
    edits.push({ range: { start: at, end: at }, text: 'x' });
    edits.push({ range: { start: at, end: { line: i, character: col + 1 } }, text: '' });
  }
  return edits.slice(0, count);
}

function applyEdit(text, starts, edit) {
  const a = starts[edit.range.start.line] + edit.range.start.character;
  const b = starts[edit.range.end.line] + edit.range.end.character;
  return text.slice(0, a) + edit.text + text.slice(b);
}

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function time(fn) {
  const s = performance.now();
  const r = fn();
  return [performance.now() - s, r];
}

const results = [];
function record(name, unit, ours, ruff, note) {
  results.push({ name, unit, ours: ours && summary(ours), ruff: ruff && summary(ruff), note });
}

async function typingInProcess(text) {
  const { createParser } = require(path.join(ROOT, 'out/server/src/trees.js'));
  const { PythonDocument } = require(path.join(ROOT, 'out/server/src/documents.js'));
  const { analyzeTree } = require(path.join(ROOT, 'out/server/src/analysis.js'));
  const { resolveSelection } = require(path.join(ROOT, 'out/server/src/config/selection.js'));
  const { DEFAULT_PYTHON } = require(path.join(ROOT, 'out/server/src/pythonVersion.js'));
  const parser = await createParser();
  const selection = resolveSelection(undefined, undefined, undefined, String).selection;
  const options = { python: DEFAULT_PYTHON, notebook: false };
  const doc = new PythonDocument('file:///bench/big.py', 1, text, parser);
  // What the server does on each change: the document re-parses incrementally and reuses unchanged statements.
  const analyze = () => analyzeTree(doc.text, doc.syntax, selection, options);
  analyze();
  const edits = typingEdits(text, EDITS, SEED);
  const ours = [];
  let version = 1;
  for (const edit of edits) {
    const [ms] = time(() => {
      doc.applyChanges([edit], ++version);
      return analyze();
    });
    ours.push(ms);
    if (process.env.BENCH_TRACE) process.stderr.write(`edit ${version} ${JSON.stringify(edit)} ${ms.toFixed(0)} ms\n`);
  }
  const ws = ruffWorkspace();
  const ruff = [];
  let current = text;
  let starts = lineStarts(current);
  ws.check(current); // warm-up
  for (const edit of edits.slice(0, Math.min(edits.length, 60))) {
    current = applyEdit(current, starts, edit);
    starts = lineStarts(current);
    const [ms] = time(() => ws.check(current));
    ruff.push(ms);
  }
  record('typing, in-process: one-character edit → diagnostics', 'ms', ours, ruff, `${text.split('\n').length} lines, ${EDITS} edits, seed ${SEED}`);
}

async function typingLsp(text) {
  const client = await BenchClient.start();
  const uri = pathToFileURL(path.join(os.tmpdir(), 'bench-big.py')).toString();
  try {
    await client.open(uri, text, 1);
    const edits = typingEdits(text, EDITS, SEED + 1);
    const ours = [];
    let version = 1;
    for (const edit of edits) {
      const s = performance.now();
      await client.change(uri, ++version, [edit]);
      ours.push(performance.now() - s);
    }
    record('typing, LSP over stdio: didChange → publishDiagnostics', 'ms', ours, undefined, `seed ${SEED + 1}`);
  } finally {
    await client.stop();
  }
}

function runProcess(command, argv, env = {}) {
  return new Promise((resolve, reject) => {
    const s = performance.now();
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ms: performance.now() - s, code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

async function wholeTree(stdlib) {
  const runs = Number(value('--tree-runs', '3'));
  const ours = [];
  const ruff = [];
  let first;
  const { collectFiles } = require(path.join(ROOT, 'out/server/src/cli/files.js'));
  const files = collectFiles([stdlib]);
  const list = path.join(os.tmpdir(), 'bench-files.json');
  fs.writeFileSync(list, JSON.stringify(files));
  for (let i = 0; i < runs; i++) {
    const r = await runProcess(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'check', stdlib, '--format', 'json', '--no-progress']);
    ours.push(r.ms);
    first ??= r;
    const q = await runProcess(process.execPath, [path.join(ROOT, 'bench/ruffTree.mjs'), list]);
    if (q.code !== 0) throw new Error(`ruff run failed: ${q.stderr}`);
    ruff.push(q.ms);
  }
  const count = JSON.parse(first.stdout).length;
  let note = `${files.length} files, ${count} findings, exit ${first.code}, ${os.availableParallelism()} workers`;
  if (flag('--verify')) {
    const plain = await runProcess(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'check', stdlib, '--format', 'json', '--no-progress'], {
      CONCURRENCY_COACH_PRESCAN: '0',
      CONCURRENCY_COACH_WORKERS: '0',
    });
    const same = plain.stdout === first.stdout && plain.code === first.code;
    note += `; without prescan and workers: ${same ? 'identical output' : 'DIFFERENT OUTPUT'} (${(plain.ms / 1000).toFixed(1)} s)`;
  }
  record('whole stdlib: check, process start → exit', 'ms', ours, ruff, note);
}

function largestFiles(stdlib, n) {
  const { collectFiles } = require(path.join(ROOT, 'out/server/src/cli/files.js'));
  return collectFiles([stdlib])
    .filter((f) => f.endsWith('.py'))
    .map((f) => ({ f, size: fs.statSync(f).size }))
    .sort((a, b) => b.size - a.size || (a.f < b.f ? -1 : 1))
    .slice(0, n)
    .map(({ f }) => f);
}

async function memory(stdlib) {
  const client = await BenchClient.start();
  try {
    const files = largestFiles(stdlib, 50);
    let bytes = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      bytes += text.length;
      await client.open(pathToFileURL(f).toString(), text, 1);
    }
    const open50 = await client.rssMB();
    // Edits to one mid-sized document; RSS after the first 1,000 and after all of them.
    const target = files[files.length - 1];
    const uri = pathToFileURL(target).toString();
    const text = fs.readFileSync(target, 'utf8');
    const count = Number(value('--memory-edits', '10000'));
    const edits = typingEdits(text, count, SEED + 2);
    let version = 1;
    let after1000 = 0;
    const started = performance.now();
    for (let i = 0; i < edits.length; i++) {
      await client.change(uri, ++version, [edits[i]]);
      if (i === 999) after1000 = await client.rssMB();
    }
    const afterAll = await client.rssMB();
    record('memory: RSS with the 50 largest stdlib files open', 'MB', [open50], undefined, `${(bytes / 1e6).toFixed(1)} MB of text`);
    record(`memory: RSS after 1,000 and after ${count} edits`, 'MB', [after1000, afterAll], undefined, `growth ${(afterAll - after1000).toFixed(1)} MB over ${count - 1000} edits to ${path.basename(target)}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await client.stop();
  }
}

async function startup(stdlib) {
  const file = path.join(stdlib, 'concurrent', 'futures', 'thread.py');
  const text = fs.readFileSync(file, 'utf8');
  const ours = [];
  const ruff = [];
  for (let i = 0; i < 5; i++) {
    const client = await BenchClient.start();
    await client.open(pathToFileURL(file).toString(), text, 1);
    ours.push(performance.now() - client.started);
    await client.stop();
    const q = await runProcess(process.execPath, [path.join(ROOT, 'bench/ruffTree.mjs'), JSON.stringify([file])]);
    ruff.push(q.ms);
  }
  record('start-up: server spawn → first publishDiagnostics', 'ms', ours, ruff, `${path.relative(stdlib, file)}; ruff: process start → check done`);
}

function fmt(s) {
  if (!s) return '—';
  const d = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  return `${d(s.median)} (${d(s.min)}–${d(s.max)}, p99 ${d(s.p99)}, n=${s.runs})`;
}

const stdlib = stdlibDir();
const text = bigFile(5000, stdlib);
const machine = `${os.cpus()[0]?.model ?? 'cpu'} ×${os.availableParallelism()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`;
if (only.includes('typing')) await typingInProcess(text);
if (only.includes('lsp')) await typingLsp(text);
if (only.includes('tree')) await wholeTree(stdlib);
if (only.includes('memory')) await memory(stdlib);
if (only.includes('startup')) await startup(stdlib);

const rows = results.map((r) => [r.name, r.unit, fmt(r.ours), fmt(r.ruff), r.ours && r.ruff ? (r.ours.median / r.ruff.median).toFixed(2) + '×' : '—', r.note ?? '']);
const header = ['figure', 'unit', 'concurrency-coach: median (min–max, p99, n)', 'ruff-wasm', 'ratio', 'notes'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
console.log(`machine: ${machine}`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(r));
if (flag('--json')) {
  const out = value('--json', path.join(ROOT, 'bench', 'results.json'));
  fs.writeFileSync(out, JSON.stringify({ machine, seed: SEED, results }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}
