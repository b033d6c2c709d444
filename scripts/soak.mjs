#!/usr/bin/env node
// Soak test (not part of CI): random edits through the real language server for a long time, sampling the
// server's memory (VmRSS from /proc/<pid>/status), then checking that its last diagnostics are still right.
//
// Usage: npm run build && node scripts/soak.mjs [--minutes 10] [--seed 1] [--docs 6]
// Prints a sample line every 30 s and a summary; exits 1 if a request failed, the server died, its last
// diagnostics differ from a fresh analysis, or memory kept growing over the second half of the run.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'package.json'));
const out = (p) => path.join(ROOT, 'out', p);
if (!fs.existsSync(out('test/server/lspClient.js')) || !fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) {
  console.error('soak: build first (npm run build)');
  process.exit(2);
}
const { LspClient } = require(out('test/server/lspClient.js'));
const { Random } = require(out('test/server/prng.js'));
const { EditSession, SEED_TEXTS } = require(out('test/server/fuzzEdits.js'));
const { TextDocument } = require('vscode-languageserver-textdocument');
const { analyzeText } = require(out('server/src/engine.js'));
const { toDiagnostic } = require(out('server/src/features/diagnostics.js'));
const { configFor, getParser } = require(out('test/server/helpers.js'));

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, seed: { type: 'string', default: '1' }, docs: { type: 'string', default: '6' } } });
const minutes = Number(values.minutes);
const seed = Number(values.seed);
const rng = new Random(seed);

function memory(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/** Slope in MB per minute of a least-squares line through the samples. */
function slope(samples) {
  const n = samples.length;
  if (n < 2) return 0;
  const mx = samples.reduce((s, p) => s + p.t, 0) / n;
  const my = samples.reduce((s, p) => s + p.rss, 0) / n;
  const num = samples.reduce((s, p) => s + (p.t - mx) * (p.rss - my), 0);
  const den = samples.reduce((s, p) => s + (p.t - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60_000;
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
}

// A realistic bigger module next to the small ones: a fixture repeated to about 2,000 lines.
const fixtures = fs.readdirSync(path.join(ROOT, 'test', 'fixtures')).filter((f) => f.endsWith('.py')).sort();
const big = Array.from({ length: 40 }, (_, i) => fs.readFileSync(path.join(ROOT, 'test', 'fixtures', fixtures[i % fixtures.length]), 'utf8')).join('\n').split('\n').slice(0, 2000).join('\n');

const client = await LspClient.start();
const pid = client.process.pid;
const docs = [];
function openDoc(i, version = 1) {
  const uri = `file:///tmp/soak/doc${i}.py`;
  const text = i === 0 ? big : SEED_TEXTS[i % SEED_TEXTS.length];
  const expected = TextDocument.create(uri, 'python', version, text);
  const doc = { uri, expected, session: new EditSession(rng, expected, { maxLength: i === 0 ? 120_000 : 1500, outOfRange: 0.02, splitSurrogates: 0.01 }), version };
  docs[i] = doc;
  return client.open(uri, text, version);
}
for (let i = 0; i < Number(values.docs); i++) await openDoc(i);

const started = Date.now();
const deadline = started + minutes * 60_000;
const samples = [];
const latencies = [];
let edits = 0;
let steps = 0;
let requests = 0;
let failures = 0;
let reopened = 0;
let lastPrint = 0;
const pending = [];

samples.push({ t: 0, ...memory(pid) });
const sampler = setInterval(() => samples.push({ t: Date.now() - started, ...memory(pid) }), 5_000);

while (Date.now() < deadline && client.process.exitCode === null) {
  const i = rng.int(0, docs.length - 1);
  const doc = docs[i];
  if (rng.chance(0.002)) {
    // Close and reopen: trees and findings of closed documents must be freed.
    await client.close(doc.uri);
    await openDoc(i, doc.version + 1);
    reopened++;
    continue;
  }
  const changes = doc.session.next();
  edits += changes.length;
  steps++;
  doc.version++;
  const sentAt = Date.now();
  await client.change(doc.uri, doc.version, changes, false);
  if (rng.chance(0.05)) {
    const position = doc.expected.positionAt(rng.int(0, doc.expected.getText().length));
    const everything = { start: { line: 0, character: 0 }, end: { line: doc.expected.lineCount, character: 0 } };
    const kind = rng.pick(['hover', 'completion', 'quickfix', 'fixAll']);
    const request = kind === 'hover' ? client.hover(doc.uri, position)
      : kind === 'completion' ? client.request('textDocument/completion', { textDocument: { uri: doc.uri }, position })
      : client.codeActions(doc.uri, everything, [], kind === 'fixAll' ? ['source.fixAll'] : undefined);
    requests++;
    pending.push(request.catch((error) => {
      failures++;
      console.error(`soak: ${kind} failed: ${error}`);
    }));
  }
  // At most about ten messages in flight: once this version is published, the server has handled all before it.
  if (steps % 10 === 0 || rng.chance(0.02)) {
    await client.diagnosticsFor(doc.uri, doc.version).catch(() => undefined);
    latencies.push(Date.now() - sentAt);
    await Promise.all(pending.splice(0));
  }
  if (rng.chance(0.001)) await client.changeConfiguration(rng.pick([{}, { pythonVersion: '3.13' }, { ignore: ['PCC2'] }, {}]));
  // Keep the published lists from growing without end in this process.
  for (const list of client.published.values()) if (list.length > 50) list.splice(0, list.length - 50);
  if (Date.now() - lastPrint > 30_000) {
    lastPrint = Date.now();
    const m = memory(pid);
    console.log(`${((Date.now() - started) / 60_000).toFixed(1)} min: ${edits} edits in ${steps} steps, ${requests} requests, server RSS ${m.rss.toFixed(1)} MB (peak ${m.hwm.toFixed(1)} MB)`);
  }
}
clearInterval(sampler);
await Promise.all(pending);
const died = client.process.exitCode !== null;

// The last diagnostics of each document equal a fresh analysis of its text (default settings again first).
await client.changeConfiguration({});
let wrong = 0;
if (!died) {
  const parser = await getParser();
  for (const doc of docs) {
    doc.version++;
    const diagnostics = await client.change(doc.uri, doc.version, [{ text: doc.expected.getText() }]);
    const want = JSON.parse(JSON.stringify(analyzeText(parser, doc.expected.getText(), configFor()).findings.map((f) => toDiagnostic(doc.uri, f))));
    if (JSON.stringify(diagnostics) !== JSON.stringify(want)) {
      wrong++;
      console.error(`soak: ${doc.uri} v${doc.version}: diagnostics differ from a fresh analysis`);
    }
  }
}
const final = memory(pid);
await client.stop();

const secondHalf = samples.filter((s) => s.t >= (samples.at(-1)?.t ?? 0) / 2);
const rss = samples.map((s) => s.rss).filter(Number.isFinite);
latencies.sort((a, b) => a - b);
const growth = slope(secondHalf);
const summary = {
  minutes: Number(((Date.now() - started) / 60_000).toFixed(2)),
  seed,
  documents: docs.length,
  edits,
  steps,
  editsPerSecond: Math.round(edits / ((Date.now() - started) / 1000)),
  requests,
  reopened,
  failedRequests: failures,
  serverDied: died,
  wrongDiagnosticsAtEnd: wrong,
  rssMB: { start: rss[0], min: Math.min(...rss), max: Math.max(...rss), end: final.rss, peakHWM: final.hwm },
  rssSlopeSecondHalfMBPerMin: Number(growth.toFixed(2)),
  publishLatencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: latencies.at(-1) },
  samples: samples.length,
};
console.log(JSON.stringify(summary, null, 2));
// Growth over the second half beyond 2 MB/min (20 MB over 10 minutes) counts as a leak.
const ok = !died && failures === 0 && wrong === 0 && growth < 2;
console.log(ok ? 'soak: OK' : 'soak: FAILED');
process.exitCode = ok ? 0 : 1;
