#!/usr/bin/env node
// `npm test`: every test suite in order — unit (node's test runner), Neovim, VS Code
// (mocha in the extension host), UI (Playwright on the workbench) — each as a child process
// whose output is shown as it comes. Ends with one plain `N passed, N failed` line totalling
// them all, and exits non-zero if anything failed or a suite could not report.
//
// Usage: node scripts/test-all.mjs [unit] [nvim] [vscode] [vsix] [ui]   (default: all, in this order)
// PCC_TEST_SUITE_TIMEOUT: seconds one suite may take before it is stopped and counted as failed
// (default 1200).

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SUITES = ['unit', 'nvim', 'vscode', 'vsix', 'ui'];
const picked = process.argv.slice(2);
const unknown = picked.filter((s) => !SUITES.includes(s));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; choose from ${SUITES.join(', ')}`);
  process.exit(2);
}
const suites = picked.length ? SUITES.filter((s) => picked.includes(s)) : SUITES;
const SUITE_TIMEOUT_MS = Number(process.env.PCC_TEST_SUITE_TIMEOUT || 1200) * 1000;
let current = null; // the running suite's process group, ended if we are interrupted

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {}
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (current) killGroup(current, 'SIGTERM');
    process.exit(130);
  });
}

/** Pass/fail counts from a suite's output: node's test runner summary, or a plain closing line. */
export function parseCounts(output, { nodeRunnerFirst = false } = {}) {
  const last = (re) => {
    let m = null;
    for (const x of output.matchAll(re)) m = x;
    return m;
  };
  // `N passed, N failed` alone on a line, maybe after one word and a colon (e.g. `mocha:`); the last one wins.
  const plain = last(/^(?:[\w-]+: )?(\d+) passed, (\d+) failed(?:, \d+ skipped)?\s*$/gm);
  const fromPlain = plain && { passed: Number(plain[1]), failed: Number(plain[2]) };
  // node --test: `ℹ pass N` / `ℹ fail N` (spec reporter) or `# pass N` / `# fail N` (TAP).
  const pass = last(/^(?:ℹ|#) pass (\d+)\s*$/gm);
  const fail = last(/^(?:ℹ|#) fail (\d+)\s*$/gm);
  const fromNode = (pass || fail) && { passed: Number(pass?.[1] ?? 0), failed: Number(fail?.[1] ?? 0) };
  return (nodeRunnerFirst ? fromNode || fromPlain : fromPlain || fromNode) || null;
}

function runSuite(name) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n=== npm run test:${name} ===`);
    // Its own process group, so a suite that hangs can be stopped with everything it started.
    const child = spawn('npm', ['run', '--silent', `test:${name}`], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
      detached: true,
    });
    current = child.pid;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.log(`\n[test-all] test:${name} still running after ${SUITE_TIMEOUT_MS / 1000}s: stopping it`);
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000).unref();
    }, SUITE_TIMEOUT_MS);
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      output += d;
      process.stderr.write(d);
    });
    child.on('error', (err) => {
      output += `\n${err.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = null;
      // The plain line is written last; strip ANSI colours before parsing.
      const counts = parseCounts(output.replace(/\x1b\[[0-9;]*m/g, ''), { nodeRunnerFirst: name === 'unit' });
      resolve({ name, code: timedOut ? 'timeout' : (code ?? signal), counts, timedOut, secs: (Date.now() - started) / 1000 });
    });
  });
}

const results = [];
for (const name of suites) results.push(await runSuite(name));

let passed = 0;
let failed = 0;
console.log('\n=== summary ===');
for (const r of results) {
  let note = '';
  let p = r.counts?.passed ?? 0;
  let f = r.counts?.failed ?? 0;
  if (r.timedOut) {
    note = ` (stopped after ${SUITE_TIMEOUT_MS / 1000}s)`;
    f = Math.max(f, 1);
  } else if (!r.counts) {
    note = ' (no pass/fail count in its output)';
    if (r.code !== 0) f = Math.max(f, 1);
  } else if (r.code !== 0 && f === 0) {
    note = ` (exited ${r.code} although nothing failed)`;
    f = 1;
  }
  passed += p;
  failed += f;
  console.log(`${`test:${r.name}`.padEnd(13)} ${String(p).padStart(4)} passed ${String(f).padStart(4)} failed  exit ${r.code}  ${r.secs.toFixed(1)}s${note}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || results.some((r) => r.code !== 0) ? 1 : 0;
